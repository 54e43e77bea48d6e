"""Acquisition figures: yearly totals and pace, and the breakdowns by month, office, agent, occupation,
kecamatan, desa, gender and age.

An acquisition counts once, in the year and month of ``acquired_on``, for the branch, office and agent
recorded on it (where the agent worked that day), so the figures of past years never move when an
agent changes office or leaves. A worker acquired again after lapsing counts again.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, FilteredRelation, Func, Max, Q, Subquery, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, PerisaiOffice
from agents.scoping import scope_for
from enrollment.models import Acquisition, Occupation
from perisai.areas import area, district_label, villages_of
from perisai.months import month_start, months_between, shift_month, years_before
from perisai.nik import Gender
from reports.memo import shared
from reports.periods import Period
from reports.rollups import acquisition_months, months_relation


def percent_change(current, previous):
    """``current`` against ``previous`` in percent, one decimal; ``None`` when there is nothing to compare
    (no previous figure, or either one blank)."""
    if current is None or not previous:
        return None
    return (Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part, whole):
    """``part`` of ``whole`` in percent, one decimal; ``None`` for an empty whole or a blank part."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def whole(value):
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def months_in_network(*, joined_on, left_on, first, last):
    """How many of the months from ``first`` to ``last`` (any day of each) an agent who joined on
    ``joined_on`` and left on ``left_on`` (``None``: still there) was in the network for at least a day:
    the rule that lists an agent in a period's ranking, month by month.

    A month before an agent joined is no month of theirs: their figure for it is blank, not 0, and an
    average or a pace of theirs divides by their own months only.
    """
    start = max(month_start(first), month_start(joined_on))
    end = month_start(last) if left_on is None else min(month_start(last), month_start(left_on))
    return max(0, months_between(start, end) + 1)


def in_network(agent, first, last=None):
    """Whether ``agent`` (``None``: a scope wider than one agent, always there) was in the network in any
    month from ``first`` to ``last`` (default: the month of ``first``)."""
    if agent is None:
        return True
    return months_in_network(joined_on=agent.joined_on, left_on=agent.left_on, first=first, last=last or first) > 0


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

    - ``change_same_period``: to date against the same months of the previous year, in percent (the
      like-for-like comparison);
    - ``share_of_previous_year``: to date as a share of the whole previous year, in percent (part of a year
      against a whole one: how far along, never a change);
    - ``change_full_year``: the full year against the previous full year, in percent, once the year is
      over for the period (``complete``): a year still running is compared to date, never as a whole;
    - ``pace``: acquisitions a month so far; ``projection``: that pace over the rest of the year;
    - ``pace_needed``: acquisitions a month needed in the remaining months to beat the whole previous
      year, ``ceil((previous_full_year + 1 - year_to_date) / months_remaining)``, at least 0; ``None``
      when no month remains or the previous year had no acquisitions.

    In one agent's scope a figure is ``None`` (blank) for months before the agent joined (or after they
    left): ``network_months`` and ``network_months_ahead`` are then the agent's months in the network up
    to the period's month and after it, and the pace divides by them. Any other scope leaves them
    ``None``: every month counts.

    ``month_running`` (set by ``year_summary``): the period's last month has not ended, so it counts
    among the months left for the pace needed, and the pages say its figure is so far.
    """

    year: int
    through_month: int
    year_to_date: int | None
    full_year: int | None
    previous_year_to_date: int | None
    previous_full_year: int | None
    network_months: int | None = None
    network_months_ahead: int | None = None
    complete: bool = True
    month_running: bool = False

    @property
    def months_remaining(self):
        return 12 - self.through_month + self.month_running

    @property
    def months_counted(self):
        """The months the pace divides by: January through the period's month, or the agent's own."""
        return self.through_month if self.network_months is None else self.network_months

    @property
    def change_same_period(self):
        return percent_change(self.year_to_date, self.previous_year_to_date)

    @property
    def share_of_previous_year(self):
        return share(self.year_to_date, self.previous_full_year)

    @property
    def change_full_year(self):
        return percent_change(self.full_year, self.previous_full_year) if self.complete else None

    @property
    def pace(self):
        if self.year_to_date is None or not self.months_counted:
            return None
        return whole(Decimal(self.year_to_date) / self.months_counted)

    @property
    def projection(self):
        if self.year_to_date is None or not self.months_counted:
            return None
        ahead = self.months_remaining if self.network_months_ahead is None else self.network_months_ahead
        return whole(self.year_to_date + Decimal(self.year_to_date) * ahead / self.months_counted)

    @property
    def beats_previous_year(self):
        return (
            bool(self.previous_full_year)
            and self.year_to_date is not None
            and (self.year_to_date > self.previous_full_year)
        )

    @property
    def pace_needed(self):
        if not self.months_remaining or not self.previous_full_year or self.year_to_date is None:
            return None
        return max(0, math.ceil((self.previous_full_year + 1 - self.year_to_date) / self.months_remaining))


@shared
def yearly_totals(*, scope, period):
    """Every year from the first acquisition to the last (and the period's year), oldest first.

    Years between without acquisitions are listed with zeros. "To date" means January through
    ``period.through_month`` of each year, so every row compares like with like; the period's year (and
    any later one) is not ``complete`` before December, so its full year is not compared. In one agent's scope,
    a figure of months the agent was not in the network is blank (``None``), not 0. One query, on the
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
    agent, through = scope.agent, period.through_month

    def counted(count, year, last_month):
        """``count``, blank when the agent acquired nobody and was not in the network in those months."""
        present = count or in_network(agent, datetime.date(year, 1, 1), datetime.date(year, last_month, 1))
        return count if present else None

    def network_months(year, first_month, last_month):
        if agent is None:
            return None
        if first_month > last_month:
            return 0
        return months_in_network(
            joined_on=agent.joined_on,
            left_on=agent.left_on,
            first=datetime.date(year, first_month, 1),
            last=datetime.date(year, last_month, 1),
        )

    years = range(min([*counts, period.year]), max([*counts, period.year]) + 1)
    rows = []
    for year in years:
        this, previous = counts.get(year, {}), counts.get(year - 1, {})
        rows.append(
            YearTotal(
                year=year,
                through_month=through,
                year_to_date=counted(this.get("year_to_date", 0), year, through),
                full_year=counted(this.get("full_year", 0), year, 12),
                previous_year_to_date=counted(previous.get("year_to_date", 0), year - 1, through),
                previous_full_year=counted(previous.get("full_year", 0), year - 1, 12),
                network_months=network_months(year, 1, through),
                network_months_ahead=network_months(year, through + 1, 12),
                complete=year < period.year or (year == period.year and through == 12),
            )
        )
    return rows


