"""The plan to beat last year: what remains, who must bring how much, and whether the network can.

**What remains**: last year's total + 1 − this year through the period's month, at least 0 (the
dashboard's "pace to beat last year" before it is divided by the months left). For Cilacap through
June 2022: 5,628 + 1 − 2,336 = 3,293.

**The months ahead** share it out as last year's same months did (the season of ``reports.targets``:
last year's months when it was a complete year, else the average of earlier complete years, else
evenly), in whole acquisitions adding up to the remainder (``perisai.apportion.largest_remainder``).

**Quotas** go to the people who will deliver them: the agents in the network at the period's end (as
``reports.network`` counts them: joined and not left), in the Perisai office they belong to now. Each
agent's *recent pace* is their acquisitions in the last ``PACE_MONTHS`` months of the period (wherever
they were credited). An office's pace is the sum of its agents', its quota the remainder split over
the offices in proportion to their pace, and each office's quota split over its agents in proportion to
theirs, both by the largest remainder method, so the offices' quotas add up to the remainder exactly
and each office's agents' quotas to their office's. An agent (or an office) with no recent pace gets no
quota: a share of nothing is nothing, and what they might bring back is the reactivation figure below.
Only when nobody in the scope acquired anyone in those months is the remainder split evenly over the
agents. Agents who left bring nothing ahead and are not listed.

**The network's capacity**: the output per active agent is the scope's acquisitions in those months
over the agents in the network at each of their month ends (the monthly figure of ``reports.network``,
averaged over the months); the agents it takes are the acquisitions needed a month (the remainder over
the months left, rounded up) over that output, rounded up; *more agents* what that exceeds today's.

**Reactivating the agents who fell silent**: agents still in the network with no acquisition in the
last ``agent_at_risk_months`` months of the period (the programme's terms in force then, 2 without
terms: the run that makes an agent *at risk*) who had acquired in the ``PACE_MONTHS`` months before.
Their pace before is those acquisitions a month; reactivating them all would bring that much a month
for the months left.

Everything is counted in the database from the monthly counts (``reports.rollups``): a fixed number of
queries whatever the number of agents.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import FilteredRelation, Q, Sum

from agents.models import Agent, PerisaiOffice
from agents.terms import terms_in_force
from perisai.apportion import half_up, largest_remainder
from perisai.months import month_end, shift_month
from reports.memo import shared
from reports.network import agent_network, in_network_on
from reports.periods import Period
from reports.targets import month_shapes, season_counts, season_of

PACE_MONTHS = 3
"""The recent months an agent's pace is measured over."""
AT_RISK_MONTHS = 2
"""The silent months that make an agent at risk when no programme terms say otherwise."""


def _per_month(value, months):
    return (Decimal(value) / months).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AgentQuota:
    code: str
    name: str
    recent: int
    quota: int

    @property
    def pace(self):
        """Acquisitions a month in the recent months, one decimal."""
        return _per_month(self.recent, PACE_MONTHS)


@dataclass(frozen=True)
class OfficeQuota:
    code: str
    name: str
    recent: int
    quota: int
    agents: list

    @property
    def pace(self):
        return _per_month(self.recent, PACE_MONTHS)


@dataclass(frozen=True)
class PlanMonth:
    month: datetime.date
    last_year: int
    planned: int


@dataclass(frozen=True)
class SilentAgent:
    """An agent in the network who fell silent, with what they acquired in the months before."""

    code: str
    name: str
    office: str
    before: int

    @property
    def pace(self):
        return _per_month(self.before, PACE_MONTHS)


