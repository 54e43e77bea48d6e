"""The agent network month by month: agents active at each month end, recruited and left, and what
they acquired.

An agent is *in the network* (active) at a month end when they joined on or before it and had not left
by then (an agent who leaves on the last day of a month is no longer counted at that month end).
Agents are counted in the office they belong to now; acquisitions where they were credited.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from agents.models import Agent
from perisai.months import month_end
from reports.memo import shared
from reports.rollups import acquisition_months


def in_network_on(day):
    """Agents in the network (active) at the end of ``day``: joined on or before it, not left by then."""
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


@dataclass(frozen=True)
class NetworkMonth:
    month: datetime.date
    month_end: datetime.date
    active: int
    recruited: int
    left: int
    acquisitions: int
    agents_acquiring: int

    @property
    def per_active_agent(self):
        """Acquisitions in the month per agent active at its end, one decimal; ``None`` without agents."""
        if not self.active:
            return None
        return (Decimal(self.acquisitions) / self.active).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AgentNetwork:
    """The network at the start of the period (31 December before it) and each month of the period."""

    active_at_start: int
    months: list

    @property
    def active_at_end(self):
        return self.months[-1].active

    @property
    def recruited(self):
        return sum(month.recruited for month in self.months)

    @property
    def left(self):
        return sum(month.left for month in self.months)

    @property
    def acquisitions(self):
        return sum(month.acquisitions for month in self.months)


@shared
def agent_network(*, scope, period):
    """The ``AgentNetwork`` for the period's months. Two queries, whatever the number of agents."""
    agents = scope.filter_agents(Agent.objects.all())
    counts = {"start": Count("pk", filter=in_network_on(period.previous_year_end))}
    for first in period.month_starts():
        last = month_end(first)
        counts[f"active_{first.month}"] = Count("pk", filter=in_network_on(last))
        counts[f"recruited_{first.month}"] = Count("pk", filter=Q(joined_on__range=(first, last)))
        counts[f"left_{first.month}"] = Count("pk", filter=Q(left_on__range=(first, last)))
    network = agents.aggregate(**counts)
    acquired = {
        row["month"]: row
        for row in acquisition_months(scope, by_agent=True)
        .filter(month__range=(period.start, period.end))
        .values("month")
        .annotate(acquisitions=Sum("acquisitions"), agents=Count("agent", distinct=True))
        .order_by("month")
    }
    months = []
    for first in period.month_starts():
        row = acquired.get(first, {})
        months.append(
            NetworkMonth(
                month=first,
                month_end=month_end(first),
                active=network[f"active_{first.month}"],
                recruited=network[f"recruited_{first.month}"],
                left=network[f"left_{first.month}"],
                acquisitions=row.get("acquisitions", 0),
                agents_acquiring=row.get("agents", 0),
            )
        )
    return AgentNetwork(active_at_start=network["start"], months=months)
