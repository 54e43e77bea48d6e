"""The README's backup procedure round-trips the demo: every table has the same rows after restore."""

import subprocess

import psycopg2
import pytest

from tests.operations.conftest import manage

pytestmark = pytest.mark.postgres


def row_counts(database_url):
    """Rows in every table of the public schema, counted by the database."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def test_pg_dump_and_pg_restore_round_trip_the_demo(scratch_database, tmp_path):
    _, source = scratch_database("backup_source")
    _, target = scratch_database("backup_target")
    manage(source, "migrate", "--noinput")
    manage(source, "seed_demo", "--today", "2026-12-06")
    dump = tmp_path / "perisai.dump"

    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)], check=True)

    before, after = row_counts(source), row_counts(target)
    assert after == before
    assert before["enrollment_acquisition"] > 5628 + 5912
    assert "2021: 5,628; 2022: 5,912; 2023: 6,212" in manage(target, "shell", "-c", SHOW_TOTALS)


SHOW_TOTALS = """
from django.db.models import Count
from django.db.models.functions import ExtractYear
from enrollment.models import Acquisition
rows = Acquisition.objects.annotate(y=ExtractYear("acquired_on")).values("y").annotate(n=Count("id")).order_by("y")
print("; ".join(f"{row['y']}: {row['n']:,}" for row in rows))
"""
