"""What agents and offices earn, as data with effective dates: the incentive schemes.

A scheme applies to whole calendar months (``perisai.effective``), so exactly one scheme (or none) is in
force in any month. The programme's activity rules (``ProgrammeTerms``) belong to the agent network.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from perisai.effective import EffectiveMonths, period_constraints


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
            *period_constraints("incentive_scheme"),
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
