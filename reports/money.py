"""The money view: contributions collected month by month, by Perisai office and by agent, against the
same months of the previous year; the participants' cover (JHT) and declared income; and how many of
the period's acquisitions enrolled new participants and how many returning ones.

The definitions, decided here:

- **Collected** in a month: the sum of ``Contribution.amount`` *paid* (``paid_on``) in that month,
  whichever month it pays for and whichever channel brought it (agent, bank, payment point, online,
  other). A contribution counts in the month it was paid, as it does for the agents' fees
  (``incentives.statements``); the period's figure runs from January through the period's month and
  is compared with the same months of the previous year.
- **Whose money**: a contribution counts for the branch and the Perisai office its acquisition is
  credited to (where the acquiring agent worked that day), like every acquisition figure, and for the
  agent it is credited to (``enrollment.crediting``: ``credited_to``, else the agent looking after the
  participant now). So a branch's or an office's figure is the money paid on its acquisitions, and an
  agent's the money credited to the agent; by office is by the acquisition's office, by agent by the
  agent credited.
- **With JHT** and **declared income**: of the participants standing at the period's last day (each
  counted once, by their latest acquisition up to that day, current or lapsed: ``enrollment.paying``),
  the share whose standing acquisition includes JHT, and the average declared monthly income of those
  acquisitions, in whole Rupiah, half up (``perisai.money``).
- **New or returning**: an acquisition of the period enrols a *returning* worker when the same
  participant had an earlier acquisition (anywhere, before it by ``acquired_on`` then id:
  ``enrollment.paying.earlier_acquisitions``), a worker acquired again after a lapse; otherwise a *new*
  participant. Every acquisition is one or the other, so new + returning is the headline acquisitions
  figure of ``reports.acquisitions``, and returning workers cannot pad it unseen.

Participants and acquisitions in an agent's scope are those the agent acquired, as in every
acquisition figure. The database does the counting: each function runs a fixed number of grouped or
aggregate queries, however many contributions there are.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Q, Sum
from django.db.models.functions import TruncMonth

from agents.models import Agent, PerisaiOffice
from enrollment.crediting import CREDITED_AGENT
from enrollment.models import Acquisition, Contribution
from enrollment.paying import earlier_acquisitions, standing_acquisitions
from perisai.money import whole_rupiah
from reports.acquisitions import month_rows, months_in_network, percent_change, share
from reports.memo import shared
from reports.rollups import contribution_months, money_kept

ZERO = Decimal(0)


def collected_contributions(scope):
    """The contributions whose money counts for ``scope``: paid on its acquisitions (national, branch,
    office), or credited to its agent."""
    contributions = Contribution.objects.all()
    if scope.agent:
        return contributions.alias(credited=CREDITED_AGENT).filter(credited=scope.agent.pk)
    return scope.filter(contributions, prefix="acquisition__")


@dataclass(frozen=True)
class _Paid:
    """Where a scope's money is read: ``rows`` of money, ``day`` the date field that places a row in a month.

    On PostgreSQL the database keeps the money per month, branch and office (``reports.rollups``), so
    national, branch and office figures read those months (a few thousand rows) instead of a year of
    contributions; an agent's money, and other databases, are read from the contributions."""

    rows: object
    day: str
    office: str = ""


def _paid(scope):
    if money_kept(scope):
        return _Paid(contribution_months(scope), day="month", office="office")
    return _Paid(collected_contributions(scope), day="paid_on", office="acquisition__office")


def _in_period(day, period):
    return Q(**{f"{day}__range": (period.start, period.end)})


def _in_previous_period(day, period):
    return Q(**{f"{day}__range": (period.previous_start, period.previous_end)})


def _in_both_periods(paid, period):
    return paid.rows.filter(_in_period(paid.day, period) | _in_previous_period(paid.day, period))


def _sums(day, period):
    """``collected`` in the period and ``previous``, in the same months a year earlier."""
    return {
        "collected": Sum("amount", filter=_in_period(day, period), default=ZERO),
        "previous": Sum("amount", filter=_in_previous_period(day, period), default=ZERO),
    }


def _collected_by(paid, period, field):
    """``{value of field: (collected in the period, in the same months last year)}``: one grouped query."""
    rows = _in_both_periods(paid, period).values(field).annotate(**_sums(paid.day, period)).order_by()
    return {row[field]: (row["collected"], row["previous"]) for row in rows}


