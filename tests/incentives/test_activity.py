"""An agent's activity month by month: transitions at month boundaries, leap years, the terms as data."""

import datetime

import pytest

from agents.models import Agent, ProgrammeTerms
from incentives.activity import Activity, activity_overview, agent_activity
from tests.factories import AgentFactory
from tests.incentives.builders import FAR_FUTURE, acquire

pytestmark = pytest.mark.django_db


def status(agent, year, month, today=FAR_FUTURE):
    result = agent_activity(agent=agent, month=datetime.date(year, month, 1), today=today)
    return result.activity, result.since


@pytest.fixture
def veteran(office, terms):
    """An agent since 1 January 2021 whose last new participant came on 31 January 2022."""
    agent = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2021, 1, 1))
    acquire(agent, datetime.date(2022, 1, 31))
    return agent


def test_silent_months_make_an_agent_at_risk_then_inactive(veteran):
    assert status(veteran, 2022, 1) == (Activity.ACTIVE, None)
    assert status(veteran, 2022, 2) == (Activity.ACTIVE, None)  # one silent month
    assert status(veteran, 2022, 3) == (Activity.AT_RISK, datetime.date(2022, 3, 1))  # February and March
    assert status(veteran, 2022, 4) == (Activity.INACTIVE, datetime.date(2022, 4, 1))
    assert status(veteran, 2022, 9) == (Activity.INACTIVE, datetime.date(2022, 4, 1))


def test_a_new_participant_on_the_first_of_the_month_resets_the_count(veteran):
    acquire(veteran, datetime.date(2022, 3, 1))

    assert status(veteran, 2022, 3) == (Activity.ACTIVE, None)
    assert status(veteran, 2022, 4) == (Activity.ACTIVE, None)
    assert status(veteran, 2022, 5) == (Activity.AT_RISK, datetime.date(2022, 5, 1))


def test_the_29th_of_february_counts_in_february_of_a_leap_year(office, terms):
    agent = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2023, 6, 1))
    acquire(agent, datetime.date(2024, 2, 29))

    assert status(agent, 2024, 2) == (Activity.ACTIVE, None)
    assert status(agent, 2024, 3) == (Activity.ACTIVE, None)
    assert status(agent, 2024, 4) == (Activity.AT_RISK, datetime.date(2024, 4, 1))
    assert status(agent, 2024, 5) == (Activity.INACTIVE, datetime.date(2024, 5, 1))


def test_a_month_in_progress_is_not_held_against_the_agent(office, terms):
    agent = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2021, 1, 1))
    acquire(agent, datetime.date(2024, 1, 10))

    # 29 February 2024: February is not over yet, so only January counts, and January had one.
    assert status(agent, 2024, 2, today=datetime.date(2024, 2, 29)) == (Activity.ACTIVE, None)
    # 1 March: February is over and was silent, March has only begun.
    assert status(agent, 2024, 3, today=datetime.date(2024, 3, 1)) == (Activity.ACTIVE, None)
    assert status(agent, 2024, 3, today=datetime.date(2024, 4, 1)) == (Activity.AT_RISK, datetime.date(2024, 3, 1))
    # A new participant already in the month in progress makes the agent active at once.
    acquire(agent, datetime.date(2024, 4, 2))
    assert status(agent, 2024, 4, today=datetime.date(2024, 4, 3)) == (Activity.ACTIVE, None)


def test_a_partial_first_month_does_not_count(office, terms):
    mid_month = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2022, 1, 15))
    first_of_month = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2022, 1, 1))

    assert status(mid_month, 2022, 2) == (Activity.ACTIVE, None)  # only February counts
    assert status(mid_month, 2022, 3) == (Activity.AT_RISK, datetime.date(2022, 3, 1))
    assert status(first_of_month, 2022, 2) == (Activity.AT_RISK, datetime.date(2022, 2, 1))
    assert status(mid_month, 2021, 12) == (Activity.NOT_JOINED, None)


def test_an_agent_who_left_is_left_from_their_leaving_date(veteran):
    veteran.status, veteran.left_on = Agent.Status.INACTIVE, datetime.date(2022, 5, 20)
    veteran.deactivation_reason = Agent.DeactivationReason.INACTIVITY
    veteran.save()

    assert status(veteran, 2022, 4) == (Activity.INACTIVE, datetime.date(2022, 4, 1))  # before leaving
    assert status(veteran, 2022, 5) == (Activity.LEFT, datetime.date(2022, 5, 20))


def test_the_months_are_programme_terms_with_dates(veteran, terms):
    terms.effective_to = datetime.date(2022, 3, 31)
    terms.save()
    ProgrammeTerms.objects.create(
        name="Ketentuan baru",
        effective_from=datetime.date(2022, 4, 1),
        agent_at_risk_months=3,
        agent_inactive_months=5,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
    )

    assert status(veteran, 2022, 3) == (Activity.AT_RISK, datetime.date(2022, 3, 1))  # old terms: 2 months
    assert status(veteran, 2022, 4) == (Activity.AT_RISK, datetime.date(2022, 4, 1))  # new terms: 3 months
    assert status(veteran, 2022, 6) == (Activity.INACTIVE, datetime.date(2022, 6, 1))  # 5 months


def test_without_terms_activity_is_unknown(office):
    agent = AgentFactory(branch=office.branch, office=office)

    assert status(agent, 2022, 3) == (Activity.UNKNOWN, None)


def test_the_overview_counts_each_status_and_lists_who_is_slipping(branch, office, terms):
    def joined(**fields):
        return AgentFactory(branch=branch, office=office, joined_on=datetime.date(2021, 1, 1), **fields)

    active, at_risk, inactive = joined(), joined(), joined()
    joined(status=Agent.Status.INACTIVE, left_on=datetime.date(2022, 1, 1), deactivation_reason="resigned")
    acquire(active, datetime.date(2022, 6, 3))
    acquire(at_risk, datetime.date(2022, 4, 30))
    acquire(inactive, datetime.date(2022, 3, 31))

    overview = activity_overview(agents=Agent.objects.filter(branch=branch), today=FAR_FUTURE)

    assert overview.month == datetime.date(2022, 6, 1)  # the latest month with an acquisition
    assert overview.counts == {"active": 1, "at_risk": 1, "inactive": 1, "left": 1}
    assert [(row.agent_id, row.activity, row.since) for row in overview.slipping] == [
        (inactive.pk, Activity.INACTIVE, datetime.date(2022, 6, 1)),
        (at_risk.pk, Activity.AT_RISK, datetime.date(2022, 6, 1)),
    ]
    assert overview.slipping[0].last_acquired_on == datetime.date(2022, 3, 31)


def test_the_overview_takes_a_fixed_number_of_queries(branch, office, terms, django_assert_max_num_queries):
    def seed(count):
        for agent in AgentFactory.create_batch(count, branch=branch, office=office):
            acquire(agent, datetime.date(2022, 3, 5))

    seed(2)
    with django_assert_max_num_queries(4) as few:
        activity_overview(agents=Agent.objects.filter(branch=branch), today=FAR_FUTURE)
    seed(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        overview = activity_overview(agents=Agent.objects.filter(branch=branch), today=FAR_FUTURE)
    assert overview.counts["active"] == 32
