"""The April 2022 terms, statement by statement, with every answer worked out by hand.

To March 2022: 7.5% of the contributions paid, Rp 500.000 from 50 new participants in a month. From April
2022: 15% in the participant's membership months 1-24, 5% in 25-60, nothing after; Rp 15.000 per new
participant with JKK, JKM and JHT and Rp 10.000 with JKK and JKM, once 25 workers enrolled for the first
time in the month; 10% of everything the agents earn to their Kantor Perisai, on top.

A two-programme worker (JKK, JKM) at the minimum income pays Rp 16.800 a month; a three-programme one
(with JHT) Rp 36.800.
"""

import datetime
from decimal import Decimal

import pytest

from incentives.models import AcquisitionFee
from incentives.statements import agent_earnings, agent_statement, branch_statements, incentive_sheet
from tests.factories import AcquisitionFactory, AgentFactory, ParticipantFactory
from tests.incentives.builders import acquire, pay, scheme_2021, scheme_april_2022

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH, APRIL, MAY = D(2022, 3, 1), D(2022, 4, 1), D(2022, 5, 1)
THREE, TWO = AcquisitionFee.Package.THREE, AcquisitionFee.Package.TWO


@pytest.fixture
def schemes(db):
    return scheme_2021(), scheme_april_2022()


def enrol(agent, on, count, *, with_jht=False, **fields):
    """``count`` workers enrolled by ``agent`` on ``on``, each paying their first month to the agent that day."""
    acquisitions = acquire(agent, on, count=count, with_jht=with_jht, **fields)
    for acquisition in acquisitions:
        pay(acquisition, period=on.replace(day=1), paid_on=on)
    return acquisitions


def test_the_same_work_earns_what_each_scheme_says_either_side_of_april_2022(agent, schemes):
    march_workers = enrol(agent, D(2022, 3, 10), 30)
    enrol(agent, D(2022, 5, 10), 20)
    enrol(agent, D(2022, 5, 10), 10, with_jht=True)
    for acquisition in march_workers:  # their third month, paid through a channel
        pay(acquisition, period=MAY, paid_on=D(2022, 5, 12), channel="payment_point", collected_by=None)

    march = agent_statement(agent=agent, month=MARCH)
    may = agent_statement(agent=agent, month=MAY)

    # March, 2021 terms: 30 × 16.800 = 504.000 at 7,5% = 37.800; 30 new participants, under 50: no bonus.
    assert march.scheme.name == "Insentif 2021"
    assert (march.incentive.contributions_amount, march.incentive.fee) == (Decimal(504_000), Decimal(37_800))
    assert (march.incentive.new_participants, march.incentive.bonus, march.incentive.acquisition_fee) == (30, 0, 0)
    assert march.incentive.total == Decimal(37_800)
    # May, April 2022 terms: 20 × 16.800 + 10 × 36.800 + 30 × 16.800 = 1.208.000 at 15% = 181.200 (every
    # participant in membership month 1 or 3); 30 first enrolments, at least 25: 20 × 10.000 + 10 × 15.000.
    assert may.scheme.name == "New Perisai 2022"
    assert (may.incentive.contributions_amount, may.incentive.fee) == (Decimal(1_208_000), Decimal(181_200))
    assert {line.membership_month for line in may.lines} == {1, 3}
    assert all(line.rate == Decimal("0.15") for line in may.lines)
    assert (may.incentive.new_counted, may.incentive.acquisition_fee) == (30, Decimal(350_000))
    assert [(p.package, p.counted, p.fee_each, p.earned) for p in may.packages] == [
        (THREE, 10, 15_000, 150_000),
        (TWO, 20, 10_000, 200_000),
    ]
    assert may.incentive.bonus == 0
    assert may.incentive.total == Decimal(181_200 + 350_000)


def test_the_scheme_follows_the_day_a_contribution_was_paid_not_its_month(agent, schemes):
    on_time, late = acquire(agent, D(2022, 1, 5), count=2)
    pay(on_time, period=MARCH, paid_on=D(2022, 3, 31))
    pay(late, period=MARCH, paid_on=D(2022, 4, 1))

    march = agent_statement(agent=agent, month=MARCH)
    april = agent_statement(agent=agent, month=APRIL)

    # The same month paid for, one day apart: 16.800 at 7,5% = 1.260 in March, at 15% = 2.520 in April.
    assert [(line.period, line.rate) for line in march.lines] == [(MARCH, Decimal("0.075"))]
    assert march.incentive.fee == Decimal(1_260)
    assert [(line.period, line.membership_month, line.rate) for line in april.lines] == [(MARCH, 3, Decimal("0.15"))]
    assert april.incentive.fee == Decimal(2_520)


