"""Reads for the agent's own pages, and the one place that decides what an agent may see there.

Every query starts from ``perisai.scoping.for_user`` with the path to the agent whose rows they are
(the performance figures from ``reports.scopes.scope_for``, the agent's own report scope):
- the participants an agent follows up are those whose *latest* acquisition they look after
  (``Acquisition.caretaker``), lapsed ones included so they can be visited again. When another agent
  enrols a lapsed worker again, the worker is theirs from then on;
- acquisitions are credited to the agent who made them (``Acquisition.agent``) for the performance
  figures, even after staff move the participant to another caretaker, as in the branch reports;
- anyone who is not an agent linked to an ``Agent`` gets a 404 from these pages, not a 403: the pages
  do not exist for them.

Payment status this month (``PaymentStatus``), first match wins:
- *lapsed*: the acquisition has lapsed (its status), or nothing was paid for this month nor the two
  before it (``LAPSED_AFTER_MONTHS`` = 3) by a worker enrolled before those months: the reports'
  rule (``reports.continuity``), so an agent's lapsed list is the one the branch discusses;
- *paid*: a contribution for this month is recorded;
- *late*: nothing paid for this month nor the month before (``LATE_AFTER_MONTHS`` = 2), by a worker
  enrolled before this month: a visit now keeps them from lapsing;
- *due*: not paid for this month yet (paid last month, or enrolled this month).

Collection rate: *this month*, the share of the active participants looked after who paid for this
month; *this year*, paid months over due months. A month is due from the month of enrolment (or
January) through the current month, or for a lapsed acquisition through the last month that began
before it lapsed; a paid month is a contribution for a due month. The current month counts as due
although it can still be paid.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least, Replace
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, User
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.services.enrolment import acquisition_pricing, month_start
from perisai.scoping import for_user
from reports.acquisitions import MonthTotal, YearTotal, monthly_comparison, share, year_summary, yearly_totals
from reports.continuity import PAYING_WINDOW_MONTHS
from reports.periods import Period, add_months
from reports.scopes import scope_for
from reports.targets import TargetProgress, target_progress

LATE_AFTER_MONTHS = 2
LAPSED_AFTER_MONTHS = PAYING_WINDOW_MONTHS
PAGE_SIZE = 25


# --- access ------------------------------------------------------------------------------------


def agent_for_user_or_404(user):
    """The ``Agent`` whose login ``user`` is; 404 for anyone else (staff, heads, administrators)."""
    if not user.is_authenticated or user.role != User.Role.AGENT:
        raise Http404(_("These pages are for agents."))
    return get_object_or_404(Agent.objects.select_related("branch", "office"), user=user)


def acquisitions_for_agent_user(user):
    """Every acquisition ``user`` (an agent) looks after, current or superseded."""
    if getattr(user, "role", None) != User.Role.AGENT:
        return Acquisition.objects.none()
    return for_user(Acquisition.objects.all(), user, agent_path="caretaker")


def contributions_for_agent_user(user):
    """Contributions to the acquisitions ``user`` (an agent) looks after."""
    if getattr(user, "role", None) != User.Role.AGENT:
        return Contribution.objects.none()
    return for_user(Contribution.objects.all(), user, agent_path="acquisition__caretaker")


def credited_acquisitions_for_agent_user(user):
    """Acquisitions ``user`` (an agent) made: what their performance counts."""
    if getattr(user, "role", None) != User.Role.AGENT:
        return Acquisition.objects.none()
    return for_user(Acquisition.objects.all(), user, agent_path="agent")


def current_acquisitions_for_agent_user(user):
    """The latest acquisition of each participant ``user`` looks after: one row per participant."""
    later = Acquisition.objects.filter(participant=OuterRef("participant")).filter(
        Q(acquired_on__gt=OuterRef("acquired_on")) | Q(acquired_on=OuterRef("acquired_on"), pk__gt=OuterRef("pk"))
    )
    return acquisitions_for_agent_user(user).filter(~Exists(later))


def participants_for_agent_user(user):
    return Participant.objects.filter(pk__in=current_acquisitions_for_agent_user(user).values("participant_id"))


def participant_for_agent_user_or_404(user, pk):
    return get_object_or_404(participants_for_agent_user(user), pk=pk)


def acquisition_for_agent_user_or_404(user, pk):
    """One of ``user``'s current acquisitions, with its participant; 404 for anyone else's."""
    return get_object_or_404(current_acquisitions_for_agent_user(user).select_related("participant"), pk=pk)


# --- payment status ----------------------------------------------------------------------------


class PaymentStatus:
    PAID = "paid"
    DUE = "due"
    LATE = "late"
    LAPSED = "lapsed"

    choices = [
        (PAID, _("Paid this month")),
        (DUE, _("Due this month")),
        (LATE, _("Late")),
        (LAPSED, _("Lapsed")),
    ]


def with_payment_status(acquisitions, *, today):
    """``acquisitions`` annotated by the database with ``payment_status``, ``paid_this_month`` and
    ``last_paid`` (the latest month paid, or ``None``)."""
    this_month = month_start(today)
    late_window = add_months(this_month, 1 - LATE_AFTER_MONTHS)
    lapse_window = add_months(this_month, 1 - LAPSED_AFTER_MONTHS)
    contributions = Contribution.objects.filter(acquisition=OuterRef("pk"), period__lte=this_month)
    return acquisitions.annotate(
        paid_this_month=Exists(contributions.filter(period=this_month)),
        paid_lately=Exists(contributions.filter(period__gte=late_window)),
        paid_before_lapsing=Exists(contributions.filter(period__gte=lapse_window)),
        last_paid=Subquery(contributions.order_by("-period").values("period")[:1]),
        payment_status=Case(
            When(status=Acquisition.Status.LAPSED, then=Value(PaymentStatus.LAPSED)),
            When(paid_before_lapsing=False, acquired_on__lt=lapse_window, then=Value(PaymentStatus.LAPSED)),
            When(paid_this_month=True, then=Value(PaymentStatus.PAID)),
            When(paid_lately=False, acquired_on__lt=this_month, then=Value(PaymentStatus.LATE)),
            default=Value(PaymentStatus.DUE),
        ),
    )


def _search(acquisitions, text):
    """By name, or by digits of the NIK or phone number (dashes and spaces in phone numbers ignored)."""
    text = text.strip()
    if not text:
        return acquisitions
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        phone_digits = Replace(Replace("participant__phone", Value("-"), Value("")), Value(" "), Value(""))
        return acquisitions.annotate(phone_digits=phone_digits).filter(
            Q(participant__nik__contains=digits) | Q(phone_digits__contains=digits)
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
        month = add_months(month, -1)
    return months


def agent_home_summary(user, *, today):
    """The landing page's figures: payment status counts and this month's acquisitions."""
    return {
        **payment_status_counts(user, today=today),
        "acquired_this_month": credited_acquisitions_for_agent_user(user)
        .filter(acquired_on__gte=month_start(today), acquired_on__lte=today)
        .count(),
    }


def kecamatan_names(branch):
    """Kecamatan already used for the branch's participants: suggestions while typing, not a closed list."""
    return list(
        Participant.objects.filter(branch=branch).order_by("kecamatan").values_list("kecamatan", flat=True).distinct()
    )


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


