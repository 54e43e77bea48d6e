"""The dashboard, the report pages and the downloads take a fixed number of queries, whatever the data."""

import datetime
import itertools

import pytest
from django.urls import reverse

from agents.models import ProgrammeTerms, User
from incentives.models import IncentiveScheme
from reports.catalogue import REPORTS
from tests.factories import AcquisitionTargetFactory, AgentFactory, CooperationAgreementFactory, UserFactory
from tests.incentives.builders import scheme_april_2022
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

# Each bound includes the four queries of every signed-in request (session, user, branch, and the
# session saved again because it expires after inactivity).
# 18 acquisitions, 1 money collected, 1 follow-up (contacts), 1 recruitment (candidates), 8 agents and offices
# under a minimum (their acquisitions, and their active agents when the terms ask for some), 2 for the months
# against the target (the scope's monthly counts over the seasons it follows, and its targets with their months),
# 1 the figures' version (reports.freshness; when it is unchanged, the page is served from the cache with none of
# the figures' queries: tests/reports/test_figures_cache.py)
DASHBOARD_QUERIES = 32
# The money view's monthly and office pages read three figures each; so does the kecamatan page showing the
# share lapsed on its map (the table, the branch's regencies, the standing by kecamatan).
REPORT_PAGE_QUERIES = 12
# 36 for the reports (9 of them for the money view, 2 the follow-up's, 2 the recruitment funnel's: candidates
# and sessions; 1 each for the kecamatan and the desa sheets), 8 for the incentives (the scheme, its tiers and
# fees, the three counts, the agents, the offices' shares), 5 for the office minimums, 5 for the plan and the
# months against the target (the terms, the agents' paces, the offices, the seasons' monthly counts, the
# targets with their months).
WORKBOOK_QUERIES = 58
# 8, and 1 counting the rows first: a list longer than PERISAI_JOBS_ROWS_IN_REQUEST is made in the background
PARTICIPANT_EXPORT_QUERIES = 9


def add_rows(cilacap, count, *, start=0):
    """``count`` more acquisitions over 2021-2022, spread over agents and offices, most paying."""
    agents = [cilacap["ani"], cilacap["budi"], cilacap["citra"]]
    agents += [
        AgentFactory(branch=cilacap["branch"], office=cilacap["south"], joined_on=datetime.date(2020, 3, 1))
        for _ in range(count // 10)
    ]
    for number, agent in zip(range(start, start + count), itertools.cycle(agents)):
        day = datetime.date(2021 + number % 2, number % 6 + 1, number % 27 + 1)
        pay(acquire(agent, day), *{(day.year, day.month), (2022, 6)})
    for office in (cilacap["north"], cilacap["south"]):
        CooperationAgreementFactory(office=office)
        AcquisitionTargetFactory(branch=cilacap["branch"], office=office, year=2022)
    # A scheme with tiers, fees and an office share, and terms that judge agents and ask each office for
    # active agents, so every query of the incentives and the flags is counted.
    if not IncentiveScheme.objects.exists():
        scheme_april_2022()
    ProgrammeTerms.objects.get_or_create(
        effective_from=datetime.date(2017, 1, 1),
        defaults={
            "name": "Ketentuan",
            "agent_at_risk_months": 2,
            "agent_inactive_months": 3,
            "reactivation_wait_months": 6,
            "office_warning_months": 2,
            "office_pks_loss_months": 3,
            "office_min_active_agents": 5,
        },
    )


@pytest.fixture
def staff_client(client, cilacap):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


@pytest.mark.parametrize("count", [4, 60])
def test_dashboard(staff_client, cilacap, django_assert_max_num_queries, count):
    add_rows(cilacap, count)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert staff_client.get("/", {"through": "2022-06"}).status_code == 200


@pytest.mark.parametrize("count", [4, 60])
def test_report_pages(staff_client, cilacap, django_assert_max_num_queries, count):
    add_rows(cilacap, count)
    for slug in REPORTS:
        with django_assert_max_num_queries(REPORT_PAGE_QUERIES):
            assert staff_client.get(reverse("reports:report", args=[slug]), {"through": "2022-06"}).status_code == 200


@pytest.mark.parametrize("count", [4, 60])
def test_workbook(staff_client, cilacap, django_assert_max_num_queries, count):
    add_rows(cilacap, count)
    with django_assert_max_num_queries(WORKBOOK_QUERIES):
        assert staff_client.get(reverse("reports:workbook"), {"through": "2022-06"}).status_code == 200


@pytest.mark.parametrize("count", [4, 60])
def test_participant_export(staff_client, cilacap, django_assert_max_num_queries, count):
    add_rows(cilacap, count)
    with django_assert_max_num_queries(PARTICIPANT_EXPORT_QUERIES):
        response = staff_client.get(reverse("reports:participants_csv"), {"through": "2022-06"})
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == count + 1
