"""Running calls against each other, as two requests do: each in its own thread, on its own database
connection, released together. What each returned or raised comes back for the test to read.

Races need PostgreSQL (SQLite lets one writer in at a time, so nothing races there): a module of them
carries ``needs_postgresql`` in its ``pytestmark``.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="races need PostgreSQL: SQLite lets one writer in at a time, so nothing races there",
)


def race(*calls, timeout):
    """Run ``calls`` in threads released together; ``[("ok", result) | ("error", exception), ...]``, in
    English. A thread still running after ``timeout`` seconds fails the test."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            with translation.override("en"):
                start.wait(timeout=timeout)
                outcomes[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 — the test inspects whatever was raised
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes
