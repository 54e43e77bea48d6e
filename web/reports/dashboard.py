"""The dashboard's figures, gathered from the report functions the workbook uses too, and from the
programme's activity rules (``incentives.activity``): a page that composes several domains.

About a dozen queries whatever the number of acquisitions, agents, contributions or candidates: each
figure is one aggregate, and none is computed per row. And most requests make none of them: the figures of
a scope and period are kept in the figures cache until the data they are read from changes
(``reports.freshness``: one query for the data's version, part of the key), so a national head office's
dashboard costs its first reader a few hundred milliseconds after each write and everyone else a look-up.
"""

from dataclasses import dataclass

from agents.models import Agent, PerisaiOffice
from incentives.activity import activity_overview, office_standings, offices_needing_attention
from reports import freshness
from reports.acquisitions import by_office, monthly_comparison, top_agents, year_summary, yearly_totals
from reports.agreements import agreement_status
from reports.charts import month_chart
from reports.continuity import participant_standing
from reports.follow_up import follow_up_summary
from reports.money import collected_summary
from reports.network import agent_network
from reports.recruitment import recruitment_summary
from reports.targets import month_expectations

TOP_AGENTS = 5
LISTED = 10
"""Offices listed in each of the dashboard's office cards: a branch has a handful, a national head office
hundreds, which belong in the reports (linked from each card), not on a page meant to be read at a glance."""


@dataclass(frozen=True)
class Dashboard:
    scope: object
    period: object
    years: list
    summary: object
    months: list
    expectations: object
    charts: tuple
    collected: object
    offices: list
    offices_total: int
    top_agents: list
    agents_listed: int
    network: object
    participants: object
    follow_up: object
    recruitment: object
    agreements: object
    activity: object
    offices_under_minimum: list
    offices_under_minimum_total: int
    offices_with_target: int
    """Offices judged against a monthly minimum (a target for the year): with none, no office can be said
    to be at its minimum."""
    offices_without_target: int
    agreements_attention: list
    agreements_attention_total: int


def dashboard(*, scope, period):
    """The dashboard of ``scope`` for ``period``: computed, or as computed on the same data (``reports.freshness``).

    ``figures_key`` is the figures' key in the cache (``None`` when they may not be kept): the template keeps the
    part of the page drawn from them under it too (``{% cache %}``, with the selection's query string), so a page
    served from the cache never even reads the figures back (``CachedDashboard``)."""
    levels = ("region", "branch", "office", "agent")
    scope_key = (scope.level, *(getattr(getattr(scope, level), "pk", None) for level in levels))
    key = freshness.figures_key("dashboard", *scope_key, period.year, period.through_month)
    return CachedDashboard(
        scope=scope,
        period=period,
        figures_key=key,
        cache_seconds=freshness.cache_seconds() if key else 0,
        figures=lambda: freshness.cached(key, lambda: _computed(scope, period)),
    )


class CachedDashboard:
    """A ``Dashboard`` whose figures are fetched (from the cache, or computed and kept) when the page first reads
    one: the scope, the period and the cache's key and time are known without them."""

    def __init__(self, *, scope, period, figures_key, cache_seconds, figures):
        self.scope, self.period = scope, period
        self.figures_key, self.cache_seconds = figures_key, cache_seconds
        self._load, self._figures = figures, None

    def __getattr__(self, name):  # only for what is not set above: the figures
        if name.startswith("__"):
            raise AttributeError(name)
        if self._figures is None:
            self._figures = self._load()
        return getattr(self._figures, name)


def _computed(scope, period):
    years = yearly_totals(scope=scope, period=period)
    summary = year_summary(years, period)
    months = monthly_comparison(scope=scope, period=period)
    top, agents_listed = top_agents(scope=scope, period=period, limit=TOP_AGENTS, total=summary.year_to_date)
    offices = by_office(scope=scope, period=period)
    agreements = agreement_status(scope=scope, period=period)
    attention = agreements.attention  # a property that filters the offices: read once
    # Under their monthly minimum of acquisitions, and short of the active agents the terms ask for.
    scope_offices = scope.filter_offices(PerisaiOffice.objects.all())
    standings = office_standings(offices=scope_offices, month=period.end)
    under_minimum = offices_needing_attention(offices=scope_offices, standings=standings)
    with_target = sum(1 for standing in standings.values() if standing.monthly_minimum is not None)
    return Dashboard(
        scope=scope,
        period=period,
        years=years,
        summary=summary,
        months=months,
        expectations=month_expectations(scope=scope, period=period),
        charts=tuple(
            month_chart(months, year=period.year, pace_needed=summary.pace_needed, compact=compact)
            for compact in (False, True)
        ),
        collected=collected_summary(scope=scope, period=period),
        offices=offices[:LISTED],
        offices_total=len(offices),
        top_agents=[agent for agent in top if agent.acquisitions],
        agents_listed=agents_listed,
        network=agent_network(scope=scope, period=period),
        participants=participant_standing(scope=scope, period=period),
        follow_up=follow_up_summary(scope=scope, period=period, with_at_risk=False),
        recruitment=recruitment_summary(scope=scope, period=period),
        agreements=agreements,
        agreements_attention=attention[:LISTED],
        agreements_attention_total=len(attention),
        activity=activity_overview(agents=scope.filter_agents(Agent.objects.all()), month=period.end),
        offices_under_minimum=under_minimum[:LISTED],
        offices_under_minimum_total=len(under_minimum),
        offices_with_target=with_target,
        offices_without_target=len(standings) - with_target,
    )
