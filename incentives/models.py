"""The programme's published terms as data with effective dates: incentive schemes and activity rules.

Both apply to whole calendar months: a row takes effect on the first day of a month and, when it
ends, ends on the last day of a month, so exactly one row (or none) is in force in any month and a
monthly statement never has to split a month between two schemes.
"""

import calendar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InForceQuerySet(models.QuerySet):
    def in_force_in(self, month):
        """Rows in force in the month starting on ``month`` (the first of a month)."""
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month), effective_from__lte=month)

    def overlapping(self, first, last):
        """Rows in force on some day from ``first`` to ``last`` (``None``: open-ended)."""
        rows = self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first))
        return rows if last is None else rows.filter(effective_from__lte=last)


class EffectiveMonths(models.Model):
    """Effective from the first day of a month, to the last day of a month or open-ended; no overlaps."""

    name = models.CharField(_("name"), max_length=120)
    effective_from = models.DateField(_("effective from"), unique=True, help_text=_("The first day of a month."))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("The last day of a month; empty while in force.")
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-effective_from"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.effective_from and self.effective_from.day != 1:
            errors["effective_from"] = _("Terms take effect on the first day of a month.")
        if self.effective_to:
            last_day = calendar.monthrange(self.effective_to.year, self.effective_to.month)[1]
            if self.effective_to.day != last_day:
                errors["effective_to"] = _("Terms end on the last day of a month.")
            elif self.effective_from and self.effective_to < self.effective_from:
                errors["effective_to"] = _("Terms cannot end before they take effect.")
        if errors:
            raise ValidationError(errors)
        if (
            self.effective_from
            and type(self).objects.exclude(pk=self.pk).overlapping(self.effective_from, self.effective_to).exists()
        ):
            raise ValidationError(_("This period overlaps the period of other terms of the same kind."))


def _period_constraints(prefix):
    return [
        models.CheckConstraint(condition=Q(effective_from__day=1), name=f"{prefix}_starts_first_of_month"),
        models.CheckConstraint(
            condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
            name=f"{prefix}_ends_after_start",
            violation_error_message=_("Terms cannot end before they take effect."),
        ),
    ]


class IncentiveScheme(EffectiveMonths):
    """What an agent earns: a fee on the contributions paid, a monthly bonus, a recruitment fee,
    and the share of the agents' fees that goes to the head of their Kantor Perisai.

    Which scheme applies is decided by the month a contribution was *paid* (see ``incentives.statements``).
    """

    fee_rate = models.DecimalField(
        _("fee rate on contributions paid"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0.0750 is 7.5%."),
    )
    bonus_threshold = models.PositiveIntegerField(
        _("bonus threshold (new participants in a month)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty when the scheme has no monthly bonus."),
    )
    bonus_amount = models.DecimalField(
        _("monthly bonus"), max_digits=12, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    recruitment_fee = models.DecimalField(
        _("fee per new agent recruited"),
        max_digits=12,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Paid to the recruiting agent in the month the new agent joins; 0 when none."),
    )
    office_share_rate = models.DecimalField(
        _("office head's share of the agents' fees"),
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0.1000 is 10%; 0 when none."),
    )

    history = HistoricalRecords()

    class Meta(EffectiveMonths.Meta):
        verbose_name = _("incentive scheme")
        verbose_name_plural = _("incentive schemes")
        constraints = [
            *_period_constraints("incentive_scheme"),
            models.CheckConstraint(
                condition=Q(fee_rate__gte=0, fee_rate__lte=1, office_share_rate__gte=0, office_share_rate__lte=1),
                name="incentive_scheme_rates_are_fractions",
            ),
            models.CheckConstraint(
                condition=Q(bonus_threshold__isnull=True, bonus_amount=0)
                | Q(bonus_threshold__gt=0, bonus_amount__gt=0),
                name="incentive_scheme_bonus_has_threshold_and_amount",
                violation_error_message=_("A bonus needs both a threshold and an amount."),
            ),
            models.CheckConstraint(condition=Q(recruitment_fee__gte=0), name="incentive_scheme_recruitment_fee"),
        ]

    def clean(self):
        if (self.bonus_threshold is None) != (not self.bonus_amount):
            raise ValidationError(_("A bonus needs both a threshold and an amount; leave both empty for none."))
        super().clean()

    @property
    def has_bonus(self):
        return self.bonus_threshold is not None and self.bonus_amount > 0

    @property
    def fee_percent(self):
        """The fee rate in percent (7.5), for display."""
        return self.fee_rate * 100

    @property
    def office_share_percent(self):
        return self.office_share_rate * 100


class ProgrammeTerms(EffectiveMonths):
    """How long an agent or an office may go without producing, and how long a deactivated agent waits.

    An agent with no new participant for ``agent_at_risk_months`` calendar months running is at risk,
    for ``agent_inactive_months`` inactive; an agent deactivated for inactivity may come back
    ``reactivation_wait_months`` after leaving. An office under its monthly minimum for
    ``office_warning_months`` running is warned, for ``office_pks_loss_months`` its PKS is at risk.
    """

    agent_at_risk_months = models.PositiveSmallIntegerField(
        _("agent at risk after (months without a new participant)"), validators=[MinValueValidator(1)]
    )
    agent_inactive_months = models.PositiveSmallIntegerField(
        _("agent inactive after (months without a new participant)"), validators=[MinValueValidator(1)]
    )
    reactivation_wait_months = models.PositiveSmallIntegerField(
        _("months before an agent deactivated for inactivity may return"), validators=[MinValueValidator(0)]
    )
    office_warning_months = models.PositiveSmallIntegerField(
        _("office warned after (months under its minimum)"), validators=[MinValueValidator(1)]
    )
    office_pks_loss_months = models.PositiveSmallIntegerField(
        _("office's PKS at risk after (months under its minimum)"), validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta(EffectiveMonths.Meta):
        verbose_name = _("programme terms")
        verbose_name_plural = _("programme terms")
        constraints = [
            *_period_constraints("programme_terms"),
            models.CheckConstraint(
                condition=Q(agent_at_risk_months__gte=1, agent_inactive_months__gt=F("agent_at_risk_months")),
                name="programme_terms_agent_months_ordered",
                violation_error_message=_("An agent is at risk before becoming inactive."),
            ),
            models.CheckConstraint(
                condition=Q(office_warning_months__gte=1, office_pks_loss_months__gt=F("office_warning_months")),
                name="programme_terms_office_months_ordered",
                violation_error_message=_("An office is warned before its PKS is at risk."),
            ),
        ]