@dataclass(frozen=True)
class Plan:
    period: Period
    previous_full_year: int
    year_to_date: int
    season: object
    months: list
    pace_from: datetime.date
    recent: int
    offices: list
    even_split: bool
    active_agents: int
    agent_months: int
    window_acquisitions: int
    silent_months: int
    silent: list

    @property
    def previous_year(self):
        return self.period.year - 1

    @property
    def remaining(self):
        """Acquisitions still needed to beat last year: its total + 1 − this year so far, at least 0."""
        return max(0, self.previous_full_year + 1 - self.year_to_date)

    @property
    def beaten(self):
        return self.previous_full_year > 0 and self.year_to_date > self.previous_full_year

    @property
    def months_remaining(self):
        return self.period.months_remaining

    @property
    def needed_per_month(self):
        """The remainder over the months left, rounded up; ``None`` when no month is left."""
        if not self.months_remaining:
            return None
        return math.ceil(self.remaining / self.months_remaining)

    @property
    def assigned(self):
        return sum(office.quota for office in self.offices)

    @property
    def unassigned(self):
        """What no agent could be given: the whole remainder when the scope has no agent."""
        return self.remaining - self.assigned if self.months_remaining else 0

    @property
    def agents(self):
        return sum(len(office.agents) for office in self.offices)

    @property
    def pace_per_month(self):
        """The scope's acquisitions a month in the recent months (its agents' now), one decimal."""
        return _per_month(self.recent, PACE_MONTHS)

    @property
    def at_recent_pace(self):
        """What the months left bring at the recent pace of today's agents."""
        return half_up(Fraction(self.recent, PACE_MONTHS) * self.months_remaining)

    @property
    def per_agent_exact(self):
        if not self.agent_months:
            return None
        return Fraction(self.window_acquisitions, self.agent_months)

    @property
    def per_active_agent(self):
        """Acquisitions a month per active agent in the recent months, one decimal; ``None`` without agents."""
        exact = self.per_agent_exact
        if exact is None:
            return None
        return _per_month(exact.numerator, exact.denominator)

    @property
    def agents_needed(self):
        """Active agents it takes to bring ``needed_per_month`` at today's output per agent."""
        exact = self.per_agent_exact
        if not exact or self.needed_per_month is None:
            return None
        return math.ceil(self.needed_per_month / exact)

    @property
    def more_agents_needed(self):
        if self.agents_needed is None:
            return None
        return max(0, self.agents_needed - self.active_agents)

    @property
    def reactivation_per_month(self):
        return _per_month(sum(agent.before for agent in self.silent), PACE_MONTHS)

    @property
    def reactivation_rest_of_year(self):
        return half_up(Fraction(sum(agent.before for agent in self.silent), PACE_MONTHS) * self.months_remaining)


