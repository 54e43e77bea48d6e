"""The recruitment funnel: how a scope's candidates become agents, whether the agents stay, and whether
they acquire.

**Whose candidates** (``candidates_q``): a branch counts its own candidates; a Perisai office the
candidates recruited by its agents or activated into it (the agent's office now, as the agent network
counts agents); an agent the candidates they recruited; the national scope every candidate.

**As it stood at ``as_of``**: the period's last day, or today while the period is still running. Every
step is read from a date, so a past period reads as it stood then, whatever happened to the candidates
later:

- *registered*: ``registered_on``;
- *trained*: attended a training session held by then (a seat with ``attended``); *passed*: a passed
  seat of a session held by then;
- *activated*: became an agent who had joined by then (``Candidate.agent``, ``Agent.joined_on``);
- *still active after 3 (6) months*: had not left by the day three (six) months after joining
  (``perisai.months.add_months``: 31 January + 1 month is 28 February). An agent who leaves on that day
  is gone, as in ``reports.network``. An agent whose day is after ``as_of`` is *not yet known*: neither
  active nor gone, and left out of the share, which is of the agents known;
- *in progress* (the summary): registered, not yet activated, and neither withdrawn nor failed by then.
  A failed candidate invited to a retake is in progress again (their stage is "invited"); those two
  stages are read from ``stage`` and ``stage_changed_on``, the only record of when they happened;
- *trained* and *activated in the period* (the summary): attended a session held, or joined, from
  1 January to ``as_of``, whenever the candidate registered.

**Three breakdowns** of the candidates registered from January of the previous year to the period's end,
so the six-month figures of last year's intake are there beside this year's:

- *by month registered*: each month's intake and how far it went;
- *by recruiter*: the recruiting agent, or the branch when no agent brought the candidate in;
- *by training session* (the sessions held in those months): the seats of the scope's candidates
  (invited, attended, passed) and the candidates who passed there and were activated. A candidate who
  failed and passed a retake has a seat in both sessions and is activated in the second.

Beside each cohort, the acquisitions of the agents it produced, wherever they were credited: in their
first three months (before the day three months after joining) and to date (by ``as_of``), and each per
activated agent.

The database counts: ``recruitment_funnel`` is two queries (the candidates grouped by month registered and
recruiter, the seats grouped by session), whatever the number of candidates, seats, agents or acquisitions,
and carries the summary; ``recruitment_summary`` alone is the first of them, which ``sharing_results``
(``reports.memo``) shares with the funnel inside the evaluation workbook.

Dates are moved by months in the database with ``AddMonths``, the calendar's ``add_months`` written for
PostgreSQL and SQLite.
"""

import datetime
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db import NotSupportedError
from django.db.models import Count, DateField, Exists, Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enrollment.models import Acquisition
from perisai.months import shift_month
from recruitment.models import Candidate, Seat
from reports.acquisitions import share
from reports.memo import shared

STAYING_MONTHS = (3, 6)
FIRST_MONTHS = 3
"""An agent's first months, for the acquisitions a new agent makes."""

MONTH, RECRUITER, SESSION = "month", "recruiter", "session"


class AddMonths(Func):
    """A date column moved by whole months, the day kept or, where the month is shorter, its last day:
    ``perisai.months.add_months`` in SQL (PostgreSQL and SQLite, the two databases Perisai runs on)."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression, months, **extra):
        super().__init__(expression, **extra)
        self.months = int(months)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"AddMonths is written for PostgreSQL and SQLite, not {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql} + INTERVAL '{self.months} months') AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's '+N months' runs over a short month (31 January + 1 month is 3 March); the last day
        # of the month N months on is the most it may be.
        sql, params = compiler.compile(self.source_expressions[0])
        moved = f"DATE({sql}, '+{self.months} months')"
        last_day = f"DATE({sql}, 'start of month', '+{self.months + 1} months', '-1 day')"
        return f"MIN({moved}, {last_day})", (*params, *params)


def candidates_q(scope, prefix=""):
    """A ``Q`` narrowing candidates to ``scope``; ``prefix`` leads from the queried model to the candidate."""
    if scope.agent:
        return Q(**{f"{prefix}recruited_by": scope.agent})
    if scope.office:
        return Q(**{f"{prefix}recruited_by__office": scope.office}) | Q(**{f"{prefix}agent__office": scope.office})
    if scope.branch:
        return Q(**{f"{prefix}branch": scope.branch})
    if scope.region:
        return Q(**{f"{prefix}branch__region": scope.region})
    return Q()


def reading_day(period, today=None):
    """The day the funnel is read at (``as_of``): the period's last day, or today while the period runs."""
    return min(period.end, today or timezone.localdate())


