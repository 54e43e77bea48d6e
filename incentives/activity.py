"""Which agents and Perisai offices are slipping, derived month by month from the acquisitions.

**Agents** (``Acquisition.agent``, ``acquired_on``), as of a month M, under the programme terms in
force in M:

- *left*: deactivated on or before the end of M;
- *inactive*: no new participant in the last ``agent_inactive_months`` calendar months up to M (3);
- *at risk*: none in the last ``agent_at_risk_months`` (2);
- *active*: otherwise.

The months counted start with the agent's first whole month: the month they joined when they joined
on its 1st, else the next one, so a partial first month is never held against them. A month still in
progress counts only once it is over, unless a new participant already came in it: on 3 June an
agent is judged on the months up to May, plus any acquisition made since 1 June.

The status is one SQL ``CASE`` over a subquery of the agent's latest acquisition, compared with dates
worked out in Python, so an agent list can be filtered and counted by it in the same query.

**Offices**: each office's monthly minimum is its yearly target (the office's ``AcquisitionTarget``)
divided by 12, rounded up (a target of 1,398 gives 117 a month). A month counts as under the
minimum when the acquisitions credited to the office (``Acquisition.office``) fall short of it; a
month without a target for its year, or still in progress and not yet short, ends the run. An
office under its minimum for ``office_warning_months`` running is warned, for
``office_pks_loss_months`` its PKS is at risk.

An active office also needs the terms' ``office_min_active_agents`` agents (5 under the April 2022
terms): its agents (``Agent.office``) who are *active* or *at risk* as of the month, as above. An agent
at risk is still in the programme; an inactive one is out once the terms' months have passed, and one
who left is gone. An office with fewer is *short of agents*, flagged beside the offices under their
monthly minimum.

The *as-of* month defaults to the latest month with an acquisition in the branch (June 2022 in the
Cilacap demo), so data that stops in the past still shows; then the current month.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Agent
from agents.scoping import for_user
from agents.terms import terms_in_force
from enrollment.models import Acquisition, AcquisitionTarget
from perisai.months import month_end, month_start, shift_month
from reports.rollups import acquisition_months

MONTHS_PER_YEAR = 12


class Activity:
    """The activity statuses an agent can have in a month (values of the ``activity`` annotation)."""

    ACTIVE = "active"
    AT_RISK = "at_risk"
    INACTIVE = "inactive"
    LEFT = "left"
    NOT_JOINED = "not_joined"
    UNKNOWN = ""

    LABELS = {
        ACTIVE: _("Active"),
        AT_RISK: _("At risk"),
        INACTIVE: _("Inactive"),
        LEFT: _("Left"),
        NOT_JOINED: _("Not yet joined"),
        UNKNOWN: _("Unknown"),
    }
    SLIPPING = (AT_RISK, INACTIVE)
    WORKING = (ACTIVE, AT_RISK, INACTIVE)
    COUNTED_FOR_OFFICE = (ACTIVE, AT_RISK)
    """The agents an office counts toward its minimum of active agents."""


def latest_month(*, acquisitions, today=None):
    """The month of the latest of ``acquisitions`` (a queryset), or the current month when there is none."""
    latest = acquisitions.aggregate(latest=Max("acquired_on"))["latest"]
    return month_start(latest or today or timezone.localdate())


def as_of_month(user, today=None):
    """The default as-of month for ``user``: the latest month with an acquisition they may see."""
    return latest_month(acquisitions=for_user(Acquisition.objects.all(), user, agent_path="agent"), today=today)


def judged_month(month, today=None):
    """The last month that is over by ``today``, at most ``month``: a month in progress is not judged yet."""
    today = today or timezone.localdate()
    month = month_start(month)
    if month_end(month) < today:
        return month
    return min(month, shift_month(today, -1))


# --- agents -------------------------------------------------------------------------------------


def _cutoff(judged, months):
    """The first day of the earliest of the ``months`` months ending with ``judged``."""
    return shift_month(judged, -(months - 1))


def annotate_activity(agents, *, month, terms, today=None):
    """``agents`` with ``last_acquired_on`` (latest acquisition up to the end of ``month``) and ``activity``.

    ``activity`` is one of ``Activity``'s values; ``Activity.UNKNOWN`` when no programme terms are in
    force in ``month`` (``terms`` is ``None``).
    """
    end = month_end(month_start(month))
    # The latest as the first row in descending order, not ``Max`` over a ``GROUP BY agent``: PostgreSQL reads
    # the first entry of the (agent, acquired_on) index for it, where the aggregate read every acquisition of
    # the agent, once for each time the ``CASE`` below names it (the agent list took a second for the demo).
    latest = (
        Acquisition.objects.filter(agent=OuterRef("pk"), acquired_on__lte=end)
        .order_by("-acquired_on")
        .values("acquired_on")[:1]
    )
    agents = agents.annotate(last_acquired_on=Subquery(latest))
    if terms is None:
        return agents.annotate(activity=Value(Activity.UNKNOWN, output_field=CharField()))
    judged = judged_month(month, today)

    def silent_since(cutoff):
        return Q(joined_on__lte=cutoff) & (Q(last_acquired_on__isnull=True) | Q(last_acquired_on__lt=cutoff))

    return agents.annotate(
        activity=Case(
            When(joined_on__gt=end, then=Value(Activity.NOT_JOINED)),
            When(status=Agent.Status.INACTIVE, left_on__lte=end, then=Value(Activity.LEFT)),
            When(silent_since(_cutoff(judged, terms.agent_inactive_months)), then=Value(Activity.INACTIVE)),
            When(silent_since(_cutoff(judged, terms.agent_at_risk_months)), then=Value(Activity.AT_RISK)),
            default=Value(Activity.ACTIVE),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class ActivityListing:
    """Agents annotated with their activity as of ``month`` under ``terms``; see ``with_activity``."""

    agents: object
    month: datetime.date
    terms: object

    def since(self, agent):
        return activity_since(agent, self.terms)


def with_activity(agents, *, month, activity="", today=None):
    """``agents`` annotated by ``annotate_activity`` as of ``month``, only those with ``activity`` when given."""
    month = month_start(month)
    terms = terms_in_force(month)
    annotated = annotate_activity(agents, month=month, terms=terms, today=today)
    if activity:
        annotated = annotated.filter(activity=activity)
    return ActivityListing(agents=annotated, month=month, terms=terms)


def first_counted_month(joined_on):
    """The agent's first whole month: the month they joined on its 1st, else the next one."""
    return month_start(joined_on) if joined_on.day == 1 else shift_month(joined_on, 1)


def activity_since(agent, terms):
    """When the agent's current status began, for an agent annotated by ``annotate_activity``.

    Left: the leaving date. Inactive or at risk: the first day of the month in which the run of months
    without a new participant reached the terms' length. Otherwise ``None``.
    """
    if agent.activity == Activity.LEFT:
        return agent.left_on
    if agent.activity not in Activity.SLIPPING or terms is None:
        return None
    silent_from = first_counted_month(agent.joined_on)
    if agent.last_acquired_on is not None:
        silent_from = max(silent_from, shift_month(agent.last_acquired_on, 1))
    months = terms.agent_inactive_months if agent.activity == Activity.INACTIVE else terms.agent_at_risk_months
    return shift_month(silent_from, months - 1)


@dataclass(frozen=True)
class AgentActivity:
    """An agent's activity as of ``month``: since when, and their latest new participant."""

    month: datetime.date
    agent_id: int
    code: str
    full_name: str
    office_name: str
    activity: str
    since: datetime.date | None
    last_acquired_on: datetime.date | None

    @property
    def label(self):
        return Activity.LABELS[self.activity]


@dataclass(frozen=True)
class ActivityOverview:
    """How many agents are active, at risk, inactive or left as of ``month``, and who is slipping."""

    month: datetime.date
    terms: object
    counts: dict
    slipping: list

    @property
    def working(self):
        return sum(self.counts[key] for key in Activity.WORKING)


def activity_overview(*, agents, month=None, today=None):
    """For the dashboard: ``agents`` (a queryset already narrowed to the scope) as of ``month``
    (default: the latest month with an acquisition in their branches).

    Four queries whatever the number of agents: the as-of month, the terms, the counts, the slipping
    agents (at risk or inactive but still registered), longest silent first.
    """
    if month is None:
        branches = agents.order_by().values("branch_id")
        month = latest_month(acquisitions=Acquisition.objects.filter(branch_id__in=branches), today=today)
    month = month_start(month)
    terms = terms_in_force(month)
    annotated = annotate_activity(agents, month=month, terms=terms, today=today)
    statuses = (Activity.ACTIVE, Activity.AT_RISK, Activity.INACTIVE, Activity.LEFT)
    counts = annotated.aggregate(**{status: Count("pk", filter=Q(activity=status)) for status in statuses})
    slipping = [
        AgentActivity(
            month,
            agent.pk,
            agent.code,
            agent.full_name,
            agent.office.name,
            agent.activity,
            activity_since(agent, terms),
            agent.last_acquired_on,
        )
        for agent in annotated.filter(activity__in=Activity.SLIPPING)
        .select_related("office")
        .order_by("last_acquired_on", "joined_on", "full_name")
    ]
    return ActivityOverview(month=month, terms=terms, counts=counts, slipping=slipping)


def agent_activity(*, agent, month=None, today=None):
    """One agent's ``AgentActivity`` as of ``month`` (default: the latest month with acquisitions in the branch)."""
    if month is None:
        month = latest_month(acquisitions=Acquisition.objects.filter(branch_id=agent.branch_id), today=today)
    month = month_start(month)
    terms = terms_in_force(month)
    annotated = annotate_activity(Agent.objects.filter(pk=agent.pk), month=month, terms=terms, today=today)
    row = annotated.select_related("office").get()
    return AgentActivity(
        month,
        row.pk,
        row.code,
        row.full_name,
        row.office.name,
        row.activity,
        activity_since(row, terms),
        row.last_acquired_on,
    )


# --- offices ------------------------------------------------------------------------------------


class Standing:
    """Where an office stands against its monthly minimum."""

    OK = "ok"
    WARNING = "warning"
    PKS_AT_RISK = "pks_at_risk"
    NO_TARGET = "no_target"
    NO_TERMS = "no_terms"

    LABELS = {
        OK: _("At or above its minimum"),
        WARNING: _("Under its minimum"),
        PKS_AT_RISK: _("PKS at risk"),
        NO_TARGET: _("No target"),
        NO_TERMS: _("No programme terms"),
    }


def monthly_minimum(yearly_target):
    """The office's monthly minimum: its yearly target divided by 12, rounded up."""
    return math.ceil(yearly_target / MONTHS_PER_YEAR)


@dataclass(frozen=True)
class OfficeStanding:
    """An office against its monthly minimum as of ``month``: ``months_under`` running since ``under_since``."""

    office_id: int
    month: datetime.date
    yearly_target: int | None
    monthly_minimum: int | None
    acquisitions: int
    months_under: int
    under_since: datetime.date | None
    standing: str
    active_agents: int | None = None
    minimum_agents: int | None = None

    @property
    def label(self):
        return Standing.LABELS[self.standing]

    @property
    def flagged(self):
        """Under its monthly minimum of acquisitions for the terms' warning months or more."""
        return self.standing in (Standing.WARNING, Standing.PKS_AT_RISK)

    @property
    def short_of_agents(self):
        """Fewer active agents than the terms ask of an office."""
        return (
            self.minimum_agents is not None
            and self.active_agents is not None
            and (self.active_agents < self.minimum_agents)
        )

    @property
    def needs_attention(self):
        return self.flagged or self.short_of_agents

    @property
    def pks_at_risk(self):
        return self.standing == Standing.PKS_AT_RISK


def office_standings(*, offices, month=None, today=None):
    """``{office_id: OfficeStanding}`` for ``offices`` (a queryset narrowed to the scope) as of ``month``
    (default: the latest month with an acquisition in their branches).

    Offices with neither a target nor an acquisition have no entry (nothing to judge), unless they are
    active and the terms ask for a number of active agents. Five queries whatever the number of
    offices: the as-of month (unless given), the terms, the offices' targets, their acquisitions by month
    (the monthly counts of ``reports.rollups``) over the years that have targets, and their active
    agents (``active_agent_counts``; none when the terms set no minimum).
    """
    today = today or timezone.localdate()
    ids = offices.order_by().values("pk")
    if month is None:
        branches = offices.order_by().values("branch_id")
        month = latest_month(acquisitions=Acquisition.objects.filter(branch_id__in=branches), today=today)
    month = month_start(month)
    terms = terms_in_force(month)
    targets = {
        (office_id, year): target
        for office_id, year, target in AcquisitionTarget.objects.filter(
            office_id__in=ids, year__lte=month.year
        ).values_list("office_id", "year", "target")
    }
    first = datetime.date(min((year for _office, year in targets), default=month.year), 1, 1)
    counts = defaultdict(int)
    by_month = (
        acquisition_months()
        .filter(office_id__in=ids, month__range=(first, month_end(month)))
        .order_by()
        .values_list("office", "month")
        .annotate(count=Sum("acquisitions"))
    )
    for office_id, acquired_in, count in by_month:
        counts[office_id, month_start(acquired_in)] = count
    agents = active_agent_counts(offices=offices, month=month, terms=terms, today=today)
    known = {office_id for office_id, _year in targets} | {office_id for office_id, _month in counts} | set(agents)
    minimum_agents = terms.office_min_active_agents if terms is not None and agents else None
    return {
        office_id: _standing(office_id, month, terms, targets, counts, today, agents.get(office_id), minimum_agents)
        for office_id in known
    }


def active_agent_counts(*, offices, month, terms, today=None):
    """``{office_id: agents active or at risk}`` as of ``month`` for every active office of ``offices``
    (0 for one without any), when ``terms`` ask offices for a number of active agents; else ``{}``.
    One query (none without such terms)."""
    if terms is None or terms.office_min_active_agents is None:
        return {}
    agents = annotate_activity(Agent.objects.filter(office=OuterRef("pk")), month=month, terms=terms, today=today)
    active = (
        agents.filter(activity__in=Activity.COUNTED_FOR_OFFICE)
        .order_by()
        .values("office")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        offices.filter(is_active=True)
        .order_by()
        .annotate(active_agents=Coalesce(Subquery(active), 0))
        .values_list("pk", "active_agents")
    )
    return dict(rows)


def _standing(office_id, month, terms, targets, counts, today, active_agents=None, minimum_agents=None):
    def minimum(of_month):
        target = targets.get((office_id, of_month.year))
        return monthly_minimum(target) if target else None

    def short(of_month):
        wanted = minimum(of_month)
        return wanted is not None and counts[office_id, of_month] < wanted

    this_target = targets.get((office_id, month.year))
    this_minimum = minimum(month)
    months_under, judged = 0, month
    if month_end(judged) >= today:  # in progress: judged once over, unless already at its minimum
        judged = min(shift_month(judged, -1), shift_month(today, -1)) if short(judged) else None
    while judged is not None and short(judged):
        months_under += 1
        judged = shift_month(judged, -1)
    if this_minimum is None:
        standing = Standing.NO_TARGET
    elif terms is None:
        standing = Standing.NO_TERMS
    elif months_under >= terms.office_pks_loss_months:
        standing = Standing.PKS_AT_RISK
    elif months_under >= terms.office_warning_months:
        standing = Standing.WARNING
    else:
        standing = Standing.OK
    return OfficeStanding(
        office_id=office_id,
        month=month,
        yearly_target=this_target,
        monthly_minimum=this_minimum,
        acquisitions=counts[office_id, month],
        months_under=months_under,
        under_since=shift_month(judged, 1) if months_under else None,
        standing=standing,
        active_agents=active_agents,
        minimum_agents=minimum_agents if active_agents is not None else None,
    )


@dataclass(frozen=True)
class OfficeUnderMinimum:
    office: object
    standing: OfficeStanding


def offices_under_minimum(*, offices, month=None, today=None):
    """For the dashboard: the offices of ``offices`` under their minimum for the terms' warning months or
    more as of ``month``, longest run first, each with its ``OfficeStanding``. Six queries (five when the
    terms ask offices for no number of active agents)."""
    standings = office_standings(offices=offices, month=month, today=today)
    flagged = {office_id: row for office_id, row in standings.items() if row.flagged}
    rows = [
        OfficeUnderMinimum(office, flagged[office.pk])
        for office in offices.filter(pk__in=list(flagged)).select_related("branch")
    ]
    return sorted(rows, key=lambda row: (-row.standing.months_under, row.office.name))


def offices_needing_attention(*, offices, month=None, today=None, standings=None):
    """For the dashboard and the workbook: the offices under their monthly minimum (as
    ``offices_under_minimum``, longest run first), then those short of active agents (fewest first).
    Six queries; one when given the ``standings`` (``office_standings`` of the same offices and month) a
    caller also reads, e.g. to tell "no office has a target" from "every office is at its minimum"."""
    if standings is None:
        standings = office_standings(offices=offices, month=month, today=today)
    flagged = {office_id: row for office_id, row in standings.items() if row.needs_attention}
    rows = [
        OfficeUnderMinimum(office, flagged[office.pk])
        for office in offices.filter(pk__in=list(flagged)).select_related("branch")
    ]
    return sorted(
        rows,
        key=lambda row: (
            not row.standing.flagged,
            -row.standing.months_under,
            row.standing.active_agents if row.standing.short_of_agents else 0,
            row.office.name,
        ),
    )
