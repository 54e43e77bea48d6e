"""The dashboard's figures are cached until the data changes, and never show a figure older than the data."""

import datetime
import re
import socket

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from agents.models import User
from enrollment.models import AcquisitionTarget
from enrollment.services.enrolment import acquisition_enrol
from perisai.nik import MALE, build_nik
from reports import freshness
from reports.migrations import _figures_2026_12_06 as frozen
from tests.enrollment.field.builders import worker_data
from tests.factories import UserFactory
from tests.reports.conftest import acquire, pay

JUNE_2022 = {"through": "2022-06"}
DASHBOARD_CACHED_QUERIES = 12
"""A dashboard served from the cache: the signed-in request's own queries, the selection (scope and latest
period, the selectors' offices and agents), the figures' version; none of the figures'."""
DERIVED_TABLES = {
    "reports_acquisitionmonth",
    "reports_officemonth",
    "reports_standingchange",
    "reports_standinginterval",
    "reports_contributionmonth",
    "reports_figuresversion",
}
"""Tables the dashboard reads that the triggers of the watched tables write (and the version itself)."""
PAGE_TABLES = {"django_session", "agents_user", "auth_permission", "auth_group", "django_content_type"}
"""Read by every signed-in page around the figures (the session, the user), not by the figures."""


def year_to_date(response):
    """The acquisitions of the period as the page shows them (the summary card's figure)."""
    match = re.search(rb'id="figure-year-to-date">([^<]*)<', response.content)
    assert match, "the page shows no year-to-date figure"
    return int(match.group(1).decode().replace(".", "").replace(",", ""))


def enrol(agent, number, on=datetime.date(2022, 6, 10)):
    """A worker enrolled by ``agent`` through the enrolment service the field form calls."""
    nik = build_nik("330121", datetime.date(1990, 5, 17), MALE, 5000 + number)
    return acquisition_enrol(agent=agent, **worker_data(nik=nik, acquired_on=on))


@pytest.fixture
def clean_cache():
    caches[freshness.CACHE_ALIAS].clear()
    yield
    caches[freshness.CACHE_ALIAS].clear()


@pytest.fixture
def staff(client, cilacap):
    for number, agent in enumerate((cilacap["ani"], cilacap["budi"], cilacap["citra"])):
        pay(acquire(agent, datetime.date(2022, 3, number + 1)), (2022, 3))
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


@pytest.mark.django_db(transaction=True)
def test_enrol_then_the_dashboard_shows_it(staff, cilacap, clean_cache):
    first = staff.get("/", JUNE_2022)
    assert year_to_date(first) == 3
    with CaptureQueriesContext(connection) as again:
        assert year_to_date(staff.get("/", JUNE_2022)) == 3
    assert len(again) <= DASHBOARD_CACHED_QUERIES  # served from the cache: no figure computed

    enrol(cilacap["ani"], 1)  # committed: the token changes with it

    assert year_to_date(staff.get("/", JUNE_2022)) == 4
    enrol(cilacap["budi"], 2)
    assert year_to_date(staff.get("/", JUNE_2022)) == 5


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_leaves_the_version_and_a_committed_one_changes_it(cilacap, clean_cache):
    before = freshness.figures_version()
    assert before
    with pytest.raises(RuntimeError), transaction.atomic():
        cilacap["ani"].full_name = "Ani Rahayu"
        cilacap["ani"].save()
        raise RuntimeError("rolled back")
    assert freshness.figures_version() == before

    AcquisitionTarget.objects.create(branch=cilacap["branch"], office=cilacap["north"], year=2022, target=120)
    after_target = freshness.figures_version()
    assert after_target != before
    cilacap["north"].name = "Kantor Perisai Utara"
    cilacap["north"].save()
    assert freshness.figures_version() != after_target


@pytest.mark.django_db
def test_a_request_that_wrote_in_its_own_transaction_sees_its_own_figures(staff, cilacap, clean_cache):
    """Inside one transaction (this test's): the dashboard read, a worker enrolled, the dashboard read again."""
    assert year_to_date(staff.get("/", JUNE_2022)) == 3
    enrol(cilacap["citra"], 3)
    assert year_to_date(staff.get("/", JUNE_2022)) == 4


@pytest.mark.django_db
def test_every_table_the_dashboard_reads_is_watched(staff, clean_cache):
    with CaptureQueriesContext(connection) as queries:
        assert staff.get("/", JUNE_2022).status_code == 200
    tables = set()
    for query in queries.captured_queries:
        tables |= set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"]))
    unwatched = tables - set(freshness.WATCHED_TABLES) - DERIVED_TABLES - PAGE_TABLES
    assert not unwatched, f"the dashboard reads {sorted(unwatched)}: watch them in a new reports migration"


def test_the_migration_watches_the_tables_the_module_lists():
    assert set(frozen.WATCHED_TABLES) == set(freshness.WATCHED_TABLES)


def _triggered_tables():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'reports_figures_%'"
            )
        else:
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers"
                " WHERE trigger_name = 'reports_figures_changed'"
            )
        return {table for (table,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_a_database_upgraded_across_the_place_codes_keeps_every_watched_tables_triggers():
    """An installation that had the figures' triggers (reports 0008) before places became codes: on SQLite the
    code columns' check constraints rebuild three watched tables and drop their triggers, which a later
    reports migration makes again. A fresh database does not show it (there the tables are rebuilt before
    the triggers are first made), so the test goes back to before the place codes and upgrades."""
    executor = MigrationExecutor(connection)
    executor.migrate([("agents", "0010_working_age")])
    # Going back rebuilt the tables too: the old state's triggers made again as migration 0008 made them.
    missing = set(frozen.WATCHED_TABLES) - _triggered_tables()
    with connection.cursor() as cursor:
        for statement in frozen.SQLITE_INSTALL:
            if any(f" ON {table} " in statement for table in missing):
                cursor.execute(statement)
    assert _triggered_tables() >= set(frozen.WATCHED_TABLES), "the old state had them all"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(freshness.WATCHED_TABLES) - _triggered_tables() == set()


def _redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def _figures_cache(settings, location):
    settings.CACHES = {
        **settings.CACHES,
        freshness.CACHE_ALIAS: {
            "BACKEND": "perisai.caching.TolerantRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }


@pytest.mark.skipif(not _redis_reachable(), reason="Redis is not running on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_the_cache_can_be_redis_shared_by_every_app_server(staff, cilacap, settings):
    _figures_cache(settings, "redis://127.0.0.1:6379/15")
    caches[freshness.CACHE_ALIAS].clear()
    assert year_to_date(staff.get("/", JUNE_2022)) == 3
    assert any(key.startswith(b":1:figures:") for key in caches[freshness.CACHE_ALIAS]._cache.get_client().keys())
    with CaptureQueriesContext(connection) as again:
        assert year_to_date(staff.get("/", JUNE_2022)) == 3
    assert len(again) <= DASHBOARD_CACHED_QUERIES
    enrol(cilacap["ani"], 4)
    assert year_to_date(staff.get("/", JUNE_2022)) == 4
    caches[freshness.CACHE_ALIAS].clear()


@pytest.mark.django_db
def test_a_cache_that_cannot_be_reached_costs_speed_not_the_page(staff, settings, caplog):
    _figures_cache(settings, "redis://127.0.0.1:9/0")  # nothing listens on the discard port
    assert year_to_date(staff.get("/", JUNE_2022)) == 3
    assert "could not be" in caplog.text
