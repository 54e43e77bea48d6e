"""The programme terms now belong to the agent network (agents migration 0003): Django forgets them here,
while their tables, kept under their names, now belong to the agents app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0003_programme_terms'),
        ('incentives', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalProgrammeTerms'),
                migrations.DeleteModel(name='ProgrammeTerms'),
            ],
        ),
    ]
