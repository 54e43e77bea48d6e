"""Participants (enrolled workers), their acquisitions, contributions, the rate table and targets.

The yearly acquisition totals the branch reports are counts of ``Acquisition`` rows by ``acquired_on``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agents.models import ADDRESS_MAX_LENGTH, Agent, Branch, PerisaiOffice, phone_validator
from perisai.areas.fields import district_field, place_constraints, village_field
from perisai.money import whole_rupiah
from perisai.nik import Gender, validate_nik
from perisai.phones import normalise_phone_field
from perisai.privacy import mask_nik


class Occupation(models.TextChoices):
    HOUSEHOLD_ASSISTANT = "household_assistant", _("Household assistant")
    FARMER = "farmer", _("Farmer")
    FISHER = "fisher", _("Fisher")
    LABOURER = "labourer", _("Labourer")
    TRADER = "trader", _("Trader / street vendor")
    DRIVER = "driver", _("Ojek / driver")
    UMKM_OWNER = "umkm_owner", _("UMKM owner")
    CRAFTSPERSON = "craftsperson", _("Craftsperson")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """A peserta: one person (one NIK), enrolled by an agent of a branch."""

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="participants")
    nik = models.CharField("NIK", max_length=16, unique=True, validators=[validate_nik])
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    address = models.TextField(_("address"), blank=True, validators=[MaxLengthValidator(ADDRESS_MAX_LENGTH)])
    kecamatan = models.CharField(_("kecamatan"), max_length=60)
    desa = models.CharField(_("desa/kelurahan"), max_length=60, blank=True)
    district = district_field()
    village = village_field()
    occupation = models.CharField(_("occupation"), max_length=30, choices=Occupation.choices)
    kpj_number = models.CharField(  # noqa: DJ001 — NULL when unknown, so "unique when present" holds
        _("KPJ number"),
        max_length=20,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8,20}$", _("A KPJ number has 8 to 20 digits."))],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["kpj_number"],
                condition=Q(kpj_number__isnull=False),
                name="participant_unique_kpj_number",
                violation_error_message=_("Another participant already has this KPJ number."),
            ),
            models.CheckConstraint(condition=~Q(kpj_number=""), name="participant_kpj_null_not_blank"),
            *place_constraints("participant"),
        ]
        indexes = [models.Index(fields=["branch", "kecamatan"]), models.Index(fields=["branch", "district", "village"])]

    def __str__(self):
        """Name and masked NIK: this text reaches the admin, messages and logs, where a full NIK must not."""
        return f"{self.full_name} ({mask_nik(self.nik)})"

    def clean(self):
        if self.kpj_number == "":
            self.kpj_number = None
        normalise_phone_field(self)


@dataclass(frozen=True)
class ContributionBreakdown:
    jkk: Decimal
    jkm: Decimal
    jht: Decimal

    @property
    def total(self):
        return self.jkk + self.jkm + self.jht


class ContributionRateQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The rate in force on ``day`` (a date), or ``DoesNotExist`` when none covers it."""
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day).latest(
            "effective_from"
        )


