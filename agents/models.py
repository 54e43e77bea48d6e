"""The branch's network: branches, user accounts, Perisai offices, their PKS, the agents, and the
programme's terms for how agents and offices must keep producing."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from perisai.areas import area
from perisai.areas.fields import district_field, place_constraints, village_field
from perisai.effective import EffectiveMonths, period_constraints
from perisai.nik import Gender, validate_nik
from perisai.phones import normalise_phone_field
from perisai.roles import Role

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 -]{6,18}[0-9]$", _("Enter a phone number of digits, e.g. 0812-3456-7890.")
)

EXPIRING_WITHIN_DAYS = 60

# Free text is limited on the model (``MaxLengthValidator``: forms, services' ``full_clean`` and the admin
# all refuse more, with the message on the field; a validator changes no column) and in the page's form
# (``maxlength``: the browser stops typing).
# An address is a few lines; a PKS's notes a paragraph or two. Neither has a reason to run to pages.
ADDRESS_MAX_LENGTH = 500
AGREEMENT_NOTES_MAX_LENGTH = 2000


class Region(models.Model):
    """A Kantor Wilayah (Kanwil): the regional office a group of branches reports to.

    Its users read the reports of every branch in it; it holds no data of its own.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional office")
        verbose_name_plural = _("regional offices")

    def __str__(self):
        return self.name


class Branch(models.Model):
    """A Kantor Cabang of BPJS Ketenagakerjaan; everything a user sees belongs to one."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Nullable: branches (and their data) existed before regions did, and a branch not yet placed in a
    # region is still read by its own users and by national administrators, only by no regional user.
    region = models.ForeignKey(
        Region,
        verbose_name=_("regional office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    # The letterhead of the documents the branch prints (certificates, letters of assignment): a line
    # left empty is left out of the letterhead, so a branch without them still prints.
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True, help_text=_("Where the branch's letters are signed."))
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    head_name = models.CharField(
        _("branch head"), max_length=120, blank=True, help_text=_("The name that signs the branch's letters.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch office")
        verbose_name_plural = _("branch offices")

    def __str__(self):
        return self.name


class BranchArea(models.Model):
    """A regency or city (kabupaten/kota, its four-digit Kemendagri code) that a branch serves.

    The kecamatan and desa its agents and workers live in are chosen from these regencies' districts (and
    from the regency where the person's NIK was issued, for someone who moved in); a branch that has not
    said yet offers the NIK's regency only."""

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="areas")
    regency = models.CharField(
        _("regency or city code"),
        max_length=4,
        help_text=_("Four digits of the Kemendagri code, e.g. 3301 for Kabupaten Cilacap."),
    )

    class Meta:
        ordering = ["branch", "regency"]
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "regency"],
                name="branch_area_unique",
                violation_error_message=_("The branch already serves this regency."),
            ),
            models.CheckConstraint(condition=Q(regency__regex=r"^[0-9]{4}$"), name="branch_area_regency_digits"),
        ]

    def __str__(self):
        found = area(self.regency)
        return f"{self.regency} {found.name}" if found else self.regency

    def clean(self):
        found = area(self.regency)
        if found is None or found.level != "regency" or found.retired:
            message = _("%(code)s is not a regency or city in force.") % {"code": self.regency}
            raise ValidationError({"regency": message})


class UserManager(DjangoUserManager):
    """Django's user manager, making ``createsuperuser`` a national administrator.

    Not ``use_in_migrations``: migrations are history and import no live code, so a data migration
    gets a plain manager and writes users with the fields it names.
    """

    use_in_migrations = False

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``createsuperuser`` makes a national administrator (no branch needed)."""
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. The role decides what they may do; the branch (or, for a regional user,
    the region) what they may see."""

    Role = Role  # the kernel's roles (``perisai.roles``), where the masks can read them too

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regional office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Only for a regional user, who reads every branch of the region."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["admin", "regional"]) | Q(branch__isnull=False),
                name="user_branch_required_unless_admin_or_regional",
                violation_error_message=_("Every user except an administrator or a regional user belongs to a branch."),
            ),
            # A regional user reads a region, never one branch; nobody else is bound to a region.
            models.CheckConstraint(
                condition=Q(role="regional", region__isnull=False, branch__isnull=True)
                | (~Q(role="regional") & Q(region__isnull=True)),
                name="user_region_only_for_regional_users",
                violation_error_message=_(
                    "A regional user belongs to a regional office and to no branch; other users to no regional office."
                ),
            ),
        ]

    @property
    def is_national(self):
        """An administrator without a branch sees every branch."""
        return self.is_superuser or (self.role == self.Role.ADMIN and self.branch_id is None)

    @property
    def is_regional(self):
        """A regional user reads every branch of their region (``agents.scoping``) and writes nothing."""
        return self.role == self.Role.REGIONAL


