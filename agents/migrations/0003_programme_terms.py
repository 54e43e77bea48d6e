"""The programme terms move from the incentives app to the agent network (the rules for how agents and
offices must keep producing belong with them). Only Django's picture of the models moves: the tables keep
their names (``incentives_programmeterms`` and its history table), every row and every history row stay,
and the content types are relabelled so the admin's change log and the permissions follow the model.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("programmeterms", "historicalprogrammeterms")


def relabel_content_types(source, target):
    """Move the content types of ``MOVED`` from app ``source`` to ``target`` (none exist yet on a new database)."""

    def relabel(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(schema_editor.connection.alias)
        for model in MOVED:
            if not content_types.filter(app_label=target, model=model).exists():
                content_types.filter(app_label=source, model=model).update(app_label=target)
        content_types.clear_cache()

    return relabel


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0002_agent_leaving_reason_recruiter_declaration'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('incentives', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalProgrammeTerms',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('effective_from', models.DateField(db_index=True, help_text='The first day of a month.', verbose_name='effective from')),
                        ('effective_to', models.DateField(blank=True, help_text='The last day of a month; empty while in force.', null=True, verbose_name='effective to')),
                        ('agent_at_risk_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='agent at risk after (months without a new participant)')),
                        ('agent_inactive_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='agent inactive after (months without a new participant)')),
                        ('reactivation_wait_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0)], verbose_name='months before an agent deactivated for inactivity may return')),
                        ('office_warning_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='office warned after (months under its minimum)')),
                        ('office_pks_loss_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name="office's PKS at risk after (months under its minimum)")),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical programme terms',
                        'verbose_name_plural': 'historical programme terms',
                        'db_table': 'incentives_historicalprogrammeterms',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ProgrammeTerms',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('effective_from', models.DateField(help_text='The first day of a month.', unique=True, verbose_name='effective from')),
                        ('effective_to', models.DateField(blank=True, help_text='The last day of a month; empty while in force.', null=True, verbose_name='effective to')),
                        ('agent_at_risk_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='agent at risk after (months without a new participant)')),
                        ('agent_inactive_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='agent inactive after (months without a new participant)')),
                        ('reactivation_wait_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0)], verbose_name='months before an agent deactivated for inactivity may return')),
                        ('office_warning_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='office warned after (months under its minimum)')),
                        ('office_pks_loss_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name="office's PKS at risk after (months under its minimum)")),
                    ],
                    options={
                        'verbose_name': 'programme terms',
                        'verbose_name_plural': 'programme terms',
                        'db_table': 'incentives_programmeterms',
                        'ordering': ['-effective_from'],
                        'abstract': False,
                        'constraints': [models.CheckConstraint(condition=models.Q(('effective_from__day', 1)), name='programme_terms_starts_first_of_month'), models.CheckConstraint(condition=models.Q(('effective_to__isnull', True), ('effective_to__gte', models.F('effective_from')), _connector='OR'), name='programme_terms_ends_after_start', violation_error_message='Terms cannot end before they take effect.'), models.CheckConstraint(condition=models.Q(('agent_at_risk_months__gte', 1), ('agent_inactive_months__gt', models.F('agent_at_risk_months'))), name='programme_terms_agent_months_ordered', violation_error_message='An agent is at risk before becoming inactive.'), models.CheckConstraint(condition=models.Q(('office_pks_loss_months__gt', models.F('office_warning_months')), ('office_warning_months__gte', 1)), name='programme_terms_office_months_ordered', violation_error_message='An office is warned before its PKS is at risk.')],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    relabel_content_types("incentives", "agents"), relabel_content_types("agents", "incentives")
                ),
            ],
        ),
    ]
