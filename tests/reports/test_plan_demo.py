"""The Cilacap demo's plan: 5,628 + 1 − 2,336 = 3,293 to beat 2021 from July 2022, shared out exactly."""

import datetime

import pytest

from agents.models import User
from agents.scoping import scope_for
from reports.periods import Period
from reports.plan import acquisition_plan
from reports.targets import Basis, month_expectations, target_progress

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)


@pytest.fixture
def scope(demo):
    return scope_for(User.objects.get(username="staf"))


def test_what_remains_through_june_2022_is_3293_and_the_quotas_add_up_to_it(scope):
    plan = acquisition_plan(scope=scope, period=JUNE_2022)

    assert (plan.previous_full_year, plan.year_to_date, plan.remaining) == (5628, 2336, 3293)
    assert plan.needed_per_month == 549
    assert sum(office.quota for office in plan.offices) == 3293 == plan.assigned
    for office in plan.offices:
        assert sum(agent.quota for agent in office.agents) == office.quota
    assert sum(month.planned for month in plan.months) == 3293
    assert plan.season.basis == Basis.LAST_YEAR


def test_the_months_of_2022_share_out_the_branch_target_and_agree_with_its_progress(scope):
    expectations = month_expectations(scope=scope, period=JUNE_2022, today=datetime.date(2022, 7, 10))
    [branch] = [row for row in target_progress(scope=scope, period=JUNE_2022) if row.level == "branch"]

    assert expectations.target == branch.target == 6000
    assert sum(month.expected for month in expectations) == 6000
    assert expectations.months[5].expected_cumulative == branch.expected
    assert expectations.months[5].actual_cumulative == branch.achieved == 2336
