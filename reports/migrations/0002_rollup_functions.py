from django.db import migrations

import reports.rollups


def replace_functions(apps, schema_editor):
    """The PostgreSQL functions as ``reports.rollups`` writes them now (the recount by index)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in reports.rollups.PG_FUNCTIONS:
            cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_rollups'),
    ]

    operations = [
        migrations.RunPython(replace_functions, migrations.RunPython.noop),
    ]
