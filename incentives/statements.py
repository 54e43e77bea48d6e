"""Agents' monthly fee statements and the branch-wide incentive sheet, as plain data.

The rules a branch office works by, decided once here:

- **Which month, which scheme**: a contribution counts in the month it was *paid* (``paid_on``), under
  the scheme in force in that month. The fee is earned on money received, so the statement for March
  lists every contribution paid in March, including a late payment for January; a contribution paid
  in April for March counts in April.
- **Who earns it**: the agent the contribution is credited to, by the rule of ``enrollment.crediting``
  (``Contribution.credited_to``: who looked after the participant when it was paid). A contribution
  recorded without it counts for the agent looking after the participant now (``Acquisition.caretaker``).
  After staff move the participants of an agent who left, new payments are credited to the new agent;
  earlier ones stay with the old.
- **Bonus**: the scheme's bonus when the agent's *new* acquisitions in the month (``Acquisition.agent``,
  ``acquired_on`` in the month; a worker acquired again after lapsing counts again, as in every report)
  reach the scheme's threshold (50 means 50 or more).
- **Recruitment fee**: per new agent who joined in the month and names the agent as their recruiter.
- **Office share**: the scheme's share of the fees (not bonuses or recruitment fees) of the agents of
  each Kantor Perisai (the agent's office now), for the office head, on top of what the agents earn.
- **Money** is whole Rupiah in ``Decimal``: the fee is the agent's month's total of contributions
  times the rate, rounded once, half up (never per contribution); the office share likewise on the
  office's total of fees. A year's figures are the sum of its monthly statements.

The database does the counting: every function here runs a fixed number of grouped queries however
many agents or contributions there are.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from agents.models import Agent, PerisaiOffice
from enrollment.crediting import CREDITED_AGENT
from enrollment.models import Acquisition, Contribution
from incentives.terms import scheme_in_force, schemes_by_month
from perisai.money import whole_rupiah
from perisai.months import month_end, month_start

ZERO = Decimal(0)
EARNER = CREDITED_AGENT  # the rule lives in enrollment.crediting; reports count by it too


@dataclass(frozen=True)
class Incentive:
    """What one agent (or a whole sheet) earned over a month or several."""

    contributions: int = 0
    contributions_amount: Decimal = ZERO
    fee: Decimal = ZERO
    new_participants: int = 0
    bonus: Decimal = ZERO
    recruits: int = 0
    recruitment_fee: Decimal = ZERO

    @property
    def total(self):
        return self.fee + self.bonus + self.recruitment_fee

    def __add__(self, other):
        return Incentive(
            contributions=self.contributions + other.contributions,
            contributions_amount=self.contributions_amount + other.contributions_amount,
            fee=self.fee + other.fee,
            new_participants=self.new_participants + other.new_participants,
            bonus=self.bonus + other.bonus,
            recruits=self.recruits + other.recruits,
            recruitment_fee=self.recruitment_fee + other.recruitment_fee,
        )

    @classmethod
    def sum(cls, incentives):
        total = cls()
        for incentive in incentives:
            total += incentive
        return total


@dataclass
class _Figures:
    contributions: int = 0
    amount: Decimal = ZERO
    new_participants: int = 0
    recruits: int = 0


def incentive_for(scheme, *, contributions=0, contributions_amount=ZERO, new_participants=0, recruits=0):
    """One agent's month under ``scheme`` (``None``: no scheme in force, nothing earned)."""
    amount = Decimal(contributions_amount)
    if scheme is None:
        return Incentive(contributions, amount, ZERO, new_participants, ZERO, recruits, ZERO)
    bonus = scheme.bonus_amount if scheme.has_bonus and new_participants >= scheme.bonus_threshold else ZERO
    return Incentive(
        contributions=contributions,
        contributions_amount=amount,
        fee=whole_rupiah(amount * scheme.fee_rate),
        new_participants=new_participants,
        bonus=Decimal(bonus),
        recruits=recruits,
        recruitment_fee=Decimal(scheme.recruitment_fee) * recruits,
    )


def _incentive(scheme, figures):
    return incentive_for(
        scheme,
        contributions=figures.contributions,
        contributions_amount=figures.amount,
        new_participants=figures.new_participants,
        recruits=figures.recruits,
    )


def counted_contributions(*, first, last):
    """Contributions paid from ``first`` to ``last`` with ``earner``: the agent whose fee counts them."""
    return Contribution.objects.filter(paid_on__range=(first, last)).annotate(earner=EARNER)


