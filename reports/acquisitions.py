"""Acquisition figures: yearly totals and pace, and the breakdowns by month, office, agent, occupation,
kecamatan, gender and age.

An acquisition counts once, in the year and month of ``acquired_on``, for the branch, office and agent
recorded on it (where the agent worked that day), so the figures of past years never move when an
agent changes office or leaves. A worker acquired again after lapsing counts again.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, FilteredRelation, Func, Max, Q, Subquery, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, PerisaiOffice
from agents.scoping import scope_for
from enrollment.models import Acquisition, Occupation
from perisai.months import years_before
from perisai.nik import Gender
from reports.memo import shared
from reports.periods import Period
from reports.rollups import acquisition_months, months_relation


def percent_change(current, previous):
    """``current`` against ``previous`` in percent, one decimal; ``None`` when there is nothing to compare."""
    if not previous:
        return None
    return (Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part, whole):
    """``part`` of ``whole`` in percent, one decimal; ``None`` for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def whole(value):
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _in_period(period, prefix=""):
    return Q(**{f"{prefix}acquired_on__range": (period.start, period.end)})


def _in_previous_period(period, prefix=""):
    return Q(**{f"{prefix}acquired_on__range": (period.previous_start, period.previous_end)})


def _months_around(scope, period, relation):
    """The scope's monthly counts (``reports.rollups``) from January of the previous year to the period's
    end, as ``relation`` of offices or agents: what their period and previous-period sums read."""
    return FilteredRelation(
        relation,
        condition=Q(
            **{f"{relation}__month__range": (period.previous_start, period.end), f"{relation}__acquisitions__gt": 0}
        )
        & scope.q(f"{relation}__"),
    )


def latest_period(*, scope, today=None):
    """The default period: January through the month of the latest acquisition in ``scope``.

    With no acquisitions at all it is the current month (``today``, by default Jakarta's date).
    """
    latest = scope.filter(Acquisition.objects.all()).aggregate(latest=Max("acquired_on"))["latest"]
    return Period.containing(latest or today or timezone.localdate())


# --- yearly totals and pace -----------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotal:
    """One year's acquisitions, to date (January through the period's month) and in full, with the pace.

    - ``change_same_period``: to date against the same months of the previous year, in percent;
    - ``change_previous_year``: to date against the whole previous year, in percent;
    - ``change_full_year``: the full year against the previous full year, in percent;
    - ``pace``: acquisitions a month so far; ``projection``: that pace over twelve months;
    - ``pace_needed``: acquisitions a month needed in the remaining months to beat the whole previous
      year, ``ceil((previous_full_year + 1 - year_to_date) / months_remaining)``, at least 0; ``None``
      when no month remains or the previous year had no acquisitions.
    """

    year: int
    through_month: int
    year_to_date: int
    full_year: int
    previous_year_to_date: int
    previous_full_year: int

    @property
    def months_remaining(self):
        return 12 - self.through_month

    @property
    def change_same_period(self):
        return percent_change(self.year_to_date, self.previous_year_to_date)

    @property
    def change_previous_year(self):
        return percent_change(self.year_to_date, self.previous_full_year)

    @property
    def change_full_year(self):
        return percent_change(self.full_year, self.previous_full_year)

    @property
    def pace(self):
        return whole(Decimal(self.year_to_date) / self.through_month)

    @property
    def projection(self):
        return whole(Decimal(self.year_to_date) * 12 / self.through_month)

    @property
    def beats_previous_year(self):
        return self.previous_full_year > 0 and self.year_to_date > self.previous_full_year

    @property
    def pace_needed(self):
        if not self.months_remaining or not self.previous_full_year:
            return None
        return max(0, math.ceil((self.previous_full_year + 1 - self.year_to_date) / self.months_remaining))


@shared
def yearly_totals(*, scope, period):
    """Every year from the first acquisition to the last (and the period's year), oldest first.

    Years between without acquisitions are listed with zeros. "To date" means January through
    ``period.through_month`` of each year, so every row compares like with like. One query, on the
    monthly counts.
    """
    counts = {
        row["year"]: row
        for row in acquisition_months(scope)
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(
            full_year=Sum("acquisitions"),
            year_to_date=Sum("acquisitions", filter=Q(month__month__lte=period.through_month), default=0),
        )
        .order_by("year")
    }
    years = range(min([*counts, period.year]), max([*counts, period.year]) + 1)
    rows = []
    for year in years:
        this, previous = counts.get(year, {}), counts.get(year - 1, {})
        rows.append(
            YearTotal(
                year=year,
                through_month=period.through_month,
                year_to_date=this.get("year_to_date", 0),
                full_year=this.get("full_year", 0),
                previous_year_to_date=previous.get("year_to_date", 0),
                previous_full_year=previous.get("full_year", 0),
            )
        )
    return rows


def year_summary(rows, period):
    """The row of ``yearly_totals`` for the period's year: the dashboard's headline figures."""
    return next(row for row in rows if row.year == period.year)


def acquisition_summary(*, scope, period):
    """The period's ``YearTotal``: to date, same period last year, whole of last year, pace."""
    return year_summary(yearly_totals(scope=scope, period=period), period)


def acquisitions_per_year(*, user):
    """``[{"year": 2021, "acquisitions": 5628}, ...]`` in the widest scope ``user`` may see."""
    scope = scope_for(user)
    return [
        {"year": row.year, "acquisitions": row.full_year}
        for row in yearly_totals(scope=scope, period=latest_period(scope=scope))
        if row.full_year
    ]


# --- by month -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthTotal:
    """One month of the period's year against the same month a year earlier.

    ``this_year`` is ``None`` for months after the period; cumulative figures run from January.
    """

    month: datetime.date
    this_year: int | None
    last_year: int
    this_year_cumulative: int | None
    last_year_cumulative: int

    @property
    def change(self):
        return None if self.this_year is None else percent_change(self.this_year, self.last_year)


def monthly_comparison(*, scope, period):
    """Twelve ``MonthTotal`` rows, January to December of the period's year. One query, on the monthly counts."""
    counts = dict(
        acquisition_months(scope)
        .filter(month__range=(period.previous_start, period.end))
        .values_list("month")
        .annotate(count=Sum("acquisitions"))
        .order_by("month")
    )
    return month_rows(counts, period)


def month_rows(totals, period):
    """Twelve ``MonthTotal`` rows of the period's year from ``totals`` (``{first of month: total}``, the
    months of the previous year and of the period; a month missing is 0)."""
    rows, this_total, last_total = [], 0, 0
    for month in range(1, 13):
        this_month = datetime.date(period.year, month, 1)
        last_year = totals.get(datetime.date(period.year - 1, month, 1), 0)
        last_total += last_year
        if month <= period.through_month:
            this_year = totals.get(this_month, 0)
            this_total += this_year
            rows.append(MonthTotal(this_month, this_year, last_year, this_total, last_total))
        else:
            rows.append(MonthTotal(this_month, None, last_year, None, last_total))
    return rows


# --- by office and agent ------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupTotal:
    """Acquisitions of one group (office, occupation, kecamatan ...) in the period and a year earlier."""

    key: str
    label: str
    acquisitions: int
    previous: int
    share: Decimal | None

    @property
    def change(self):
        return percent_change(self.acquisitions, self.previous)


def _with_shares(rows):
    total = sum(row["acquisitions"] for row in rows)
    return [GroupTotal(share=share(row["acquisitions"], total), **row) for row in rows]


