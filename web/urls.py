"""Every page's address. Each area keeps the URL namespace its pages have always had, so
``{% url "agents:agent_list" %}`` and every link and bookmark stay as they were:

- ``agents``: the agent network (``web.network``);
- ``enrollment``: the agent's phone pages (``web.field``), the staff participant screens
  (``web.participants``) and the bulk import (``web.imports``);
- ``reports``: the reports and their files (``web.reports``); the dashboard is the home page;
- ``incentives``: incentive sheets and statements (``web.incentives``);
- ``payments``: the payments files from the channels (``web.payments``);
- ``followup``: the reminders' outbox for branch staff (``web.followup``);
- ``recruitment``: candidates, training sessions, activation; the agent's own candidates (``web.recruitment``);
- ``targets``: the yearly acquisition targets, set by branch staff (``web.targets``);
- ``account``: account security, the second factor after the password (``web.account``);
- ``jobs``: my downloads, the background jobs a user started (``web.jobs``);
- ``api``: the JSON API under ``/api/v1/`` (``web.api``).
"""

from django.urls import include, path

from web import health
from web.account import urls as account
from web.api.endpoints import api
from web.field import offline
from web.field import urls as field
from web.followup import urls as followup
from web.imports import urls as imports
from web.incentives import urls as incentives
from web.jobs import urls as jobs
from web.network import urls as network
from web.participants import urls as participants
from web.payments import urls as payments
from web.recruitment import urls as recruitment
from web.reports import urls as reports
from web.reports.views import home
from web.targets import urls as targets

urlpatterns = [
    path("", home, name="home"),
    path("agents/", include((network.urlpatterns, "agents"))),
    path("enrollment/", include(([*field.urlpatterns, *participants.urlpatterns, *imports.urlpatterns], "enrollment"))),
    path("reports/", include((reports.urlpatterns, "reports"))),
    path("incentives/", include((incentives.urlpatterns, "incentives"))),
    path("payments/", include((payments.urlpatterns, "payments"))),
    path("followup/", include((followup.urlpatterns, "followup"))),
    path("recruitment/", include((recruitment.urlpatterns, "recruitment"))),
    path("targets/", include((targets.urlpatterns, "targets"))),
    path("health/", health.health, name="health"),
    path("accounts/security/", include((account.urlpatterns, "account"))),
    path("api/v1/", api.urls),
    path("downloads/", include((jobs.urlpatterns, "jobs"))),
    # The agent's phone as an app (web.field.offline): the worker at the root so its scope is the whole
    # site, the manifest, and Django's sign-out answered with Clear-Site-Data (ahead of django.contrib.auth's).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("accounts/logout/", offline.sign_out, name="logout"),
]
