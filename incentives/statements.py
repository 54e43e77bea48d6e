"""Agents' monthly fee statements, their earnings, and the branch-wide incentive sheet, as plain data.

The rules a branch office works by, decided once here (the terms themselves are rows: ``incentives.models``):

- **Which month, which scheme**: a contribution counts in the month it was *paid* (``paid_on``), an
  acquisition in the month it was made (``acquired_on``), under the scheme in force in that month
  (``incentives.terms``). The fee is earned on money received, so the statement for March lists every
  contribution paid in March, including a late payment for January; one paid in April for March counts
  in April, under April's scheme: a statement for March 2022 follows the 2021 terms, one for May 2022
  the April 2022 terms.
- **The rate of each contribution** is the scheme's tier for the participant's membership month of the
  month paid for (``incentives.terms.membership_month``: month 1 is the month of the acquisition the
  contribution was paid for). Under the April 2022 terms months 1-24 earn 15%, months 25-60 5%, later
  months nothing; every statement line shows its membership month and rate.
- **Who earns it**: the agent the contribution is credited to, by the rule of ``enrollment.crediting``
  (who looked after the participant when it was paid). Acquisition incentives go to the acquiring agent
  (``Acquisition.agent``).
- **The first contribution goes through the agent**: the agent pays the first month when enrolling the
  worker (from their own balance, collected from the worker) and records it (channel *agent*); later
  months reach the branch through the channels' payments file. Both count alike: the first month is
  membership month 1 at the tier's rate, in the month it was paid. The line's channel shows which way
  it came.
- **Acquisition incentives**: the agent's new participants in the month (each acquisition counts; with
  ``first_enrolments_only`` only workers enrolled for the first time) must reach the scheme's minimum
  (25 means 25 or more); then the scheme's flat bonus, and its fee per new participant of each package
  (JKK+JKM or JKK+JKM+JHT by ``Acquisition.with_jht``) for every one that counts. Under the minimum:
  nothing, however close.
- **Recruitment fee**: per new agent who joined in the month and names the agent as their recruiter.
- **Office share**: the scheme's share of the agents' fees (or of all they earn, as the scheme says),
  paid to their Kantor Perisai on top. Each piece goes to the office the agent worked through when it
  was earned: an acquisition's to the office recorded on it (``Acquisition.office``), a contribution's
  to the agent's office on the day it was paid (from the agent's change history; an agent without a
  recorded change is in their office now), the bonus and recruitment fee to the office the agent is in
  at the end of the month. So an agent who moves mid-month splits their month between two offices.
- **Money** is whole Rupiah in ``Decimal``, rounded half up (``perisai.money``), once: an agent's fee
  is the exact sum of each contribution's amount times its rate, rounded once per agent and month
  (never per contribution or per tier); fees per new participant are whole amounts; an office's share
  is rounded once per office and month. Where an agent's rounded fee is split between offices, the
  parts are their exact shares rounded by the largest remainder, so they add up to the fee. A year's
  figures are the sum of its monthly statements.

The database does the counting: every function here runs a fixed number of queries however many
agents, contributions or acquisitions there are (their docstrings say how many).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear, Greatest, TruncMonth
from django.utils import timezone

from agents.models import Agent, PerisaiOffice
from enrollment.crediting import CREDITED_AGENT
from enrollment.models import Acquisition, Contribution
from incentives.models import AcquisitionFee, IncentiveScheme
from incentives.terms import membership_month, scheme_in_force, schemes_by_month
from perisai.money import whole_rupiah
from perisai.months import month_end, month_start

ZERO = Decimal(0)
EARNER = CREDITED_AGENT  # the rule lives in enrollment.crediting; reports count by it too
Package = AcquisitionFee.Package


@dataclass(frozen=True)
class Incentive:
    """What one agent (or a whole sheet) earned over a month or several.

    ``new_participants`` counts every acquisition; ``new_counted`` those that count for the acquisition
    incentives (the same unless the scheme counts first enrolments only).
    """

    contributions: int = 0
    contributions_amount: Decimal = ZERO
    fee: Decimal = ZERO
    new_participants: int = 0
    new_counted: int = 0
    acquisition_fee: Decimal = ZERO
    bonus: Decimal = ZERO
    recruits: int = 0
    recruitment_fee: Decimal = ZERO

    @property
    def total(self):
        return self.fee + self.acquisition_fee + self.bonus + self.recruitment_fee

    def __add__(self, other):
        return Incentive(*(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__))

    @classmethod
    def sum(cls, incentives):
        total = cls()
        for incentive in incentives:
            total += incentive
        return total


# --- what an agent did in a month, and what it earns ------------------------------------------------


@dataclass
class Work:
    """One agent's month as counted: contributions by membership month, acquisitions by package and
    whether first enrolments, new agents recruited. Built from grouped queries (sheet, earnings) or from
    a statement's lines; either way ``incentive_for`` turns it into money."""

    paid: dict = field(default_factory=lambda: defaultdict(lambda: [0, ZERO]))  # {membership month: [n, Rp]}
    acquired: dict = field(default_factory=lambda: defaultdict(int))  # {(package, first enrolment): n}
    recruits: int = 0

    def add_paid(self, month, count, amount):
        row = self.paid[month]
        row[0] += count
        row[1] += Decimal(amount)

    def add_acquired(self, package, first, count):
        self.acquired[package, bool(first)] += count


