"""The working age of the workers enrolled becomes programme data: 15 to 65 on the day of enrolment, the bounds
of the BPU programme, set on every programme terms row already recorded (the SQL is this migration's own)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0009_status_left_word'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprogrammeterms',
            name='participant_max_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='A worker older than this on the day of enrolment is refused; empty: no upper bound.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='oldest worker enrolled (years)'),
        ),
        migrations.AddField(
            model_name='historicalprogrammeterms',
            name='participant_min_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='A worker younger than this on the day of enrolment is refused; empty: no lower bound.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='youngest worker enrolled (years)'),
        ),
        migrations.AddField(
            model_name='programmeterms',
            name='participant_max_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='A worker older than this on the day of enrolment is refused; empty: no upper bound.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='oldest worker enrolled (years)'),
        ),
        migrations.AddField(
            model_name='programmeterms',
            name='participant_min_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='A worker younger than this on the day of enrolment is refused; empty: no lower bound.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='youngest worker enrolled (years)'),
        ),
        migrations.AddConstraint(
            model_name='programmeterms',
            constraint=models.CheckConstraint(condition=models.Q(('participant_min_age__isnull', True), ('participant_max_age__isnull', True), ('participant_max_age__gt', models.F('participant_min_age')), _connector='OR'), name='programme_terms_working_age_ordered', violation_error_message='The youngest age enrolled must be below the oldest.'),
        ),
        migrations.RunSQL(
            "UPDATE incentives_programmeterms SET participant_min_age = 15, participant_max_age = 65",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