def by_office(*, scope, period):
    """Every Perisai office in the scope (and any other office its acquisitions were credited to),
    busiest first, with the same period last year and the share of the period's total. One query, on
    the monthly counts."""
    credited = acquisition_months(scope).filter(
        Q(month__range=(period.start, period.end)) | Q(month__range=(period.previous_start, period.previous_end))
    )
    offices = (
        PerisaiOffice.objects.filter(
            Q(pk__in=scope.filter_offices(PerisaiOffice.objects.all()).values("pk"))
            | Q(pk__in=credited.values("office"))
        )
        .annotate(months=_months_around(scope, period, months_relation(scope)))
        .annotate(
            acquisitions_count=Sum("months__acquisitions", filter=Q(months__month__gte=period.start), default=0),
            previous_count=Sum("months__acquisitions", filter=Q(months__month__lte=period.previous_end), default=0),
        )
        .order_by("-acquisitions_count", "code")
        .values("code", "name", "acquisitions_count", "previous_count")
    )
    return _with_shares(
        [
            {
                "key": office["code"],
                "label": office["name"],
                "acquisitions": office["acquisitions_count"],
                "previous": office["previous_count"],
            }
            for office in offices
        ]
    )


@dataclass(frozen=True)
class AgentTotal:
    """One agent's place in the period's ranking.

    ``months_active`` counts the months of the period in which the agent acquired at least one worker
    (the programme measures an agent's activity by new participants); ``per_active_month`` divides
    the acquisitions by them.
    """

    rank: int
    code: str
    name: str
    office: str
    status: str
    joined_on: datetime.date
    left_on: datetime.date | None
    acquisitions: int
    previous: int
    months_active: int
    share: Decimal | None

    @property
    def per_active_month(self):
        if not self.months_active:
            return None
        return (Decimal(self.acquisitions) / self.months_active).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def change(self):
        return percent_change(self.acquisitions, self.previous)

    @property
    def has_left(self):
        return self.left_on is not None


def by_agent(*, scope, period):
    """The ranking of agents by acquisitions in the period (ties share a rank). One query.

    Listed: every agent of the scope who was in the network at some time in the period, even with no
    acquisition, and every agent credited with an acquisition in the scope in the period (also one
    who has left since, or moved to another office). Read from the monthly counts.
    """
    agents = list(_agent_ranking(scope, period))
    return _ranked(agents, total=sum(agent["acquisitions_count"] for agent in agents))


def top_agents(*, scope, period, limit, total):
    """The first ``limit`` rows of ``by_agent`` that acquired anyone, and how many agents ``by_agent``
    lists, without building a national ranking of thousands: the monthly counts of the period are
    ranked first and only the leaders get their full row. ``total`` is the period's acquisitions in the
    scope, the whole of each share. One query (two when nobody acquired anyone)."""
    leaders = (
        acquisition_months(scope, by_agent=True)
        .filter(month__range=(period.start, period.end))
        .values("agent")
        .annotate(acquisitions_count=Sum("acquisitions"))
        .order_by("-acquisitions_count", "agent__full_name", "agent__code")
        .values("agent")[:limit]
    )
    listed = _listed_agents(scope, period).order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    rows = list(_agent_ranking(scope, period).filter(pk__in=leaders).annotate(listed=Subquery(listed)))
    return _ranked(rows, total=total), rows[0]["listed"] if rows else _listed_agents(scope, period).count()


AGENT_FIELDS = ("code", "full_name", "office__name", "status", "joined_on", "left_on")
AGENT_COUNTS = ("acquisitions_count", "previous_count", "months_active")


def _listed_agents(scope, period):
    on_network = Q(joined_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))
    return Agent.objects.filter(
        (Q(pk__in=scope.filter_agents(Agent.objects.all()).values("pk")) & on_network)
        | Q(
            pk__in=acquisition_months(scope, by_agent=True)
            .filter(month__range=(period.start, period.end))
            .values("agent")
        )
    )


def _agent_ranking(scope, period):
    in_period = Q(months__month__gte=period.start)
    agents = (
        _listed_agents(scope, period)
        .annotate(months=_months_around(scope, period, "acquisition_months"))
        .annotate(
            acquisitions_count=Sum("months__acquisitions", filter=in_period, default=0),
            previous_count=Sum("months__acquisitions", filter=Q(months__month__lte=period.previous_end), default=0),
            months_active=Count("months__month", filter=in_period, distinct=True),
        )
        .order_by("-acquisitions_count", "full_name", "code")
        .values(*AGENT_FIELDS, *AGENT_COUNTS)
    )
    return agents