def _exact_fee(scheme, amounts):
    """The fee before rounding: each membership month's amount (``{month: Rp}``) times its tier's rate."""
    return sum((amount * scheme.rate_for(month) for month, amount in amounts.items()), ZERO)


def _counted(scheme, acquired):
    """``{package: n}`` of the new participants that count for the acquisition incentives."""
    counted = defaultdict(int)
    for (package, first), count in acquired.items():
        if first or not scheme.first_enrolments_only:
            counted[package] += count
    return counted


def minimum_reached(scheme, counted_total):
    return scheme.acquisition_minimum is None or counted_total >= scheme.acquisition_minimum


def incentive_for(scheme, work):
    """``work`` (one agent's month) under ``scheme`` (``None``: no scheme in force, nothing earned)."""
    contributions = sum(n for n, _amount in work.paid.values())
    amount = sum((amount for _n, amount in work.paid.values()), ZERO)
    new = sum(work.acquired.values())
    if scheme is None:
        return Incentive(contributions, amount, ZERO, new, new, ZERO, ZERO, work.recruits, ZERO)
    counted = _counted(scheme, work.acquired)
    counted_total = sum(counted.values())
    reached = minimum_reached(scheme, counted_total)
    fees = scheme.package_fees
    acquisition_fee = sum((count * fees.get(package, ZERO) for package, count in counted.items()), ZERO)
    return Incentive(
        contributions=contributions,
        contributions_amount=amount,
        fee=whole_rupiah(_exact_fee(scheme, {month: paid for month, (_n, paid) in work.paid.items()})),
        new_participants=new,
        new_counted=counted_total,
        acquisition_fee=Decimal(acquisition_fee) if reached else ZERO,
        bonus=Decimal(scheme.bonus_amount) if scheme.has_bonus and reached else ZERO,
        recruits=work.recruits,
        recruitment_fee=Decimal(scheme.recruitment_fee) * work.recruits,
    )


def fee_on(scheme, owed):
    """The fee ``owed`` would earn if paid under ``scheme`` (``None``: nothing): ``owed`` is ``(membership
    month, amount)`` pairs; each at its tier's rate, rounded once, as a statement rounds a month."""
    if scheme is None:
        return ZERO
    return whole_rupiah(sum((Decimal(amount) * scheme.rate_for(month) for month, amount in owed), ZERO))


# --- the breakdowns a statement shows ---------------------------------------------------------------


@dataclass(frozen=True)
class TierFigures:
    """The contributions of one fee tier (or of membership months no tier covers: ``tier`` is ``None``)."""

    tier: object
    contributions: int
    amount: Decimal
    rate: Decimal

    @property
    def exact_fee(self):
        """Before the one rounding of the agent's month; shown so the fee can be checked by hand."""
        return self.amount * self.rate

    @property
    def rate_percent(self):
        return self.rate * 100


