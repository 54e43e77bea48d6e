from django.db import migrations

from reports.migrations._rollups_2026_12_06_appended import replace_functions as restore_0007_functions
from reports.migrations._rollups_2026_12_06_payments_speed import replace_functions

# The contributions' insert trigger joins the new rows to their acquisitions once, for the money and the
# standing intervals alike; the SQL is the frozen copy beside this file. It follows 0008 (the figures' version,
# written at the same time and applied first in some databases): the two touch different functions.


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0008_figures_version'),
    ]

    operations = [
        migrations.RunPython(replace_functions, restore_0007_functions),
    ]
