"""The figures' SQLite triggers made again on the tables that places as codes rebuilt.

On SQLite, adding a check constraint rebuilds the table (agents 0011, enrollment 0016, recruitment 0002
added the place codes' constraints to agents, participants and candidates), and a rebuilt table has lost
its triggers: without them a change there would leave the dashboard's cached figures as they were. The SQL
is this migration's own copy of 0008's (``_figures_2026_12_06``); PostgreSQL changes columns in place and
keeps its triggers, so nothing is done there."""

from django.db import migrations

TABLES = ["agents_agent", "enrollment_participant", "recruitment_candidate"]
TOUCH = """INSERT INTO reports_figuresversion (id, token) VALUES (1, lower(hex(randomblob(16))))
    ON CONFLICT (id) DO UPDATE SET token = excluded.token"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for kind in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS reports_figures_{table}_{kind.lower()} AFTER {kind} ON {table} "
                f"BEGIN {TOUCH}; END"
            )
    schema_editor.execute(TOUCH)


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0012_place_codes_matched"),
        ("reports", "0010_agent_totals"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