def tier_figures(scheme, work):
    """The month's contributions by the scheme's fee tiers, in the tiers' order; uncovered months last."""
    if scheme is None:
        return []
    counts, amounts, tiers = defaultdict(int), defaultdict(lambda: ZERO), {}
    for month, (count, amount) in work.paid.items():
        tier = scheme.tier_for(month)
        key = tier.from_month if tier else None
        tiers[key] = tier
        counts[key] += count
        amounts[key] += amount
    order = sorted(tiers, key=lambda key: (key is None, key or 0))
    return [
        TierFigures(tiers[key], counts[key], amounts[key], tiers[key].rate if tiers[key] else ZERO) for key in order
    ]


@dataclass(frozen=True)
class PackageFigures:
    """New participants of one package: how many, how many count, the fee each and what they earned."""

    package: str
    new: int
    counted: int
    fee_each: Decimal
    earned: Decimal

    @property
    def label(self):
        return Package(self.package).label


def package_figures(scheme, work):
    """The month's new participants by package (three programmes first), with what each package earned;
    empty when the scheme pays no fee per new participant."""
    if scheme is None or not scheme.package_fees:
        return []
    counted = _counted(scheme, work.acquired)
    reached = minimum_reached(scheme, sum(counted.values()))
    new = defaultdict(int)
    for (package, _first), count in work.acquired.items():
        new[package] += count
    fees = scheme.package_fees
    rows = []
    for package in (Package.THREE, Package.TWO):
        if not new[package] and package not in fees:
            continue
        each = fees.get(package, ZERO)
        earned = each * counted[package] if reached else ZERO
        rows.append(PackageFigures(package, new[package], counted[package], each, Decimal(earned)))
    return rows


# --- queries ----------------------------------------------------------------------------------------


def counted_contributions(*, first, last):
    """Contributions paid from ``first`` to ``last`` with ``earner``: the agent whose fee counts them."""
    return Contribution.objects.filter(paid_on__range=(first, last)).annotate(earner=EARNER)


MEMBERSHIP_MONTH = Greatest(
    (ExtractYear("period") - ExtractYear("acquisition__acquired_on")) * 12
    + ExtractMonth("period")
    - ExtractMonth("acquisition__acquired_on")
    + 1,
    Value(1),
)
"""``incentives.terms.membership_month`` as an expression on ``Contribution``, for grouped counts."""


def _is_first_enrolment():
    """On ``Acquisition``: no earlier acquisition of the same participant (a NIK never enrolled before)."""
    earlier = Acquisition.objects.filter(participant=OuterRef("participant")).filter(
        Q(acquired_on__lt=OuterRef("acquired_on")) | Q(acquired_on=OuterRef("acquired_on"), pk__lt=OuterRef("pk"))
    )
    return ~Exists(earlier)


@dataclass(frozen=True)
class _Scope:
    """Which contributions, acquisitions and new agents (recruits) to count: a branch's or one agent's."""

    contributions: Q
    acquisitions: Q
    recruits: Q


def _branch_scope(branch):
    return _Scope(Q(acquisition__branch=branch), Q(branch=branch), Q(branch=branch))


def _agent_scope(agent):
    return _Scope(Q(earner=agent.pk), Q(agent=agent), Q(recruited_by=agent))


@dataclass
class _Counted:
    """Grouped counts over a period: ``work[agent_id, month]``, and for the office shares the contributions
    of the agents who moved by day (``paid_by_day[agent_id, month][day][membership month] = Rp``) and the
    acquisitions by office (``acquired_by_office[agent_id, month][office_id][(package, first)] = n``)."""

    work: dict
    paid_by_day: dict
    acquired_by_office: dict