def test_a_participant_crossing_from_year_2_to_year_3(agent, schemes):
    acquisition = AcquisitionFactory(agent=agent, acquired_on=D(2020, 5, 20))  # May 2020 is month 1
    pay(acquisition, period=D(2022, 4, 1), paid_on=D(2022, 5, 15), amount=Decimal(16_810))  # month 24
    pay(acquisition, period=D(2022, 5, 1), paid_on=D(2022, 5, 15), amount=Decimal(16_830))  # month 25

    statement = agent_statement(agent=agent, month=MAY)

    assert [(line.membership_month, line.membership_year, line.rate) for line in statement.lines] == [
        (24, 2, Decimal("0.15")),
        (25, 3, Decimal("0.05")),
    ]
    # 16.810 × 15% = 2.521,50 and 16.830 × 5% = 841,50: 3.363 exactly, rounded once (each rounded
    # on its own would make 2.522 + 842 = 3.364).
    assert statement.incentive.fee == Decimal(3_363)
    assert [(row.tier.from_month, row.contributions, row.amount, row.exact_fee) for row in statement.tiers] == [
        (1, 1, 16_810, Decimal("2521.5")),
        (25, 1, 16_830, Decimal("841.5")),
    ]


def test_after_month_60_the_agent_earns_nothing_on_the_participant(agent, schemes):
    acquisition = AcquisitionFactory(agent=agent, acquired_on=D(2020, 5, 20))
    pay(acquisition, period=D(2025, 4, 1), paid_on=D(2025, 5, 2))  # month 60
    pay(acquisition, period=D(2025, 5, 1), paid_on=D(2025, 5, 2))  # month 61: passed to the branch office

    statement = agent_statement(agent=agent, month=D(2025, 5, 1))

    assert [(line.membership_month, line.rate) for line in statement.lines] == [(60, Decimal("0.05")), (61, 0)]
    assert statement.incentive.fee == Decimal(840)  # 16.800 × 5%
    assert statement.tiers[-1].tier is None and statement.tiers[-1].amount == Decimal(16_800)


def test_a_worker_acquired_again_starts_again_at_month_1(agent, schemes):
    participant = ParticipantFactory(branch=agent.branch)
    AcquisitionFactory(
        agent=agent, participant=participant, acquired_on=D(2019, 1, 10), status="lapsed", ended_on=D(2020, 1, 1)
    )
    again = AcquisitionFactory(agent=agent, participant=participant, acquired_on=D(2022, 5, 3))
    pay(again, period=MAY, paid_on=D(2022, 5, 3))

    [line] = agent_statement(agent=agent, month=MAY).lines

    assert (line.membership_month, line.rate) == (1, Decimal("0.15"))


@pytest.mark.parametrize(("two_programmes", "earned"), [(14, 0), (15, 10 * 15_000 + 15 * 10_000)])
def test_fees_per_new_participant_need_25_in_the_month(agent, schemes, two_programmes, earned):
    acquire(agent, D(2022, 5, 2), count=10, with_jht=True)
    acquire(agent, D(2022, 5, 31), count=two_programmes)
    acquire(agent, D(2022, 4, 30), count=3)  # April: not May's
    acquire(agent, D(2022, 6, 1), count=3)  # June either

    statement = agent_statement(agent=agent, month=MAY)

    assert statement.incentive.new_counted == 10 + two_programmes  # 24, then exactly 25
    assert statement.incentive.acquisition_fee == Decimal(earned)
    assert statement.minimum_reached is bool(earned)
    fees = {line.package: line.fee for line in statement.acquisitions}
    assert fees == ({THREE: 15_000, TWO: 10_000} if earned else {THREE: 0, TWO: 0})


