"""What agents and offices earn, as data with effective dates: the incentive schemes.

A scheme applies to whole calendar months (``perisai.effective``), so exactly one scheme (or none) is in
force in any month; on PostgreSQL an exclusion constraint refuses two schemes whose months overlap
(migration 0004), elsewhere ``clean`` does. Schemes are national: the programme's terms are set by the
head office's regulation (Peraturan Direksi) for every branch.

A scheme holds every shape the programme's terms have taken, so a change of terms is new rows in the
administration, not new code:

- **Fee tiers** (``FeeTier``): the fee on a contribution is a rate that depends on the participant's
  membership month, counted from the month of the acquisition the contribution was paid for (month 1
  is the month of enrolment). The 2021 terms are one tier, 7.5% from month 1 with no end; the April 2022
  terms two, 15% in months 1-24 (years 1-2) and 5% in months 25-60 (years 3-5); a month no tier covers
  earns nothing (after month 60 the participant passes to the branch office).
- **Acquisition incentives**, once the agent's new participants in the month reach
  ``acquisition_minimum``: a flat ``bonus_amount`` (the 2021 terms: Rp 500.000 from 50) and/or a fee
  per new participant by package (``AcquisitionFee``: the 2022 terms pay Rp 15.000 for the three
  programmes JKK, JKM and JHT, Rp 10.000 for JKK and JKM, from 25). ``first_enrolments_only`` counts
  only workers enrolled for the first time (the 2022 terms: a NIK never registered as BPU before).
- **A recruitment fee** per new agent recruited.
- **The office share**: ``office_share_rate`` of the agents' fees (``office_share_base``: the fees on
  contributions only, or every incentive the agents earn, as the 2022 terms say) paid to their Kantor
  Perisai on top of what the agents earn.

Which scheme applies is decided by the month a contribution was *paid*, and the month an acquisition
was made (see ``incentives.statements``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from perisai.effective import EffectiveMonths, period_constraints

MONTHS_PER_YEAR = 12


class IncentiveScheme(EffectiveMonths):
    """What an agent earns: fees on the contributions paid (by membership month), acquisition incentives,
    a recruitment fee, and the share of the agents' incentives that goes to their Kantor Perisai."""

    class OfficeShareBase(models.TextChoices):
        FEES = "fees", _("the agents' fees on contributions")
        INCENTIVES = "incentives", _("everything the agents earn (fees, acquisition incentives, recruitment)")

    acquisition_minimum = models.PositiveIntegerField(
        _("new participants needed in a month for the acquisition incentives"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The agent's new participants in the month must reach this number for the bonus and the fees per "
            "new participant; empty: the fees per new participant are paid from the first (and there is no bonus)."
        ),
    )
    bonus_amount = models.DecimalField(
        _("monthly bonus at the minimum"),
        max_digits=12,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("A flat amount once the minimum is reached; 0 when none."),
    )
    first_enrolments_only = models.BooleanField(
        _("count only workers enrolled for the first time"),
        default=False,
        help_text=_(
            "For the minimum and the fees per new participant, count only workers never enrolled before "
            "(a worker enrolled again after lapsing does not count)."
        ),
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
        _("Kantor Perisai's share"),
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0.1000 is 10%, paid to the office on top of what its agents earn; 0 when none."),
    )
    office_share_base = models.CharField(
        _("the office's share is a share of"),
        max_length=12,
        choices=OfficeShareBase.choices,
        default=OfficeShareBase.FEES,
    )

    history = HistoricalRecords()

    class Meta(EffectiveMonths.Meta):
        verbose_name = _("incentive scheme")
        verbose_name_plural = _("incentive schemes")
        constraints = [
            *period_constraints("incentive_scheme"),
            models.CheckConstraint(
                condition=Q(office_share_rate__gte=0, office_share_rate__lte=1),
                name="incentive_scheme_rates_are_fractions",
            ),
            models.CheckConstraint(
                condition=Q(bonus_amount=0) | Q(bonus_amount__gt=0, acquisition_minimum__isnull=False),
                name="incentive_scheme_bonus_has_minimum",
                violation_error_message=_("A bonus needs the number of new participants that earns it."),
            ),
            models.CheckConstraint(
                condition=Q(acquisition_minimum__isnull=True) | Q(acquisition_minimum__gt=0),
                name="incentive_scheme_minimum_positive",
            ),
            models.CheckConstraint(condition=Q(bonus_amount__gte=0), name="incentive_scheme_bonus_not_negative"),
            models.CheckConstraint(condition=Q(recruitment_fee__gte=0), name="incentive_scheme_recruitment_fee"),
            models.CheckConstraint(
                condition=Q(office_share_base__in=["fees", "incentives"]), name="incentive_scheme_office_share_base"
            ),
        ]

    def clean(self):
        if self.bonus_amount and not self.acquisition_minimum:
            raise ValidationError(
                {"acquisition_minimum": _("A bonus needs the number of new participants that earns it.")}
            )
        super().clean()

    # --- reading the terms (the tiers and fees are prefetched by ``incentives.terms``) -----------

    @property
    def tiers(self):
        return sorted(self.fee_tiers.all(), key=lambda tier: tier.from_month)

    def tier_for(self, membership_month):
        """The ``FeeTier`` covering ``membership_month`` (1 is the month of enrolment), or ``None``."""
        return next((tier for tier in self.tiers if tier.covers(membership_month)), None)

    def rate_for(self, membership_month):
        """The fee rate on a contribution for ``membership_month``: 0 when no tier covers it."""
        tier = self.tier_for(membership_month)
        return tier.rate if tier else Decimal(0)

    @property
    def package_fees(self):
        """``{package: amount}`` of the fees per new participant; empty when the scheme pays none."""
        return {fee.package: fee.amount for fee in self.acquisition_fees.all()}

    def fee_per_new_participant(self, package):
        return self.package_fees.get(package, Decimal(0))

    @property
    def has_bonus(self):
        return bool(self.bonus_amount) and self.acquisition_minimum is not None

    @property
    def has_acquisition_incentive(self):
        return self.has_bonus or any(self.package_fees.values())

    @property
    def office_share_percent(self):
        return self.office_share_rate * 100