def _ranked(agents, *, total):
    rows, rank, previous_count = [], 0, None
    for position, agent in enumerate(agents, start=1):
        if agent["acquisitions_count"] != previous_count:
            rank, previous_count = position, agent["acquisitions_count"]
        rows.append(
            AgentTotal(
                rank=rank,
                code=agent["code"],
                name=agent["full_name"],
                office=agent["office__name"],
                status=str(Agent.Status(agent["status"]).label),
                joined_on=agent["joined_on"],
                left_on=agent["left_on"],
                acquisitions=agent["acquisitions_count"],
                previous=agent["previous_count"],
                months_active=agent["months_active"],
                share=share(agent["acquisitions_count"], total),
            )
        )
    return rows


# --- by who was acquired ------------------------------------------------------------------------


def _grouped(scope, period, field):
    """``{value: (in period, same period last year)}`` of acquisitions grouped by ``field``."""
    rows = (
        scope.filter(Acquisition.objects.filter(_in_period(period) | _in_previous_period(period)))
        .values(field)
        .annotate(
            acquisitions=Count("id", filter=_in_period(period)),
            previous=Count("id", filter=_in_previous_period(period)),
        )
        .order_by()
    )
    return {row[field]: (row["acquisitions"], row["previous"]) for row in rows}


def by_occupation(*, scope, period):
    """Every occupation (those without acquisitions too), most acquired first. One query."""
    counts = _grouped(scope, period, "participant__occupation")
    rows = [
        {
            "key": value,
            "label": label,
            "acquisitions": counts.get(value, (0, 0))[0],
            "previous": counts.get(value, (0, 0))[1],
        }
        for value, label in Occupation.choices
    ]
    return _with_shares(sorted(rows, key=lambda row: -row["acquisitions"]))


def by_kecamatan(*, scope, period):
    """The kecamatan where the acquired workers live, most acquired first. One query."""
    counts = _grouped(scope, period, "participant__kecamatan")
    rows = [
        {"key": name, "label": name, "acquisitions": now, "previous": before} for name, (now, before) in counts.items()
    ]
    return _with_shares(sorted(rows, key=lambda row: (-row["acquisitions"], row["label"])))


AGE_BANDS = (
    (0, 25, _("Under 25")),
    (25, 35, _("25 to 34")),
    (35, 45, _("35 to 44")),
    (45, 55, _("45 to 54")),
    (55, None, _("55 and over")),
)


@dataclass(frozen=True)
class AgeBandTotal:
    band: str
    women: int
    men: int
    share: Decimal | None

    @property
    def total(self):
        return self.women + self.men

    @property
    def women_share(self):
        return share(self.women, self.total)


def by_gender_and_age(*, scope, period):
    """Acquisitions in the period by age band and gender. One query.

    The age is the worker's age on the period's last day (a band boundary is a birthday: someone
    turns 25 on their 25th birthday, on 28 February in a year without 29 February).
    """
    bands = Case(
        *[
            When(participant__birth_date__gt=years_before(period.end, low), then=Value(index - 1))
            for index, (low, _high, _label) in enumerate(AGE_BANDS)
            if index > 0
        ],
        default=Value(len(AGE_BANDS) - 1),
    )
    counts = {
        (row["band"], row["participant__gender"]): row["count"]
        for row in scope.filter(Acquisition.objects.filter(_in_period(period)))
        .annotate(band=bands)
        .values("band", "participant__gender")
        .annotate(count=Count("id"))
        .order_by()
    }
    total = sum(counts.values())
    rows = []
    for index, (_low, _high, label) in enumerate(AGE_BANDS):
        women, men = counts.get((index, Gender.FEMALE), 0), counts.get((index, Gender.MALE), 0)
        rows.append(AgeBandTotal(band=str(label), women=women, men=men, share=share(women + men, total)))
    return rows
