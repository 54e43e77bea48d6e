"""Progress against the yearly acquisition targets of the branch, its Perisai offices and agents, and
what each month of the year was expected to bring.

Acquisitions count towards a target where they were credited (``Acquisition.branch``/``office``/
``agent``), from January through the period's month.

**Expected by now** follows the year's usual season, not a straight line: enrolments rise and fall with
the harvests, school fees and the Lebaran break, so a year that starts slowly is not behind by the
calendar alone. For each target (its *holder*: the branch, office or agent):

1. **Split by month**: when its owner split the target by month (``AcquisitionTargetMonth``), the
   expectation to date is the sum of its months through the period's month.
2. **Last year's shape**: otherwise, when the holder acquired someone in each of the twelve months of
   the previous year, the target is spread as that year was: through June it expects the target times
   the share of last year's acquisitions made from January to June.
3. **The average shape**: when last year was not a whole year of work (the holder started during it,
   or had a month without any acquisition), the average of those shares over the complete years among
   the ``SEASON_YEARS`` before the period's year.
4. **Even**: with no complete year at all, the target spread evenly (a June period expects half).

Expected figures are rounded half up on the running total (``expected_through``), so the twelve
months of a year add up to the target exactly and the month-by-month expectation (``month_expectations``)
agrees with the figure to date. The shapes are read from the monthly counts (``reports.rollups``),
grouped by the database per holder and year, never row by row. The pace needed spreads what is left
over the remaining months, rounded up.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Branch
from enrollment.models import AcquisitionTarget
from perisai.apportion import half_up
from perisai.months import month_end
from reports.acquisitions import share, whole
from reports.memo import shared
from reports.rollups import acquisition_months

LEVELS = {"branch": _("Branch"), "office": _("Perisai office"), "agent": _("Agent")}
SEASON_YEARS = 3
"""How many years before the period's a season may be averaged over when last year was not complete."""


class Basis:
    """Where an expectation comes from (``TargetProgress.basis``, ``Season.basis``); the labels finish the
    sentence "spread ...", "the target spread ..."."""

    SPLIT = "split"
    LAST_YEAR = "last_year"
    AVERAGE = "average"
    EVEN = "even"

    LABELS = {
        SPLIT: _("by the target's own months"),
        LAST_YEAR: _("following last year's months"),
        AVERAGE: _("following the average of earlier complete years"),
        EVEN: _("evenly"),
    }


@dataclass(frozen=True)
class YearShape:
    """One year's acquisitions of a holder: the months that held any, the whole year, and the running
    total January through the months in ``through`` (``{month: acquisitions}``)."""

    year: int
    months: int
    full: int
    through: dict

    @property
    def complete(self):
        """Acquisitions in every month of the year: a year of work whose shape means something."""
        return self.months == 12 and self.full > 0


@dataclass(frozen=True)
class Season:
    """How a year's acquisitions usually spread over its months: the years it follows (none: even)."""

    basis: str
    years: tuple = ()

    @property
    def label(self):
        return str(Basis.LABELS[self.basis])

    def share_through(self, month):
        """The share of a year's acquisitions made January through ``month``, as an exact fraction."""
        if month >= 12:
            return Fraction(1)
        if not self.years:
            return Fraction(month, 12)
        return sum(Fraction(year.through[month], year.full) for year in self.years) / len(self.years)

    def expected_through(self, total, month):
        """``total`` for the year expected January through ``month``: whole, half up."""
        return half_up(total * self.share_through(month))

    def months(self, total):
        """``total`` spread over the twelve months (``expected_through`` month by month), adding up to it."""
        running = [0] + [self.expected_through(total, month) for month in range(1, 13)]
        return [running[month] - running[month - 1] for month in range(1, 13)]


def season_of(shapes, year):
    """The ``Season`` for ``year`` from ``shapes`` (``{year: YearShape}`` of the years before it): last
    year when complete, else the average of the complete years among the ``SEASON_YEARS`` before it,
    else even."""
    previous = shapes.get(year - 1)
    if previous is not None and previous.complete:
        return Season(Basis.LAST_YEAR, (previous,))
    complete = tuple(
        shapes[earlier]
        for earlier in range(year - SEASON_YEARS, year - 1)
        if earlier in shapes and shapes[earlier].complete
    )
    if complete:
        return Season(Basis.AVERAGE, complete)
    return Season(Basis.EVEN)


