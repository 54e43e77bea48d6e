"""A regional user's dashboard, report pages, CSV files, workbook and lists cover every branch of their
region (Cilacap and Banyumas here) and nothing of another region (Surabaya); a national administrator
picks a region."""

import datetime
from urllib.parse import unquote

import pytest
from django.urls import reverse

from agents.models import Branch, User
from agents.scoping import Scope
from reports.catalogue import REPORTS
from reports.periods import Period
from tests.factories import AgentFactory, BranchFactory, PerisaiOfficeFactory, RegionFactory, UserFactory
from tests.reports.compare import assert_workbook_matches
from tests.reports.conftest import acquire, pay
from tests.reports.test_query_counts import DASHBOARD_QUERIES, add_rows

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
THROUGH_JUNE = {"through": "2022-06"}
ELSEWHERE = ("Surabaya", "SBY")


@pytest.fixture
def region(cilacap, banyumas):
    """Jawa Tengah holds Cilacap (2021: 1, 2022 through June: 2) and Banyumas (1 and 2); Jawa Timur
    holds Surabaya (5 in 2022)."""
    jateng = RegionFactory(code="JTG", name="Kanwil Jawa Tengah dan DI Yogyakarta")
    Branch.objects.filter(code__in=["CLP", "BMS"]).update(region=jateng)
    pay(acquire(cilacap["ani"], datetime.date(2021, 8, 2)), (2021, 8))
    pay(acquire(cilacap["ani"], datetime.date(2022, 2, 1)), (2022, 2))
    acquire(cilacap["citra"], datetime.date(2022, 5, 3))
    jatim = RegionFactory(code="JTM", name="Kanwil Jawa Timur")
    surabaya = BranchFactory(code="SBY", name="Surabaya", region=jatim)
    office = PerisaiOfficeFactory(branch=surabaya, code="SBY-1", name="Kantor Perisai Surabaya")
    agent = AgentFactory(branch=surabaya, office=office, code="SBY-A1", full_name="Wati Surabaya")
    for month in range(1, 6):
        pay(acquire(agent, datetime.date(2022, month, 10)), (2022, month))
    return {"JTG": jateng, "JTM": jatim, "surabaya": surabaya}


@pytest.fixture
def regional(region):
    return UserFactory(role=User.Role.REGIONAL, branch=None, region=region["JTG"])


@pytest.fixture
def regional_client(in_english, regional):
    in_english.force_login(regional)
    return in_english


def _names_nothing_elsewhere(text):
    return not any(word in text for word in ELSEWHERE)


def test_the_regional_dashboard_counts_every_branch_of_the_region_and_names_no_other(regional_client):
    response = regional_client.get("/", THROUGH_JUNE)

    assert response.status_code == 200
    summary = response.context["dashboard"].summary
    assert (summary.year_to_date, summary.previous_full_year) == (4, 2)
    page = response.content.decode()
    assert "Kanwil Jawa Tengah dan DI Yogyakarta" in page
    assert _names_nothing_elsewhere(page)
    form = response.context["selection"].form
    assert "region" not in form.fields
    assert [code for code, _name in form.fields["branch"].choices] == ["", "BMS", "CLP"]


def test_every_report_page_and_csv_of_the_region_leaves_out_another_region(regional_client):
    for slug in REPORTS:
        page = regional_client.get(reverse("reports:report", args=[slug]), THROUGH_JUNE)
        assert page.status_code == 200, slug
        assert _names_nothing_elsewhere(page.content.decode()), slug
        download = regional_client.get(reverse("reports:report_csv", args=[slug]), THROUGH_JUNE)
        assert download.status_code == 200, slug
        assert _names_nothing_elsewhere(b"".join(download.streaming_content).decode("utf-8-sig")), slug
    yearly = regional_client.get(reverse("reports:report", args=["yearly"]), THROUGH_JUNE)
    assert [row.full_year for row in yearly.context["table"].rows] == [2, 4]


def test_the_regional_workbook_reads_back_as_the_regions_reports(regional_client, regional, region):
    response = regional_client.get(reverse("reports:workbook"), THROUGH_JUNE)

    assert response.status_code == 200
    assert "Kanwil Jawa Tengah dan DI Yogyakarta" in unquote(response["Content-Disposition"])
    book = assert_workbook_matches(
        response.content, scope=Scope(region=region["JTG"]), period=JUNE_2022, viewer=regional
    )
    cells = " ".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value
    )
    assert _names_nothing_elsewhere(cells)
    assert "CLP-N" in cells and "BMS-1" in cells


