from django.db import migrations

import reports.rollups


def replace_functions(apps, schema_editor):
    """The PostgreSQL functions as ``reports.rollups`` writes them now (a static recount for a few participants)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in reports.rollups.PG_FUNCTIONS:
            cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_rollup_functions'),
    ]

    operations = [
        migrations.RunPython(replace_functions, migrations.RunPython.noop),
    ]