def test_a_worker_enrolled_before_does_not_count_toward_the_25(agent, schemes):
    participant = ParticipantFactory(branch=agent.branch)
    AcquisitionFactory(
        agent=agent, participant=participant, acquired_on=D(2021, 2, 1), status="lapsed", ended_on=D(2021, 9, 1)
    )
    acquire(agent, D(2022, 5, 9), count=24)
    AcquisitionFactory(agent=agent, participant=participant, acquired_on=D(2022, 5, 9))

    statement = agent_statement(agent=agent, month=MAY)

    assert (statement.incentive.new_participants, statement.incentive.new_counted) == (25, 24)
    assert statement.incentive.acquisition_fee == 0
    again = [line for line in statement.acquisitions if not line.first_enrolment]
    assert [(line.participant, line.counts) for line in again] == [(participant.full_name, False)]


def moved_on(agent, when):
    """Date the agent's history as staff would have written it: added in 2021, moved to their office now at
    ``when``."""
    added, moved = agent.history.order_by("history_date", "history_id")
    history = type(added).objects
    history.filter(pk=added.pk).update(history_date=datetime.datetime(2021, 1, 4, tzinfo=datetime.UTC))
    history.filter(pk=moved.pk).update(history_date=when)


def test_the_office_receives_a_tenth_of_everything_its_agents_earn_on_top(branch, office, schemes):
    ayu, budi = AgentFactory.create_batch(2, branch=branch, office=office)
    enrol(ayu, D(2022, 5, 4), 20)
    enrol(ayu, D(2022, 5, 5), 5, with_jht=True)
    enrol(budi, D(2022, 5, 6), 3)

    sheet = incentive_sheet(branch=branch, month=MAY)

    # Ayu: 20 × 16.800 + 5 × 36.800 = 520.000 at 15% = 78.000; 25 first enrolments: 200.000 + 75.000.
    # Budi: 3 × 16.800 = 50.400 at 15% = 7.560; 3 new, under 25: nothing more.
    by_agent = {row.agent: row.incentive for row in sheet.rows}
    assert (by_agent[ayu].fee, by_agent[ayu].acquisition_fee, by_agent[ayu].total) == (78_000, 275_000, 353_000)
    assert (by_agent[budi].fee, by_agent[budi].acquisition_fee, by_agent[budi].total) == (7_560, 0, 7_560)
    # The office: 10% of 353.000 + 7.560 = 360.560, i.e. 36.056, paid on top of what the agents earn.
    [share] = sheet.office_shares
    assert (share.office, share.base, share.share) == (office, Decimal(360_560), Decimal(36_056))
    assert sheet.total.total == Decimal(360_560)


def test_an_agent_who_changed_office_mid_month_splits_the_offices_share(
    branch, office, schemes, django_assert_max_num_queries
):
    other = type(office).objects.create(branch=branch, code="KP-KROYA", name="Kantor Perisai Kroya")
    scheme = schemes[1]
    scheme.acquisition_minimum = 2
    scheme.save()
    agent = AgentFactory(branch=branch, office=office)
    agent.office = other
    agent.save()
    moved_on(agent, datetime.datetime(2022, 5, 16, 2, tzinfo=datetime.UTC))  # 16 May, 09:00 in Jakarta
    before_move = enrol(agent, D(2022, 5, 3), 1, office=office)[0]  # two programmes, enrolled through the first
    enrol(agent, D(2022, 5, 20), 1, with_jht=True, office=other)  # three programmes, through the second
    earlier = AcquisitionFactory(agent=agent, office=office, acquired_on=D(2022, 1, 10))
    pay(earlier, period=MAY, paid_on=D(2022, 5, 25))  # paid after the move

    with django_assert_max_num_queries(10):  # and the days of the mover's contributions, the office left
        sheet = incentive_sheet(branch=branch, month=MAY)

    # The agent: (16.800 + 36.800 + 16.800) at 15% = 10.560, and 10.000 + 15.000 for the two new workers.
    [row] = sheet.rows
    assert (row.incentive.fee, row.incentive.acquisition_fee) == (Decimal(10_560), Decimal(25_000))
    # Before the move (3 May): 16.800 at 15% = 2.520 and the 10.000 of the worker enrolled there.
    # After (20 and 25 May): 53.600 at 15% = 8.040 and 15.000. Each office gets 10% of its part.
    shares = {share.office: (share.base, share.share) for share in sheet.office_shares}
    assert shares == {office: (Decimal(12_520), Decimal(1_252)), other: (Decimal(23_040), Decimal(2_304))}
    assert before_move.office == office


