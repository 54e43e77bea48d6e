"""Incentive schemes that can say what the April 2022 terms say: fee tiers by membership month, fees per new
participant by package with a monthly minimum, counting first enrolments only, and the base of the office
share.

Each existing scheme's flat ``fee_rate`` becomes one tier, from membership month 1 with no end, at that
rate, written with a history row saying so; the column is then dropped (the scheme's own history no
longer carries the rate: the tier's does, from this migration on). ``bonus_threshold`` is now the
minimum for every acquisition incentive (``acquisition_minimum``). The conversion is written here as it
stood on 6 December 2026 and imports no live code.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

CHANGE_REASON = "Converted from the scheme's flat fee rate"


def rates_to_tiers(apps, schema_editor):
    Scheme = apps.get_model("incentives", "IncentiveScheme")
    FeeTier = apps.get_model("incentives", "FeeTier")
    HistoricalFeeTier = apps.get_model("incentives", "HistoricalFeeTier")
    now = timezone.now()
    for scheme in Scheme.objects.using(schema_editor.connection.alias).order_by("pk"):
        tier = FeeTier.objects.using(schema_editor.connection.alias).create(
            scheme_id=scheme.pk, from_month=1, to_month=None, rate=scheme.fee_rate
        )
        HistoricalFeeTier.objects.using(schema_editor.connection.alias).create(
            id=tier.pk,
            scheme_id=scheme.pk,
            from_month=1,
            to_month=None,
            rate=scheme.fee_rate,
            history_date=now,
            history_type="+",
            history_change_reason=CHANGE_REASON,
        )


def tiers_to_rates(apps, schema_editor):
    """Back to one rate a scheme: the rate of its tier covering month 1 (0 when none)."""
    Scheme = apps.get_model("incentives", "IncentiveScheme")
    FeeTier = apps.get_model("incentives", "FeeTier")
    alias = schema_editor.connection.alias
    for scheme in Scheme.objects.using(alias):
        first = FeeTier.objects.using(alias).filter(scheme_id=scheme.pk, from_month=1).first()
        scheme.fee_rate = first.rate if first else 0
        scheme.save(update_fields=["fee_rate"])


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0002_programme_terms_to_agents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="incentivescheme", name="incentive_scheme_rates_are_fractions"),
        migrations.RemoveConstraint(
            model_name="incentivescheme", name="incentive_scheme_bonus_has_threshold_and_amount"
        ),
        migrations.RenameField(
            model_name="incentivescheme", old_name="bonus_threshold", new_name="acquisition_minimum"
        ),
        migrations.RenameField(
            model_name="historicalincentivescheme", old_name="bonus_threshold", new_name="acquisition_minimum"
        ),
        # A default, so that undoing the removal below can add the column back before the rates return.
        migrations.AlterField(
            model_name="incentivescheme",
            name="fee_rate",
            field=models.DecimalField(decimal_places=4, default=0, max_digits=5),
        ),
        migrations.AlterField(
            model_name="historicalincentivescheme",
            name="fee_rate",
            field=models.DecimalField(decimal_places=4, default=0, max_digits=5),
        ),
        migrations.CreateModel(
            name="FeeTier",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "from_month",
                    models.PositiveSmallIntegerField(
                        help_text="1 is the month of enrolment.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="from membership month",
                    ),
                ),
                (
                    "to_month",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Included; empty: no end. Months 1-24 are membership years 1-2, 25-60 years 3-5.",
                        null=True,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="to membership month",
                    ),
                ),
                (
                    "rate",
                    models.DecimalField(
                        decimal_places=4,
                        help_text="0.1500 is 15%.",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(1),
                        ],
                        verbose_name="fee rate",
                    ),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fee_tiers",
                        to="incentives.incentivescheme",
                        verbose_name="incentive scheme",
                    ),
                ),
            ],
            options={
                "verbose_name": "fee tier",
                "verbose_name_plural": "fee tiers",
                "ordering": ["scheme", "from_month"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scheme", "from_month"),
                        name="fee_tier_one_per_start",
                        violation_error_message="Two tiers of a scheme cannot start in the same membership month.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("from_month__gte", 1),
                            models.Q(
                                ("to_month__isnull", True), ("to_month__gte", models.F("from_month")), _connector="OR"
                            ),
                        ),
                        name="fee_tier_months_ordered",
                        violation_error_message="A tier ends in or after the month it starts.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("rate__gte", 0), ("rate__lte", 1)), name="fee_tier_rate_is_a_fraction"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalFeeTier",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "from_month",
                    models.PositiveSmallIntegerField(
                        help_text="1 is the month of enrolment.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="from membership month",
                    ),
                ),
                (
                    "to_month",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Included; empty: no end. Months 1-24 are membership years 1-2, 25-60 years 3-5.",
                        null=True,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="to membership month",
                    ),
                ),
                (
                    "rate",
                    models.DecimalField(
                        decimal_places=4,
                        help_text="0.1500 is 15%.",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(1),
                        ],
                        verbose_name="fee rate",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="incentives.incentivescheme",
                        verbose_name="incentive scheme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical fee tier",
                "verbose_name_plural": "historical fee tiers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AcquisitionFee",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "package",
                    models.CharField(
                        choices=[
                            ("jkk_jkm", "Two programmes (JKK, JKM)"),
                            ("jkk_jkm_jht", "Three programmes (JKK, JKM, JHT)"),
                        ],
                        max_length=12,
                        verbose_name="package",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=0,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="fee per new participant",
                    ),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="acquisition_fees",
                        to="incentives.incentivescheme",
                        verbose_name="incentive scheme",
                    ),
                ),
            ],
            options={
                "verbose_name": "fee per new participant",
                "verbose_name_plural": "fees per new participant",
                "ordering": ["scheme", "package"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scheme", "package"),
                        name="acquisition_fee_one_per_package",
                        violation_error_message="A scheme has one fee per package.",
                    ),
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="acquisition_fee_positive"),
                    models.CheckConstraint(
                        condition=models.Q(("package__in", ["jkk_jkm", "jkk_jkm_jht"])),
                        name="acquisition_fee_known_package",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAcquisitionFee",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "package",
                    models.CharField(
                        choices=[
                            ("jkk_jkm", "Two programmes (JKK, JKM)"),
                            ("jkk_jkm_jht", "Three programmes (JKK, JKM, JHT)"),
                        ],
                        max_length=12,
                        verbose_name="package",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=0,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="fee per new participant",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="incentives.incentivescheme",
                        verbose_name="incentive scheme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical fee per new participant",
                "verbose_name_plural": "historical fees per new participant",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(rates_to_tiers, tiers_to_rates),
        migrations.RemoveField(model_name="incentivescheme", name="fee_rate"),
        migrations.RemoveField(model_name="historicalincentivescheme", name="fee_rate"),
    ]
