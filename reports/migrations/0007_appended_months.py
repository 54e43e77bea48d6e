from django.db import migrations

from reports.migrations._rollups_2026_12_06_appended import replace_functions, restore_functions

# The contributions' insert trigger writes the change of a month appended to an acquisition directly, and
# recounts the rest; the SQL is the frozen copy beside this file.


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_contribution_month'),
    ]

    operations = [
        migrations.RunPython(replace_functions, restore_functions),
    ]