def season_start(year):
    """The first month a season for ``year`` may read."""
    return datetime.date(year - SEASON_YEARS, 1, 1)


def month_shapes(counts, year):
    """``{year: YearShape}`` for the years before ``year`` from ``counts`` (``{first of month: acquisitions}``)."""
    shapes = {}
    for earlier in range(year - SEASON_YEARS, year):
        months = [counts.get(datetime.date(earlier, month, 1), 0) for month in range(1, 13)]
        if any(months):
            through = {month: sum(months[:month]) for month in range(1, 13)}
            shapes[earlier] = YearShape(earlier, sum(1 for n in months if n), through[12], through)
    return shapes


@shared
def season_counts(*, scope, period):
    """``{first of month: acquisitions}`` in ``scope`` from January ``SEASON_YEARS`` years before the period's
    year through its end: the seasons' years, last year and this year to date. One query."""
    return dict(
        acquisition_months(scope)
        .filter(month__range=(season_start(period.year), period.end))
        .values_list("month")
        .annotate(count=Sum("acquisitions"))
        .order_by("month")
    )


# --- progress against each target -----------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    level: str
    code: str
    name: str
    target: int
    achieved: int
    through_month: int
    expected: int
    basis: str

    @property
    def level_label(self):
        return str(LEVELS[self.level])

    @property
    def basis_label(self):
        return str(Basis.LABELS[self.basis])

    @property
    def achieved_share(self):
        return share(self.achieved, self.target)

    @property
    def on_track(self):
        return self.achieved >= self.expected

    @property
    def remaining(self):
        return max(0, self.target - self.achieved)

    @property
    def pace(self):
        return whole(Decimal(self.achieved) / self.through_month)

    @property
    def pace_needed(self):
        """Acquisitions a month needed to reach the target; ``None`` when no month remains."""
        months_remaining = 12 - self.through_month
        if not months_remaining:
            return None
        return math.ceil(self.remaining / months_remaining)


@shared
def target_progress(*, scope, period):
    """Every target of the period's year in the scope: the branch's, then its offices', then its
    agents' (an office scope holds the office's and its agents' targets). At most four queries: the
    targets with their months to date, then per level the holders' acquisitions by year, from which
    come both what they achieved and the season they follow."""
    through = period.through_month
    targets = (
        AcquisitionTarget.objects.filter(year=period.year)
        .select_related("branch", "office", "agent")
        .annotate(
            split_months=Count("months"),
            split_to_date=Sum("months__acquisitions", filter=Q(months__month__lte=through), default=0),
        )
    )
    if scope.agent:
        targets = targets.filter(agent=scope.agent)
    elif scope.office:
        targets = targets.filter(Q(office=scope.office) | Q(agent__office=scope.office))
    elif scope.branch:
        targets = targets.filter(branch=scope.branch)
    elif scope.region:
        targets = targets.filter(branch__region=scope.region)
    targets = list(targets)
    figures = {}
    for level, field in (("branch", "branch_id"), ("office", "office_id"), ("agent", "agent_id")):
        ids = {getattr(target, field) for target in targets if _level(target) == level}
        if ids:
            rows = (
                acquisition_months(by_agent=level == "agent")
                .filter(**{f"{field}__in": ids}, month__range=(season_start(period.year), period.end))
                .annotate(year=ExtractYear("month"))
                .values(field, "year")
                .annotate(
                    full=Sum("acquisitions"),
                    to_date=Sum("acquisitions", filter=Q(month__month__lte=through), default=0),
                    months=Count("month", distinct=True),
                )
                .order_by()
            )
            for row in rows:
                shape = YearShape(row["year"], row["months"], row["full"], {through: row["to_date"]})
                figures.setdefault((level, row[field]), {})[row["year"]] = shape
    rows = []
    for target in targets:
        level = _level(target)
        holder = getattr(target, level)
        years = figures.get((level, holder.pk), {})
        this_year = years.pop(period.year, None)
        if target.split_months:
            expected, basis = target.split_to_date, Basis.SPLIT
        else:
            season = season_of(years, period.year)
            expected, basis = season.expected_through(target.target, through), season.basis
        rows.append(
            TargetProgress(
                level=level,
                code=holder.code,
                name=holder.full_name if level == "agent" else holder.name,
                target=target.target,
                achieved=this_year.through[through] if this_year else 0,
                through_month=through,
                expected=expected,
                basis=basis,
            )
        )
    order = list(LEVELS)
    return sorted(rows, key=lambda row: (order.index(row.level), -(row.achieved_share or 0), row.name))


