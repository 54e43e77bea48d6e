"""Follow-up: the contacts agents make to keep participants paying, the reminder texts the branch writes,
and the reminder messages waiting to go out.

A participant who pays nothing for three months lapses (``enrollment.paying``). What keeps them paying is
a timely word from their agent; this app records those words and their outcome (``ContactAttempt``),
the wording the branch uses (``MessageTemplate``, data with placeholders, never strings in code), and
the reminders a scheduled command queues (``OutboxMessage``), and the day's e-mail to a branch's staff
once sent (``StaffNotice``). Who needs a word today is ``followup.selectors``; messages never carry a full NIK.
"""

import string

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, Branch
from enrollment.models import Acquisition, client_key_field


class ContactAttempt(models.Model):
    """One attempt to reach a participant about their contributions, and how it went.

    It belongs to the acquisition being followed up (the participant's standing one); ``agent`` is the
    agent who made it (empty when branch staff logged it), ``recorded_by`` the account that logged it.
    A promise to pay carries its date: the participant leaves the agent's list until then.
    """

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")
        PROMISED = "promised", _("Promised to pay")
        REFUSES = "refuses", _("Refuses to pay")
        MOVED = "moved", _("Moved away")
        DECEASED = "deceased", _("Deceased")

    class Via(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        SMS = "sms", "SMS"
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")

    ENDS_FOLLOW_UP = (Outcome.REFUSES, Outcome.DECEASED)
    """Outcomes that take the participant off the agent's list."""

    acquisition = models.ForeignKey(
        Acquisition, verbose_name=_("acquisition"), on_delete=models.CASCADE, related_name="contact_attempts"
    )
    agent = models.ForeignKey(
        Agent,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_attempts",
    )
    recorded_by = models.ForeignKey(
        "agents.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_at = models.DateTimeField(_("contacted at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    via = models.CharField(_("by"), max_length=10, choices=Via.choices, blank=True)
    promised_on = models.DateField(_("promised to pay on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    client_key = client_key_field()

    class Meta:
        ordering = ["-contacted_at", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="promised", promised_on__isnull=False)
                | (~Q(outcome="promised") & Q(promised_on__isnull=True)),
                name="contact_promise_has_date",
                violation_error_message=_("A promise to pay needs its date, and only a promise has one."),
            ),
            # A key sent twice writes once (enrollment.client_keys); only keyed rows are indexed.
            models.UniqueConstraint(
                fields=["client_key"], condition=Q(client_key__isnull=False), name="contact_client_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["acquisition", "-contacted_at"], name="contact_acquisition_latest"),
            models.Index(fields=["agent", "contacted_at"], name="contact_agent_time"),
        ]

    def __str__(self):
        return f"{self.acquisition_id}: {self.get_outcome_display()} ({self.contacted_at:%d-%m-%Y %H:%M})"


PLACEHOLDERS = {
    "nama": _("the participant's first name"),
    "bulan": _("the months not yet paid, e.g. “Mei dan Juni 2022”"),
    "jumlah": _("the amount to pay"),
    "agen": _("the agent's name"),
    "hp_agen": _("the agent's phone"),
    "jumlah_peserta": _("for an agent: how many participants need a word"),
}
"""What a template may say in ``{braces}``; nothing else (and never a NIK)."""


def validate_placeholders(text):
    """Only the known ``{placeholders}``, each well formed: a typo would send ``{nma}`` to a participant."""
    try:
        fields = [name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise ValidationError(
            _("A “{” or “}” is not closed. Write placeholders as {nama}."), code="bad_brace"
        ) from None
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s. Use %(known)s.")
            % {
                "names": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


class MessageTemplate(models.Model):
    """The wording of a reminder, edited by the branch; placeholders in ``{braces}`` (``PLACEHOLDERS``).

    A template without a branch is the national wording, used by every branch that has not written its own.
    """

    class Purpose(models.TextChoices):
        DUE = "due", _("Due this month")
        LATE = "late", _("One month from lapsing")
        LAPSED = "lapsed", _("Lapsed recently")
        AGENT_LIST = "agent_list", _("To an agent: their list")

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(_("for"), max_length=12, choices=Purpose.choices)
    # ``max_length`` alone only reaches the admin's form; the validator makes ``full_clean`` refuse it too.
    text = models.TextField(_("text"), max_length=600, validators=[MaxLengthValidator(600)])

    class Meta:
        ordering = ["branch", "purpose"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "purpose"],
                name="message_template_one_per_branch",
                violation_error_message=_("The branch already has a template for this."),
            ),
            models.UniqueConstraint(
                fields=["purpose"],
                condition=Q(branch__isnull=True),
                name="message_template_one_national",
                violation_error_message=_("There is already a national template for this."),
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} — {self.branch or _('national')}"

    def clean(self):
        try:
            validate_placeholders(self.text or "")
        except ValidationError as error:
            raise ValidationError({"text": error}) from None


class OutboxMessage(models.Model):
    """A reminder queued by the scheduled command, and what became of it with the sending backend.

    ``month`` is the month the reminder is about: a person gets at most one reminder a month (a
    participant through their acquisition, an agent about their list), which the schema enforces, so
    running ``send_reminders`` again the same month queues nothing new (``followup.reminders``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("for"), max_length=12, choices=MessageTemplate.Purpose.choices)
    acquisition = models.ForeignKey(
        Acquisition, verbose_name=_("acquisition"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to = models.CharField(_("to"), max_length=20)
    text = models.TextField(_("text"))
    month = models.DateField(
        _("month"), help_text=_("The month the reminder is for (its first day): one reminder a person a month.")
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField(_("sent by"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(acquisition__isnull=False, agent__isnull=True)
                | Q(acquisition__isnull=True, agent__isnull=False),
                name="outbox_message_to_one_person",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="outbox_month_is_first_day"),
            models.UniqueConstraint(
                fields=["acquisition", "month"],
                condition=Q(acquisition__isnull=False),
                name="outbox_one_per_participant_month",
                violation_error_message=_("This participant already has a reminder for this month."),
            ),
            models.UniqueConstraint(
                fields=["agent", "month"],
                condition=Q(agent__isnull=False),
                name="outbox_one_per_agent_month",
                violation_error_message=_("This agent already has a reminder for this month."),
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "-created_at"], name="outbox_branch_time"),
            models.Index(fields=["status", "month"], name="outbox_status_month"),
        ]

    def __str__(self):
        # No phone number: the name shows in the admin's titles and logs, where not everyone may read it.
        return f"{self.get_purpose_display()} #{self.pk} ({self.get_status_display()})"


class StaffNotice(models.Model):
    """The day's e-mail to a branch's staff and head (PKS to renew, offices under their minimum), once sent.

    At most one a branch a day (the schema says so): ``notify_staff`` run twice the same day sends nothing
    the second time. It records that the e-mail went and to how many, not what it said.
    """

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    recipients = models.PositiveIntegerField(_("recipients"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-day", "branch"]
        verbose_name = _("staff notice")
        verbose_name_plural = _("staff notices")
        constraints = [
            models.UniqueConstraint(fields=["branch", "day"], name="staff_notice_one_a_day"),
        ]

    def __str__(self):
        return f"{self.branch} {self.day:%d-%m-%Y}"
