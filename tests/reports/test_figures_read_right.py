"""Figures that read right: part of this year against the whole of last year is a share reached, never a
loss; the year to date always stands beside the same months of last year; the months before an agent
joined are blank, not 0; and no office is said to be at its minimum when none has a target."""

import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import ProgrammeTerms, User
from agents.scoping import Scope
from reports.acquisitions import YearTotal, by_agent, monthly_comparison, yearly_totals
from reports.performance import agent_performance
from reports.periods import Period
from reports.track_record import agent_acquisitions_by_month
from tests.factories import AcquisitionTargetFactory, AgentFactory, UserFactory
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

JUNE_2022 = {"through": "2022-06"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element(HTMLParser):
    """The text of the element with ``id``, and the ids and classes of the elements inside it."""

    def __init__(self, html, id):
        super().__init__()
        self.target, self.depth, self.parts, self.ids, self.classes, self.found = id, 0, [], set(), set(), False
        self.feed(html)
        self.text = " ".join("".join(self.parts).split())

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth:
            self.ids.add(attributes.get("id"))
            self.classes |= set((attributes.get("class") or "").split())
        elif attributes.get("id") == self.target:
            self.found = True
        else:
            return
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element(page, id):
    found = Element(page, id)
    assert found.found, f"no element #{id} on the page"
    return found


def csv_rows(response):
    return list(csv.reader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))


def workbook(client, **params):
    response = client.get(reverse("reports:workbook"), {**JUNE_2022, **params}, HTTP_ACCEPT_LANGUAGE="en")
    return load_workbook(io.BytesIO(response.content))


@pytest.fixture
def figures(cilacap):
    """Ani: 5 acquisitions in January–June 2021 and 5 later that year, 4 in January–June 2022, each paid
    in its month. Dewi joined on 1 September 2021 and acquired 2 in 2022.

    January–June 2022 (6) against the same months of 2021 (5) is +20.0%; against the whole of 2021 (10)
    it is 60.0% of the year reached, where a "change" would have read -40.0%.
    """
    ani = cilacap["ani"]
    for month in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11):
        pay(acquire(ani, datetime.date(2021, month, 10)), (2021, month))
    for month in (1, 2, 3, 4):
        pay(acquire(ani, datetime.date(2022, month, 10)), (2022, month))
    dewi = AgentFactory(
        branch=cilacap["branch"],
        office=cilacap["north"],
        code="DEWI",
        full_name="Dewi",
        joined_on=datetime.date(2021, 9, 1),
    )
    for month in (2, 3):
        pay(acquire(dewi, datetime.date(2022, month, 10)), (2022, month))
    return {**cilacap, "dewi": dewi}


@pytest.fixture
def staff(client, cilacap):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


@pytest.fixture
def terms(db):
    return ProgrammeTerms.objects.create(
        name="Ketentuan Perisai",
        effective_from=datetime.date(2017, 1, 1),
        agent_at_risk_months=2,
        agent_inactive_months=3,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
    )


# --- part of this year against the whole of last year ---------------------------------------------