def _figures(*, first, last, scope):
    """``{(agent_id, month): _Figures}`` from three grouped queries.

    ``scope`` holds three ``Q``: which contributions, acquisitions and new agents (recruits) to count
    (``_branch_scope`` or ``_agent_scope``).
    """
    contributions_q, acquisitions_q, recruits_q = scope
    figures = defaultdict(_Figures)
    contributions = (
        counted_contributions(first=first, last=last)
        .filter(contributions_q)
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values_list("earner", "month")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    for agent_id, month, count, amount in contributions:
        row = figures[agent_id, month_start(month)]
        row.contributions, row.amount = count, Decimal(amount)
    acquisitions = (
        Acquisition.objects.filter(acquisitions_q, acquired_on__range=(first, last))
        .annotate(month=TruncMonth("acquired_on"))
        .order_by()
        .values_list("agent", "month")
        .annotate(count=Count("id"))
    )
    for agent_id, month, count in acquisitions:
        figures[agent_id, month_start(month)].new_participants = count
    recruits = (
        Agent.objects.filter(recruits_q, recruited_by__isnull=False, joined_on__range=(first, last))
        .annotate(month=TruncMonth("joined_on"))
        .order_by()
        .values_list("recruited_by", "month")
        .annotate(count=Count("id"))
    )
    for agent_id, month, count in recruits:
        figures[agent_id, month_start(month)].recruits = count
    return figures


def _branch_scope(branch):
    return Q(acquisition__branch=branch), Q(branch=branch), Q(branch=branch)


def _agent_scope(agent):
    return Q(earner=agent.pk), Q(agent=agent), Q(recruited_by=agent)


# --- one agent ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    participant: str
    kpj_number: str
    period: object
    amount: Decimal
    paid_on: object


@dataclass(frozen=True)
class AgentStatement:
    """An agent's monthly fee statement: the contributions that count and what they earned."""

    agent: Agent
    month: object
    scheme: object
    lines: list
    incentive: Incentive

    @property
    def bonus_threshold(self):
        return self.scheme.bonus_threshold if self.scheme else None


def _lines(*, first, last, scope):
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
        )
    )
    for earner, *line in rows:
        lines[earner].append(StatementLine(*line))
    return lines


def agent_statement(*, agent, month):
    """``agent``'s statement for ``month``: five queries, whatever the number of contributions."""
    first = month_start(month)
    last = month_end(first)
    scheme = scheme_in_force(first)
    scope = _agent_scope(agent)
    figures = _figures(first=first, last=last, scope=scope).get((agent.pk, first), _Figures())
    return AgentStatement(
        agent=agent,
        month=first,
        scheme=scheme,
        lines=_lines(first=first, last=last, scope=scope[0])[agent.pk],
        incentive=_incentive(scheme, figures),
    )


@dataclass(frozen=True)
class MonthIncentive:
    month: object
    scheme: object
    incentive: Incentive


@dataclass(frozen=True)
class Earnings:
    """What an agent earned in a month and in its year up to that month (January to the month)."""

    agent: Agent
    month: object
    this_month: Incentive
    year_to_date: Incentive
    months: list = field(default_factory=list)


def agent_earnings(*, agent, year, month):
    """``agent``'s earnings in ``month`` (1-12) of ``year`` and from January to then: four queries.

    For the agent's "my performance" page and the evaluation workbook; the same figures as the
    monthly statements, each month under its own scheme.
    """
    first = datetime.date(year, 1, 1)
    through = datetime.date(year, month, 1)
    schemes = schemes_by_month(first, through)
    figures = _figures(first=first, last=month_end(through), scope=_agent_scope(agent))
    months = []
    for first_day, scheme in schemes.items():
        incentive = _incentive(scheme, figures.get((agent.pk, first_day), _Figures()))
        months.append(MonthIncentive(first_day, scheme, incentive))
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
    office: PerisaiOffice
    fees: Decimal
    share: Decimal


@dataclass(frozen=True)
class IncentiveSheet:
    """The branch-wide monthly incentive sheet: one row per agent, the total, the offices' shares."""

    branch: object
    month: object
    scheme: object
    rows: list
    total: Incentive
    office_shares: list

    @property
    def office_share_total(self):
        return sum((share.share for share in self.office_shares), ZERO)


def incentive_sheet(*, branch, month):
    """The sheet for ``branch`` and ``month``: five queries, whatever the number of agents.

    Rows: every agent of the branch who worked some of the month (joined by its end, not left before
    its start) and anyone who earned something in it, by office and name.
    """
    first = month_start(month)
    last = month_end(first)
    scheme = scheme_in_force(first)
    figures = {
        agent_id: row
        for (agent_id, _month), row in _figures(first=first, last=last, scope=_branch_scope(branch)).items()
    }
    worked = Q(joined_on__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gte=first))
    agents = (
        Agent.objects.filter(branch=branch)
        .filter(worked | Q(pk__in=list(figures)))
        .select_related("office")
        .order_by("office__name", "full_name", "code")
    )
    rows = [SheetRow(agent, _incentive(scheme, figures.get(agent.pk, _Figures()))) for agent in agents]
    return IncentiveSheet(
        branch=branch,
        month=first,
        scheme=scheme,
        rows=rows,
        total=Incentive.sum(row.incentive for row in rows),
        office_shares=_office_shares(scheme, rows),
    )


def _office_shares(scheme, rows):
    """Each office's share of its agents' fees, rounded once per office; empty when the scheme has none."""
    if scheme is None or not scheme.office_share_rate:
        return []
    offices, fees = {}, defaultdict(lambda: ZERO)
    for row in rows:
        offices[row.agent.office_id] = row.agent.office
        fees[row.agent.office_id] += row.incentive.fee
    return [
        OfficeShare(office, fees[office.pk], whole_rupiah(fees[office.pk] * scheme.office_share_rate))
        for office in sorted(offices.values(), key=lambda office: (office.name, office.code))
    ]


def branch_statements(*, sheet):
    """Every agent's statement behind ``sheet`` (an ``IncentiveSheet``), in its order: one more query."""
    first = sheet.month
    lines = _lines(first=first, last=month_end(first), scope=Q(acquisition__branch=sheet.branch))
    return [
        AgentStatement(
            agent=row.agent, month=first, scheme=sheet.scheme, lines=lines[row.agent.pk], incentive=row.incentive
        )
        for row in sheet.rows
    ]
