from django.db import migrations, models

from reports.migrations._figures_2026_12_06 import install, remove

# The figures' version: one row whose token the database changes with every write to a table the dashboard's
# figures are read from (reports.freshness); the SQL is the frozen copy beside this file. It comes after every
# change to those tables written with it: on SQLite a change that rebuilds a table (a check constraint added)
# drops the table's triggers, so the triggers are made last.


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0010_working_age'),
        ('enrollment', '0014_client_keys'),
        ('followup', '0006_client_keys'),
        ('recruitment', '0001_recruitment'),
        ('reports', '0007_appended_months'),
    ]

    operations = [
        migrations.CreateModel(
            name='FiguresVersion',
            fields=[
                ('id', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('token', models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(install, remove),
    ]
