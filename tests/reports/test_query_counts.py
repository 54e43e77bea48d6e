"""The dashboard, the report pages and the downloads take a fixed number of queries, whatever the data."""

import datetime
import itertools

import pytest
from django.urls import reverse

from agents.models import User
from reports.catalogue import REPORTS
from tests.factories import AcquisitionTargetFactory, AgentFactory, CooperationAgreementFactory, UserFactory
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

# Each bound includes the four queries of every signed-in request (session, user, branch, and the
# session saved again because it expires after inactivity).
DASHBOARD_QUERIES = 26  # 18 acquisitions, 1 money collected, 1 follow-up (contacts), 6 agents and offices under minimum
REPORT_PAGE_QUERIES = 12  # the money view's monthly and office pages read three figures each
WORKBOOK_QUERIES = 42  # 33 for the reports (9 of them for the money view, 2 the follow-up's), 5 for the incentives
PARTICIPANT_EXPORT_QUERIES = 8


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