def _per_agent(count, agents):
    if not agents:
        return None
    return (Decimal(count) / agents).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FunnelRow:
    """One cohort: a month's intake, a recruiter's candidates or a session's seats, and how far they went.

    ``known_3`` and ``known_6`` are the activated agents whose three (six) months were over at ``as_of``;
    ``active_3``/``active_6`` those of them still active on that day.
    """

    breakdown: str
    month: datetime.date | None = None
    code: str | None = None
    name: str | None = None
    office: str | None = None
    held_on: datetime.date | None = None
    place: str | None = None
    trainer: str | None = None
    candidates: int = 0
    trained: int = 0
    passed: int = 0
    activated: int = 0
    known_3: int = 0
    active_3: int = 0
    known_6: int = 0
    active_6: int = 0
    acquisitions_first: int = 0
    acquisitions: int = 0

    @property
    def breakdown_label(self):
        return {
            MONTH: _("By month registered"),
            RECRUITER: _("By recruiter"),
            SESSION: _("By training session"),
        }[self.breakdown]

    @property
    def recruiter(self):
        """The recruiting agent, or the branch when the candidates came with none."""
        if self.breakdown != RECRUITER:
            return None
        return self.name if self.code else _("The branch (no recruiting agent)")

    @property
    def label(self):
        """What the row is, in the active language: "Maret 2022", "Ani (AG001)", "15 Juni 2022 · Aula"."""
        if self.breakdown == MONTH:
            return date_format(self.month, "F Y")
        if self.breakdown == RECRUITER:
            return f"{self.name} ({self.code})" if self.code else self.recruiter
        return f"{date_format(self.held_on, 'j F Y')} · {self.place}"

    @property
    def detail(self):
        """The recruiter's Perisai office, or the session's trainer (``None`` for a month or the branch)."""
        return self.trainer if self.breakdown == SESSION else self.office

    def still_active(self, months):
        return getattr(self, f"active_{months}")

    def known(self, months):
        return getattr(self, f"known_{months}")

    def not_yet_known(self, months):
        """Activated agents too recent to tell whether they stayed ``months`` months."""
        return self.activated - self.known(months)

    def active_share(self, months):
        """Of the agents whose ``months`` are over, the share still active then; ``None`` with none known."""
        return share(self.still_active(months), self.known(months))

    @property
    def first_per_agent(self):
        """Acquisitions in their first three months per activated agent, one decimal."""
        return _per_agent(self.acquisitions_first, self.activated)

    @property
    def per_agent(self):
        """Acquisitions to date per activated agent, one decimal."""
        return _per_agent(self.acquisitions, self.activated)


COUNTS = tuple(field.name for field in fields(FunnelRow) if field.type is int)


def _summed(row, counted):
    """``row`` with each count the sum of that count in ``counted`` (rows or dicts of counts)."""
    totals = dict.fromkeys(COUNTS, 0)
    for counts in counted:
        for name in COUNTS:
            totals[name] += _count(counts, name) if isinstance(counts, dict) else getattr(counts, name)
    return replace(row, **totals)


@dataclass(frozen=True)
class RecruitmentFunnel:
    """The three breakdowns, read at ``as_of``, of the candidates registered from ``since``, and the
    dashboard's ``summary`` counted in the same query."""

    since: datetime.date
    as_of: datetime.date
    months: list
    recruiters: list
    sessions: list
    summary: object

    @property
    def intake(self):
        """Every candidate of the months: the pooled figures (shares of every cohort known)."""
        return _summed(FunnelRow(breakdown=MONTH), self.months)

    @property
    def rows(self):
        """The three breakdowns one after another: the file's and the workbook sheet's rows."""
        return [*self.months, *self.recruiters, *self.sessions]