def test_a_split_fee_adds_up_to_the_agents_fee(branch, office, schemes):
    other = type(office).objects.create(branch=branch, code="KP-KROYA", name="Kantor Perisai Kroya")
    agent = AgentFactory(branch=branch, office=office)
    agent.office = other
    agent.save()
    moved_on(agent, datetime.datetime(2022, 5, 15, tzinfo=datetime.UTC))
    for paid_on in (D(2022, 5, 10), D(2022, 5, 20)):
        pay(AcquisitionFactory(agent=agent, acquired_on=D(2022, 1, 5)), period=MAY, paid_on=paid_on, amount=16_810)

    sheet = incentive_sheet(branch=branch, month=MAY)

    # 2 × 16.810 at 15% = 5.043 exactly; each half is 2.521,50: the Rupiah over goes to the office the agent
    # ended the month in. The shares: 10% of 2.521 = 252,1 → 252 and of 2.522 = 252,2 → 252.
    assert sheet.rows[0].incentive.fee == Decimal(5_043)
    shares = {share.office: (share.base, share.share) for share in sheet.office_shares}
    assert shares == {office: (Decimal(2_521), Decimal(252)), other: (Decimal(2_522), Decimal(252))}


def test_the_sheet_the_statements_and_the_earnings_agree(branch, office, schemes):
    agents = AgentFactory.create_batch(3, branch=branch, office=office)
    for count, agent in zip((26, 9, 1), agents, strict=True):
        enrol(agent, D(2022, 5, 9), count, with_jht=count == 9)
        pay(AcquisitionFactory(agent=agent, acquired_on=D(2020, 1, 7)), period=MAY, paid_on=D(2022, 5, 28))

    sheet = incentive_sheet(branch=branch, month=MAY)
    statements = branch_statements(sheet=sheet)

    for row, statement in zip(sheet.rows, statements, strict=True):
        assert statement.incentive == row.incentive == agent_statement(agent=row.agent, month=MAY).incentive
        assert agent_earnings(agent=row.agent, year=2022, month=5).this_month == row.incentive
        assert sum(line.amount for line in statement.lines) == row.incentive.contributions_amount
    assert sheet.total.acquisition_fee == Decimal(26 * 10_000)


def test_statements_take_a_fixed_number_of_queries(branch, office, schemes, django_assert_max_num_queries):
    agent = AgentFactory(branch=branch, office=office)
    enrol(agent, D(2022, 5, 3), 1)
    with django_assert_max_num_queries(6):
        agent_statement(agent=agent, month=MAY)
    with django_assert_max_num_queries(8):
        sheet = incentive_sheet(branch=branch, month=MAY)
    with django_assert_max_num_queries(3):
        branch_statements(sheet=sheet)

    for other in AgentFactory.create_batch(4, branch=branch, office=office):
        enrol(other, D(2022, 5, 12), 7, with_jht=True)
        pay(AcquisitionFactory(agent=other, acquired_on=D(2020, 2, 2)), period=MAY, paid_on=D(2022, 5, 20))
    with django_assert_max_num_queries(6):
        agent_statement(agent=agent, month=MAY)
    with django_assert_max_num_queries(8):
        sheet = incentive_sheet(branch=branch, month=MAY)
    with django_assert_max_num_queries(3):
        assert len(branch_statements(sheet=sheet)) == 5


def test_earnings_over_the_change_add_each_month_under_its_own_scheme(agent, schemes):
    enrol(agent, D(2022, 3, 3), 50)  # March: 50 new → the Rp 500.000 bonus
    enrol(agent, D(2022, 4, 3), 25)  # April: 25 first enrolments → 25 × 10.000

    earnings = agent_earnings(agent=agent, year=2022, month=4)

    march, april = earnings.months[2:]
    # March: 840.000 at 7,5% and the bonus; April: 420.000 at 15% and 25 × 10.000.
    assert (march.incentive.fee, march.incentive.bonus) == (Decimal(63_000), Decimal(500_000))
    assert (april.incentive.fee, april.incentive.acquisition_fee) == (Decimal(63_000), Decimal(250_000))
    assert earnings.year_to_date.total == Decimal(63_000 + 500_000 + 63_000 + 250_000)
