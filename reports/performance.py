"""An agent's own performance: the figures of their "my performance" page.

The acquisition figures are the branch reports' own (``yearly_totals``, ``monthly_comparison``,
``target_progress``) in the agent's report scope (``scope_for``), credited to the acquiring agent, so
the agent sees what the evaluation meeting sees. The collection rates are the agent's own, over the
participants they look after:

- *this month*: the share of the active participants looked after who paid for this month;
- *this year*: paid months over due months. A month is due from the month of enrolment (or January)
  through the current month, or for a lapsed acquisition through the last month that began before it
  lapsed; a paid month is a contribution for a due month. The current month counts as due although it
  can still be paid.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least

from agents.scoping import scope_for
from enrollment.models import Acquisition
from enrollment.paying import with_payment_status
from enrollment.selectors.field import acquisitions_for_agent_user, contributions_for_agent_user
from perisai.months import month_start
from reports.acquisitions import MonthTotal, YearTotal, monthly_comparison, share, year_summary, yearly_totals
from reports.periods import Period
from reports.targets import TargetProgress, target_progress


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