@dataclass(frozen=True)
class RecruitmentSummary:
    """What the dashboard says of recruitment, for the period and at ``as_of``."""

    period: object
    as_of: datetime.date
    in_progress: int
    trained: int
    activated: int
    known_6: int
    active_6: int

    @property
    def active_6_share(self):
        return share(self.active_6, self.known_6)


def _acquisitions(agent, as_of, *, first_months=None):
    """How many acquisitions the agent at ``agent`` (an ``OuterRef`` path) made by ``as_of``; with
    ``first_months``, only those before the day that many months after the agent joined."""
    acquisitions = Acquisition.objects.filter(agent=OuterRef(agent), acquired_on__lte=as_of)
    if first_months:
        acquisitions = acquisitions.filter(acquired_on__lt=AddMonths("agent__joined_on", first_months))
    counted = acquisitions.order_by().values("agent").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _retention(day, agent, only=None):
    """``known_N`` and ``active_N`` counts for each of ``STAYING_MONTHS``: ``agent`` is the path to the
    agent, ``only`` narrows the rows counted (a session's passed seats)."""
    counts = {}
    for months in STAYING_MONTHS:
        after = AddMonths(f"{agent}__joined_on", months)
        known = (only or Q()) & Q(LessThanOrEqual(after, day))
        stayed = Q(**{f"{agent}__left_on__isnull": True}) | Q(**{f"{agent}__left_on__gt": after})
        counts[f"known_{months}"] = Count("pk", filter=known)
        counts[f"active_{months}"] = Count("pk", filter=known & stayed)
    return counts


def _counted(**aggregates):
    """``aggregates`` named ``count_<name>``, so no count takes the name of a field a later filter reads
    (a seat's ``passed``)."""
    return {f"count_{name}": aggregate for name, aggregate in aggregates.items()}


def _count(row, name):
    return row[f"count_{name}"] or 0


@shared
def candidate_groups(*, scope, period, as_of):
    """The scope's candidates registered by the period's end, counted by month registered and recruiter.

    One query; every row holds each count of ``FunnelRow`` (the acquisitions only from January of the
    previous year, the funnel's months) and the summary's ``in_progress``, ``trained_in_period`` and
    ``activated_in_period``, read with ``_count``. Shared within
    ``sharing_results``, so the workbook's summary and its sheet read it once.
    """
    seats = Seat.objects.filter(candidate=OuterRef("pk"), session__held_on__lte=as_of)
    not_activated = Q(agent__isnull=True) | Q(agent__joined_on__gt=as_of)
    stopped = Q(stage__in=[Candidate.Stage.WITHDRAWN, Candidate.Stage.FAILED], stage_changed_on__lte=as_of)
    intake = Q(registered_on__gte=period.previous_start)
    return list(
        Candidate.objects.filter(candidates_q(scope), registered_on__lte=period.end)
        .order_by()
        .alias(
            was_trained=Exists(seats.filter(attended=True)),
            has_passed=Exists(seats.filter(passed=True)),
            trained_this_period=Exists(seats.filter(attended=True, session__held_on__gte=period.start)),
            acquired=_acquisitions("agent", as_of),
            acquired_first=_acquisitions("agent", as_of, first_months=FIRST_MONTHS),
        )
        .annotate(month=TruncMonth("registered_on", output_field=DateField()))
        .values("month", "recruited_by", "recruited_by__code", "recruited_by__full_name", "recruited_by__office__name")
        .annotate(
            **_counted(
                candidates=Count("pk"),
                trained=Count("pk", filter=Q(was_trained=True)),
                passed=Count("pk", filter=Q(has_passed=True)),
                activated=Count("pk", filter=Q(agent__joined_on__lte=as_of)),
                **_retention(as_of, "agent"),
                # Acquisitions only for the funnel's months: no subquery runs for older candidates.
                acquisitions_first=Sum("acquired_first", filter=intake),
                acquisitions=Sum("acquired", filter=intake),
                in_progress=Count("pk", filter=Q(registered_on__lte=as_of) & not_activated & ~stopped),
                trained_in_period=Count("pk", filter=Q(trained_this_period=True)),
                activated_in_period=Count("pk", filter=Q(agent__joined_on__range=(period.start, as_of))),
            )
        )
    )


