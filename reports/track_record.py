"""One agent's or one Perisai office's track record: what they acquired, year by year and month by month,
and the counts the network's lists show beside each name.

Like every figure, these count an acquisition for the agent and office it was credited to, in the month
of ``acquired_on``, and read the counts the database keeps (``reports.rollups``: per month, and each agent's
total) rather than the acquisitions themselves: an agent list costs one row an agent, not a join over every
acquisition. Python only lays out the few rows it gets (twelve months, a handful of years).
"""

import datetime
from dataclasses import dataclass

from django.db.models import IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from perisai.months import month_start, shift_month
from reports.acquisitions import in_network
from reports.rollups import AcquisitionMonth, AgentTotal, OfficeMonth, acquisition_months


def with_acquisition_count(agents, *, sorted_by_it=False):
    """``agents`` (a queryset) with ``acquisition_count``: every acquisition credited to each, all time.

    Read from the agent's total (``AgentTotal``, one row an agent), not summed from the monthly counts. How it is
    read depends on whether the list is ordered by it (``sorted_by_it``), measured on the national list
    (12,000 agents, PostgreSQL): ordered by it, the totals are joined, hashed once (14 ms; a look-up per agent
    took 32-37 ms, the JIT compiling the plan its cost estimate called for, and the sum of the months 76 ms);
    otherwise each total is looked up for the page's rows only, after the sort (a join would cost every row,
    5 ms more). bench/README.md, section 2b."""
    if sorted_by_it:
        return agents.annotate(acquisition_count=Coalesce("acquisition_total__acquisitions", 0))
    total = AgentTotal.objects.filter(agent=OuterRef("pk")).values("acquisitions")
    return agents.annotate(acquisition_count=Coalesce(Subquery(total, output_field=IntegerField()), 0))


def with_acquisitions_in_year(offices, *, year):
    """``offices`` (a queryset) with ``acquisitions_this_year``: acquisitions credited to each in ``year``."""
    credited = OfficeMonth.objects.filter(office=OuterRef("pk"), month__year=year).order_by().values("office")
    total = credited.annotate(n=Sum("acquisitions")).values("n")
    return offices.annotate(acquisitions_this_year=Coalesce(Subquery(total, output_field=IntegerField()), 0))


def agent_acquisitions_total(*, agent):
    """Every acquisition credited to ``agent``, all time."""
    return AgentTotal.objects.filter(agent=agent).aggregate(n=Sum("acquisitions", default=0))["n"]


def agent_acquisition_years(*, agent):
    """Years in which ``agent`` made acquisitions, newest first."""
    return list(
        acquisition_months(by_agent=True)
        .filter(agent=agent)
        .annotate(year=ExtractYear("month"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


@dataclass(frozen=True)
class MonthCount:
    """One month of an agent's record; ``acquisitions`` is ``None`` (a blank cell, not 0) for a month
    the agent was not in the network and acquired nobody."""

    month: datetime.date
    acquisitions: int | None


def agent_acquisitions_by_month(*, agent, year=None, today=None):
    """Twelve ``MonthCount`` rows: January-December of ``year``, or the twelve months up to the latest.

    Without a year the window ends in the month of the latest acquisition recorded in the agent's
    branch (the dashboard's default period), so recent silent months show as zeros while data that
    stops in the past (the demo ends in June 2022) still shows; with no acquisitions at all, this month.
    A month before the agent joined (or after they left) is blank, not 0.
    """
    if year is not None:
        first = datetime.date(year, 1, 1)
    else:
        latest = acquisition_months().filter(branch_id=agent.branch_id).aggregate(latest=Max("month"))["latest"]
        first = shift_month(month_start(latest or today or timezone.localdate()), -11)
    months = [shift_month(first, i) for i in range(12)]
    counted = dict(
        AcquisitionMonth.objects.filter(agent=agent, month__range=(months[0], months[-1]))
        .values_list("month")
        .annotate(count=Sum("acquisitions"))
        .values_list("month", "count")
    )
    return [
        MonthCount(month, counted.get(month, 0) if month in counted or in_network(agent, month) else None)
        for month in months
    ]


@dataclass(frozen=True)
class YearRow:
    year: int
    months: list
    total: int


def office_acquisitions_by_year_and_month(*, office):
    """One ``YearRow`` per year with acquisitions credited to ``office``, newest first, months 1-12."""
    counted = (
        acquisition_months()
        .filter(office=office)
        .annotate(year=ExtractYear("month"), month_number=ExtractMonth("month"))
        .values("year", "month_number")
        .annotate(count=Sum("acquisitions"))
        .values_list("year", "month_number", "count")
    )
    by_year = {}
    for year, month, count in counted:
        by_year.setdefault(year, [0] * 12)[month - 1] = count
    return [YearRow(year, months, sum(months)) for year, months in sorted(by_year.items(), reverse=True)]