# --- collected, in total and by month -----------------------------------------------------------


@dataclass(frozen=True)
class Collected:
    """Rupiah collected in the period (January through its month) and in the same months a year earlier."""

    amount: Decimal
    previous: Decimal

    @property
    def change(self):
        return percent_change(self.amount, self.previous)


@shared
def collected_summary(*, scope, period):
    """The period's ``Collected``. One query."""
    paid = _paid(scope)
    totals = _in_both_periods(paid, period).aggregate(**_sums(paid.day, period))
    return Collected(amount=totals["collected"], previous=totals["previous"])


@shared
def collected_by_month(*, scope, period):
    """Twelve ``reports.acquisitions.MonthTotal`` rows of Rupiah collected, January to December of the
    period's year against the same month a year earlier (none after the period). One query."""
    paid = _paid(scope)
    totals = dict(
        paid.rows.filter(**{f"{paid.day}__range": (period.previous_start, period.end)})
        .annotate(paid_month=TruncMonth(paid.day))
        .values_list("paid_month")
        .annotate(collected=Sum("amount"))
        .order_by("paid_month")
    )
    return month_rows(totals, period)


# --- the participants: cover, declared income, new or returning --------------------------------


@dataclass(frozen=True)
class Cover:
    """Participants standing on a day: how many, how many with JHT, and their declared incomes in total."""

    participants: int
    with_jht: int
    declared_income: Decimal

    @property
    def jht_share(self):
        return share(self.with_jht, self.participants)

    @property
    def average_income(self):
        """Average declared monthly income in whole Rupiah, half up; ``None`` without participants."""
        if not self.participants:
            return None
        return whole_rupiah(Decimal(self.declared_income) / self.participants)


@dataclass(frozen=True)
class Acquired:
    """The acquisitions of one year's months (January through the period's month): new and returning."""

    year: int
    new: int
    returning: int

    @property
    def acquisitions(self):
        return self.new + self.returning

    @property
    def returning_share(self):
        return share(self.returning, self.acquisitions)


@dataclass(frozen=True)
class NewAndReturning:
    """The acquisitions of the period and of the same months a year earlier, new against returning."""

    this_year: Acquired
    last_year: Acquired

    @property
    def new_change(self):
        """New participants against the same months a year earlier, in percent."""
        return percent_change(self.this_year.new, self.last_year.new)

    @property
    def years(self):
        return [self.this_year, self.last_year]


COVER = {
    "participants": Count("pk"),
    "with_jht": Count("pk", filter=Q(with_jht=True)),
    "declared_income": Sum("declared_income", default=ZERO),
}
"""The ``Cover`` of a queryset of standing acquisitions, as aggregates."""


@shared
def participant_cover(*, scope, period):
    """The ``Cover`` of the participants standing at the period's last day. One query: the standing
    acquisitions (``enrollment.paying``) are a filter the database answers as an anti-join."""
    return Cover(**standing_acquisitions(scope=scope, day=period.end).order_by().aggregate(**COVER))


@shared
def new_and_returning(*, scope, period):
    """``NewAndReturning`` for the scope and period. One query over the acquisitions of the two periods;
    whether an earlier acquisition exists is asked of those rows only."""
    this = Q(acquired_on__range=(period.start, period.end))
    last = Q(acquired_on__range=(period.previous_start, period.previous_end))
    returning = Exists(earlier_acquisitions())
    counts = scope.filter(Acquisition.objects.filter(this | last)).aggregate(
        acquisitions=Count("pk", filter=this),
        returning=Count("pk", filter=this & returning),
        previous_acquisitions=Count("pk", filter=last),
        previous_returning=Count("pk", filter=last & returning),
    )
    return NewAndReturning(
        this_year=Acquired(period.year, counts["acquisitions"] - counts["returning"], counts["returning"]),
        last_year=Acquired(
            period.year - 1,
            counts["previous_acquisitions"] - counts["previous_returning"],
            counts["previous_returning"],
        ),
    )


@dataclass(frozen=True)
class MoneySummary:
    """What the dashboard's card, the collected page and the workbook's summary state."""

    period: object
    collected: Collected
    cover: Cover
    acquired: NewAndReturning