def year_summary(rows, period, *, today=None):
    """The row of ``yearly_totals`` for the period's year: the dashboard's headline figures.

    When the period's last month has not ended by ``today`` (Jakarta's date by default), the row says so
    (``month_running``): a year through 6 December still has December to beat last year in.
    """
    row = next(row for row in rows if row.year == period.year)
    return replace(row, month_running=period.end >= (today or timezone.localdate()))


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

    ``this_year`` is ``None`` for months after the period; cumulative figures run from January. In one
    agent's scope a month before the agent joined (or after they left) is ``None`` too, in either year.
    """

    month: datetime.date
    this_year: int | None
    last_year: int | None
    this_year_cumulative: int | None
    last_year_cumulative: int | None

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
    return month_rows(counts, period, agent=scope.agent)


def month_rows(totals, period, *, agent=None):
    """Twelve ``MonthTotal`` rows of the period's year from ``totals`` (``{first of month: total}``, the
    months of the previous year and of the period; a month missing is 0). With ``agent``, the months the
    agent was not in the network and has no total are blank (``None``), and so are their running totals
    until the agent's first month."""

    def counted(month):
        total = totals.get(month, 0)
        return total if total or in_network(agent, month) else None

    def running(total, value):
        return total if value is None and total is None else (total or 0) + (value or 0)

    rows, this_total, last_total = [], None, None
    for month in range(1, 13):
        this_month = datetime.date(period.year, month, 1)
        last_year = counted(shift_month(this_month, -12))
        last_total = running(last_total, last_year)
        if month <= period.through_month:
            this_year = counted(this_month)
            this_total = running(this_total, this_year)
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
    the acquisitions by them. ``previous`` is blank (``None``) when the agent was not yet in the network
    in the same period last year, rather than a 0 that reads as a bad year.
    """

    rank: int
    code: str
    name: str
    office: str
    status: str
    joined_on: datetime.date
    left_on: datetime.date | None
    acquisitions: int
    previous: int | None
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
    return _ranked(agents, period=period, total=sum(agent["acquisitions_count"] for agent in agents))


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
    return _ranked(rows, period=period, total=total), rows[0]["listed"] if rows else _listed_agents(
        scope, period
    ).count()


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


def _ranked(agents, *, period, total):
    rows, rank, previous_count = [], 0, None
    for position, agent in enumerate(agents, start=1):
        in_network_then = months_in_network(
            joined_on=agent["joined_on"],
            left_on=agent["left_on"],
            first=period.previous_start,
            last=period.previous_end,
        )
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
                previous=agent["previous_count"] if agent["previous_count"] or in_network_then else None,
                months_active=agent["months_active"],
                share=share(agent["acquisitions_count"], total),
            )
        )
    return rows


# --- by who was acquired ------------------------------------------------------------------------


def _counts(scope, period, *fields, **expressions):
    """Acquisitions in the period and in the same period last year, grouped by ``fields`` and
    ``expressions``: one dict a group, with ``acquisitions`` and ``previous``. One query."""
    return (
        scope.filter(Acquisition.objects.filter(_in_period(period) | _in_previous_period(period)))
        .values(*fields, **expressions)
        .annotate(
            acquisitions=Count("id", filter=_in_period(period)),
            previous=Count("id", filter=_in_previous_period(period)),
        )
        .order_by()
    )


def _grouped(scope, period, field):
    """``{value: (in period, same period last year)}`` of acquisitions grouped by ``field``."""
    return {row[field]: (row["acquisitions"], row["previous"]) for row in _counts(scope, period, field)}


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


# Where the acquired workers live: by the official Kemendagri codes (``perisai.areas``), named as the data
# names them, so two spellings typed for one kecamatan count once. A worker whose free-text place could not be
# matched to a code when codes came in (an empty code) is counted by the text typed, in a row of its own that
# says it is not yet coded, until someone chooses the place again.


def _uncoded_text(code_field, text_field):
    """The text typed for a place whose code is empty, "" for a coded one: grouping by the code and this
    counts the coded rows by code alone (whatever was typed) and the uncoded ones by their text."""
    return Case(When(**{code_field: ""}, then=F(text_field)), default=Value(""))


def not_coded(text):
    """The label of a place counted by the text typed, not by a code: "Kroyaa (not yet coded)"."""
    return gettext("%(place)s (not yet coded)") % {"place": text}


def district_names(codes):
    """``{code: name}`` of district codes as the official data names them; a name two of the districts
    share (two regencies each with a Sidareja) gets its regency ("Sidareja, Kabupaten Cilacap"), and a code
    the data does not know is shown as it is."""
    found = {code: area(code) for code in codes}
    shared_names = Counter(district.name for district in found.values() if district is not None)

    def name(code, district):
        if district is None:
            return code
        return district_label(code) if shared_names[district.name] > 1 else district.name

    return {code: name(code, district) for code, district in found.items()}


def _place_rows(rows, label):
    """``GroupTotal`` rows, most acquired first, from ``_counts`` rows and ``label(row) -> (key, label)``."""
    rows = [
        dict(zip(("key", "label"), label(row), strict=True), acquisitions=row["acquisitions"], previous=row["previous"])
        for row in rows
    ]
    return _with_shares(sorted(rows, key=lambda row: (-row["acquisitions"], row["label"], row["key"])))


@shared
def by_kecamatan(*, scope, period):
    """The kecamatan where the acquired workers live, by code, most acquired first: ``key`` is the
    six-digit district code ("" for a row counted by the text typed, see ``not_coded``). One query, shared
    within ``sharing_results()`` with the page's map (``reports.places``)."""
    rows = _counts(
        scope, period, "participant__district", typed=_uncoded_text("participant__district", "participant__kecamatan")
    )
    names = district_names({row["participant__district"] for row in rows} - {""})

    def label(row):
        if code := row["participant__district"]:
            return code, names[code]
        return "", not_coded(row["typed"]) if row["typed"] else gettext("Kecamatan not recorded")

    return _place_rows(rows, label)