# --- performance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Performance:
    """An agent's figures: the acquisition ones come from the branch reports' functions (``reports``),
    so the agent sees what the evaluation meeting sees; the collection rates are the agent's own."""

    today: datetime.date
    period: Period
    summary: YearTotal
    month: MonthTotal
    per_year: list
    target: TargetProgress | None
    active: int
    paid_this_month: int
    due_months: int
    paid_months: int

    @property
    def collection_this_month(self):
        return share(self.paid_this_month, self.active)

    @property
    def collection_this_year(self):
        return share(self.paid_months, self.due_months)


def _month_index(expression):
    return ExtractYear(expression) * 12 + ExtractMonth(expression)


def _due_and_paid_months(user, *, today):
    """Due months and paid months this year over the acquisitions ``user`` looks after (see module)."""
    year_start = datetime.date(today.year, 1, 1)
    this_month = month_start(today)
    today_index = today.year * 12 + today.month
    last_month_before_lapse = _month_index("ended_on") - Case(When(ended_on__day=1, then=Value(1)), default=Value(0))
    start = Greatest(_month_index("acquired_on"), Value(today.year * 12 + 1))
    end = Least(Coalesce(last_month_before_lapse, Value(today_index)), Value(today_index))
    due = (
        acquisitions_for_agent_user(user)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=year_start), acquired_on__lte=today)
        .aggregate(months=Coalesce(Sum(Greatest(end - start + 1, Value(0))), Value(0)))["months"]
    )
    paid = (
        contributions_for_agent_user(user)
        .filter(period__gte=year_start, period__lte=this_month)
        .filter(Q(acquisition__ended_on__isnull=True) | Q(period__lt=F("acquisition__ended_on")))
        .count()
    )
    return due, paid


def agent_performance(user, *, today):
    """``user``'s (an agent's) acquisitions this month and year to date against the same months last
    year, the whole of last year and the agent's target, and their collection rates.

    The period is January through this month (``Period.containing(today)``); the acquisition figures
    are the reports' (``yearly_totals``, ``monthly_comparison``, ``target_progress``) in the agent's
    own scope (``scope_for``), credited to the acquiring agent.
    """
    scope = scope_for(user)
    period = Period.containing(today)
    years = yearly_totals(scope=scope, period=period)
    target = next((row for row in target_progress(scope=scope, period=period) if row.level == "agent"), None)
    this_month = with_payment_status(
        acquisitions_for_agent_user(user).filter(status=Acquisition.Status.ACTIVE, acquired_on__lte=today),
        today=today,
    ).aggregate(active=Count("pk"), paid=Count("pk", filter=Q(paid_this_month=True)))
    due_months, paid_months = _due_and_paid_months(user, today=today)
    return Performance(
        today=today,
        period=period,
        summary=year_summary(years, period),
        month=monthly_comparison(scope=scope, period=period)[today.month - 1],
        per_year=[row for row in years if row.full_year],
        target=target,
        active=this_month["active"],
        paid_this_month=this_month["paid"],
        due_months=due_months,
        paid_months=paid_months,
    )