def money_summary(*, scope, period, months=None):
    """The period's ``MoneySummary``: three queries, two when ``months`` (``collected_by_month``'s rows,
    whose cumulative figures at the period's month are its totals) are at hand."""
    if months is None:
        collected = collected_summary(scope=scope, period=period)
    else:
        month = months[period.through_month - 1]
        collected = Collected(amount=month.this_year_cumulative, previous=month.last_year_cumulative)
    return MoneySummary(
        period=period,
        collected=collected,
        cover=participant_cover(scope=scope, period=period),
        acquired=new_and_returning(scope=scope, period=period),
    )


# --- by office and by agent ---------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeMoney:
    """One Perisai office: Rupiah collected on its acquisitions in the period and a year earlier, and
    its participants on the period's last day."""

    code: str
    name: str
    collected: Decimal
    previous: Decimal
    share: Decimal | None
    cover: Cover

    @property
    def change(self):
        return percent_change(self.collected, self.previous)

    @property
    def participants(self):
        return self.cover.participants

    @property
    def jht_share(self):
        return self.cover.jht_share

    @property
    def average_income(self):
        return self.cover.average_income


def collected_by_office(*, scope, period):
    """Every Perisai office of the scope (and any other the scope's acquisitions were credited to), most
    collected first, with its share of the scope's total. Three queries: the money by office, the
    participants by office, the offices."""
    paid = _paid(scope)
    money = _collected_by(paid, period, paid.office)
    covers = {
        office: Cover(participants, with_jht, declared_income)
        for office, participants, with_jht, declared_income in standing_acquisitions(scope=scope, day=period.end)
        .values_list("office")
        .annotate(**COVER)
        .order_by()
    }
    offices = (
        PerisaiOffice.objects.filter(
            Q(pk__in=scope.filter_offices(PerisaiOffice.objects.all()).values("pk")) | Q(pk__in=[*money, *covers])
        )
        .order_by()
        .values_list("pk", "code", "name")
    )
    total = sum(collected for collected, _previous in money.values())
    rows = []
    for pk, code, name in offices:
        collected, previous = money.get(pk, (ZERO, ZERO))
        rows.append(
            OfficeMoney(
                code=code,
                name=name,
                collected=collected,
                previous=previous,
                share=share(collected, total),
                cover=covers.get(pk, Cover(0, 0, ZERO)),
            )
        )
    return sorted(rows, key=lambda row: (-row.collected, -row.previous, row.code))


@dataclass(frozen=True)
class AgentMoney:
    """One agent: Rupiah credited to them in the period and a year earlier (``None`` when the agent was
    not yet in the network then)."""

    code: str
    name: str
    office: str
    left_on: datetime.date | None
    collected: Decimal
    previous: Decimal | None
    share: Decimal | None

    @property
    def change(self):
        return percent_change(self.collected, self.previous)


def collected_by_agent(*, scope, period):
    """Every agent credited with money in the scope in the period or a year earlier, and every agent of
    the scope in the network at some time in the period (with nothing collected too), most collected
    first. Two queries: the money by agent, the agents."""
    credited = _Paid(collected_contributions(scope).annotate(credited_agent=CREDITED_AGENT), day="paid_on")
    money = _collected_by(credited, period, "credited_agent")
    on_network = Q(joined_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))
    agents = (
        Agent.objects.filter(
            Q(pk__in=scope.filter_agents(Agent.objects.filter(on_network)).values("pk")) | Q(pk__in=list(money))
        )
        .order_by()
        .values_list("pk", "code", "full_name", "office__name", "joined_on", "left_on")
    )
    total = sum(collected for collected, _previous in money.values())
    rows = []
    for pk, code, name, office, joined_on, left_on in agents:
        collected, previous = money.get(pk, (ZERO, ZERO))
        there = months_in_network(
            joined_on=joined_on, left_on=left_on, first=period.previous_start, last=period.previous_end
        )
        rows.append(
            AgentMoney(
                code=code,
                name=name,
                office=office,
                left_on=left_on,
                collected=collected,
                previous=previous if previous or there else None,  # blank before the agent joined
                share=share(collected, total),
            )
        )
    return sorted(rows, key=lambda row: (-row.collected, -(row.previous or 0), row.name, row.code))