def _count(*, first, last, scope, by_day_for=()):
    """Three grouped queries (contributions, acquisitions, recruits) by agent and month, and a fourth, by
    day, for the contributions credited to the agents ``by_day_for`` (those who changed office in the
    period: only their office shares need the days)."""
    work = defaultdict(Work)
    paid_by_day = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: ZERO)))
    acquired_by_office = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    contributions = counted_contributions(first=first, last=last).filter(scope.contributions)
    by_month = (
        contributions.annotate(month=TruncMonth("paid_on"), membership_month=MEMBERSHIP_MONTH)
        .order_by()
        .values_list("earner", "month", "membership_month")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    for agent_id, paid_in, month, count, amount in by_month:
        work[agent_id, month_start(paid_in)].add_paid(month, count, amount)
    if by_day_for:
        by_day = (
            contributions.filter(earner__in=list(by_day_for))
            .annotate(membership_month=MEMBERSHIP_MONTH)
            .order_by()
            .values_list("earner", "paid_on", "membership_month")
            .annotate(amount=Sum("amount"))
        )
        for agent_id, paid_on, month, amount in by_day:
            paid_by_day[agent_id, month_start(paid_on)][paid_on][month] += Decimal(amount)
    acquisitions = (
        Acquisition.objects.filter(scope.acquisitions, acquired_on__range=(first, last))
        .annotate(month=TruncMonth("acquired_on"), first_enrolment=_is_first_enrolment())
        .order_by()
        .values_list("agent", "month", "with_jht", "first_enrolment", "office")
        .annotate(count=Count("id"))
    )
    for agent_id, month, with_jht, first_enrolment, office_id, count in acquisitions:
        key = agent_id, month_start(month)
        package = Package.of(with_jht)
        work[key].add_acquired(package, first_enrolment, count)
        acquired_by_office[key][office_id][package, bool(first_enrolment)] += count
    recruits = (
        Agent.objects.filter(scope.recruits, recruited_by__isnull=False, joined_on__range=(first, last))
        .annotate(month=TruncMonth("joined_on"))
        .order_by()
        .values_list("recruited_by", "month")
        .annotate(count=Count("id"))
    )
    for agent_id, month, count in recruits:
        work[agent_id, month_start(month)].recruits = count
    return _Counted(work, paid_by_day, acquired_by_office)


# --- one agent ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """A contribution that counts: paid for ``period`` (the participant's ``membership_month``) on
    ``paid_on`` through ``channel``, at ``rate`` under the statement's scheme."""

    participant: str
    kpj_number: str
    period: datetime.date
    amount: Decimal
    paid_on: datetime.date
    acquired_on: datetime.date
    channel: str
    membership_month: int
    rate: Decimal

    @property
    def channel_label(self):
        return Contribution.Channel(self.channel).label if self.channel else ""

    @property
    def rate_percent(self):
        return self.rate * 100

    @property
    def membership_year(self):
        return (self.membership_month - 1) // 12 + 1


@dataclass(frozen=True)
class AcquisitionLine:
    """A new participant of the month: their package, whether a first enrolment, whether they count for
    the acquisition incentives, and the fee they earned (0 under the minimum)."""

    participant: str
    kpj_number: str
    acquired_on: datetime.date
    package: str
    first_enrolment: bool
    counts: bool
    fee: Decimal

    @property
    def package_label(self):
        return Package(self.package).label


@dataclass(frozen=True)
class AgentStatement:
    """An agent's monthly fee statement: the contributions and new participants that count, by line,
    the figures by tier and package, and what they earned."""

    agent: Agent
    month: datetime.date
    scheme: object
    lines: list
    incentive: Incentive
    acquisitions: list = field(default_factory=list)
    tiers: list = field(default_factory=list)
    packages: list = field(default_factory=list)

    @property
    def acquisition_minimum(self):
        return self.scheme.acquisition_minimum if self.scheme else None

    @property
    def minimum_reached(self):
        return self.scheme is not None and minimum_reached(self.scheme, self.incentive.new_counted)


def _statement_lines(*, first, last, scope, scheme):
    """``{agent_id: [StatementLine]}`` of the contributions counted from ``first`` to ``last``: one query."""
    lines = defaultdict(list)
    rows = (
        counted_contributions(first=first, last=last)
        .filter(scope)
        .order_by("earner", "paid_on", "acquisition__participant__full_name", "period", "pk")
        .values_list(
            "earner",
            "acquisition__participant__full_name",
            "acquisition__participant__kpj_number",
            "period",
            "amount",
            "paid_on",
            "acquisition__acquired_on",
            "channel",
        )
    )
    for earner, name, kpj, period, amount, paid_on, acquired_on, channel in rows:
        month = membership_month(acquired_on, period)
        rate = scheme.rate_for(month) if scheme else ZERO
        lines[earner].append(StatementLine(name, kpj, period, amount, paid_on, acquired_on, channel, month, rate))
    return lines


def _acquisition_rows(*, first, last, scope):
    """``{agent_id: [(name, kpj, acquired_on, package, first enrolment)]}`` of the month's acquisitions: one
    query."""
    rows = defaultdict(list)
    acquisitions = (
        Acquisition.objects.filter(scope, acquired_on__range=(first, last))
        .annotate(first_enrolment=_is_first_enrolment())
        .order_by("agent", "acquired_on", "participant__full_name", "pk")
        .values_list(
            "agent", "participant__full_name", "participant__kpj_number", "acquired_on", "with_jht", "first_enrolment"
        )
    )
    for agent_id, name, kpj, acquired_on, with_jht, first_enrolment in acquisitions:
        rows[agent_id].append((name, kpj, acquired_on, Package.of(with_jht), bool(first_enrolment)))
    return rows


def _statement(agent, month, scheme, lines, acquisition_rows, recruits):
    """The statement from its lines: the figures are the lines added up, so every Rupiah traces to one."""
    work = Work(recruits=recruits)
    for line in lines:
        work.add_paid(line.membership_month, 1, line.amount)
    for _name, _kpj, _on, package, first_enrolment in acquisition_rows:
        work.add_acquired(package, first_enrolment, 1)
    incentive = incentive_for(scheme, work)
    reached = scheme is not None and minimum_reached(scheme, incentive.new_counted)
    fees = scheme.package_fees if scheme else {}
    acquisitions = []
    for name, kpj, acquired_on, package, first_enrolment in acquisition_rows:
        counts = scheme is not None and (first_enrolment or not scheme.first_enrolments_only)
        fee = fees.get(package, ZERO) if counts and reached else ZERO
        acquisitions.append(AcquisitionLine(name, kpj, acquired_on, package, first_enrolment, counts, Decimal(fee)))
    return AgentStatement(
        agent=agent,
        month=month,
        scheme=scheme,
        lines=lines,
        incentive=incentive,
        acquisitions=acquisitions,
        tiers=tier_figures(scheme, work),
        packages=package_figures(scheme, work),
    )


def agent_statement(*, agent, month):
    """``agent``'s statement for ``month``: six queries (the scheme and its rows, the contributions, the
    acquisitions, the recruits), whatever the number of lines."""
    first = month_start(month)
    last = month_end(first)
    scheme = scheme_in_force(first)
    scope = _agent_scope(agent)
    lines = _statement_lines(first=first, last=last, scope=scope.contributions, scheme=scheme)[agent.pk]
    acquisitions = _acquisition_rows(first=first, last=last, scope=scope.acquisitions)[agent.pk]
    recruits = Agent.objects.filter(scope.recruits, joined_on__range=(first, last)).count()
    return _statement(agent, first, scheme, lines, acquisitions, recruits)


@dataclass(frozen=True)
class MonthIncentive:
    month: datetime.date
    scheme: object
    incentive: Incentive


@dataclass(frozen=True)
class Earnings:
    """What an agent earned in a month and in its year up to that month (January to the month)."""

    agent: Agent
    month: datetime.date
    this_month: Incentive
    year_to_date: Incentive
    months: list = field(default_factory=list)


def agent_earnings(*, agent, year, month):
    """``agent``'s earnings in ``month`` (1-12) of ``year`` and from January to then: six queries (the
    schemes and their rows, the contributions, acquisitions and recruits by month).

    For the agent's "my performance" page, the agent's page and the evaluation workbook; the same
    figures as the monthly statements, each month under its own scheme.
    """
    first = datetime.date(year, 1, 1)
    through = datetime.date(year, month, 1)
    schemes = schemes_by_month(first, through)
    counted = _count(first=first, last=month_end(through), scope=_agent_scope(agent))
    months = [
        MonthIncentive(first_day, scheme, incentive_for(scheme, counted.work.get((agent.pk, first_day), Work())))
        for first_day, scheme in schemes.items()
    ]
    return Earnings(
        agent=agent,
        month=through,
        this_month=months[-1].incentive,
        year_to_date=Incentive.sum(m.incentive for m in months),
        months=months,
    )


# --- the branch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    agent: Agent
    incentive: Incentive


@dataclass(frozen=True)
class OfficeShare:
    """An office's share of its agents' month: ``base`` (their fees, or all they earned, as the scheme
    says) and the ``share`` paid to the office, rounded once."""

    office: PerisaiOffice
    base: Decimal
    share: Decimal

    @property
    def fees(self):  # the name the sheet had when the share was of the fees only
        return self.base


@dataclass(frozen=True)
class IncentiveSheet:
    """The branch-wide monthly incentive sheet: one row per agent, the total, the offices' shares."""

    branch: object
    month: datetime.date
    scheme: object
    rows: list
    total: Incentive
    office_shares: list

    @property
    def office_share_total(self):
        return sum((share.share for share in self.office_shares), ZERO)

    @property
    def has_acquisition_fees(self):
        return bool(self.scheme and self.scheme.package_fees) or self.total.acquisition_fee > 0

    @property
    def has_bonus(self):
        return bool(self.scheme and self.scheme.has_bonus) or self.total.bonus > 0

    @property
    def has_recruitment(self):
        return bool(self.scheme and self.scheme.recruitment_fee) or self.total.recruitment_fee > 0


def incentive_sheet(*, branch, month):
    """The sheet for ``branch`` and ``month``: at most ten queries whatever the number of agents (the scheme
    and its rows, the three grouped counts, the agents; with an office share the agents' office history,
    the contributions by day of any agent who moved, and any office no agent is in now).

    Rows: every agent of the branch who worked some of the month (joined by its end, not left before
    its start) and anyone who earned something in it, by office and name.
    """
    first = month_start(month)
    last = month_end(first)
    scheme = scheme_in_force(first)
    history = OfficeHistory(branch) if scheme is not None and scheme.office_share_rate else None
    movers = history.moved_between(first, last) if history else ()
    counted = _count(first=first, last=last, scope=_branch_scope(branch), by_day_for=movers)
    work = {agent_id: row for (agent_id, _month), row in counted.work.items()}
    worked = Q(joined_on__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gte=first))
    agents = list(
        Agent.objects.filter(branch=branch)
        .filter(worked | Q(pk__in=list(work)))
        .select_related("office")
        .order_by("office__name", "full_name", "code")
    )
    rows = [SheetRow(agent, incentive_for(scheme, work.get(agent.pk, Work()))) for agent in agents]
    return IncentiveSheet(
        branch=branch,
        month=first,
        scheme=scheme,
        rows=rows,
        total=Incentive.sum(row.incentive for row in rows),
        office_shares=_office_shares(scheme, first, rows, counted, history),
    )


