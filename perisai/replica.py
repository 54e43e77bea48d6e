"""Report reads on a PostgreSQL streaming replica, when one is configured (``DATABASE_REPLICA_URL``).

Why: a national installation's reports (the dashboard, the report pages, the participant list and the
evaluation workbook) read far more rows than agents write, and a replica takes those reads off the
primary that agents' enrolments and payments files write to.

What goes to the replica: only reads made inside ``replica_reads()`` (a ``ReplicaReads`` block). Nothing
else: every write, every read outside the block, every read inside a transaction (``atomic``) and every
read after the block wrote through the ORM stays on the primary, so a service that reads, checks and
writes always sees its own writes and the rows it locked. Sessions are never read from the replica (a
brand new session may not be there yet). Who opens the block is decided
above the kernel: ``web.replica.ReplicaReadsMiddleware`` opens it around the report pages and
downloads a user asks for with GET, unless that user wrote within the last seconds (then they read the
primary, and see their own write however far the replica lags); a background job may open it around
a long report of its own.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` database, the router is not installed and the
block changes nothing. The context variable follows the request's thread; a worker thread that reads
for it (``perisai.read_ahead``) copies the caller's context, so it reads where the caller would.
"""

import contextvars
import logging
from contextlib import contextmanager

from django.db import DatabaseError, connections

from perisai.postgresql.base import connect_at_once

logger = logging.getLogger("perisai.database")

PRIMARY = "default"
REPLICA = "replica"
PRIMARY_ONLY_APPS = frozenset({"sessions"})  # a session written a moment ago must be found

_current = contextvars.ContextVar("perisai_replica_reads", default=None)


class ReplicaReads:
    """A stretch of work (a report request, a chunk of its download, a job) whose reads go to the replica
    until it writes through the ORM: from then on it reads the primary, so it sees what it wrote (a report
    page that starts a background job reads the job back). ``wrote`` tells the caller (the middleware pins
    the browser to the primary then). Entered again for each chunk of a streamed download (``active``)."""

    def __init__(self):
        self.wrote = False

    @contextmanager
    def active(self):
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)


def replica_reads():
    """Inside this block reads go to the replica, when there is one, no transaction is open and nothing
    has been written in the block."""
    return ReplicaReads().active()


def replica_configured():
    """A replica is set up (``DATABASE_REPLICA_URL``): the settings name a ``replica`` database."""
    return REPLICA in connections.settings


def reading_replica():
    """Whether a read made now goes to the replica."""
    block = _current.get()
    return block is not None and not block.wrote and replica_configured() and not connections[PRIMARY].in_atomic_block


def replica_answers():
    """The replica accepts a connection now (one try, no waiting): a replica that is down or restarting
    sends the reports to the primary instead of failing them."""
    replica = connections[REPLICA]
    try:
        with connect_at_once():
            replica.close_if_health_check_failed()  # a kept connection the replica's restart ended
            replica.ensure_connection()
    except DatabaseError as error:
        logger.warning("The database replica does not answer (%s); reports read the primary.", error)
        replica.gave_up_connecting = False  # this request no longer needs it (web.middleware's retry asks)
        return False
    return True


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads inside ``replica_reads()`` to the replica, everything else to the
    primary. Both databases hold the same rows, so objects read from either may be related; only the
    primary is migrated (the replica follows it)."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return REPLICA if reading_replica() else PRIMARY

    def db_for_write(self, model, **hints):
        block = _current.get()
        if block is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            block.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
