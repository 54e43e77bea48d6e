"""Reads for the agent's own pages: the rows an agent reaches, their participants with this month's
payment status, pricing.

Every query starts from ``agents.scoping.for_user`` with the path to the agent whose rows they are:
- the participants an agent follows up are those whose *latest* acquisition they look after
  (``Acquisition.caretaker``), lapsed ones included so they can be visited again. When another agent
  enrols a lapsed worker again, the worker is theirs from then on;
- acquisitions are credited to the agent who made them (``Acquisition.agent``) for the figures, even
  after staff move the participant to another caretaker, as in the branch reports;
- anyone who is not an agent gets no rows; the pages answer them 404 (``web.access.agent_required``).

Payment status this month is ``enrollment.paying.with_payment_status``. The agent's performance is a
report (``reports.performance``).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Replace

from agents.scoping import for_user
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.paying import PaymentStatus, with_payment_status
from enrollment.services.enrolment import acquisition_pricing
from perisai.months import month_start, shift_month
from perisai.phones import searchable
from perisai.roles import Role

PAGE_SIZE = 25


# --- access ------------------------------------------------------------------------------------


def acquisitions_for_agent_user(user):
    """Every acquisition ``user`` (an agent) looks after, current or superseded."""
    if getattr(user, "role", None) != Role.AGENT:
        return Acquisition.objects.none()
    return for_user(Acquisition.objects.all(), user, agent_path="caretaker")


def contributions_for_agent_user(user):
    """Contributions to the acquisitions ``user`` (an agent) looks after."""
    if getattr(user, "role", None) != Role.AGENT:
        return Contribution.objects.none()
    return for_user(Contribution.objects.all(), user, agent_path="acquisition__caretaker")


def credited_acquisitions_for_agent_user(user):
    """Acquisitions ``user`` (an agent) made: what their performance counts."""
    if getattr(user, "role", None) != Role.AGENT:
        return Acquisition.objects.none()
    return for_user(Acquisition.objects.all(), user, agent_path="agent")


def current_acquisitions_for_agent_user(user):
    """The latest acquisition of each participant ``user`` looks after: one row per participant."""
    later = Acquisition.objects.filter(participant=OuterRef("participant")).filter(
        Q(acquired_on__gt=OuterRef("acquired_on")) | Q(acquired_on=OuterRef("acquired_on"), pk__gt=OuterRef("pk"))
    )
    return acquisitions_for_agent_user(user).filter(~Exists(later))


def participants_for_agent_user(user):
    """The participants ``user`` (an agent) follows up: those whose latest acquisition they look after."""
    return Participant.objects.filter(pk__in=current_acquisitions_for_agent_user(user).values("participant_id"))


def current_acquisitions_with_participants(user):
    """``current_acquisitions_for_agent_user`` with each participant, for the pages that fetch one."""
    return current_acquisitions_for_agent_user(user).select_related("participant")


# --- participants -------------------------------------------------------------------------


def _search(acquisitions, text):
    """By name, or by digits of the NIK or phone number (dashes and spaces in phone numbers ignored)."""
    text = text.strip()
    if not text:
        return acquisitions
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        phone_digits = Replace(Replace("participant__phone", Value("-"), Value("")), Value(" "), Value(""))
        return acquisitions.annotate(phone_digits=phone_digits).filter(
            Q(participant__nik__contains=digits) | Q(phone_digits__contains=searchable(digits))
        )
    return acquisitions.filter(participant__full_name__icontains=text)


def my_participants(user, *, today, search="", status=""):
    """The participants ``user`` follows up, as their current acquisitions, by name, with payment status."""
    acquisitions = with_payment_status(current_acquisitions_for_agent_user(user), today=today)
    acquisitions = _search(acquisitions, search)
    if status:
        acquisitions = acquisitions.filter(payment_status=status)
    return acquisitions.select_related("participant").order_by("participant__full_name", "pk")


def payment_status_counts(user, *, today):
    """``{"paid": n, "due": n, "late": n, "lapsed": n}`` over the participants ``user`` follows up."""
    acquisitions = with_payment_status(current_acquisitions_for_agent_user(user), today=today)
    return acquisitions.aggregate(
        **{status: Count("pk", filter=Q(payment_status=status)) for status, _label in PaymentStatus.choices}
    )


def participant_acquisitions(user, participant, *, today):
    """The acquisitions of ``participant`` that ``user`` looks after, newest first, each with its
    contributions (newest month first) and payment status."""
    return (
        with_payment_status(acquisitions_for_agent_user(user).filter(participant=participant), today=today)
        .select_related("rate")
        .prefetch_related(Prefetch("contributions", queryset=Contribution.objects.order_by("-period")))
        .order_by("-acquired_on", "-pk")
    )


def paid_periods(acquisition):
    return set(acquisition.contributions.values_list("period", flat=True))


def contribution_months(acquisition, *, today):
    """The months a contribution may be recorded for: enrolment month through this month, newest first."""
    first, month = month_start(acquisition.acquired_on), month_start(today)
    months = []
    while month >= first:
        months.append(month)
        month = shift_month(month, -1)
    return months


def agent_home_summary(user, *, today):
    """The landing page's figures: payment status counts and this month's acquisitions."""
    return {
        **payment_status_counts(user, today=today),
        "acquired_this_month": credited_acquisitions_for_agent_user(user)
        .filter(acquired_on__gte=month_start(today), acquired_on__lte=today)
        .count(),
    }


# --- pricing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """What a worker would pay each month at the rate in force on a day."""

    rate: object
    jkk: Decimal
    jkm: Decimal
    jht: Decimal

    @property
    def total(self):
        return self.jkk + self.jkm + self.jht


def contribution_quote(*, declared_income, with_jht, on):
    """The monthly contribution for ``declared_income`` at the rate in force ``on``; ``ValidationError``
    when no rate covers the day or the income is out of the rate's range."""
    rate, _total = acquisition_pricing(acquired_on=on, declared_income=declared_income, with_jht=with_jht)
    parts = rate.breakdown(declared_income, with_jht=with_jht)
    return Quote(rate=rate, jkk=parts.jkk, jkm=parts.jkm, jht=parts.jht)
