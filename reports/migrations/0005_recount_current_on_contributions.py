from django.db import migrations

from reports.migrations._rollups_2026_11_26 import replace_functions as restore_earlier_functions
from reports.migrations._rollups_2026_12_05 import drop_functions, replace_functions

# The contributions' triggers recount the current intervals only; the SQL is the frozen copy beside this file.


def restore(apps, schema_editor):
    restore_earlier_functions(apps, schema_editor)
    drop_functions(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_acquisition_month_by_month'),
    ]

    operations = [
        migrations.RunPython(replace_functions, restore),
    ]
