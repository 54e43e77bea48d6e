from django.db import migrations

from reports.migrations._rollups_2026_11_26 import replace_functions

# The PostgreSQL functions replaced (the recount by index); the SQL is the frozen copy beside this file.


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_rollups'),
    ]

    operations = [
        migrations.RunPython(replace_functions, migrations.RunPython.noop),
    ]