def by_desa(*, scope, period):
    """The desa and kelurahan where the acquired workers live, by code, labelled "Desa, Kecamatan", most
    acquired first: ``key`` is the ten-digit village code, "" for a desa counted by the text typed (in a
    coded kecamatan, or in one not yet coded either: then the whole label is). One query."""
    rows = _counts(
        scope,
        period,
        "participant__district",
        "participant__village",
        typed_kecamatan=_uncoded_text("participant__district", "participant__kecamatan"),
        typed_desa=_uncoded_text("participant__village", "participant__desa"),
    )
    districts = {row["participant__village"][:6] or row["participant__district"] for row in rows} - {""}
    names = district_names(districts)
    villages = {village.code: village.name for code in districts for village in villages_of(code)}

    def label(row):
        village = row["participant__village"]
        district = village[:6] or row["participant__district"]
        if village:
            return village, f"{villages.get(village, village)}, {names[district]}"
        desa = row["typed_desa"] or gettext("desa not recorded")
        if district:
            return "", f"{not_coded(desa) if row['typed_desa'] else desa}, {names[district]}"
        kecamatan = row["typed_kecamatan"] or gettext("kecamatan not recorded")
        return "", not_coded(f"{desa}, {kecamatan}")

    return _place_rows(rows, label)


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