def branch_statements(*, sheet):
    """Every agent's statement behind ``sheet`` (an ``IncentiveSheet``), in its order: three more queries
    (the contributions, the acquisitions, the recruits)."""
    first = sheet.month
    last = month_end(first)
    scope = _branch_scope(sheet.branch)
    lines = _statement_lines(first=first, last=last, scope=scope.contributions, scheme=sheet.scheme)
    acquisitions = _acquisition_rows(first=first, last=last, scope=scope.acquisitions)
    recruits = dict(
        Agent.objects.filter(scope.recruits, recruited_by__isnull=False, joined_on__range=(first, last))
        .order_by()
        .values_list("recruited_by")
        .annotate(count=Count("id"))
    )
    return [
        _statement(agent, first, sheet.scheme, lines[agent.pk], acquisitions[agent.pk], recruits.get(agent.pk, 0))
        for agent in (row.agent for row in sheet.rows)
    ]


# --- the offices' shares ------------------------------------------------------------------------


class OfficeHistory:
    """Which office each agent of a branch worked through on a day, from the agents' change history: one
    query.

    A history row holds the agent as saved at that moment, so the office on a day is the office of the
    last row saved by the end of that day (Jakarta time). Before the first row, the first row's office;
    an agent with no history at all (written in bulk) is in their office now.
    """

    def __init__(self, branch):
        self.changes = defaultdict(list)
        rows = (
            Agent.history.filter(branch_id=branch.pk)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "history_date", "office_id")
        )
        for agent_id, saved_at, office_id in rows:
            self.changes[agent_id].append((timezone.localdate(saved_at), office_id))

    def office_on(self, agent, day):
        changes = self.changes.get(agent.pk)
        if not changes:
            return agent.office_id
        office = changes[0][1]
        for saved_on, office_id in changes:
            if saved_on > day:
                break
            office = office_id
        return office

    def moved_between(self, first, last):
        """The ids of the agents whose office on some day from ``first`` to ``last`` differs from another."""
        moved = set()
        for agent_id, changes in self.changes.items():
            offices = {office for saved_on, office in changes if first < saved_on <= last}
            before = [office for saved_on, office in changes if saved_on <= first]
            offices.add(before[-1] if before else changes[0][1])
            if len(offices) > 1:
                moved.add(agent_id)
        return moved


