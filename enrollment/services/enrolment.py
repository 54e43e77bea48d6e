"""Writes to enrollment data: an agent enrols a worker and records the monthly contributions.

The database has the last word on duplicates: a participant has at most one active acquisition (a
partial unique constraint) and an acquisition at most one contribution a month (a unique
constraint). The checks below give the friendly message in the usual case; when two people save at
the same moment the constraint decides, and the ``IntegrityError`` becomes the same message.

A write given a ``client_key`` (the phone's offline queue, a page form's hidden key) is recorded once:
the same key from the same agent returns the row the first send wrote (``enrollment.client_keys``).

Every write records ``history_user`` (django-simple-history) as the agent's login account, also when
the service runs outside a request (a shell, a test, a task).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agents.models import Agent
from agents.places import branch_regencies, place_resolve
from agents.terms import working_age_refusal
from enrollment.client_keys import prior_write
from enrollment.models import Acquisition, Contribution, ContributionRate, Participant
from perisai.formatting import rupiah
from perisai.months import month_start, shift_month

# A contribution may be paid up to one month ahead of its period: the first of the month before it.
PAID_AHEAD_MONTHS = 1

PARTICIPANT_CONTACT_FIELDS = ("phone", "address", "kecamatan", "desa", "occupation")


def acquisition_pricing(*, acquired_on, declared_income, with_jht):
    """The rate in force on ``acquired_on`` and the monthly contribution it gives.

    Raises ``ValidationError`` when no rate covers the date or the income is outside the rate's range.
    """
    try:
        rate = ContributionRate.objects.in_force_on(acquired_on)
    except ContributionRate.DoesNotExist:
        raise ValidationError(
            _("No contribution rate is in force on %(date)s.") % {"date": acquired_on.strftime("%d-%m-%Y")},
            code="no_rate",
        ) from None
    return rate, rate.breakdown(declared_income, with_jht=with_jht).total


class AlreadyEnrolled(ValidationError):
    """The worker has an active acquisition. The message names only its date and acquiring agent,
    all an agent may learn about another agent's participant; ``existing`` lets the page link to the
    participant when the asking agent looks after them (a double tap on Save)."""

    def __init__(self, existing):
        super().__init__(
            _("This worker is already enrolled: on %(date)s by %(agent)s. Nothing was saved.")
            % {"date": date_format(existing.acquired_on, "j F Y"), "agent": existing.agent.full_name},
            code="already_enrolled",
        )
        self.existing = existing


def _active_acquisition(nik):
    return (
        Acquisition.objects.filter(participant__nik=nik, status=Acquisition.Status.ACTIVE)
        .select_related("agent")
        .first()
    )


def acquisition_enrol(
    *,
    agent,
    nik,
    full_name,
    birth_date,
    gender,
    kecamatan,
    occupation,
    declared_income,
    with_jht=False,
    phone="",
    address="",
    desa="",
    acquired_on=None,
    client_key=None,
):
    """Enrol a worker: a new ``Acquisition`` by ``agent`` (today unless ``acquired_on``), priced at the rate
    in force that day, credited to the agent's branch and office, looked after by the agent.

    A new NIK creates the ``Participant``. A NIK whose every acquisition has lapsed is acquired again:
    a new acquisition of the same participant (it counts again), with the contact details entered
    (phone, address, kecamatan, desa, occupation) replacing the old ones and the participant moving to
    the agent's branch; name, birth date and gender stay as registered (staff correct those). A NIK
    with an active acquisition raises ``AlreadyEnrolled`` and nothing is saved.

    With ``client_key``, an enrolment this agent already saved under that key is returned as it is
    (``replayed``), before any other check: a retry of a saved enrolment is no new enrolment.
    """
    prior = prior_write(client_key, model=Acquisition, user=agent.user)
    if prior is not None:
        return prior
    acquired_on = acquired_on or timezone.localdate()
    if acquired_on > timezone.localdate():
        raise ValidationError(_("An enrolment cannot be dated in the future."), code="future")
    if agent.status != Agent.Status.ACTIVE:
        raise ValidationError(_("Only an active agent can enrol workers."), code="agent_inactive")
    existing = _active_acquisition(nik)
    if existing is not None:
        # The same key sent twice at once, the first send saved since the check above: that is the answer.
        prior = prior_write(client_key, model=Acquisition, user=agent.user)
        if prior is not None:
            return prior
        raise AlreadyEnrolled(existing)
    try:
        rate, monthly_contribution = acquisition_pricing(
            acquired_on=acquired_on, declared_income=declared_income, with_jht=with_jht
        )
    except ValidationError as error:
        if error.code == "income_out_of_range":
            raise ValidationError({"declared_income": error}) from None
        raise

    regencies = branch_regencies(agent.branch)
    with transaction.atomic():
        participant = Participant.objects.filter(nik=nik).first()
        contact = {"phone": phone, "address": address, "kecamatan": kecamatan, "desa": desa, "occupation": occupation}
        if participant is None:
            participant = Participant(
                nik=nik, full_name=full_name, birth_date=birth_date, gender=gender, branch=agent.branch, **contact
            )
        else:
            for field, value in contact.items():
                setattr(participant, field, value)
            participant.branch = agent.branch
        refusal = working_age_refusal(birth_date=participant.birth_date, day=acquired_on)
        if refusal is not None:
            raise ValidationError({"birth_date": refusal}, code="working_age")
        # NIK uniqueness and the one-active-acquisition rule are left to the database (see below).
        participant.full_clean(validate_unique=False, exclude=["kecamatan", "desa"])
        # The place once the NIK is known good (a place may be offered because of the NIK's regency); an
        # empty kecamatan is the NIK's own (``agents.places``).
        place = place_resolve(regencies=regencies, nik=nik, kecamatan=kecamatan, desa=desa)
        for field, value in place.fields().items():
            setattr(participant, field, value)
        acquisition = Acquisition(
            participant=participant,
            agent=agent,
            caretaker=agent,
            branch=agent.branch,
            office=agent.office,
            acquired_on=acquired_on,
            status=Acquisition.Status.ACTIVE,
            rate=rate,
            declared_income=declared_income,
            with_jht=with_jht,
            monthly_contribution=monthly_contribution,
            client_key=client_key,
        )
        acquisition.full_clean(exclude=["participant", "client_key"])  # a key used twice: the database decides
        participant._history_user = acquisition._history_user = agent.user
        try:
            with transaction.atomic():
                participant.save()
                acquisition.participant = participant
                acquisition.save()
        except IntegrityError:
            # The same key sent twice at once: the first send's enrolment is the answer.
            prior = prior_write(client_key, model=Acquisition, user=agent.user)
            if prior is not None:
                return prior
            existing = _active_acquisition(nik)
            if existing is None:
                raise ValidationError(
                    _("Someone saved this worker at the same moment. Check the NIK and try again."),
                    code="conflict",
                ) from None
            raise AlreadyEnrolled(existing) from None
    return acquisition


def _is_paid(acquisition, period):
    return acquisition.contributions.filter(period=period).exists()


def contribution_record(*, acquisition, agent, period, amount, paid_on, receipt_number="", client_key=None):
    """Record a month's contribution that ``agent`` collected for ``acquisition`` (channel "agent"),
    credited to the agent looking after the participant (the same agent: only they record).

    The rules an agent meets:
    - only the agent looking after the participant records, and only while the acquisition is active
      (a lapsed worker is enrolled again first);
    - one contribution per month: ``period`` is a month (any day in it), from the month of enrolment
      through the current month, never ahead;
    - the amount is exactly the acquisition's monthly contribution, fixed by the rate when the worker
      was enrolled: a different amount is refused with the expected one (a wrong amount is a typo or a
      wrong receipt, and the branch reconciles by month);
    - ``paid_on`` is not in the future, not before the enrolment and at most one month ahead of the
      period (from the first day of the month before it).

    With ``client_key``, the contribution this agent already recorded under that key is returned as it is
    (``replayed``), before any other check.
    """
    prior = prior_write(client_key, model=Contribution, user=agent.user)
    if prior is not None:
        return prior
    today = timezone.localdate()
    period = month_start(period)
    if acquisition.caretaker_id != agent.pk:
        raise ValidationError(_("This participant is looked after by another agent."), code="not_caretaker")
    if acquisition.status != Acquisition.Status.ACTIVE:
        raise ValidationError(
            _("This enrolment has lapsed. Enrol the worker again before recording contributions."), code="lapsed"
        )
    month = date_format(period, "F Y")
    errors = {}
    if period < month_start(acquisition.acquired_on):
        errors["period"] = _("The worker was enrolled on %(date)s; %(month)s is before that.") % {
            "date": date_format(acquisition.acquired_on, "j F Y"),
            "month": month,
        }
    elif period > month_start(today):
        errors["period"] = _("%(month)s has not started yet; contributions are recorded up to this month.") % {
            "month": month
        }
    if amount != acquisition.monthly_contribution:
        errors["amount"] = _("The monthly contribution for this participant is %(expected)s.") % {
            "expected": rupiah(acquisition.monthly_contribution)
        }
    if paid_on > today:
        errors["paid_on"] = _("The payment date cannot be in the future.")
    elif paid_on < acquisition.acquired_on:
        errors["paid_on"] = _("The payment date cannot be before the enrolment (%(date)s).") % {
            "date": date_format(acquisition.acquired_on, "j F Y")
        }
    elif paid_on < shift_month(period, -PAID_AHEAD_MONTHS):
        errors["paid_on"] = _("A contribution for %(month)s can be paid from %(date)s.") % {
            "month": month,
            "date": date_format(shift_month(period, -PAID_AHEAD_MONTHS), "j F Y"),
        }
    if errors:
        raise ValidationError(errors)

    already_paid = ValidationError(
        {"period": _("%(month)s is already paid for this participant.") % {"month": month}}, code="already_paid"
    )
    if _is_paid(acquisition, period):
        prior = prior_write(client_key, model=Contribution, user=agent.user)  # the same key sent twice at once
        if prior is not None:
            return prior
        raise already_paid
    contribution = Contribution(
        acquisition=acquisition,
        period=period,
        amount=amount,
        paid_on=paid_on,
        channel=Contribution.Channel.AGENT,
        receipt_number=receipt_number,
        collected_by=agent,
        credited_to=acquisition.caretaker,
        client_key=client_key,
    )
    # One contribution a month is the database's to decide (see the module docstring).
    contribution.full_clean(exclude=["acquisition", "client_key"])
    contribution._history_user = agent.user
    try:
        with transaction.atomic():
            contribution.save()
    except IntegrityError:
        prior = prior_write(client_key, model=Contribution, user=agent.user)
        if prior is not None:
            return prior
        raise already_paid from None
    return contribution