class ContributionRate(models.Model):
    """The BPU rate table in force for a period; rates change by regulation, so they are data."""

    name = models.CharField(_("name"), max_length=120)
    effective_from = models.DateField(_("effective from"), unique=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    jkk_rate = models.DecimalField(_("JKK rate"), max_digits=6, decimal_places=4, help_text=_("0.0100 is 1%."))
    jkm_amount = models.DecimalField(_("JKM monthly amount"), max_digits=12, decimal_places=0)
    jht_rate = models.DecimalField(_("JHT rate"), max_digits=6, decimal_places=4)
    min_declared_income = models.DecimalField(_("minimum declared income"), max_digits=12, decimal_places=0)
    max_declared_income = models.DecimalField(_("maximum declared income"), max_digits=12, decimal_places=0)

    objects = ContributionRateQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("contribution rate")
        verbose_name_plural = _("contribution rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="rate_ends_after_start",
                violation_error_message=_("A rate cannot end before it takes effect."),
            ),
            models.CheckConstraint(
                condition=Q(jkk_rate__gt=0, jkm_amount__gt=0, jht_rate__gte=0, min_declared_income__gt=0)
                & Q(max_declared_income__gte=F("min_declared_income")),
                name="rate_amounts_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.effective_from:
            return
        overlapping = ContributionRate.objects.exclude(pk=self.pk).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )
        if self.effective_to:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        if overlapping.exists():
            raise ValidationError(_("This period overlaps another rate's period."))

    def breakdown(self, declared_income, *, with_jht):
        """The monthly contribution for a declared income, or ``ValidationError`` if it is out of range."""
        income = Decimal(declared_income)
        if not self.min_declared_income <= income <= self.max_declared_income:
            raise ValidationError(
                _("Declared income must be between Rp %(low)s and Rp %(high)s."),
                params={
                    "low": f"{self.min_declared_income:,.0f}".replace(",", "."),
                    "high": f"{self.max_declared_income:,.0f}".replace(",", "."),
                },
                code="income_out_of_range",
            )
        return ContributionBreakdown(
            jkk=whole_rupiah(income * self.jkk_rate),
            jkm=whole_rupiah(self.jkm_amount),
            jht=whole_rupiah(income * self.jht_rate) if with_jht else Decimal(0),
        )


def client_key_field():
    """The key the agent's phone (or a page form) gives one write, so it is recorded once
    (``enrollment.client_keys``); unique where set, by each model's partial unique constraint."""
    return models.UUIDField(
        _("client key"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The key the agent's phone gave this write, so a retry or a second device records it once."),
    )


class Acquisition(models.Model):
    """One enrollment (akuisisi) of a participant by an agent: the unit of the yearly totals.

    A participant has at most one active acquisition; once it has lapsed the participant may be
    acquired again, and that new acquisition counts again. ``branch`` and ``office`` record where the
    agent worked on ``acquired_on`` so reports keep crediting them after the agent moves or leaves;
    ``caretaker`` is who looks after the participant now (staff move participants of an agent who
    left), while ``agent`` keeps the credit for the acquisition.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="acquisitions"
    )
    agent = models.ForeignKey(Agent, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="acquisitions")
    caretaker = models.ForeignKey(
        Agent,
        verbose_name=_("looked after by"),
        on_delete=models.PROTECT,
        related_name="cared_acquisitions",
        help_text=_("The agent who follows up the participant now; the acquiring agent until staff move them."),
    )
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="acquisitions")
    office = models.ForeignKey(
        PerisaiOffice, verbose_name=_("Perisai office"), on_delete=models.PROTECT, related_name="acquisitions"
    )
    acquired_on = models.DateField(_("acquired on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("lapsed on"), null=True, blank=True)
    rate = models.ForeignKey(
        ContributionRate, verbose_name=_("rate applied"), on_delete=models.PROTECT, related_name="acquisitions"
    )
    declared_income = models.DecimalField(_("declared monthly income"), max_digits=12, decimal_places=0)
    with_jht = models.BooleanField(_("with JHT (old-age savings)"), default=False)
    monthly_contribution = models.DecimalField(_("monthly contribution"), max_digits=12, decimal_places=0)
    client_key = client_key_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-acquired_on", "-id"]
        verbose_name = _("acquisition")
        verbose_name_plural = _("acquisitions")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="active"),
                name="acquisition_one_active_per_participant",
                violation_error_message=_("This worker is already enrolled."),
            ),
            # A key sent twice writes once (enrollment.client_keys); only keyed rows are indexed: the payments
            # file's thousands of rows carry none.
            models.UniqueConstraint(
                fields=["client_key"], condition=Q(client_key__isnull=False), name="acquisition_client_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="lapsed", ended_on__isnull=False, ended_on__gte=F("acquired_on")),
                name="acquisition_lapsed_has_end_date",
            ),
            models.CheckConstraint(
                condition=Q(monthly_contribution__gt=0, declared_income__gt=0), name="acquisition_amounts_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "acquired_on"]),
            models.Index(fields=["office", "acquired_on"]),
            models.Index(fields=["agent", "acquired_on"]),
            models.Index(fields=["acquired_on"]),
            # "Is there a later acquisition of this worker?" (a participant's standing acquisition,
            # reports.continuity) answered from the index alone.
            models.Index(fields=["participant", "acquired_on", "id"], name="acquisition_participant_order"),
        ]

    def __str__(self):
        return f"{self.participant.full_name} — {self.acquired_on:%d-%m-%Y}"


class Contribution(models.Model):
    """A month's iuran paid for an acquisition; at most one per acquisition and month."""

    class Channel(models.TextChoices):
        AGENT = "agent", _("Collected by agent")
        BANK = "bank", _("Bank")
        ONLINE = "online", _("Online / app")
        PAYMENT_POINT = "payment_point", _("Payment point (PPOB / retail)")
        OTHER = "other", _("Other channel")

    # No index of its own: the unique (acquisition, period) below serves every look-up by acquisition, and a
    # second index would only slow each contribution written (a payments file writes a hundred thousand).
    acquisition = models.ForeignKey(
        Acquisition,
        verbose_name=_("acquisition"),
        on_delete=models.PROTECT,
        related_name="contributions",
        db_index=False,
    )
    period = models.DateField(_("period (month)"), help_text=_("The first day of the month paid for."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=0, validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    collected_by = models.ForeignKey(
        Agent,
        verbose_name=_("collected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collected_contributions",
        db_index=False,  # indexed where set (Meta): a payments file's hundred thousand contributions have none
    )
    credited_to = models.ForeignKey(
        Agent,
        verbose_name=_("credited to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credited_contributions",
        help_text=_("The agent looking after the participant when this was paid; their fee counts it."),
    )
    reference = models.CharField(
        _("channel reference"),
        max_length=64,
        blank=True,
        help_text=_("The bank's, payment point's or app's transaction reference, from the payments file."),
    )
    channel_name = models.CharField(
        _("paid through"), max_length=60, blank=True, help_text=_("The channel as the payments file names it.")
    )
    payment_import = models.ForeignKey(
        "PaymentImport",
        verbose_name=_("payments file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("The payments file this payment came in, or that confirmed the one the agent recorded."),
    )
    client_key = client_key_field()

    # The history is read by contribution (``id``) and removed by acquisition (retention); an index on the
    # other references would be written for every row a payments file brings, and read by nothing.
    history = HistoricalRecords(no_db_index=["collected_by", "credited_to", "payment_import"])

    class Meta:
        ordering = ["-period"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["acquisition", "period"],
                name="contribution_one_per_month",
                violation_error_message=_("A contribution for this month is already recorded."),
            ),
            # A channel's transaction counts once: one payment may cover several months (a row each), so
            # the month is part of the key.
            models.UniqueConstraint(
                fields=["reference", "channel", "period"],
                condition=~Q(reference=""),
                name="contribution_unique_reference",
                violation_error_message=_("This channel reference is already recorded for this month."),
            ),
            # A key sent twice writes once (enrollment.client_keys); only keyed rows are indexed: the payments
            # file's thousands of rows carry none.
            models.UniqueConstraint(
                fields=["client_key"], condition=Q(client_key__isnull=False), name="contribution_client_key_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_positive"),
            models.CheckConstraint(condition=Q(period__day=1), name="contribution_period_first_of_month"),
        ]
        # Period first, then the acquisition: "paid in these months?" for many acquisitions at once is an
        # index-only scan (the continuity reports and the participant export ask it of a whole country).
        indexes = [
            models.Index(fields=["period", "acquisition"], name="contribution_period_acq"),
            models.Index(
                fields=["collected_by"], condition=Q(collected_by__isnull=False), name="contribution_collected_by"
            ),
        ]

    def __str__(self):
        return f"{self.acquisition.participant.full_name} {self.period:%m/%Y}"


class AcquisitionTarget(models.Model):
    """A yearly acquisition target for a branch, or for one Perisai office or agent within it.

    ``branch`` is always set, so scope is checked like any other branch data; with neither office
    nor agent the target is the branch's own.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="targets")
    office = models.ForeignKey(
        PerisaiOffice,
        verbose_name=_("Perisai office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    target = models.PositiveIntegerField(_("target (acquisitions)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("acquisition target")
        verbose_name_plural = _("acquisition targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=True) | Q(agent__isnull=True),
                name="target_for_office_or_agent_not_both",
                violation_error_message=_("A target is for the branch, one office or one agent, not several."),
            ),
            models.CheckConstraint(condition=Q(target__gt=0), name="target_positive"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="target_year_plausible"),
            models.UniqueConstraint(
                fields=["year", "branch"],
                condition=Q(office__isnull=True, agent__isnull=True),
                name="target_unique_branch_year",
            ),
            models.UniqueConstraint(
                fields=["year", "office"], condition=Q(office__isnull=False), name="target_unique_office_year"
            ),
            models.UniqueConstraint(
                fields=["year", "agent"], condition=Q(agent__isnull=False), name="target_unique_agent_year"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.agent or self.office or self.branch} — {self.target}"

    def clean(self):
        for scope in (self.office, self.agent):
            if scope is not None and self.branch_id and scope.branch_id != self.branch_id:
                raise ValidationError(_("The office or agent belongs to another branch."))


class AcquisitionTargetMonth(models.Model):
    """One month's share of a yearly target, for a target its owner split by month.

    A target without months is spread over the year by the branch's usual season (``reports.targets``);
    with months, the expectation to date is the sum of its months so far. The months of a split target
    add up to its yearly figure: the service that writes them (``enrollment.targets``) keeps them so.
    """

    target = models.ForeignKey(
        AcquisitionTarget, verbose_name=_("target"), on_delete=models.CASCADE, related_name="months"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    acquisitions = models.PositiveIntegerField(_("acquisitions"))

    class Meta:
        ordering = ["target", "month"]
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        constraints = [
            models.UniqueConstraint(fields=["target", "month"], name="target_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="target_month_in_year"),
        ]

    def __str__(self):
        return f"{self.target} — {self.month:02d}: {self.acquisitions}"


class AcquisitionTargetChange(models.Model):
    """One change to a yearly target: who made it, when, what the figure (and its months) was and became.

    The history outlives the targets it tells about, so it points at no ``AcquisitionTarget`` (removing a
    target must not take its history with it): a row names the target by year, branch and holder.
    ``office`` and ``agent`` are ``SET_NULL`` and ``holder`` keeps "code — name" as it was that day, with
    ``level`` saying whose target it was: an office or agent entered by mistake can still be deleted by an
    administrator, neither blocked by its history (``PROTECT`` would) nor taking it along (``CASCADE``),
    and the row still reads right. ``branch`` and ``changed_by`` are ``PROTECT``: the history is the
    branch's record, branches are not deleted, and accounts are deactivated, never deleted, so "who"
    always names someone. Written only by ``enrollment.targets``.
    """

    class Kind(models.TextChoices):
        SET = "set", _("New target")
        CHANGED = "changed", _("Changed")
        REMOVED = "removed", _("Removed")
        IMPORTED = "imported", _("Imported from a file")

    class Level(models.TextChoices):
        BRANCH = "branch", _("Branch")
        OFFICE = "office", _("Perisai office")
        AGENT = "agent", _("Agent")

    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        "agents.User", verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="target_changes"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    office = models.ForeignKey(
        PerisaiOffice,
        verbose_name=_("Perisai office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    holder = models.CharField(_("target of"), max_length=200)
    old_target = models.PositiveIntegerField(_("target before"), null=True, blank=True)
    new_target = models.PositiveIntegerField(_("target after"), null=True, blank=True)
    old_months = models.JSONField(_("months before"), null=True, blank=True)
    new_months = models.JSONField(_("months after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")
        indexes = [models.Index(fields=["branch", "year", "changed_at"], name="target_change_branch_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=True) | Q(agent__isnull=True), name="target_change_office_or_agent"
            ),
            models.CheckConstraint(
                condition=Q(old_target__isnull=False) | Q(new_target__isnull=False), name="target_change_has_figure"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["set", "changed", "removed", "imported"]), name="target_change_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["branch", "office", "agent"]), name="target_change_level_valid"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.holder} — {self.old_target} → {self.new_target}"


class ImportBatch(models.Model):
    """An uploaded spreadsheet of enrollments, kept between its preview and its confirmation.

    ``rows`` holds the cells as read from the file (recognised columns only) so the confirmation can
    validate them again against the database as it is then; it is emptied once the rows are imported,
    so no personal data lingers here. ``result`` is the last validation: counts, errors, warnings.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        "agents.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        Agent,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agent every row is for; empty when the file has an agent-code column."),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    result = models.JSONField(_("validation result"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_count = models.PositiveIntegerField(_("rows imported"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", imported_at__isnull=True)
                | Q(status="imported", imported_at__isnull=False),
                name="import_batch_imported_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d-%m-%Y %H:%M})"


class PaymentImport(models.Model):
    """One payments file from the channels (banks, payment points, apps): its preview and its import.

    Every row of the file is kept as a ``PaymentLine`` with what matching found, so the preview, the
    import and the download of rows to follow up all read the same rows. ``branch`` is the branch the
    file is for; empty for a national file (an administrator's or the scheduled feed's), whose rows
    may belong to any branch. ``uploaded_by`` is empty for the scheduled command.
    ``counts`` holds the lines per outcome (``PaymentLine.Outcome``) as last matched.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        "agents.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    counts = models.JSONField(_("rows by outcome"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payments file")
        verbose_name_plural = _("payments files")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", imported_at__isnull=True)
                | Q(status="imported", imported_at__isnull=False),
                name="payment_import_imported_has_date",
            ),
        ]
        indexes = [models.Index(fields=["file_sha256"], name="payment_import_fingerprint")]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d-%m-%Y %H:%M})"

    @property
    def total(self):
        return sum(self.counts.values())

    def count(self, *outcomes):
        return sum(self.counts.get(outcome, 0) for outcome in outcomes)

    @property
    def to_write(self):
        """Rows that bring a new contribution (matched, or matched with another amount)."""
        return self.count(*PaymentLine.WRITES)

    @property
    def to_follow_up(self):
        return self.count(*PaymentLine.FOLLOW_UP)


class PaymentLine(models.Model):
    """One row of a payments file, as read and as matched (``outcome``), with the message for people.

    The typed columns hold what could be read; ``cells`` keeps the row as it stood in the file when it
    could not be read, so the follow-up download gives the uploader back exactly what they sent.
    ``contribution`` is the recorded contribution a row confirms or repeats; the one a row brings is
    its acquisition's for its month (``payment_import`` on the contribution names the file).

    ``participant`` is kept only for a row matched to a participant but to none of their acquisitions
    (another branch's, a month in the future or before enrolment); a row with an acquisition reaches its
    participant through it (``matched_participant``). Stored twice, the participant cost every row of a
    file an index entry and a foreign-key check at the commit (a national file writes a hundred
    thousand rows). The other references are indexed only where they are set, for the same reason.
    """

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("Matched")
        AMOUNT_DIFFERS = "amount_differs", _("Amount differs")
        CONFIRMS = "confirms", _("Confirms the agent's record")
        ALREADY_RECORDED = "already_recorded", _("Already recorded")
        REFERENCE_TAKEN = "reference_taken", _("Reference used by another payment")
        UNKNOWN_PARTICIPANT = "unknown", _("Unknown participant")
        OTHER_BRANCH = "other_branch", _("Participant of another branch")
        BEFORE_ENROLMENT = "before_enrolment", _("Period before enrolment")
        FUTURE_PERIOD = "future_period", _("Period in the future")
        DUPLICATE = "duplicate", _("Duplicate in the file")
        MALFORMED = "malformed", _("Cannot be read")

    WRITES = (Outcome.MATCHED, Outcome.AMOUNT_DIFFERS)
    """Outcomes that write a new contribution when the file is imported."""
    GOOD = (*WRITES, Outcome.CONFIRMS)
    """Outcomes the import takes: a new contribution, or the agent's record confirmed."""
    FOLLOW_UP = (
        Outcome.AMOUNT_DIFFERS,
        Outcome.REFERENCE_TAKEN,
        Outcome.UNKNOWN_PARTICIPANT,
        Outcome.OTHER_BRANCH,
        Outcome.BEFORE_ENROLMENT,
        Outcome.FUTURE_PERIOD,
        Outcome.DUPLICATE,
        Outcome.MALFORMED,
    )
    """Outcomes someone should look at: the rows of the follow-up download."""

    # Served by the unique (payment_import, row) below; an index of its own would be written for every row.
    payment_import = models.ForeignKey(
        PaymentImport, verbose_name=_("payments file"), on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    row = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    message = models.CharField(_("message"), max_length=300, blank=True)
    nik = models.CharField("NIK", max_length=40, blank=True)
    kpj_number = models.CharField(_("KPJ number"), max_length=40, blank=True)
    period = models.DateField(_("period (month)"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=0, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Contribution.Channel.choices, blank=True)
    channel_name = models.CharField(_("paid through"), max_length=60, blank=True)
    reference = models.CharField(_("channel reference"), max_length=64, blank=True)
    cells = models.JSONField(_("cells as read"), null=True, blank=True)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    acquisition = models.ForeignKey(
        Acquisition, verbose_name=_("acquisition"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    credited_to = models.ForeignKey(
        Agent, verbose_name=_("credited to"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payment_lines",
        db_index=False,
    )

    class Meta:
        ordering = ["payment_import", "row"]
        verbose_name = _("payments file row")
        verbose_name_plural = _("payments file rows")
        constraints = [
            models.UniqueConstraint(fields=["payment_import", "row"], name="payment_line_one_per_row"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="payment_line_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) | Q(acquisition__isnull=True),
                name="payment_line_participant_without_acquisition",
            ),
        ]
        indexes = [
            models.Index(fields=["payment_import", "outcome", "row"], name="payment_line_outcome"),
            # For the deletes that cascade or set null; a row without one is in neither index.
            models.Index(
                fields=["participant"], condition=Q(participant__isnull=False), name="payment_line_participant"
            ),
            models.Index(
                fields=["contribution"], condition=Q(contribution__isnull=False), name="payment_line_contribution"
            ),
        ]

    def __str__(self):
        return f"{self.payment_import_id} row {self.row}: {self.outcome}"

    @property
    def matched_participant(self):
        """The participant the row was matched to: its acquisition's, or the one kept without an acquisition."""
        if self.acquisition_id is not None:
            return self.acquisition.participant
        return self.participant


class NikDisclosure(models.Model):
    """A full NIK shown to someone: who saw whose, when and from which page (UU PDP accountability).

    Written by ``enrollment.services.disclosures.nik_disclosure_record`` each time a page or file
    shows a full NIK (``enrollment.privacy`` says when that may happen), read by the branch head on the
    NIK view log. ``branch`` is the person's branch at that moment, so the log stays with the branch
    whose data was seen. Kept two years (``purge_expired``); removed with the person's own data.
    """

    class Reason(models.TextChoices):
        PARTICIPANT_PAGE = "participant_page", _("Participant page")
        AGENT_PAGE = "agent_page", _("Agent page")
        FIELD_PAGE = "field_page", _("Agent's participant page")
        EDIT_FORM = "edit_form", _("Edit form")
        ENROL_AGAIN = "enrol_again", _("Enrol again form")
        ACCESS_REQUEST = "access_request", _("Personal data export (access request)")
        ASSIGNMENT_LETTER = "assignment_letter", _("Letter of assignment (surat tugas)")

    viewer = models.ForeignKey(
        "agents.User", verbose_name=_("seen by"), on_delete=models.PROTECT, related_name="nik_disclosures"
    )
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="nik_disclosures",
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, null=True, blank=True, related_name="nik_disclosures"
    )
    disclosed_at = models.DateTimeField(_("seen at"), default=timezone.now)
    reason = models.CharField(_("from"), max_length=20, choices=Reason.choices)

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        verbose_name = _("NIK disclosure")
        verbose_name_plural = _("NIK disclosures")
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, agent__isnull=True)
                | Q(participant__isnull=True, agent__isnull=False),
                name="nik_disclosure_of_one_person",
                violation_error_message=_("A NIK disclosure is about one participant or one agent."),
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "-disclosed_at"], name="nik_disclosure_branch_time"),
            models.Index(fields=["disclosed_at"], name="nik_disclosure_time"),
        ]

    def __str__(self):
        return f"{self.viewer} — {self.subject} ({self.disclosed_at:%d-%m-%Y %H:%M})"

    @property
    def subject(self):
        """The participant or agent whose NIK was seen."""
        return self.participant or self.agent
