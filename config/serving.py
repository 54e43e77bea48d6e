"""What a server process does once, before its first request (``config/wsgi.py``)."""

import gc

from django.urls import get_resolver


def prepare_to_serve():
    """Load what every request needs now, then freeze it out of the garbage collector's reach.

    Django loads the URL configuration, and through it every view and the libraries they import (openpyxl,
    reportlab, XlsxWriter...), on the first request; here it is loaded at start-up. What a process then holds
    for good is some 155,000 objects, and a full collection walks every object the collector tracks: it took
    80-110 ms, paid by about one request in fifteen (the national agents list's p95, bench/README.md §2b).
    ``gc.freeze`` moves them to a generation no collection visits; a full collection then walks what requests
    made (under 1 ms). Nothing frozen is ever freed, so the garbage of loading is collected first.
    """
    get_resolver().url_patterns  # noqa: B018 - read for its side effect: the URL configuration imported
    gc.collect()
    gc.freeze()
