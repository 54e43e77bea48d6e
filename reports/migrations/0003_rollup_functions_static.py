from django.db import migrations

from reports.migrations._rollups_2026_11_26 import replace_functions

# The PostgreSQL functions replaced (a static recount for a few participants); the SQL is the frozen copy beside this file.


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_rollup_functions'),
    ]

    operations = [
        migrations.RunPython(replace_functions, migrations.RunPython.noop),
    ]
