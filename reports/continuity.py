"""Contribution continuity: who keeps paying, who has lapsed, and how acquisition cohorts hold up.

**Current or lapsed** at the period's last day is enrollment's rule (``enrollment.paying``: nothing
paid for three months running, or a lapse written down); this module counts it by scope and period.

Counts follow the acquisition's crediting like every other report (branch, office, acquiring agent);
the follow-up list belongs to the *caretaker*, the agent who looks after the participant now.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from enrollment.models import Acquisition, Contribution
from enrollment.paying import standing_acquisitions
from perisai.months import months_between, shift_month
from reports.acquisitions import share
from reports.memo import shared
from reports.rollups import standing_counts

RETENTION_MONTHS = (3, 6, 12)
FOLLOWING_MONTHS = 12


@dataclass(frozen=True)
class ParticipantStanding:
    """Participants whose contributions are current or lapsed at ``day``."""

    day: datetime.date
    current: int
    lapsed: int

    @property
    def total(self):
        return self.current + self.lapsed

    @property
    def current_share(self):
        return share(self.current, self.total)

    @property
    def lapsed_share(self):
        return share(self.lapsed, self.total)


def participant_standing(*, scope, period):
    """Current and lapsed participants at the period's last day. One query: on the standing counts
    ``reports.rollups`` keeps on PostgreSQL, on the acquisitions themselves otherwise."""
    counts = standing_counts(scope=scope, day=period.end)
    if counts is None:
        counts = (
            standing_acquisitions(scope=scope, day=period.end)
            .order_by()
            .aggregate(current=Count("pk", filter=Q(is_current=True)), lapsed=Count("pk", filter=Q(is_current=False)))
        )
    return ParticipantStanding(day=period.end, **counts)


@dataclass(frozen=True)
class Cohort:
    """Workers acquired in one month and, for each following month (0 = the month of acquisition),
    how many paid for it; ``None`` for months after the period's end."""

    month: datetime.date
    size: int
    paid: tuple

    def share_paid(self, months_after):
        paid = self.paid[months_after]
        return None if paid is None else share(paid, self.size)

    @property
    def shares(self):
        return tuple(self.share_paid(months) for months in range(FOLLOWING_MONTHS + 1))

    def retention(self, months_after):
        return self.share_paid(months_after)


@dataclass(frozen=True)
class Continuity:
    """The cohorts of the period's year and the year before, and their pooled retention: of all
    workers in cohorts old enough to tell, the share who paid 3, 6 and 12 months after acquisition."""

    cohorts: list
    retention: dict

    def retention_after(self, months):
        return self.retention[months]


@shared
def contribution_continuity(*, scope, period):
    """``Continuity`` for cohorts acquired from January of the previous year to the period's end,
    so the twelve-month retention of last year's workers is there too. Two queries."""
    acquisitions = scope.filter(Acquisition.objects.filter(acquired_on__range=(period.previous_start, period.end)))
    sizes = dict(
        acquisitions.annotate(month=TruncMonth("acquired_on"))
        .values_list("month")
        .annotate(size=Count("id"))
        .order_by("month")
    )
    paid = {}
    for cohort, month, count in (
        Contribution.objects.filter(acquisition__in=acquisitions.values("pk"), period__lte=period.end)
        .annotate(cohort=TruncMonth("acquisition__acquired_on"))
        .values_list("cohort", "period")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        offset = months_between(cohort, month)
        if 0 <= offset <= FOLLOWING_MONTHS:
            paid[cohort, offset] = count
    last_month = period.end.replace(day=1)
    cohorts = []
    month = period.previous_start
    while month <= last_month:
        cohorts.append(
            Cohort(
                month=month,
                size=sizes.get(month, 0),
                paid=tuple(
                    paid.get((month, offset), 0) if shift_month(month, offset) <= last_month else None
                    for offset in range(FOLLOWING_MONTHS + 1)
                ),
            )
        )
        month = shift_month(month, 1)
    retention = {}
    for months in RETENTION_MONTHS:
        known = [cohort for cohort in cohorts if cohort.paid[months] is not None]
        retention[months] = share(sum(c.paid[months] for c in known), sum(c.size for c in known))
    return Continuity(cohorts=cohorts, retention=retention)


@dataclass(frozen=True)
class CaretakerStanding:
    code: str
    name: str
    office: str
    phone: str
    current: int
    lapsed: int

    @property
    def total(self):
        return self.current + self.lapsed

    @property
    def lapsed_share(self):
        return share(self.lapsed, self.total)


def lapsed_by_caretaker(*, scope, period):
    """For each agent looking after participants: how many are current and lapsed at the period's end,
    most lapsed first. One query."""
    rows = (
        standing_acquisitions(scope=scope, day=period.end, agent_field="caretaker")
        .values("caretaker__code", "caretaker__full_name", "caretaker__office__name", "caretaker__phone")
        .annotate(current=Count("pk", filter=Q(is_current=True)), lapsed=Count("pk", filter=Q(is_current=False)))
        .order_by("-lapsed", "caretaker__full_name")
    )
    return [
        CaretakerStanding(
            code=row["caretaker__code"],
            name=row["caretaker__full_name"],
            office=row["caretaker__office__name"],
            phone=row["caretaker__phone"],
            current=row["current"],
            lapsed=row["lapsed"],
        )
        for row in rows
    ]


LAPSED_FIELDS = (
    "pk",
    "participant__full_name",
    "participant__kpj_number",
    "participant__phone",
    "participant__kecamatan",
    "participant__desa",
    "acquired_on",
    "agent__code",
    "agent__full_name",
    "caretaker__code",
    "caretaker__full_name",
    "last_paid",
)


def lapsed_participants(*, scope, period):
    """The follow-up list: participants lapsed at the period's end, by caretaker, longest unpaid first.

    A lazy ``values()`` queryset of dicts (``LAPSED_FIELDS``), so a page can paginate it and an export
    can stream it; ``months_unpaid`` is added by ``months_unpaid``.
    """
    return (
        standing_acquisitions(scope=scope, day=period.end, agent_field="caretaker")
        .filter(is_current=False)
        .order_by("caretaker__full_name", "caretaker__code", "last_paid", "participant__full_name", "pk")
        .values(*LAPSED_FIELDS)
    )


def months_unpaid(row, period):
    """Months since the last month paid, up to the period's end (all of them when nothing was paid)."""
    last_month = period.end.replace(day=1)
    since = row["last_paid"] or shift_month(row["acquired_on"].replace(day=1), -1)
    return months_between(since, last_month)
