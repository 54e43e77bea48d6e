from django.db import migrations

from reports.migrations._rollups_2026_12_06 import PG_FUNCTIONS as FUNCTIONS_0006
from reports.migrations._rollups_2026_12_06_appended import replace_functions

# The contributions' insert trigger writes the change of a month appended to an acquisition directly, and
# recounts the rest; the SQL is the frozen copy beside this file.


def restore_0006_functions(apps, schema_editor):
    """Backwards: 0006's functions again (without 0006's one-off count of the money)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in FUNCTIONS_0006:
            cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_contribution_month'),
    ]

    operations = [
        migrations.RunPython(replace_functions, restore_0006_functions),
    ]