class PerisaiOffice(models.Model):
    """A Kantor Perisai wilayah: the regional office agents work through."""

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="offices")
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    area = models.CharField(_("area (kecamatan covered)"), max_length=255, blank=True)
    address = models.TextField(_("address"), blank=True, validators=[MaxLengthValidator(ADDRESS_MAX_LENGTH)])
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["branch", "code"]
        verbose_name = _("Perisai office")
        verbose_name_plural = _("Perisai offices")

    def __str__(self):
        return self.name


class CooperationAgreementQuerySet(models.QuerySet):
    def current_on(self, day):
        """Agreements in force on ``day``."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class CooperationAgreement(models.Model):
    """A PKS between the branch and a Perisai office. Its status comes from its dates, never stored."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not yet started")
        ACTIVE = "active", _("Active")
        EXPIRING = "expiring", _("Expiring")
        EXPIRED = "expired", _("Expired")
        RENEWED = "renewed", _("Renewed")

    office = models.ForeignKey(
        PerisaiOffice, verbose_name=_("Perisai office"), on_delete=models.PROTECT, related_name="agreements"
    )
    number = models.CharField(_("agreement number"), max_length=60, unique=True)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
    )
    document = models.FileField(
        _("signed document (PDF)"),
        upload_to="agreements/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(AGREEMENT_NOTES_MAX_LENGTH)])

    history = HistoricalRecords()

    objects = CooperationAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-starts_on"]
        verbose_name = _("cooperation agreement (PKS)")
        verbose_name_plural = _("cooperation agreements (PKS)")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The agreement must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(renews=models.F("id")),
                name="agreement_does_not_renew_itself",
            ),
        ]

    def __str__(self):
        return self.number

    def status_on(self, day=None):
        """Not yet started, active, expiring (ends within ``EXPIRING_WITHIN_DAYS``) or expired, on ``day``.

        A PKS in its last days that a later PKS already renews is *renewed*, not expiring: nothing is left
        to do for it, so the list, the office page, the dashboard and the staff e-mail do not ask for its
        renewal. Once it has ended it is expired like any other (the list says what renewed it). Select
        ``renewal`` with the agreement (``select_related("renewal")``), or this costs a query.
        """
        day = day or timezone.localdate()
        if day < self.starts_on:
            return self.Status.NOT_STARTED
        if day > self.ends_on:
            return self.Status.EXPIRED
        if self.ends_on - day <= datetime.timedelta(days=EXPIRING_WITHIN_DAYS):
            return self.Status.RENEWED if self.is_renewed else self.Status.EXPIRING
        return self.Status.ACTIVE

    @property
    def is_renewed(self):
        """Whether a later PKS renews this one (``renewal``)."""
        if self.pk is None:
            return False
        try:
            return self.renewal is not None
        except CooperationAgreement.DoesNotExist:
            return False

    @property
    def is_in_force(self):
        """Whether the PKS runs today: started and not yet ended, renewed or not."""
        today = timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    @property
    def status(self):
        return self.status_on()

    def clean(self):
        if self.renews_id and self.renews.office_id != self.office_id:
            raise ValidationError({"renews": _("An agreement can only renew an agreement of the same office.")})


