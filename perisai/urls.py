from django.contrib import admin
from django.urls import include, path

from perisai.views import health
from reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("agents/", include("agents.urls")),
    path("enrollment/", include("enrollment.urls")),
    path("reports/", include("reports.urls")),
    path("incentives/", include("incentives.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
