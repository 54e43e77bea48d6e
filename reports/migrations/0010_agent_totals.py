import django.db.models.deletion
from django.db import migrations, models

from reports.migrations._rollups_2026_12_06 import PG_FUNCTIONS as FUNCTIONS_0006
from reports.migrations._rollups_2026_12_06_agent_totals import install_totals, remove_totals

# Every agent's all-time acquisitions in one row, kept by triggers of their own and counted once here; the SQL is
# the frozen copy beside this file. It follows every migration that changed the acquisitions' table: on SQLite a
# change that rebuilds a table drops the table's triggers, so the triggers are made last (a later change that
# rebuilds enrollment_acquisition must make them again).


def restore(apps, schema_editor):
    """Backwards: the triggers dropped, and 0006's rebuild (without the totals) again."""
    remove_totals(apps, schema_editor)
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in FUNCTIONS_0006:
            if "FUNCTION reports_rebuild_rollups()" in statement:
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0010_working_age'),
        ('enrollment', '0015_payments_speed'),
        ('reports', '0009_payments_speed'),
    ]

    operations = [
        migrations.CreateModel(
            name='AgentTotal',
            fields=[
                ('agent', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='acquisition_total', serialize=False, to='agents.agent')),
                ('acquisitions', models.IntegerField()),
            ],
        ),
        migrations.RunPython(install_totals, restore),
    ]
