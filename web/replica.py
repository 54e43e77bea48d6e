"""Which requests read the replica (``perisai.replica``): the report pages and downloads, asked for with
GET or HEAD, by someone who has not written in the last seconds.

Chosen by address, in one place, rather than view by view: the dashboard (``home``) and everything in
the ``reports`` namespace (report pages, their CSV files, the participant list, the evaluation workbook,
the plan). These only read, their figures are functions of a scope and a period (a replica a second
behind shows the same meeting's figures), and they are what makes the primary busy. Every other page,
every form and the Django admin read the primary.

Reads that follow a write stay on the primary: any request that may write (POST, PUT, PATCH, DELETE,
signing in included), and a report request that did write (one that starts a background job), leaves a
signed cookie, ``perisai_primary``, valid ``DATABASE_REPLICA_PIN_SECONDS`` (15 by default, longer than
the replica's usual lag); while it is valid that browser reads the primary everywhere, so whoever enrols
someone and opens the dashboard sees them counted, however far the replica lags. A cookie rather than
the session: it is checked before anything reads the session, costs no query and works on every app
server alike (it is signed with ``SECRET_KEY``). A replica that does not answer sends the report to the
primary (``replica_answers``).

A streamed download (the participant CSV) reads while the server sends it, after the view has returned,
so each chunk is produced inside the block too. Installed last in ``MIDDLEWARE`` (``config/settings.py``,
only when ``DATABASE_REPLICA_URL`` is set): everything before it (the session, the signed-in user, the
second factor) has read the primary by the time the view runs.
"""

from django.conf import settings

from perisai.replica import ReplicaReads, replica_answers

PIN_COOKIE = "perisai_primary"
PIN_SALT = "perisai.replica.pin"
READ_METHODS = frozenset({"GET", "HEAD"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
REPORT_NAMESPACES = frozenset({"reports"})
REPORT_URL_NAMES = frozenset({"home"})  # the dashboard


def pin_seconds():
    return int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 15))


def is_report(match):
    """The resolved address is a report page or download (see the module's docstring)."""
    return match is not None and (match.namespace in REPORT_NAMESPACES or match.view_name in REPORT_URL_NAMES)


def pinned_to_primary(request):
    """This browser wrote within the last ``pin_seconds()`` (its signed cookie says when, and the signature
    says the server set it)."""
    return request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=pin_seconds()) is not None


def _each_chunk_on_replica(chunks, block):
    iterator = iter(chunks)
    while True:
        with block.active():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.replica_reads = None
        try:
            response = self.get_response(request)
        finally:
            active = getattr(request, "_replica_active", None)
            if active is not None:
                active.__exit__(None, None, None)
                request._replica_active = None
        block = request.replica_reads
        if block is not None and response.streaming and getattr(response, "file_to_stream", None) is None:
            response.streaming_content = _each_chunk_on_replica(response.streaming_content, block)
        if request.method not in SAFE_METHODS or (block is not None and block.wrote):
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in READ_METHODS
            and is_report(request.resolver_match)
            and not pinned_to_primary(request)
            and replica_answers()
        ):
            request.replica_reads = ReplicaReads()
            request._replica_active = request.replica_reads.active()
            request._replica_active.__enter__()
        return None