def _level(target):
    if target.agent_id:
        return "agent"
    if target.office_id:
        return "office"
    return "branch"


# --- month by month -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthExpectation:
    """One month of the year: what was acquired (``None`` after the period), what the target expected of
    it (``None`` without a target), and both since January."""

    month: datetime.date
    actual: int | None
    expected: int | None
    actual_cumulative: int | None
    expected_cumulative: int | None
    last_year: int
    finished: bool

    @property
    def behind(self):
        """A finished month that brought fewer than its expectation."""
        return self.finished and self.expected is not None and self.actual < self.expected

    @property
    def shortfall(self):
        return self.expected - self.actual if self.behind else 0


@dataclass(frozen=True)
class MonthExpectations:
    """The twelve months of the period's year against the scope's target (``target`` ``None`` without one)."""

    target: int | None
    split: int
    season: Season
    months: list

    def __iter__(self):
        return iter(self.months)

    @property
    def behind(self):
        return [month for month in self.months if month.behind]

    @property
    def latest(self):
        """The period's last month (the one the dashboard asks "on track?" of); ``None`` before January ends."""
        in_period = [month for month in self.months if month.actual is not None]
        return in_period[-1] if in_period else None

    @property
    def basis_label(self):
        if self.target and self.split == self.target:
            return str(Basis.LABELS[Basis.SPLIT])
        return self.season.label


def scope_targets(scope, year):
    """The year's targets held at the scope's own level: the agent's, the office's, or the branch-level
    targets of the branches in the scope (all of them for a national scope)."""
    targets = AcquisitionTarget.objects.filter(year=year)
    if scope.agent:
        return targets.filter(agent=scope.agent)
    if scope.office:
        return targets.filter(office=scope.office)
    return targets.filter(
        branch__in=scope.filter_branches(Branch.objects.all()), office__isnull=True, agent__isnull=True
    )


@shared
def month_expectations(*, scope, period, today=None):
    """``MonthExpectations`` for the period's year in ``scope``: each month's acquisitions and its expected
    share of the scope's target: the target's own months where its owner split it, else the scope's
    season (see the module). A month is *finished* once it is in the period and over by ``today``
    (Jakarta's date by default); a finished month below its expectation is *behind*. Two queries: the
    scope's monthly counts (``season_counts``), and the targets with their months."""
    today = today or timezone.localdate()
    counts = season_counts(scope=scope, period=period)
    season = season_of(month_shapes(counts, period.year), period.year)
    # One row for the targets without months (month None: their yearly figures), one per month of the
    # split ones (their months' figures).
    rows = (
        scope_targets(scope, period.year)
        .values_list("months__month")
        .annotate(unsplit=Sum("target"), split=Sum("months__acquisitions"))
        .order_by()
    )
    unsplit, split = 0, {}
    for number, unsplit_total, split_total in rows:
        if number is None:
            unsplit = unsplit_total
        else:
            split[number] = split_total
    target = unsplit + sum(split.values()) or None
    seasonal = season.months(unsplit)
    months, actual_total, expected_total = [], 0, 0
    for number in range(1, 13):
        first = datetime.date(period.year, number, 1)
        in_period = number <= period.through_month
        actual = counts.get(first, 0) if in_period else None
        actual_total += actual or 0
        expected = split.get(number, 0) + seasonal[number - 1] if target else None
        expected_total += expected or 0
        months.append(
            MonthExpectation(
                month=first,
                actual=actual,
                expected=expected,
                actual_cumulative=actual_total if in_period else None,
                expected_cumulative=expected_total if target else None,
                last_year=counts.get(datetime.date(period.year - 1, number, 1), 0),
                finished=in_period and month_end(first) < today,
            )
        )
    return MonthExpectations(target=target, split=sum(split.values()), season=season, months=months)
