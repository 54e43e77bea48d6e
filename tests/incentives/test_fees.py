"""Fees, bonuses and totals from hand-built contributions whose answers are worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from incentives.statements import agent_earnings, agent_statement, incentive_sheet
from tests.factories import AcquisitionFactory, AgentFactory
from tests.incentives.builders import acquire, flat_scheme, pay

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2022, 3, 1)


def one_participant(agent, on=datetime.date(2022, 1, 10)):
    return AcquisitionFactory(agent=agent, acquired_on=on)


def test_the_fee_is_the_rate_on_the_months_payments(agent, scheme):
    acquisition = one_participant(agent)
    for month in (1, 2, 3):
        pay(acquisition, period=datetime.date(2022, month, 1), paid_on=datetime.date(2022, 3, 5 + month))

    statement = agent_statement(agent=agent, month=MARCH)

    # 3 × Rp 16.800 = Rp 50.400; 7.5% of it is Rp 3.780.
    assert statement.incentive.contributions == 3
    assert statement.incentive.contributions_amount == Decimal(50_400)
    assert statement.incentive.fee == Decimal(3_780)
    assert statement.incentive.total == Decimal(3_780)
    assert [line.period.month for line in statement.lines] == [1, 2, 3]


def test_the_fee_is_rounded_once_on_the_months_total_not_per_contribution(agent, scheme):
    acquisitions = [one_participant(agent) for _ in range(3)]
    for acquisition in acquisitions:
        pay(acquisition, period=MARCH, paid_on=datetime.date(2022, 3, 10), amount=Decimal(16_810))

    fee = agent_statement(agent=agent, month=MARCH).incentive.fee

    # 3 × 16.810 = 50.430; × 0.075 = 3.782,25 → 3.782 (per contribution it would be 3 × 1.261 = 3.783).
    assert fee == Decimal(3_782)


def test_half_a_rupiah_rounds_up(agent, scheme):
    pay(one_participant(agent), period=MARCH, paid_on=datetime.date(2022, 3, 10), amount=Decimal(16_860))

    # 16.860 × 0.075 = 1.264,5 → 1.265 (half up; banker's rounding would give 1.264).
    assert agent_statement(agent=agent, month=MARCH).incentive.fee == Decimal(1_265)


@pytest.mark.parametrize(("new_participants", "bonus"), [(49, 0), (50, 500_000), (51, 500_000)])
def test_the_bonus_needs_the_threshold_of_new_participants_in_the_month(agent, scheme, new_participants, bonus):
    acquire(agent, datetime.date(2022, 3, 31), count=new_participants - 1)
    acquire(agent, datetime.date(2022, 3, 1))
    acquire(agent, datetime.date(2022, 4, 1), count=5)  # next month: does not count for March
    acquire(agent, datetime.date(2022, 2, 28), count=5)  # previous month either

    statement = agent_statement(agent=agent, month=MARCH)

    assert statement.incentive.new_participants == new_participants
    assert statement.incentive.bonus == Decimal(bonus)


def test_the_bonus_counts_acquisitions_by_the_acquiring_agent_not_the_caretaker(agent, office, scheme):
    colleague = AgentFactory(branch=office.branch, office=office)
    acquire(agent, datetime.date(2022, 3, 15), count=50, caretaker=colleague)

    assert agent_statement(agent=agent, month=MARCH).incentive.bonus == Decimal(500_000)
    assert agent_statement(agent=colleague, month=MARCH).incentive.bonus == 0


def test_a_late_payment_counts_in_the_month_it_was_paid(agent, scheme):
    acquisition = one_participant(agent)
    pay(acquisition, period=datetime.date(2022, 1, 1), paid_on=datetime.date(2022, 3, 20))

    january = agent_statement(agent=agent, month=datetime.date(2022, 1, 1))
    march = agent_statement(agent=agent, month=MARCH)

    assert january.incentive.contributions == 0 and january.incentive.fee == 0
    assert march.incentive.contributions == 1 and march.incentive.fee == Decimal(1_260)
    assert march.lines[0].period == datetime.date(2022, 1, 1)
    assert march.lines[0].paid_on == datetime.date(2022, 3, 20)


def test_a_scheme_that_changes_mid_year(agent, office, scheme):
    scheme.effective_to = datetime.date(2022, 6, 30)
    scheme.save()
    flat_scheme(
        name="Insentif 2022-II",
        effective_from=datetime.date(2022, 7, 1),
        rate=Decimal("0.1500"),
        acquisition_minimum=40,
        bonus_amount=Decimal(750_000),
        recruitment_fee=Decimal(100_000),
        office_share_rate=Decimal("0.1000"),
    )
    acquisition = one_participant(agent)
    # The June contribution is paid once in June and once late (July's period paid in July); a late
    # June-period payment made in July counts in July, under July's scheme.
    pay(acquisition, period=datetime.date(2022, 6, 1), paid_on=datetime.date(2022, 7, 2))
    pay(acquisition, period=datetime.date(2022, 5, 1), paid_on=datetime.date(2022, 6, 30))
    acquire(agent, datetime.date(2022, 6, 15), count=45)  # 45: no bonus in June (threshold 50)
    acquire(agent, datetime.date(2022, 7, 15), count=45)  # 45: bonus in July (threshold 40)
    AgentFactory(branch=office.branch, office=office, recruited_by=agent, joined_on=datetime.date(2022, 7, 20))
    AgentFactory(branch=office.branch, office=office, recruited_by=agent, joined_on=datetime.date(2022, 6, 20))

    june = agent_statement(agent=agent, month=datetime.date(2022, 6, 1)).incentive
    july = agent_statement(agent=agent, month=datetime.date(2022, 7, 1)).incentive

    assert (june.fee, june.bonus, june.recruits, june.recruitment_fee) == (Decimal(1_260), 0, 1, 0)
    assert (july.fee, july.bonus, july.recruits, july.recruitment_fee) == (
        Decimal(2_520),
        Decimal(750_000),
        1,
        Decimal(100_000),
    )
    earnings = agent_earnings(agent=agent, year=2022, month=7)
    assert earnings.this_month == july
    assert earnings.year_to_date.total == june.total + july.total == Decimal(1_260 + 2_520 + 750_000 + 100_000)
    assert [m.scheme.name for m in earnings.months[5:]] == ["Insentif 2021–2022", "Insentif 2022-II"]


def test_the_office_heads_share_is_rounded_once_per_office(agent, office, scheme):
    scheme.office_share_rate = Decimal("0.1000")
    scheme.save()
    colleague = AgentFactory(branch=office.branch, office=office)
    for earner, amount in ((agent, 16_810), (colleague, 16_830)):
        pay(one_participant(earner), period=MARCH, paid_on=datetime.date(2022, 3, 3), amount=Decimal(amount))

    sheet = incentive_sheet(branch=office.branch, month=MARCH)

    # Fees: 16.810 × 7,5% = 1.260,75 → 1.261; 16.830 × 7,5% = 1.262,25 → 1.262; together 2.523, 10% = 252,3 → 252.
    [share] = sheet.office_shares
    assert (share.office, share.fees, share.share) == (office, Decimal(2_523), Decimal(252))
    assert sheet.office_share_total == Decimal(252)


def test_no_scheme_in_force_earns_nothing_but_still_lists_the_contributions(agent, scheme):
    acquisition = one_participant(agent, on=datetime.date(2023, 1, 5))
    pay(acquisition, period=datetime.date(2023, 1, 1), paid_on=datetime.date(2023, 1, 5))

    statement = agent_statement(agent=agent, month=datetime.date(2023, 1, 1))

    assert statement.scheme is None
    assert statement.incentive.contributions == 1 and statement.incentive.total == 0


def test_the_sheets_total_row_is_the_sum_of_its_rows(branch, office, scheme):
    agents = AgentFactory.create_batch(3, branch=branch, office=office)
    for count, agent in enumerate(agents, start=1):
        for _ in range(count):
            pay(one_participant(agent), period=MARCH, paid_on=datetime.date(2022, 3, 9))
    acquire(agents[0], datetime.date(2022, 3, 2), count=50)

    sheet = incentive_sheet(branch=branch, month=MARCH)

    by_agent = {row.agent: row.incentive for row in sheet.rows}
    assert [by_agent[agent].contributions for agent in agents] == [1, 2, 3]
    assert sheet.total.fee == sum(row.incentive.fee for row in sheet.rows) == Decimal(1_260 + 2_520 + 3_780)
    assert sheet.total.bonus == Decimal(500_000)
    assert sheet.total.total == Decimal(1_260 + 2_520 + 3_780 + 500_000)
