"""Django's PostgreSQL backend, except that opening a connection waits out a restart of the server.

Why: the app keeps its connections (``CONN_MAX_AGE``) and checks each one before a request uses it
(``CONN_HEALTH_CHECKS``), so after PostgreSQL restarts every worker notices its dead connection and
opens a new one. While the server is down (a restart takes a few seconds) opening one fails at once
("connection refused", "the database system is shutting down / starting up"), and every request that
arrives in those seconds would answer 500. Here opening a connection is tried again, a little later
each time (50 ms doubling to 1 s), for up to ``DATABASE_CONNECT_WAIT`` seconds (10 by default,
``0`` to fail at once): a request that arrives during a restart is slower, not an error. After the
wait the last error is raised as before, so a server that stays down still fails every request
(and a wrong password in ``DATABASE_URL`` fails after the wait, not at once: the error does not say
reliably which of the two it is).

What waiting cannot save is a query that was running when the server shut down: PostgreSQL ends that
session, and its request fails (``web.middleware.DatabaseRetryMiddleware`` runs a safe request once
more). The health check does not wait (``connect_at_once``): a load balancer wants to hear now that the
database is away.

Settings: ``DATABASES["default"]["ENGINE"] = "perisai.postgresql"`` (``config/settings.py`` does this
whenever ``DATABASE_URL`` names PostgreSQL).
"""

import contextvars
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger("perisai.database")

FIRST_PAUSE = 0.05
LONGEST_PAUSE = 1.0
_waiting_allowed = contextvars.ContextVar("perisai_database_waiting_allowed", default=True)


def connect_wait():
    """How long, in seconds, opening a connection may keep trying (``DATABASE_CONNECT_WAIT``)."""
    return float(getattr(settings, "DATABASE_CONNECT_WAIT", 10))


@contextmanager
def connect_at_once():
    """Inside this block a connection is opened with one try: the health check's answer must be now."""
    token = _waiting_allowed.set(False)
    try:
        yield
    finally:
        _waiting_allowed.reset(token)


class DatabaseWrapper(base.DatabaseWrapper):
    gave_up_connecting = False  # the last connection could not be opened within the wait

    def get_new_connection(self, conn_params):
        patience = connect_wait() if _waiting_allowed.get() else 0
        deadline = time.monotonic() + patience
        pause = FIRST_PAUSE
        started = time.monotonic()
        while True:
            try:
                connection = super().get_new_connection(conn_params)
            except self.Database.OperationalError as error:
                if time.monotonic() + pause > deadline:
                    self.gave_up_connecting = True
                    raise
                if pause == FIRST_PAUSE:
                    logger.warning("The database does not answer (%s); trying again for %s s.", error, patience)
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            if pause != FIRST_PAUSE:
                logger.warning("The database answers again after %.1f s.", time.monotonic() - started)
            self.gave_up_connecting = False
            return connection
