"""The agent's phone as an installable app that works without a signal: the web app manifest, the service
worker, and the sign-out that wipes what the phone kept. The scripts: static/js/offline.js (every agent
page), queue.js (drafts and queue, shared with the worker), field.js (the forms); the worker's code is
templates/enrollment/field/sw.js.

What the phone keeps, and why it is safe to keep it:

- **The app shell** (the CSS and scripts of the agent's pages) in a Cache Storage cache named by the
  shell's version (a hash of the files, so a new deployment replaces it). No personal data.
- **The agent's pages** (``/enrollment/field/…`` and ``/recruitment/mine/…``), each copy as last seen
  online, in a cache named by the account (``account_key``), so a page opens without a signal and says
  from when it is. A page is kept only under the account its own HTML names, and keeping a page of one
  account deletes every other account's copies. Online, pages come from the network (a copy is served
  only when it fails or takes longer than ``NETWORK_TIMEOUT_MS``). Only GET pages in HTML, never one
  reached by a redirect (the sign-in page) nor a POST's answer (a revealed NIK).
- **Drafts and the queue** (what was typed, what was saved without a signal) in IndexedDB, each under its
  account: a queued write is sent only while that same account is signed in (a session that expired
  keeps it until the agent signs in again), with one ``Idempotency-Key`` per draft kept across retries,
  so a retry, a double tap or a lost answer records it once (``web.api``); the NIK's uniqueness refuses
  the same worker enrolled from a second phone.

HTML stays ``Cache-Control: no-store`` (``web.middleware.NoStoreMiddleware``): that rule is about the
browser's HTTP cache and proxies (a shared office PC, the back button after signing out), which the
service worker does not use; Cache Storage is a separate store the worker writes on purpose, for agents'
pages only, and signing out empties it: the sign-out answer carries ``Clear-Site-Data: "cache",
"storage"`` (the HTTP cache; Cache Storage, IndexedDB and the worker itself), and the page's script asks
first when writes still wait to be sent, since signing out deletes them from the phone.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.auth.views import LogoutView
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perisai.roles import Role

THEME_COLOR = "#0b6e4f"  # the navigation bar's green (static/css/perisai.css)
NETWORK_TIMEOUT_MS = 8000  # an agent's page online: after this long without an answer, the copy on the phone

# What the worker keeps at install: every file an agent's page loads (the install icons are the browser's).
SHELL = (
    "bootstrap/css/bootstrap.min.css",
    "css/perisai.css",
    "css/field.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "js/queue.js",
    "js/offline.js",
    "js/field.js",
    "js/places.js",
    "img/favicon.svg",
)
ICONS = (
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
)
CLEAR_SITE_DATA = '"cache", "storage"'


def account_key(user):
    """The name the phone keeps an account's pages and queue under: stable for the account, meaningless
    outside this server (an HMAC of its id with the secret key), so a cache's name says nothing about who."""
    return salted_hmac("web.field.offline.account", str(user.pk), algorithm="sha256").hexdigest()[:20]


def uses_offline(user):
    """Only agents' pages work offline; everyone else's pages are never kept on a device."""
    return bool(user.is_authenticated and user.role == Role.AGENT)


@functools.lru_cache(maxsize=4)
def _shell_version(debug):
    """A hash of the shell's files, so any change to one installs a new worker (and a new shell cache).
    Computed once per process unless DEBUG is on, where the files change under a running server."""
    digest = hashlib.sha256()
    for name in SHELL:
        digest.update(staticfiles_storage.url(name).encode())
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


def shell_version():
    if settings.DEBUG:
        _shell_version.cache_clear()
    return _shell_version(settings.DEBUG)


@require_GET
def service_worker(request):
    """``/sw.js``: served from the site's root so its scope can be the whole site (it handles only the
    agents' pages and static files). ``no-cache``, so a new deployment reaches phones at the next visit;
    the same for everyone, in the language of the request (its offline page's words)."""
    context = {
        "config": json.dumps(
            {
                "version": f"{shell_version()}-{get_language()}",
                "shell": [staticfiles_storage.url(name) for name in SHELL],
                "static": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
                "pages": [reverse("enrollment:agent_home"), reverse("recruitment:my_candidates")],
                "home": reverse("enrollment:agent_home"),
                "enrol": reverse("enrollment:enrol"),
                "queueScript": staticfiles_storage.url("js/queue.js"),
                "timeout": NETWORK_TIMEOUT_MS,
                "revalidate": settings.DEBUG,
                "offlinePage": render_to_string("enrollment/field/offline_page.html", request=None),
            }
        )
    }
    response = HttpResponse(
        render_to_string("enrollment/field/sw.js", context), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    """The web app manifest, its words in the language of the request: installed, Perisai opens on the
    agent's home page, full screen in the programme's green. A browser fetches it without cookies, so the
    page's language comes along as ``?hl=``."""
    language = request.GET.get("hl", "")
    if language not in dict(settings.LANGUAGES):
        language = get_language()
    with translation.override(language):
        return _manifest_response()


def _manifest_response():
    data = {
        "name": _("Perisai: enrol and follow up workers"),
        "short_name": "Perisai",
        "description": _("Enrol informal workers and keep them paying, with or without a signal."),
        "lang": get_language(),
        "id": reverse("enrollment:agent_home"),
        "start_url": reverse("enrollment:agent_home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": staticfiles_storage.url(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for name, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


_logout = LogoutView.as_view()


def sign_out(request, *args, **kwargs):
    """Django's sign-out, whose answer also tells the browser to forget what this site kept on the device
    (``Clear-Site-Data``): the HTTP cache, the service worker's copies of the agent's pages, the drafts and
    the queue. Whatever the account's role: a staff member's browser may have kept an agent's pages before."""
    response = _logout(request, *args, **kwargs)
    if request.method == "POST":
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
