"""My performance: acquisitions against last year and the target, and the contribution-collection rate."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from agents.scoping import Scope
from enrollment.selectors.field import agent_home_summary
from reports.acquisitions import year_summary, yearly_totals
from reports.performance import agent_performance
from reports.periods import Period
from tests.enrollment.field.builders import lapse
from tests.factories import AcquisitionFactory, AcquisitionTargetFactory, ContributionFactory
from tests.incentives.builders import flat_scheme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = datetime.date(2026, 6, 15)
TODAY_FOR_PAGE = timezone.localdate()  # the page always works on today


def acquired(agent, day, **kwargs):
    return AcquisitionFactory(agent=agent, acquired_on=day, **kwargs)


def paid(acquisition, *periods):
    for period in periods:
        ContributionFactory(acquisition=acquisition, period=period, paid_on=max(period, acquisition.acquired_on))


@pytest.fixture
def acquisitions(field_agent, other_agent):
    for day in ["2026-06-03", "2026-06-10", "2026-02-10", "2025-06-20", "2025-03-01", "2025-11-01", "2024-05-05"]:
        acquired(field_agent, datetime.date.fromisoformat(day))
    # Enrolled by the agent and since looked after by the colleague: still the agent's acquisition.
    acquired(field_agent, datetime.date(2026, 1, 15), caretaker=other_agent)
    acquired(other_agent, datetime.date(2026, 6, 5))


def test_acquisitions_this_month_and_year_against_the_same_months_last_year(field_agent, acquisitions):
    performance = agent_performance(field_agent.user, today=TODAY)

    assert (performance.month.this_year, performance.month.last_year) == (2, 1)
    assert (performance.summary.year_to_date, performance.summary.previous_year_to_date) == (4, 2)
    assert performance.summary.previous_full_year == 3
    assert [(row.year, row.full_year) for row in performance.per_year] == [(2024, 1), (2025, 3), (2026, 4)]


def test_the_figures_are_the_reports_figures_for_the_agent(field_agent, acquisitions):
    """The agent's page and the branch's agent report agree: same functions, the agent's scope."""
    performance = agent_performance(field_agent.user, today=TODAY)
    branch_view = yearly_totals(scope=Scope(agent=field_agent), period=Period.containing(TODAY))
    assert performance.summary == year_summary(branch_view, Period.containing(TODAY))


def test_progress_against_the_agents_target_for_the_year(field_agent, acquisitions):
    AcquisitionTargetFactory(year=2026, branch=field_agent.branch, agent=field_agent, target=10)
    AcquisitionTargetFactory(year=2025, branch=field_agent.branch, agent=field_agent, target=99)
    AcquisitionTargetFactory(year=2026, branch=field_agent.branch, office=field_agent.office, target=500)

    target = agent_performance(field_agent.user, today=TODAY).target

    assert (target.target, target.achieved) == (10, 4)
    assert target.achieved_share == Decimal(40)
    assert target.expected == 5  # half the year gone by the end of June
    assert target.pace_needed == 1  # 6 more in July-December


def test_without_a_target_there_is_no_progress(field_agent, acquisitions):
    assert agent_performance(field_agent.user, today=TODAY).target is None


def test_collection_rate_this_month_and_this_year(field_agent, other_agent):
    month = [datetime.date(2026, m, 1) for m in range(1, 7)]
    steady = acquired(field_agent, datetime.date(2025, 10, 10))
    paid(steady, month[0], month[1], month[3], month[4], month[5])  # 5 of January-June
    new = acquired(field_agent, datetime.date(2026, 4, 20))
    paid(new, month[3])  # 1 of April-June
    lapsed_first_of_month = lapse(acquired(field_agent, datetime.date(2025, 5, 5)), ended_on=datetime.date(2026, 3, 1))
    paid(lapsed_first_of_month, datetime.date(2025, 12, 1), month[0])  # 1 of January-February
    lapse(acquired(field_agent, datetime.date(2025, 1, 1)), ended_on=datetime.date(2026, 3, 15))  # 0 of January-March
    lapse(acquired(field_agent, datetime.date(2024, 1, 1)), ended_on=datetime.date(2025, 8, 1))  # nothing due this year
    paid(acquired(other_agent, datetime.date(2026, 1, 5)), month[0])  # the colleague's

    performance = agent_performance(field_agent.user, today=TODAY)

    assert (performance.paid_this_month, performance.active) == (1, 2)
    assert performance.collection_this_month == Decimal(50)
    assert (performance.paid_months, performance.due_months) == (7, 6 + 3 + 2 + 3)
    assert performance.collection_this_year == Decimal(50)


def test_nothing_due_means_no_rate_rather_than_zero(field_agent):
    performance = agent_performance(field_agent.user, today=TODAY)
    assert (performance.collection_this_month, performance.collection_this_year) == (None, None)


def test_the_landing_page_counts_this_months_acquisitions(field_agent, acquisitions):
    assert agent_home_summary(field_agent.user, today=TODAY)["acquired_this_month"] == 2


def test_the_page_shows_the_figures_with_a_fixed_number_of_queries(
    agent_client, field_agent, acquisitions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(17):  # 14 for acquisitions and collection, 3 for the earnings
        response = agent_client.get(reverse("enrollment:my_performance"))
    assertContains(response, "My performance")
    assertContains(response, "No target set for you this year.")


def test_the_page_shows_the_target_and_the_pace(agent_client, field_agent):
    AcquisitionTargetFactory(
        year=TODAY_FOR_PAGE.year, branch=field_agent.branch, agent=field_agent, target=TODAY_FOR_PAGE.month * 100
    )
    response = agent_client.get(reverse("enrollment:my_performance"))
    assertContains(response, f"0 of {TODAY_FOR_PAGE.month * 100:,} (0.0%)")
    assertContains(
        response, f"Expected by the end of this month: {TODAY_FOR_PAGE.month * 100 * TODAY_FOR_PAGE.month // 12:,}."
    )


def test_the_landing_page_has_the_quick_actions(agent_client):
    response = agent_client.get(reverse("enrollment:agent_home"))
    assertContains(response, reverse("enrollment:enrol"))
    assertContains(response, f"{reverse('enrollment:my_participants')}?status=late")
    assertContains(response, reverse("enrollment:my_performance"))


def test_an_agent_opening_the_site_lands_on_their_home_page(agent_client):
    response = agent_client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("enrollment:agent_home")


def test_the_page_shows_what_the_agent_earned_this_month_and_year(agent_client, field_agent):
    """7.5% of Rp 16.800 paid this month (1.260) and of two such payments this year (2.520)."""
    today = TODAY_FOR_PAGE
    flat_scheme(
        name="Insentif",
        effective_from=datetime.date(today.year, 1, 1),
        rate=Decimal("0.0750"),
        acquisition_minimum=50,
        bonus_amount=Decimal(500_000),
    )
    acquisition = acquired(field_agent, datetime.date(today.year, 1, 5))
    ContributionFactory(
        acquisition=acquisition, period=datetime.date(today.year, 1, 1), paid_on=acquisition.acquired_on
    )
    if today.month > 1:
        ContributionFactory(acquisition=acquisition, period=today.replace(day=1), paid_on=today)
        expected_month, expected_year = "Rp\u00a01,260", "Rp\u00a02,520"
    else:
        expected_month = expected_year = "Rp\u00a01,260"
    page = agent_client.get(reverse("enrollment:my_performance"))
    earnings = page.content.decode().split('id="earnings"')[1].split("</table>")[0]
    assert f'{expected_month}</td><td class="text-end figure-number">{expected_year}' in earnings.replace("\n", "")
