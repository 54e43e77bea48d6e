"""Response headers Django's SecurityMiddleware does not send; the health check before the session; the
session's absolute lifetime; no storing of what a signed-in user sees; what a sign-in attempt's answer
carries; a read-only request run again when PostgreSQL ended its connection."""

import logging
from contextlib import ExitStack

from django.contrib.auth import logout
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers

from web.health import health
from web.signin import devices, throttle, views
from web.signin.sessions import outlived

logger = logging.getLogger("perisai.database")


class SecurityHeadersMiddleware:
    """``X-XSS-Protection: 1; mode=block`` for the older browsers that still have an XSS filter (block
    mode, not the filter mode that could be abused to blank parts of a page; current browsers ignore
    the header and rely on the Content-Security-Policy), and a Permissions-Policy that turns off the
    device features no page of Perisai uses."""

    HEADERS = {
        "X-XSS-Protection": "1; mode=block",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in self.HEADERS.items():
            response.headers.setdefault(header, value)
        return response


class HealthCheckMiddleware:
    """``/health/`` answered here, before the session, the signed-in user or the language are looked at.

    A load balancer's probe may carry a browser's session cookie (same host); further in, the session
    would be loaded and saved (``SESSION_SAVE_EVERY_REQUEST``) and, with the database down, that raised
    and the probe read 500 instead of the health check's 503. Installed right after Django's
    ``SecurityMiddleware``; the path comes from the URL conf (``health``), where the view stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            is_health = request.path_info == reverse("health")
        except NoReverseMatch:  # a URL conf without the health check (a test's, say)
            is_health = False
        return health(request) if is_health else self.get_response(request)


class SessionLifetimeMiddleware:
    """A session signed in longer ago than ``SESSION_ABSOLUTE_SECONDS`` (12 hours) is signed out before
    any page sees it, however busy it was (``web.signin.sessions``); the page then asks for a sign-in as
    for anyone. Installed right after ``AuthenticationMiddleware``, before anything asks who the user is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if outlived(request):
            logout(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing sent to a signed-in user is stored by a browser or a proxy (``Cache-Control: no-store``,
    Django's ``never_cache`` headers): lists and pages of participants and agents, CSV and Excel files,
    the workbook all hold personal data, and a shared office PC's cache or a back button after signing out
    must not show them. One rule for every page behind the sign-in, so none can forget it; the sign-in
    page and static files are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SignInMiddleware:
    """What a sign-in attempt's answer carries (``web.signin.throttle``): a 429 page with the time to wait
    when the username's delay refused it unchecked (whichever page it came through: the sign-in page or
    the admin's), and, after a successful sign-in, the cookie that remembers this device for the username
    (``web.signin.devices``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        wait = getattr(request, throttle.WAIT_ATTRIBUTE, None)
        if wait is not None:
            return views.wait_response(request, wait)
        username = getattr(request, throttle.REMEMBER_ATTRIBUTE, None)
        if username:
            devices.remember(request, response, username)
        return response


class DatabaseRetryMiddleware:
    """A request that only reads (GET, HEAD) and failed because PostgreSQL ended its connection under it (a
    restart ends every session, queries in flight included) is run once more, on a new connection,
    instead of answering 500 (or 400, when it was the session's save that failed). Opening that connection
    waits out the restart (``perisai.postgresql``).

    Installed right after the health check, around everything else, because the query that fails is often
    a middleware's (the session, the signed-in user), where a view's ``process_exception`` never hears of
    it. Every query of the request is watched (``execute_wrapper``): the request is run again only if one
    failed on a connection the server closed, or a connection that raised a database error is found gone
    after a failed answer (the session's save fails at its ``COMMIT``, which no query wrapper sees; the
    rollback fails too and Django drops the connection; the session middleware answers 400), never for
    another failure, nor when the server stayed away for the whole wait (running it again would only wait
    again). Django has already logged the first
    failure; a warning says it was run again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        lost = set()
        response = self._watched(request, lost)
        if response.status_code < 400 or _gave_up_connecting():
            return response
        lost |= {db.alias for db in connections.all(initialized_only=True) if _dropped(db)}
        if not lost:
            return response  # failed for another reason, on connections still open
        for db in connections.all(initialized_only=True):
            if db.connection is not None and _closed(db):
                db.close()
        logger.warning("The database connection was lost during %s %s; running it again.", request.method, request.path)
        return self._watched(request, set())

    def _watched(self, request, lost):
        """The response; ``lost`` gets the alias of every connection found lost on the way: a query failed
        on it after the server closed it, or a new one was opened while this request already had one
        (Django dropped the first after a failed ``COMMIT`` and its failed rollback; the error page's
        queries then opened another, so nothing is left closed to see afterwards)."""
        had = {db.alias for db in connections.all(initialized_only=True) if db.connection is not None}

        def watch(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except DatabaseError:
                if _closed(context["connection"]):
                    lost.add(context["connection"].alias)
                raise

        def opened(sender, connection, **kwargs):
            if connections[connection.alias] is not connection:
                return  # another thread's connection (the signal is process-wide)
            if connection.alias in had:
                lost.add(connection.alias)
            had.add(connection.alias)

        connection_created.connect(opened)
        try:
            with ExitStack() as watching:
                for db in connections.all():
                    watching.enter_context(db.execute_wrapper(watch))
                return self.get_response(request)
        finally:
            connection_created.disconnect(opened)


def _closed(db):
    """The server closed ``db``'s connection (psycopg2 says so without a round trip)."""
    return db.connection is None or bool(getattr(db.connection, "closed", 0))


def _dropped(db):
    """A database error was raised on ``db`` (Django's own ``errors_occurred``, which a failed ``COMMIT``
    sets too) and its connection is gone: closed by the server, or dropped by Django itself when the
    rollback after a failed commit failed as well (``connection`` is then ``None``)."""
    return db.errors_occurred and _closed(db)


def _gave_up_connecting():
    return any(getattr(db, "gave_up_connecting", False) for db in connections.all(initialized_only=True))
