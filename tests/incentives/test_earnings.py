"""An agent's earnings this month and this year: the sum of the monthly statements, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest

from incentives.statements import agent_earnings, agent_statement
from tests.factories import AcquisitionFactory
from tests.incentives.builders import acquire, pay

pytestmark = pytest.mark.django_db


def test_this_month_and_the_year_to_date_are_the_statements_added_up(agent, scheme):
    acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2021, 12, 5))
    for month in range(1, 5):
        pay(acquisition, period=datetime.date(2022, month, 1), paid_on=datetime.date(2022, month, 9))
    pay(acquisition, period=datetime.date(2021, 12, 1), paid_on=datetime.date(2022, 1, 2))  # late, counts in January
    acquire(agent, datetime.date(2022, 2, 14), count=50)

    earnings = agent_earnings(agent=agent, year=2022, month=4)
    statements = [agent_statement(agent=agent, month=datetime.date(2022, month, 1)) for month in range(1, 5)]

    assert [m.incentive for m in earnings.months] == [s.incentive for s in statements]
    assert earnings.this_month == statements[-1].incentive
    assert earnings.year_to_date.fee == Decimal(2_520 + 1_260 * 3)
    assert earnings.year_to_date.bonus == Decimal(500_000)
    assert earnings.year_to_date.total == sum(s.incentive.total for s in statements)
    assert earnings.month == datetime.date(2022, 4, 1)


def test_earnings_take_a_fixed_number_of_queries(agent, scheme, django_assert_max_num_queries):
    def seed(months):
        for month in months:
            acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, month, 3))
            pay(acquisition, period=datetime.date(2022, month, 1), paid_on=datetime.date(2022, month, 3))

    seed([1])
    with django_assert_max_num_queries(6) as few:
        agent_earnings(agent=agent, year=2022, month=12)
    seed(range(2, 13))
    with django_assert_max_num_queries(len(few.captured_queries)):
        earnings = agent_earnings(agent=agent, year=2022, month=12)
    assert earnings.year_to_date.contributions == 12