def split_rounded(total, parts, *, prefer=None):
    """``total`` (whole Rupiah, the exact ``parts`` added up and rounded) as whole Rupiah per part: each
    part rounded down, the Rupiah left over to the largest remainders (a tie to ``prefer``, then by key).
    The pieces add up to ``total`` and none is negative."""
    if not parts:
        return {}
    floors = {key: value.to_integral_value(rounding=ROUND_FLOOR) for key, value in parts.items()}
    left = max(int(total - sum(floors.values())), 0)
    order = sorted(parts, key=lambda key: (-(parts[key] - floors[key]), key != prefer, str(key)))
    whole, rest = divmod(left, len(order))
    for index, key in enumerate(order):
        floors[key] += whole + (1 if index < rest else 0)
    return floors


def _office_shares(scheme, month, rows, counted, history):
    """Each office's share of its agents' month, rounded once per office; empty when the scheme has none.

    An agent who stayed in one office all month brings it their whole month; one who moved brings each
    office the part earned while there (their fee split by the days the contributions were paid)."""
    if scheme is None or not scheme.office_share_rate:
        return []
    last = month_end(month)
    offices = {row.agent.office_id: row.agent.office for row in rows}
    bases = defaultdict(lambda: ZERO)
    whole_incentive = scheme.office_share_base == IncentiveScheme.OfficeShareBase.INCENTIVES
    for row in rows:
        agent, key = row.agent, (row.agent.pk, month)
        at_month_end = history.office_on(agent, last)
        days = counted.paid_by_day.get(key)
        if days:  # the agent moved during the month
            exact = defaultdict(lambda: ZERO)
            for day, paid in days.items():
                exact[history.office_on(agent, day)] += _exact_fee(scheme, paid)
            for office_id, fee in split_rounded(row.incentive.fee, exact, prefer=at_month_end).items():
                bases[office_id] += fee
        else:
            bases[at_month_end] += row.incentive.fee
        if whole_incentive:
            if row.incentive.acquisition_fee:
                fees = scheme.package_fees
                for office_id, acquired in counted.acquired_by_office.get(key, {}).items():
                    counted_here = _counted(scheme, acquired)
                    bases[office_id] += sum((n * fees.get(p, ZERO) for p, n in counted_here.items()), ZERO)
            bases[at_month_end] += row.incentive.bonus + row.incentive.recruitment_fee
    missing = set(bases) - set(offices)
    if missing:
        offices.update(PerisaiOffice.objects.in_bulk(missing))
    return [
        OfficeShare(office, bases[office.pk], whole_rupiah(bases[office.pk] * scheme.office_share_rate))
        for office in sorted(offices.values(), key=lambda office: (office.name, office.code))
    ]