@shared
def acquisition_plan(*, scope, period):
    """The ``Plan`` for ``scope`` after ``period``. Six queries (eight when the recent months reach into
    last year): the scope's monthly counts, the programme terms, the agents' paces, the offices and the
    network's size at the recent month ends."""
    counts = season_counts(scope=scope, period=period)
    year_to_date = sum(n for month, n in counts.items() if month.year == period.year)
    previous_full_year = sum(n for month, n in counts.items() if month.year == period.year - 1)
    season = season_of(month_shapes(counts, period.year), period.year)
    remaining = max(0, previous_full_year + 1 - year_to_date)
    ahead = range(period.through_month + 1, 13)
    planned = _split(remaining, [season.share_through(m) - season.share_through(m - 1) for m in ahead])
    months = [
        PlanMonth(datetime.date(period.year, m, 1), counts.get(datetime.date(period.year - 1, m, 1), 0), n)
        for m, n in zip(ahead, planned, strict=True)
    ]

    pace_from = shift_month(period.end, -(PACE_MONTHS - 1))
    terms = terms_in_force(period.end)
    silent_months = terms.agent_at_risk_months if terms is not None else AT_RISK_MONTHS
    silent_from = shift_month(period.end, -(silent_months - 1))
    before_from = shift_month(silent_from, -PACE_MONTHS)
    agents = list(
        scope.filter_agents(Agent.objects.filter(in_network_on(period.end)))
        .annotate(
            counted=FilteredRelation(
                "acquisition_months",
                condition=Q(acquisition_months__month__range=(before_from, period.end)),
            )
        )
        .annotate(
            recent=Sum("counted__acquisitions", filter=Q(counted__month__gte=pace_from), default=0),
            lately=Sum("counted__acquisitions", filter=Q(counted__month__gte=silent_from), default=0),
            before=Sum("counted__acquisitions", filter=Q(counted__month__lt=silent_from), default=0),
        )
        .values("code", "full_name", "office_id", "office__code", "office__name", "recent", "lately", "before")
        .order_by("office__code", "-recent", "full_name", "code")
    )
    offices = {
        office["pk"]: office
        for office in scope.filter_offices(PerisaiOffice.objects.all())
        .filter(Q(is_active=True) | Q(pk__in={agent["office_id"] for agent in agents}))
        .order_by("code")
        .values("pk", "code", "name")
    }
    recent = sum(agent["recent"] for agent in agents)
    even_split = not recent and bool(agents)
    quotas = _office_quotas(remaining if period.months_remaining else 0, offices, agents, even=even_split)

    window = _window_network(scope, period, pace_from)
    return Plan(
        period=period,
        previous_full_year=previous_full_year,
        year_to_date=year_to_date,
        season=season,
        months=months,
        pace_from=pace_from,
        recent=recent,
        offices=quotas,
        even_split=even_split,
        active_agents=len(agents),
        agent_months=sum(month.active for month in window),
        window_acquisitions=sum(month.acquisitions for month in window),
        silent_months=silent_months,
        silent=sorted(
            (
                SilentAgent(agent["code"], agent["full_name"], agent["office__name"], agent["before"])
                for agent in agents
                if not agent["lately"] and agent["before"]
            ),
            key=lambda agent: (-agent.before, agent.name, agent.code),
        ),
    )


def _split(total, weights):
    """``largest_remainder`` that gives nothing when there are no weights to give by."""
    if not any(weights):
        return [0] * len(weights)
    return largest_remainder(total, weights)


def _office_quotas(remaining, offices, agents, *, even):
    """``OfficeQuota`` rows, largest quota first: the remainder over the offices by their agents' pace,
    then each office's quota over its agents (every agent weighs 1 when ``even``)."""
    by_office = {office_id: [] for office_id in offices}
    for agent in agents:
        by_office.setdefault(agent["office_id"], []).append(agent)
        offices.setdefault(agent["office_id"], {"code": agent["office__code"], "name": agent["office__name"]})

    def weight(agent):
        return 1 if even else agent["recent"]

    ids = list(by_office)
    office_quotas = _split(remaining, [sum(weight(agent) for agent in by_office[i]) for i in ids])
    rows = []
    for office_id, quota in zip(ids, office_quotas, strict=True):
        members = by_office[office_id]
        agent_quotas = _split(quota, [weight(agent) for agent in members])
        rows.append(
            OfficeQuota(
                code=offices[office_id]["code"],
                name=offices[office_id]["name"],
                recent=sum(agent["recent"] for agent in members),
                quota=quota,
                agents=sorted(
                    (
                        AgentQuota(agent["code"], agent["full_name"], agent["recent"], agent_quota)
                        for agent, agent_quota in zip(members, agent_quotas, strict=True)
                    ),
                    key=lambda row: (-row.quota, -row.recent, row.name, row.code),
                ),
            )
        )
    return sorted(rows, key=lambda row: (-row.quota, -row.recent, row.code))


def _window_network(scope, period, pace_from):
    """The ``NetworkMonth`` rows of the recent months (last year's December and November too, early in a year)."""
    months = agent_network(scope=scope, period=period).months
    if pace_from.year < period.year:
        months = agent_network(scope=scope, period=Period(pace_from.year, 12)).months + months
    return [month for month in months if pace_from <= month.month <= month_end(period.end)]
