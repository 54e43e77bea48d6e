"""Programme terms say how long a PKS may run and how many active agents an office needs; and on
PostgreSQL no two terms are in force in the same month, in the schema (an exclusion constraint over the
months each covers; the SQL as it stood on 6 December 2026)."""

import django.core.validators
from django.db import migrations, models

NO_OVERLAP = (
    "ALTER TABLE incentives_programmeterms ADD CONSTRAINT programme_terms_no_overlap "
    "EXCLUDE USING gist (daterange(effective_from, effective_to, '[]') WITH &&)"
)
DROP_NO_OVERLAP = "ALTER TABLE incentives_programmeterms DROP CONSTRAINT IF EXISTS programme_terms_no_overlap"


def add_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP)


def drop_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_NO_OVERLAP)


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0004_phones_in_one_form'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprogrammeterms',
            name='agreement_max_months',
            field=models.PositiveSmallIntegerField(blank=True, help_text='A PKS starting while these terms are in force runs at most this many months; empty: no limit.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='longest PKS (months)'),
        ),
        migrations.AddField(
            model_name='historicalprogrammeterms',
            name='office_min_active_agents',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Agents active or at risk (not inactive, not left); empty: no minimum.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='active agents an office needs'),
        ),
        migrations.AddField(
            model_name='programmeterms',
            name='agreement_max_months',
            field=models.PositiveSmallIntegerField(blank=True, help_text='A PKS starting while these terms are in force runs at most this many months; empty: no limit.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='longest PKS (months)'),
        ),
        migrations.AddField(
            model_name='programmeterms',
            name='office_min_active_agents',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Agents active or at risk (not inactive, not left); empty: no minimum.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='active agents an office needs'),
        ),
        migrations.AddConstraint(
            model_name='programmeterms',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agreement_max_months__isnull', True), ('agreement_max_months__gte', 1), _connector='OR'), models.Q(('office_min_active_agents__isnull', True), ('office_min_active_agents__gte', 1), _connector='OR')), name='programme_terms_pks_and_agent_minimums_positive'),
        ),
        migrations.RunPython(add_no_overlap, drop_no_overlap),
    ]