def test_a_regional_user_narrows_to_one_branch_of_the_region(regional_client, banyumas):
    response = regional_client.get("/", {**THROUGH_JUNE, "branch": "BMS"})

    assert response.context["selection"].scope == Scope(branch=banyumas["branch"])
    assert response.context["dashboard"].summary.year_to_date == 2
    assert response.context["selection"].params == {**THROUGH_JUNE, "branch": "BMS"}


@pytest.mark.parametrize("query", [{"branch": "SBY"}, {"office": "SBY-1"}, {"agent": "SBY-A1"}, {"region": "JTM"}])
def test_another_regions_branch_is_refused_with_a_message_and_the_region_shown(regional_client, region, query):
    response = regional_client.get("/", {**THROUGH_JUNE, **query})

    assert response.status_code == 200
    assert "is not one you may see" in response.content.decode()
    assert response.context["selection"].scope == Scope(region=region["JTG"])
    assert response.context["dashboard"].summary.year_to_date == 4


def test_a_national_administrator_picks_a_region(in_english, region):
    in_english.force_login(UserFactory(role=User.Role.ADMIN, branch=None))

    jatim = in_english.get("/", {**THROUGH_JUNE, "region": "JTM"})
    assert jatim.context["dashboard"].summary.year_to_date == 5
    assert jatim.context["selection"].params == {**THROUGH_JUNE, "region": "JTM"}
    form = jatim.context["selection"].form
    assert [code for code, _name in form.fields["region"].choices] == ["", "JTG", "JTM"]
    assert [code for code, _name in form.fields["branch"].choices] == ["", "SBY"]  # the region's branches
    jateng = in_english.get(reverse("reports:report", args=["yearly"]), {**THROUGH_JUNE, "region": "JTG"})
    assert [row.full_year for row in jateng.context["table"].rows] == [2, 4]
    mixed = in_english.get("/", {**THROUGH_JUNE, "region": "JTM", "branch": "CLP"})
    assert "is not one you may see" in mixed.content.decode()
    assert mixed.context["dashboard"].summary.year_to_date == 9  # everything, as for any refused selector


@pytest.mark.parametrize("count", [4, 60])
def test_a_regions_dashboard_takes_no_more_queries_than_a_branchs(
    client, regional, cilacap, django_assert_max_num_queries, count
):
    add_rows(cilacap, count)
    national = UserFactory(role=User.Role.ADMIN, branch=None)
    for user, query in ((regional, THROUGH_JUNE), (national, {**THROUGH_JUNE, "region": "JTG"})):
        client.force_login(user)
        with django_assert_max_num_queries(DASHBOARD_QUERIES):
            response = client.get("/", query)
        assert response.context["selection"].scope.level == "region"


def test_the_regional_user_reads_the_lists_of_the_region_and_changes_nothing(regional_client, region):
    agents = regional_client.get(reverse("agents:agent_list")).content.decode()
    assert "Ani" in agents and "BMS-A1" in agents and _names_nothing_elsewhere(agents)
    offices = regional_client.get(reverse("agents:office_list")).content.decode()
    assert "CLP-N" in offices and "BMS-1" in offices and _names_nothing_elsewhere(offices)
    participants = regional_client.get(reverse("enrollment:participant_list"))
    assert participants.status_code == 200 and _names_nothing_elsewhere(participants.content.decode())

    assert regional_client.get(reverse("agents:agent_create")).status_code == 403
    assert regional_client.post(reverse("agents:agent_create"), {"full_name": "Baru"}).status_code == 403
    assert regional_client.get(reverse("agents:office_create")).status_code == 403


def test_the_incentive_sheet_offers_the_regions_branches_only(regional_client):
    default = regional_client.get(reverse("incentives:index"))
    assert default.status_code == 200
    assert default.context["sheet"].branch.code == "BMS"  # the first of the region's branches by name
    assert regional_client.get(reverse("incentives:index"), {"branch": "CLP"}).context["sheet"].branch.code == "CLP"
    assert regional_client.get(reverse("incentives:index"), {"branch": "SBY"}).status_code == 400


def test_a_regional_office_without_branches_yet_shows_an_empty_dashboard(in_english, region):
    empty = RegionFactory(code="KLB", name="Kanwil Kalimantan Barat")
    in_english.force_login(UserFactory(role=User.Role.REGIONAL, branch=None, region=empty))

    response = in_english.get("/", THROUGH_JUNE)

    assert response.status_code == 200
    assert response.context["dashboard"].summary.year_to_date == 0
    assert _names_nothing_elsewhere(response.content.decode()) and "Cilacap" not in response.content.decode()
