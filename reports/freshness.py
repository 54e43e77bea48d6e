"""Figures cached until what they are computed from changes, and never a moment longer.

The national dashboard costs a few hundred milliseconds of queries and Python, and reads the same until
someone enrols, pays, edits an agent or a target. So its figures are kept in Django's cache (the ``figures``
cache of ``CACHES``: local memory by default, Redis a setting away, ``config/settings.py``) under a key that
holds **the version of the data**: ``FiguresVersion``, one row whose random token the database itself
changes in the transaction of every write to a table the figures are read from (``WATCHED_TABLES``; the
triggers of reports migration 0008, ``reports/migrations/_figures_2026_12_06.py``). A write, by whatever
path (a form, an import, the admin, ``update()``, raw SQL), gives a new token when it commits, so the next
request asks the cache for a key nobody has written and computes afresh: a cached figure is never older
than the data. Nothing is ever deleted from the cache; old keys expire (``FIGURES_CACHE_SECONDS``).

Why it is exact:

- The token and the data commit together. A request reads the token *before* the figures (one query,
  ``figures_version``), so under READ COMMITTED the figures it computes are at least as new as the token
  it files them under: at worst a figure newer than its key, never older.
- The token is random, not a counter: a transaction rolled back (every test) or a database rebuilt never
  brings back a token whose cached figures were computed from other data.
- A transaction that has itself written a watched table sees data nobody else does: PostgreSQL marks it
  (the setting ``reports.figures_changed``) and such a request neither reads nor fills the cache. On
  SQLite the trigger changes the token at once, inside the transaction, which comes to the same.
- The key also holds the code (``CODE_VERSION``, a digest of the project's Python source, so figures cached
  by an older release are never read by a newer one), the language, today's date (figures of a month still
  running depend on the day) and whatever the caller names (the scope and the period).
- A table the figures start reading needs a new migration adding it to the watched tables;
  ``tests/reports/test_figures_cache.py`` fails while the dashboard reads a table that is not watched.

Where the version is read: on the database the figures are read from (``router.db_for_read``), so a replica
that lags gives the replica's token with the replica's data.

Writes with the triggers switched off (``bench/generate.py``, the demo's bulk load) end with a rebuild of
the rollups (``reports.rollups.rebuild``), which calls ``touch``.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections, models, router
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

CACHE_ALIAS = "figures"
WATCHED_TABLES = (
    "agents_region",
    "agents_branch",
    "agents_perisaioffice",
    "agents_cooperationagreement",
    "agents_agent",
    "incentives_programmeterms",
    "enrollment_participant",
    "enrollment_acquisition",
    "enrollment_contribution",
    "enrollment_acquisitiontarget",
    "enrollment_acquisitiontargetmonth",
    "followup_contactattempt",
    "recruitment_trainingsession",
    "recruitment_candidate",
    "recruitment_seat",
)
"""The tables whose writes change the token (as installed by migration 0008). The rollups (``reports_*``) are
written by the triggers of the acquisitions and contributions, in the same statements."""


class FiguresVersion(models.Model):
    """The one row (``id`` 1) whose ``token`` the triggers replace whenever a watched table is written."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        app_label = "reports"

    def __str__(self):
        return self.token


def _code_version():
    """A digest of the project's own Python source (not the tests'), read once per process."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for package in ("agents", "enrollment", "followup", "recruitment", "reports", "incentives", "perisai", "web"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def figures_version(using=None):
    """The token of the data as this request's next reads will see it, or ``None`` when figures must not be
    cached: this transaction has written a watched table itself (PostgreSQL), or the row is missing (a table
    flushed; the next write puts it back). One query."""
    using = using or router.db_for_read(FiguresVersion)
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT (SELECT token FROM reports_figuresversion WHERE id = 1),"
                " coalesce(current_setting('reports.figures_changed', true), '')"
            )
            token, changed_here = cursor.fetchone()
            return None if changed_here == "yes" else token
        cursor.execute("SELECT token FROM reports_figuresversion WHERE id = 1")
        row = cursor.fetchone()
        return row[0] if row else None


def touch(using=None):
    """A new token now (in the current transaction): after writes made with the triggers off."""
    connection = connections[using or router.db_for_write(FiguresVersion)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reports_figures_touch()")
        else:
            cursor.execute(
                "INSERT INTO reports_figuresversion (id, token) VALUES (1, lower(hex(randomblob(16))))"
                " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
            )


def cache_seconds():
    """How long an unused key is kept (``FIGURES_CACHE_SECONDS``): it is never stale, only taking room."""
    return getattr(settings, "FIGURES_CACHE_SECONDS", 3600)


def figures_key(name, *parts):
    """The cache key of the figures ``name`` of ``parts`` (plain values: ids, years, text) on the data as this
    request sees it, in the active language, today, with this code; ``None`` when they must not be cached
    (``figures_version``). One query."""
    version = figures_version()
    if version is None:
        return None
    parts = (name, CODE_VERSION, version, translation.get_language() or "", timezone.localdate().isoformat(), *parts)
    return "figures:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached(key, compute):
    """What ``compute()`` returned for ``key`` (from ``figures_key``), or its result now, kept under ``key``.
    ``key`` ``None``: computed, not kept. A cache that cannot be reached costs the speed, not the page."""
    if key is None:
        return compute()
    cache = caches[CACHE_ALIAS]
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("The figures cache could not be read; computing afresh.", exc_info=True)
        return compute()
    if found is not None:
        return found
    result = compute()
    try:
        cache.set(key, result, timeout=cache_seconds())
    except Exception:
        logger.warning("The figures cache could not be written.", exc_info=True)
    return result