def _session_groups(*, scope, since, period, as_of):
    """The seats of the sessions held from ``since`` to the period's end, of the scope's candidates,
    counted by session. One query."""
    passed = Q(passed=True)
    return list(
        Seat.objects.filter(candidates_q(scope, "candidate__"), session__held_on__range=(since, period.end))
        .order_by()
        .alias(
            acquired=_acquisitions("candidate__agent", as_of),
            acquired_first=_acquisitions("candidate__agent", as_of, first_months=FIRST_MONTHS),
        )
        .values("session", "session__held_on", "session__place", "session__trainer")
        .annotate(
            **_counted(
                candidates=Count("pk"),
                trained=Count("pk", filter=Q(attended=True)),
                passed=Count("pk", filter=passed),
                activated=Count("pk", filter=passed & Q(candidate__agent__joined_on__lte=as_of)),
                **_retention(as_of, "candidate__agent", passed),
                acquisitions_first=Sum("acquired_first", filter=passed),
                acquisitions=Sum("acquired", filter=passed),
            )
        )
        .order_by("session__held_on", "session")
    )


@shared
def recruitment_funnel(*, scope, period, today=None):
    """The ``RecruitmentFunnel`` of the candidates registered from January of the previous year to the
    period's end, read at ``reading_day(period, today)``. Two queries."""
    day = reading_day(period, today)
    since = period.previous_start
    candidates = candidate_groups(scope=scope, period=period, as_of=day)
    groups = [row for row in candidates if row["month"] >= since]

    by_month, by_recruiter, recruiters = {}, {}, {}
    for row in groups:
        by_month.setdefault(row["month"], []).append(row)
        by_recruiter.setdefault(row["recruited_by"], []).append(row)
        recruiters[row["recruited_by"]] = FunnelRow(
            breakdown=RECRUITER,
            code=row["recruited_by__code"],
            name=row["recruited_by__full_name"],
            office=row["recruited_by__office__name"],
        )

    months, month = [], since
    while month <= period.end:
        months.append(_summed(FunnelRow(breakdown=MONTH, month=month), by_month.get(month, [])))
        month = shift_month(month, 1)
    recruiter_rows = sorted(
        (_summed(recruiters[key], rows) for key, rows in by_recruiter.items()),
        key=lambda row: (-row.activated, -row.candidates, bool(row.code), row.name or "", row.code or ""),
    )
    sessions = [
        FunnelRow(
            breakdown=SESSION,
            held_on=row["session__held_on"],
            place=row["session__place"],
            trainer=row["session__trainer"],
            **{name: _count(row, name) for name in COUNTS},
        )
        for row in _session_groups(scope=scope, since=since, period=period, as_of=day)
    ]
    return RecruitmentFunnel(
        since=since,
        as_of=day,
        months=months,
        recruiters=recruiter_rows,
        sessions=sessions,
        summary=_summary(candidates, period=period, as_of=day),
    )


def _summary(groups, *, period, as_of):
    intake = [row for row in groups if row["month"] >= period.previous_start]
    return RecruitmentSummary(
        period=period,
        as_of=as_of,
        in_progress=sum(_count(row, "in_progress") for row in groups),
        trained=sum(_count(row, "trained_in_period") for row in groups),
        activated=sum(_count(row, "activated_in_period") for row in groups),
        known_6=sum(_count(row, "known_6") for row in intake),
        active_6=sum(_count(row, "active_6") for row in intake),
    )


def recruitment_summary(*, scope, period, today=None):
    """The dashboard's figures: candidates in progress at ``as_of``, candidates trained and agents activated
    in the period, and of the intake since January of the previous year the agents still active six
    months after joining (as ``RecruitmentFunnel.intake``). One query; the funnel carries the same
    figures (``RecruitmentFunnel.summary``)."""
    day = reading_day(period, today)
    return _summary(candidate_groups(scope=scope, period=period, as_of=day), period=period, as_of=day)
