"""The dashboard and report pages: who may see them, the selectors, bad input, downloads."""

import datetime

import pytest
from django.urls import reverse

from agents.models import Agent, User
from reports.catalogue import REPORTS
from reports.periods import Period
from tests.factories import AgentFactory, PerisaiOfficeFactory, UserFactory
from tests.reports.conftest import acquire, pay
from web.reports.dashboard import LISTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, cilacap):
    for day in (datetime.date(2021, 5, 1), datetime.date(2022, 3, 31)):
        pay(acquire(cilacap["ani"], day), (day.year, day.month))
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


def test_pages_need_a_login(client):
    for url in ("/", reverse("reports:index"), reverse("reports:report", args=["yearly"]), reverse("reports:workbook")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_agent_goes_to_their_own_home_and_may_not_open_reports(client, cilacap):
    login = UserFactory(role=User.Role.AGENT, branch=cilacap["branch"])
    Agent.objects.filter(pk=cilacap["ani"].pk).update(user=login)
    client.force_login(login)
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("enrollment:agent_home")
    for name, args in (("reports:index", []), ("reports:report", ["agents"]), ("reports:workbook", [])):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.get(reverse("reports:participants_csv")).status_code == 403


def test_dashboard_defaults_to_the_latest_month_with_acquisitions(staff_client, in_english):
    response = staff_client.get("/")
    assert response.status_code == 200
    assert response.context["selection"].period == Period(2022, 3)
    content = response.content.decode()
    assert "Branch Cilacap" in content and "January–March 2022" in content
    assert 'id="figure-year-to-date">1<' in content
    assert reverse("reports:workbook") + "?through=2022-03" in content
    for report in REPORTS.values():
        assert reverse("reports:report", args=[report.slug]) in content


def test_selectors_choose_the_period_and_the_office(staff_client, cilacap):
    response = staff_client.get("/", {"through": "2021-12", "office": "CLP-N"})
    selection = response.context["selection"]
    assert selection.period == Period(2021, 12) and selection.scope.office == cilacap["north"]
    assert selection.params == {"through": "2021-12", "office": "CLP-N"}
    assert response.context["dashboard"].summary.year_to_date == 1
    assert staff_client.get("/", {"year": "2021"}).context["selection"].period == Period(2021, 12)
    assert staff_client.get("/", {"year": "2022"}).context["selection"].period == Period(2022, 3)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"through": "2022-13"}, "The month must be between 1 and 12."),
        ({"through": "juni"}, "Give the year as YYYY and the month as YYYY-MM."),
        ({"year": "2021", "through": "2022-06"}, "The month must fall in the year chosen (2021)."),
        ({"year": "1999"}, "The year must be between 2000 and 2100."),
        ({"office": "NOPE"}, "Office NOPE is not one you may see."),
    ],
)
def test_bad_selectors_give_a_message_and_the_default(staff_client, in_english, query, message):
    response = staff_client.get(reverse("reports:report", args=["yearly"]), query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["selection"].period == Period(2022, 3)
    assert response.context["selection"].scope.level == "branch"


def test_every_report_page_and_csv_opens(staff_client):
    for slug in REPORTS:
        assert staff_client.get(reverse("reports:report", args=[slug])).status_code == 200, slug
        response = staff_client.get(reverse("reports:report_csv", args=[slug]))
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8", slug
        assert b"".join(response.streaming_content).startswith("\ufeff".encode()), slug


def test_an_unknown_report_is_a_404(staff_client):
    assert staff_client.get("/reports/no-such-report/").status_code == 404
    assert staff_client.get("/reports/no-such-report.csv").status_code == 404


def test_the_lapsed_list_is_paginated(staff_client, cilacap):
    for _ in range(55):
        acquire(cilacap["budi"], datetime.date(2021, 6, 1))
    response = staff_client.get(reverse("reports:report", args=["lapsed-list"]), {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["table"].rows) == 6  # 56 lapsed: 50 on the first page


def test_a_national_administrator_chooses_a_branch(client, cilacap, banyumas):
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None))
    everything = client.get("/").context["dashboard"].summary
    banyumas_only = client.get("/", {"branch": "BMS", "through": "2022-06"}).context["dashboard"].summary
    assert (everything.year_to_date, banyumas_only.year_to_date) == (2, 2)
    assert client.get("/", {"branch": "BMS"}).context["selection"].params["branch"] == "BMS"


def test_the_dashboard_lists_the_busiest_offices_and_says_how_many_more_the_reports_hold(
    staff_client, cilacap, in_english
):
    for number in range(12):
        office = PerisaiOfficeFactory(branch=cilacap["branch"], code=f"CLP-{number:02d}", name=f"Kantor {number:02d}")
        agent = AgentFactory(branch=cilacap["branch"], office=office, joined_on=datetime.date(2020, 1, 6))
        for day in range(number + 1):
            acquire(agent, datetime.date(2022, 3, day + 1))

    response = staff_client.get("/", {"through": "2022-03"})
    dashboard = response.context["dashboard"]
    content = response.content.decode()

    assert dashboard.offices_total == 14 and len(dashboard.offices) == LISTED == 10
    assert [office.label for office in dashboard.offices[:3]] == ["Kantor 11", "Kantor 10", "Kantor 09"]
    assert [office.label for office in dashboard.offices][-1] == "Kantor 02"
    assert 'id="offices-more"' in content and "of 14 offices" in content
    assert dashboard.agreements_attention_total == 14 and len(dashboard.agreements_attention) == 10
    assert 'id="pks-more"' in content


def test_a_branch_with_few_offices_lists_them_all_without_a_note(staff_client):
    response = staff_client.get("/")
    assert len(response.context["dashboard"].offices) == response.context["dashboard"].offices_total == 2
    assert 'id="offices-more"' not in response.content.decode()