class FeeTier(models.Model):
    """The fee rate on contributions for a range of membership months (month 1: the month of enrolment).

    Months rather than years because the terms count them so ("iuran bulan ke-1 sampai dengan ke-24");
    months 1-24 are membership years 1-2.
    """

    scheme = models.ForeignKey(
        IncentiveScheme, verbose_name=_("incentive scheme"), on_delete=models.CASCADE, related_name="fee_tiers"
    )
    from_month = models.PositiveSmallIntegerField(
        _("from membership month"), validators=[MinValueValidator(1)], help_text=_("1 is the month of enrolment.")
    )
    to_month = models.PositiveSmallIntegerField(
        _("to membership month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Included; empty: no end. Months 1-24 are membership years 1-2, 25-60 years 3-5."),
    )
    rate = models.DecimalField(
        _("fee rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0.1500 is 15%."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "from_month"]
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "from_month"],
                name="fee_tier_one_per_start",
                violation_error_message=_("Two tiers of a scheme cannot start in the same membership month."),
            ),
            models.CheckConstraint(
                condition=Q(from_month__gte=1) & (Q(to_month__isnull=True) | Q(to_month__gte=F("from_month"))),
                name="fee_tier_months_ordered",
                violation_error_message=_("A tier ends in or after the month it starts."),
            ),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=1), name="fee_tier_rate_is_a_fraction"),
        ]

    def __str__(self):
        return f"{self.months_label}: {self.rate * 100:.2f}%"

    def covers(self, membership_month):
        return self.from_month <= membership_month and (self.to_month is None or membership_month <= self.to_month)

    def overlaps(self, other):
        return self.from_month <= (other.to_month or 10**6) and other.from_month <= (self.to_month or 10**6)

    @property
    def rate_percent(self):
        return self.rate * 100

    @property
    def months_label(self):
        """ "Months 1-24 (years 1-2)", "Month 61 on" ... in the active language."""
        if self.to_month is None:
            return _("Membership month %(first)d on") % {"first": self.from_month}
        label = _("Membership months %(first)d–%(last)d") % {"first": self.from_month, "last": self.to_month}
        if (self.from_month - 1) % MONTHS_PER_YEAR == 0 and self.to_month % MONTHS_PER_YEAR == 0:
            years = {"first": (self.from_month - 1) // MONTHS_PER_YEAR + 1, "last": self.to_month // MONTHS_PER_YEAR}
            in_years = _("years %(first)d–%(last)d") % years
            label = f"{label} ({in_years})"
        return label

    def clean(self):
        if self.to_month is not None and self.from_month and self.to_month < self.from_month:
            raise ValidationError({"to_month": _("A tier ends in or after the month it starts.")})


class AcquisitionFee(models.Model):
    """The fee per new participant of a package, paid once the agent reaches the scheme's monthly minimum."""

    class Package(models.TextChoices):
        TWO = "jkk_jkm", _("Two programmes (JKK, JKM)")
        THREE = "jkk_jkm_jht", _("Three programmes (JKK, JKM, JHT)")

        @classmethod
        def of(cls, with_jht):
            """The package of an acquisition: JKK and JKM always, JHT when chosen."""
            return cls.THREE if with_jht else cls.TWO

    scheme = models.ForeignKey(
        IncentiveScheme, verbose_name=_("incentive scheme"), on_delete=models.CASCADE, related_name="acquisition_fees"
    )
    package = models.CharField(_("package"), max_length=12, choices=Package.choices)
    amount = models.DecimalField(
        _("fee per new participant"), max_digits=12, decimal_places=0, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "package"]
        verbose_name = _("fee per new participant")
        verbose_name_plural = _("fees per new participant")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "package"],
                name="acquisition_fee_one_per_package",
                violation_error_message=_("A scheme has one fee per package."),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="acquisition_fee_positive"),
            models.CheckConstraint(
                condition=Q(package__in=["jkk_jkm", "jkk_jkm_jht"]), name="acquisition_fee_known_package"
            ),
        ]

    def __str__(self):
        return f"{self.get_package_display()}: Rp {self.amount:,.0f}".replace(",", ".")
