"""Recruitment: the path from a candidate to a working agent.

A candidate is registered by branch staff or by an agent who recruits them; the branch invites them to
a training session (pembekalan) with a capacity; at the door their attendance is taken; those who
attended get a test result against the session's pass mark; a candidate who passed is activated as an
agent of an office (``agents.Agent``, with the training date and the recruiter). A candidate who failed
may be invited to a later session (a retake), and anyone not yet activated may withdraw.

One ``Seat`` is one candidate's place in one session: the invitation, the attendance, the score. The
candidate's ``stage`` is where they stand now; every change of it is in the candidate's history
(``HistoricalRecords``), with who made it and when. The rules that move a candidate between stages are
``recruitment.services``; the schema keeps what must always hold.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agents.models import Agent, Branch, phone_validator
from perisai.areas.fields import district_field, place_constraints, village_field
from perisai.nik import Gender, validate_nik
from perisai.phones import normalise_phone_field


class TrainingSession(models.Model):
    """One pembekalan the branch holds: when, where, who trains, how many seats, what is taught."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    held_on = models.DateField(_("held on"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=160)
    trainer = models.CharField(_("trainer"), max_length=120)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)], help_text=_("Seats available.")
    )
    materials = models.TextField(
        _("materials"),
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text=_("The programmes and topics taught, one per line."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The lowest test score (0–100) that passes."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=500), name="training_session_capacity_in_range"
            ),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="training_session_pass_mark_in_range"),
        ]
        indexes = [models.Index(fields=["branch", "held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} · {self.place}"


class Candidate(models.Model):
    """Someone on the way to becoming an agent of the branch, and where they stand (``stage``)."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        INVITED = "invited", _("Invited to training")
        TRAINED = "trained", _("Trained")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        ACTIVATED = "activated", _("Activated as agent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="candidates")
    nik = models.CharField("NIK", max_length=16, unique=True, validators=[validate_nik])
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    kecamatan = models.CharField(_("kecamatan"), max_length=60)
    desa = models.CharField(_("desa/kelurahan"), max_length=60, blank=True)
    district = district_field()
    village = village_field()
    recruited_by = models.ForeignKey(
        Agent,
        verbose_name=_("recruited by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        help_text=_("The agent who brought the candidate in; empty when the branch found them."),
    )
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    declared_not_bpjs_employee_on = models.DateField(
        _("declared not a BPJS Ketenagakerjaan employee on"),
        help_text=_("BPJS Ketenagakerjaan employees may not be agents."),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REGISTERED)
    stage_changed_on = models.DateField(_("stage changed on"))
    agent = models.OneToOneField(
        Agent,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacy",
        help_text=_("The agent this candidate became."),
    )
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="activated", agent__isnull=False) | (~Q(stage="activated") & Q(agent__isnull=True)),
                name="candidate_activated_has_agent",
                violation_error_message=_("An activated candidate has an agent; no one else does."),
            ),
            models.CheckConstraint(
                condition=Q(stage="withdrawn") & ~Q(withdrawal_reason="")
                | ~Q(stage="withdrawn") & Q(withdrawal_reason=""),
                name="candidate_withdrawn_with_reason",
                violation_error_message=_("A withdrawn candidate has a reason; no one else does."),
            ),
            *place_constraints("candidate"),
        ]
        indexes = [models.Index(fields=["branch", "stage"]), models.Index(fields=["branch", "registered_on"])]

    def __str__(self):
        return self.full_name

    def clean(self):
        normalise_phone_field(self)


class Seat(models.Model):
    """One candidate's place in one training session: invited, present or not, the test score.

    ``attended`` is empty until attendance is taken; a score needs attendance, and whether it passed is
    the session's pass mark (``passed`` is kept so the history shows the result as it was decided).
    """

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("training session"), on_delete=models.PROTECT, related_name="seats"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="seats"
    )
    invited_on = models.DateField(_("invited on"))
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("test score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "candidate__full_name"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["session", "candidate"], name="seat_once_per_session"),
            # A candidate waits for one session at a time: at most one seat whose attendance is not taken.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(attended__isnull=True),
                name="seat_one_open_per_candidate",
                violation_error_message=_("The candidate is already invited to another session."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(attended=True, score__lte=100),
                name="seat_score_needs_attendance",
                violation_error_message=_("Only a candidate who attended has a test result."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True, passed__isnull=True) | Q(score__isnull=False, passed__isnull=False),
                name="seat_passed_with_score",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} · {self.session}"