class Agent(models.Model):
    """An agen Perisai: a community member trained by the branch who enrols informal workers."""

    class Status(models.TextChoices):
        """Whether the agent is in the network. An agent out of it has *left* ("Berhenti"), the same word the
        activity badge uses (``incentives.activity``); "inactive" ("Tidak aktif") is kept for an agent still
        in the network who enrolled nobody lately, so one word never means two things. The stored value
        stays "inactive"."""

        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Left")

    class DeactivationReason(models.TextChoices):
        INACTIVITY = "inactivity", _("No new participants (inactivity)")
        FRAUD = "fraud", _("Fraud")
        RESIGNED = "resigned", _("Resigned")
        OTHER = "other", _("Other")

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="agents")
    office = models.ForeignKey(
        PerisaiOffice, verbose_name=_("Perisai office"), on_delete=models.PROTECT, related_name="agents"
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent",
    )
    code = models.CharField(_("agent code"), max_length=20, unique=True)
    nik = models.CharField("NIK", max_length=16, unique=True, validators=[validate_nik])
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    kecamatan = models.CharField(_("kecamatan"), max_length=60)
    desa = models.CharField(_("desa/kelurahan"), max_length=60, blank=True)
    district = district_field()
    village = village_field()
    joined_on = models.DateField(_("joined on"))
    trained_on = models.DateField(_("trained on (pembekalan)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    deactivation_reason = models.CharField(
        _("reason for leaving"), max_length=12, choices=DeactivationReason.choices, blank=True
    )
    declared_not_bpjs_employee_on = models.DateField(
        _("declared not a BPJS Ketenagakerjaan employee on"),
        null=True,
        blank=True,
        help_text=_("BPJS Ketenagakerjaan employees may not be agents; empty for agents added before it was asked."),
    )
    recruited_by = models.ForeignKey(
        "self",
        verbose_name=_("recruited by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruits",
        help_text=_("The agent who brought this agent in; a scheme may pay them a recruitment fee."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="agent_leaves_after_joining",
                violation_error_message=_("An agent cannot leave before joining."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True) | Q(status="inactive", left_on__isnull=False),
                name="agent_inactive_has_left_on",
                violation_error_message=_("An inactive agent has a leaving date; an active one has none."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", deactivation_reason="")
                | (Q(status="inactive") & ~Q(deactivation_reason="")),
                name="agent_left_with_reason",
                violation_error_message=_("An inactive agent has a reason for leaving; an active one has none."),
            ),
            models.CheckConstraint(condition=~Q(recruited_by=models.F("id")), name="agent_not_recruited_by_self"),
            *place_constraints("agent"),
        ]
        indexes = [models.Index(fields=["branch", "status"])]

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    def clean(self):
        normalise_phone_field(self)
        if self.office_id and self.branch_id and self.office.branch_id != self.branch_id:
            raise ValidationError({"office": _("The Perisai office belongs to another branch.")})
        if self.recruited_by_id:
            if self.pk and self.recruited_by_id == self.pk:
                raise ValidationError({"recruited_by": _("An agent cannot recruit themselves.")})
            if self.branch_id and self.recruited_by.branch_id != self.branch_id:
                raise ValidationError({"recruited_by": _("The recruiting agent belongs to another branch.")})


class ProgrammeTerms(EffectiveMonths):
    """How long an agent or an office may go without producing, and how long a deactivated agent waits.

    An agent with no new participant for ``agent_at_risk_months`` calendar months running is at risk,
    for ``agent_inactive_months`` inactive; an agent deactivated for inactivity may come back
    ``reactivation_wait_months`` after leaving. An office under its monthly minimum for
    ``office_warning_months`` running is warned, for ``office_pks_loss_months`` its PKS is at risk.

    The terms also say how long a PKS may run (``agreement_max_months``: 36 before April 2022, 12 since:
    a longer PKS is refused when entered or renewed, by the terms in force in the month it starts) and
    how many active agents an office needs (``office_min_active_agents``: 3 before April 2022, 5 since;
    an office with fewer is flagged beside the offices under their monthly minimum), and the working age
    of the workers enrolled (``participant_min_age`` to ``participant_max_age`` on the day of enrolment:
    15 to 65 for BPU participants, set on existing terms by agents migration 0010). Empty: no such rule.
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
    agreement_max_months = models.PositiveSmallIntegerField(
        _("longest PKS (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("A PKS starting while these terms are in force runs at most this many months; empty: no limit."),
    )
    office_min_active_agents = models.PositiveSmallIntegerField(
        _("active agents an office needs"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Agents active or at risk (not inactive, not left); empty: no minimum."),
    )
    participant_min_age = models.PositiveSmallIntegerField(
        _("youngest worker enrolled (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("A worker younger than this on the day of enrolment is refused; empty: no lower bound."),
    )
    participant_max_age = models.PositiveSmallIntegerField(
        _("oldest worker enrolled (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("A worker older than this on the day of enrolment is refused; empty: no upper bound."),
    )

    # Moved here from the incentives app (agents migration 0003): the tables keep their names.
    history = HistoricalRecords(table_name="incentives_historicalprogrammeterms")

    class Meta(EffectiveMonths.Meta):
        db_table = "incentives_programmeterms"
        verbose_name = _("programme terms")
        verbose_name_plural = _("programme terms")
        constraints = [
            *period_constraints("programme_terms"),
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
            models.CheckConstraint(
                condition=Q(participant_min_age__isnull=True)
                | Q(participant_max_age__isnull=True)
                | Q(participant_max_age__gt=F("participant_min_age")),
                name="programme_terms_working_age_ordered",
                violation_error_message=_("The youngest age enrolled must be below the oldest."),
            ),
            models.CheckConstraint(
                condition=(Q(agreement_max_months__isnull=True) | Q(agreement_max_months__gte=1))
                & (Q(office_min_active_agents__isnull=True) | Q(office_min_active_agents__gte=1)),
                name="programme_terms_pks_and_agent_minimums_positive",
            ),
        ]