def test_the_dashboard_says_the_year_so_far_against_the_whole_of_last_year_is_a_share_reached(staff, figures):
    page = staff.get("/", JUNE_2022, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    note = element(page, "figure-previous-year-share")
    assert note.text == "January–June 2022 against the whole of 2021: 60.0% reached"
    assert not {"change", "change-down"} & note.classes
    assert "-40.0%" not in page and "−40.0%" not in page
    assert element(page, "figure-previous-year").text == "10"


def test_the_yearly_report_and_its_csv_label_the_share_of_the_whole_previous_year(staff, figures):
    header = "January–June against the whole previous year (% reached)"
    page = staff.get(reverse("reports:report", args=["yearly"]), JUNE_2022, HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert header in content and "60.0%" in content and "-40.0%" not in content

    rows = csv_rows(staff.get(reverse("reports:report_csv", args=["yearly"]), JUNE_2022, HTTP_ACCEPT_LANGUAGE="en"))
    this_year = dict(zip(rows[0], rows[-1], strict=True))
    assert this_year["Year"] == "2022" and this_year[header] == "60.0"
    assert this_year["Full year change (%)"] == ""  # 2022 is not over in January–June: no whole-year change
    assert not any("Change against the whole" in title for title in rows[0])


def test_the_workbook_summary_states_the_share_reached_not_a_change(staff, figures):
    summary = workbook(staff)["Summary"]
    rows = {row[0]: row for row in summary.iter_rows(values_only=True) if row[0]}
    label = "January–June 2022 against the whole of 2021 (share reached)"
    assert rows[label][1] == pytest.approx(0.6)
    cell = next(row[1] for row in summary.iter_rows() if row[0].value == label)
    assert cell.number_format == "0.0%"
    assert not any(str(key).startswith("Change against the whole") for key in rows)


def test_the_acquisition_totals_command_prints_the_share_unsigned(figures, capsys):
    call_command("acquisition_totals", "--branch", "CLP", "--through", "2022-06")
    lines = capsys.readouterr().out.splitlines()
    assert "of prev year" in lines[1]
    assert lines[-1].split()[:5] == ["2022", "6", "6", "+20.0%", "60.0%"]


# --- the year to date beside the same months of last year -------------------------------------------


@pytest.mark.parametrize("url", ["/", "/reports/yearly/", "/reports/monthly/"])
def test_the_year_to_date_and_the_same_months_of_last_year_share_one_card(staff, figures, url):
    page = staff.get(url, JUNE_2022, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = element(page, "summary-year-to-date")
    assert {"figure-year-to-date", "figure-same-period"} <= card.ids
    assert element(page, "figure-year-to-date").text == "6"
    assert element(page, "figure-same-period").text == "5"
    assert element(page, "figure-same-period-change").text == "Against January–June 2021: +20.0%"


def test_the_dashboards_offices_and_top_agents_name_the_months_compared(staff, figures):
    page = staff.get("/", JUNE_2022, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Jan–Jun 2022</th>" in page and ">Jan–Jun 2021</th>" in page
    assert "January–June 2021: 5" in page  # Ani, beside her 4 of 2022
    assert "January–June 2021: not yet an agent" in page  # Dewi joined in September 2021


def test_the_workbook_summary_puts_the_same_months_of_last_year_beside_the_year_to_date(staff, figures):
    summary = workbook(staff)["Summary"]
    rows = {row[0]: row[1:4] for row in summary.iter_rows(values_only=True) if row[0]}
    assert rows["Key figures"] == ("Value", "January–June 2021", "Change (%)")
    assert rows["Acquisitions January–June 2022"] == (6, 5, pytest.approx(0.2))
    assert rows["Acquisitions a month so far"][:2] == (1, 1)  # 6 and 5 in six months
    collected = rows["Contributions collected January–June 2022"]
    assert collected[0] > 0 and collected[1] > 0
    assert "Acquisitions in the same months of 2021" not in rows  # not a separate row below any more


# --- months before an agent joined ------------------------------------------------------------------


def test_the_agent_ranking_leaves_last_year_blank_for_an_agent_who_had_not_joined(staff, figures):
    rows = {row.code: row for row in by_agent(scope=figures["scope"], period=Period(2022, 6))}
    assert rows["ANI"].previous == 5
    assert rows["DEWI"].previous is None and rows["DEWI"].change is None

    lines = csv_rows(staff.get(reverse("reports:report_csv", args=["agents"]), JUNE_2022, HTTP_ACCEPT_LANGUAGE="en"))
    by_code = {line[1]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    assert by_code["ANI"]["Same period last year"] == "5"
    assert by_code["DEWI"]["Same period last year"] == ""

    sheet = workbook(staff)["By agent"]
    header = [cell.value for cell in sheet[1]]
    previous = {
        row[1]: row[header.index("Same period last year")] for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert previous["ANI"] == 5 and previous["DEWI"] is None


def test_contributions_by_agent_leave_last_year_blank_before_the_agent_joined(staff, figures):
    lines = csv_rows(
        staff.get(reverse("reports:report_csv", args=["collected-agents"]), JUNE_2022, HTTP_ACCEPT_LANGUAGE="en")
    )
    by_code = {line[0]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    assert by_code["ANI"]["Same period last year"] not in ("", "0")
    assert by_code["DEWI"]["Same period last year"] == ""


def test_an_agents_track_record_is_blank_before_they_joined(staff, figures):
    months = {row.month: row.acquisitions for row in agent_acquisitions_by_month(agent=figures["dewi"])}
    assert months[datetime.date(2021, 8, 1)] is None  # the window ends in April 2022, the branch's latest
    assert months[datetime.date(2021, 9, 1)] == 0
    assert months[datetime.date(2022, 2, 1)] == 1

    page = staff.get(reverse("agents:agent_detail", args=[figures["dewi"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert '<td>August 2021</td><td class="text-end figure-number"></td>' in content
    assert '<td>September 2021</td><td class="text-end figure-number">0</td>' in content


@pytest.fixture
def eka(cilacap):
    """Joined on 15 March 2022 with a login; 2 acquisitions in each of March to June."""
    login = UserFactory(role=User.Role.AGENT, branch=cilacap["branch"])
    agent = AgentFactory(
        branch=cilacap["branch"],
        office=cilacap["south"],
        code="EKA",
        full_name="Eka",
        user=login,
        joined_on=datetime.date(2022, 3, 15),
    )
    for month in (3, 4, 5, 6):
        for day in (16, 20):
            acquire(agent, datetime.date(2022, month, day))
    return agent


def test_an_agents_pace_counts_only_their_months_in_the_network(eka):
    period = Period(2022, 6)
    this_year = next(row for row in yearly_totals(scope=Scope(agent=eka), period=period) if row.year == 2022)
    assert (this_year.year_to_date, this_year.previous_year_to_date, this_year.previous_full_year) == (8, None, None)
    assert this_year.network_months == 4
    assert this_year.pace == 2  # 8 in March–June, not 8 over six months
    assert this_year.projection == 20  # 8 and 2 a month for the six months to come
    assert this_year.change_same_period is None and this_year.share_of_previous_year is None

    months = monthly_comparison(scope=Scope(agent=eka), period=period)
    assert [row.this_year for row in months[:6]] == [None, None, 2, 2, 2, 2]
    assert [row.this_year_cumulative for row in months[:3]] == [None, None, 2]
    assert all(row.last_year is None for row in months)


def test_the_dashboard_of_a_new_agent_shows_last_year_blank_and_the_pace_over_their_months(staff, eka):
    page = staff.get("/", {**JUNE_2022, "agent": "EKA"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert element(page, "figure-same-period").text == "—"
    assert element(page, "figure-same-period-change").text == "Not yet in the network in January–June 2021."
    assert element(page, "figure-pace").text == "2 a month over the agent’s 4 months in the network"
    assert element(page, "figure-previous-year-share").text == "Not yet in the network in 2021."


def test_my_performance_leaves_last_year_blank_for_an_agent_who_joined_this_year(eka):
    performance = agent_performance(eka.user, today=datetime.date(2022, 6, 20))
    assert performance.summary.year_to_date == 8
    assert performance.summary.previous_year_to_date is None
    assert (performance.month.this_year, performance.month.last_year) == (2, None)


# --- no minimum without a target --------------------------------------------------------------------


def minimum_card(client):
    page = client.get("/", JUNE_2022, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert element(page, "minimum-heading").text == "Offices under their minimums"
    return page


def test_without_targets_the_card_says_none_are_set_not_that_offices_are_at_their_minimum(staff, figures, terms):
    page = minimum_card(staff)
    assert "at or above" not in page and "at their minimum" not in page
    assert element(page, "minimum-rule").text == (
        "No targets are set: no office has a target for 2022, so there is no monthly minimum of acquisitions to check."
    )
    assert element(page, "minimum-none").text == "Nothing to check: no office has a monthly minimum."


def test_with_every_office_at_its_target_the_card_says_so(staff, cilacap, terms):
    for month in range(1, 7):
        acquire(cilacap["ani"], datetime.date(2022, month, 10))
    AcquisitionTargetFactory(branch=cilacap["branch"], office=cilacap["north"], year=2022, target=12)
    page = minimum_card(staff)
    assert element(page, "minimum-none").text == "Every office is at or above its minimums."
    assert element(page, "minimum-rule").text.startswith("The monthly minimum is the office's yearly target")

    acquire(cilacap["citra"], datetime.date(2022, 6, 10))  # the south office: acquisitions, no target
    page = minimum_card(staff)
    assert element(page, "minimum-none").text == (
        "Every office with a target is at or above its minimums; 1 office has no target."
    )


def test_without_programme_terms_no_minimum_is_claimed(staff, cilacap):
    acquire(cilacap["ani"], datetime.date(2022, 6, 10))
    AcquisitionTargetFactory(branch=cilacap["branch"], office=cilacap["north"], year=2022, target=12)
    page = minimum_card(staff)
    assert element(page, "minimum-none").text == "No programme terms are in force: no minimum is checked."
    assert "at or above" not in page


def test_a_share_reached_is_a_plain_percentage():
    row = YearTotal(
        year=2022,
        through_month=6,
        year_to_date=2336,
        full_year=2336,
        previous_year_to_date=2300,
        previous_full_year=5628,
        complete=False,
    )
    assert row.share_of_previous_year == Decimal("41.5")
    assert row.change_full_year is None
    assert row.change_same_period == Decimal("1.6")
