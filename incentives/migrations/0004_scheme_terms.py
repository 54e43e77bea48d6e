"""The scheme's new fields and checks, and on PostgreSQL the rule that no two schemes are in force in the
same month, in the schema: an exclusion constraint over the months each scheme covers (``clean`` gives
the friendly message first; elsewhere it is the only guard). The SQL is written here as it stood on
6 December 2026."""

import django.core.validators
from django.db import migrations, models

NO_OVERLAP = (
    "ALTER TABLE incentives_incentivescheme ADD CONSTRAINT incentive_scheme_no_overlap "
    "EXCLUDE USING gist (daterange(effective_from, effective_to, '[]') WITH &&)"
)
DROP_NO_OVERLAP = "ALTER TABLE incentives_incentivescheme DROP CONSTRAINT IF EXISTS incentive_scheme_no_overlap"


def add_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP)


def drop_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_NO_OVERLAP)


class Migration(migrations.Migration):

    dependencies = [
        ('incentives', '0003_scheme_shapes'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalincentivescheme',
            name='first_enrolments_only',
            field=models.BooleanField(default=False, help_text='For the minimum and the fees per new participant, count only workers never enrolled before (a worker enrolled again after lapsing does not count).', verbose_name='count only workers enrolled for the first time'),
        ),
        migrations.AddField(
            model_name='historicalincentivescheme',
            name='office_share_base',
            field=models.CharField(choices=[('fees', "the agents' fees on contributions"), ('incentives', 'everything the agents earn (fees, acquisition incentives, recruitment)')], default='fees', max_length=12, verbose_name="the office's share is a share of"),
        ),
        migrations.AddField(
            model_name='incentivescheme',
            name='first_enrolments_only',
            field=models.BooleanField(default=False, help_text='For the minimum and the fees per new participant, count only workers never enrolled before (a worker enrolled again after lapsing does not count).', verbose_name='count only workers enrolled for the first time'),
        ),
        migrations.AddField(
            model_name='incentivescheme',
            name='office_share_base',
            field=models.CharField(choices=[('fees', "the agents' fees on contributions"), ('incentives', 'everything the agents earn (fees, acquisition incentives, recruitment)')], default='fees', max_length=12, verbose_name="the office's share is a share of"),
        ),
        migrations.AlterField(
            model_name='historicalincentivescheme',
            name='acquisition_minimum',
            field=models.PositiveIntegerField(blank=True, help_text="The agent's new participants in the month must reach this number for the bonus and the fees per new participant; empty: the fees per new participant are paid from the first (and there is no bonus).", null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='new participants needed in a month for the acquisition incentives'),
        ),
        migrations.AlterField(
            model_name='historicalincentivescheme',
            name='bonus_amount',
            field=models.DecimalField(decimal_places=0, default=0, help_text='A flat amount once the minimum is reached; 0 when none.', max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='monthly bonus at the minimum'),
        ),
        migrations.AlterField(
            model_name='historicalincentivescheme',
            name='office_share_rate',
            field=models.DecimalField(decimal_places=4, default=0, help_text='0.1000 is 10%, paid to the office on top of what its agents earn; 0 when none.', max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name="Kantor Perisai's share"),
        ),
        migrations.AlterField(
            model_name='incentivescheme',
            name='acquisition_minimum',
            field=models.PositiveIntegerField(blank=True, help_text="The agent's new participants in the month must reach this number for the bonus and the fees per new participant; empty: the fees per new participant are paid from the first (and there is no bonus).", null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='new participants needed in a month for the acquisition incentives'),
        ),
        migrations.AlterField(
            model_name='incentivescheme',
            name='bonus_amount',
            field=models.DecimalField(decimal_places=0, default=0, help_text='A flat amount once the minimum is reached; 0 when none.', max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='monthly bonus at the minimum'),
        ),
        migrations.AlterField(
            model_name='incentivescheme',
            name='office_share_rate',
            field=models.DecimalField(decimal_places=4, default=0, help_text='0.1000 is 10%, paid to the office on top of what its agents earn; 0 when none.', max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name="Kantor Perisai's share"),
        ),
        migrations.AddConstraint(
            model_name='incentivescheme',
            constraint=models.CheckConstraint(condition=models.Q(('office_share_rate__gte', 0), ('office_share_rate__lte', 1)), name='incentive_scheme_rates_are_fractions'),
        ),
        migrations.AddConstraint(
            model_name='incentivescheme',
            constraint=models.CheckConstraint(condition=models.Q(('bonus_amount', 0), models.Q(('acquisition_minimum__isnull', False), ('bonus_amount__gt', 0)), _connector='OR'), name='incentive_scheme_bonus_has_minimum', violation_error_message='A bonus needs the number of new participants that earns it.'),
        ),
        migrations.AddConstraint(
            model_name='incentivescheme',
            constraint=models.CheckConstraint(condition=models.Q(('acquisition_minimum__isnull', True), ('acquisition_minimum__gt', 0), _connector='OR'), name='incentive_scheme_minimum_positive'),
        ),
        migrations.AddConstraint(
            model_name='incentivescheme',
            constraint=models.CheckConstraint(condition=models.Q(('bonus_amount__gte', 0)), name='incentive_scheme_bonus_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='incentivescheme',
            constraint=models.CheckConstraint(condition=models.Q(('office_share_base__in', ['fees', 'incentives'])), name='incentive_scheme_office_share_base'),
        ),
        migrations.RunPython(add_no_overlap, drop_no_overlap),
    ]
