"""The branch's view of the follow-up: participants at risk, contacted, promises kept and saved (paid after
a contact), by agent and office, for June 2022 and January–June; on the report page, its CSV, the
workbook and the dashboard."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import Agent, User
from agents.scoping import Scope
from followup.models import ContactAttempt
from reports.follow_up import FollowUpFigures, follow_up_report, follow_up_summary
from reports.periods import Period
from tests.factories import ContributionFactory, UserFactory
from tests.reports.conftest import acquire
from tests.reports.test_query_counts import REPORT_PAGE_QUERIES
from web.reports.workbook import evaluation_workbook

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
Outcome = ContactAttempt.Outcome


def paid(acquisition, month, on):
    """The contribution for ``month`` (year, month), paid on ``on`` (year, month, day)."""
    return ContributionFactory(acquisition=acquisition, period=datetime.date(*month, 1), paid_on=datetime.date(*on))


def paid_months(acquisition, *months):
    """Contributions for ``months`` of 2022, each paid on the 5th of its month."""
    return [paid(acquisition, (2022, month), (2022, month, 5)) for month in months]


def contact(acquisition, at, outcome=Outcome.REACHED, *, promised_on=None, agent=None):
    """A contact at ``at`` (year, month, day, hour, minute) Jakarta time."""
    return ContactAttempt.objects.create(
        acquisition=acquisition,
        agent=agent or acquisition.caretaker,
        recorded_by=UserFactory(branch=acquisition.branch),
        contacted_at=datetime.datetime(*at, tzinfo=WIB),
        outcome=outcome,
        promised_on=datetime.date(*promised_on) if promised_on else None,
    )


@pytest.fixture
def june(cilacap):
    """Fifteen participants of Cilacap and what happened to them up to July 2022 (``p1`` … ``p15``).

    Enrolled on 10 January 2022 unless said otherwise; months paid on the 5th unless said otherwise.
    """
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    january = datetime.date(2022, 1, 10)
    p = {}

    # Ani
    p[1] = acquire(ani, january)  # late at the contact, promised, paid on the last day of grace: kept, saved
    paid_months(p[1], 1, 2, 3, 4)
    contact(p[1], (2022, 3, 20, 9, 0))  # March already paid on the 5th: not saved in March
    contact(p[1], (2022, 6, 3, 10, 0), Outcome.PROMISED, promised_on=(2022, 6, 10))
    paid(p[1], (2022, 5), (2022, 6, 17))
    paid(p[1], (2022, 6), (2022, 6, 17))
    p[2] = acquire(ani, january)  # saved in March (promised, kept); due on 30 June, not contacted then
    paid_months(p[2], 1, 2, 4, 5)
    contact(p[2], (2022, 3, 10, 9, 0), Outcome.PROMISED, promised_on=(2022, 3, 15))
    paid(p[2], (2022, 3), (2022, 3, 14))
    p[3] = acquire(ani, january)  # late, contacted twice in June, not reached, paid nothing
    paid_months(p[3], 1, 2, 3, 4)
    contact(p[3], (2022, 6, 20, 8, 0), Outcome.NOT_REACHED)
    contact(p[3], (2022, 6, 22, 8, 0), Outcome.NOT_REACHED)
    p[4] = acquire(ani, january)  # had paid June before the contact: contacted, not saved
    paid_months(p[4], 1, 2, 3, 4, 5)
    paid(p[4], (2022, 6), (2022, 6, 2))
    contact(p[4], (2022, 6, 15, 8, 0))
    p[5] = acquire(ani, datetime.date(2021, 6, 1))  # lapsed at the contact (nothing since February): won back
    paid_months(p[5], 1, 2)
    contact(p[5], (2022, 6, 5, 8, 0))
    paid(p[5], (2022, 6), (2022, 6, 6))

    # Budi
    p[6] = acquire(budi, january)  # refused, then paid May anyway: not saved; due on 30 June
    paid_months(p[6], 1, 2, 3, 4)
    contact(p[6], (2022, 6, 8, 8, 0), Outcome.REFUSES)
    paid(p[6], (2022, 5), (2022, 6, 9))
    p[7] = acquire(budi, january)  # contacted at 23:30 on 30 June (16:30 UTC), paid June on 20 July: saved
    paid_months(p[7], 1, 2, 3, 4, 5)
    contact(p[7], (2022, 6, 30, 23, 30))
    paid(p[7], (2022, 6), (2022, 7, 20))
    p[8] = acquire(budi, january)  # contacted at 00:30 on 1 July (30 June 17:30 UTC): not June's
    paid_months(p[8], 1, 2, 3, 4, 5)
    contact(p[8], (2022, 7, 1, 0, 30))
    paid(p[8], (2022, 6), (2022, 7, 2))
    p[9] = acquire(budi, january)  # promised in May for 5 June, paid nothing: a broken promise; late
    paid_months(p[9], 1, 2, 3, 4)
    contact(p[9], (2022, 5, 28, 8, 0), Outcome.PROMISED, promised_on=(2022, 6, 5))
    p[10] = acquire(budi, january)  # saved in April and in June; its June promise paid a day after grace
    paid_months(p[10], 1, 2, 3)
    contact(p[10], (2022, 4, 2, 8, 0))
    paid(p[10], (2022, 4), (2022, 4, 5))
    contact(p[10], (2022, 6, 1, 6, 0), Outcome.PROMISED, promised_on=(2022, 6, 2))  # 31 May 23:00 UTC
    paid(p[10], (2022, 5), (2022, 6, 10))

    # Citra
    p[11] = acquire(citra, january)  # reported deceased; a payment came after: not saved
    paid_months(p[11], 1, 2, 3, 4, 5)
    contact(p[11], (2022, 6, 4, 8, 0), Outcome.DECEASED)
    paid(p[11], (2022, 6), (2022, 6, 7))
    p[12] = acquire(citra, datetime.date(2022, 6, 2))  # enrolled in June, paid on the visit: kept, saved
    contact(p[12], (2022, 6, 25, 10, 0), Outcome.PROMISED, promised_on=(2022, 6, 28))
    paid(p[12], (2022, 6), (2022, 6, 25))
    p[13] = acquire(citra, january, caretaker=ani)  # Citra's acquisition (south), Ani looks after it: late
    paid_months(p[13], 1, 2, 3, 4)
    contact(p[13], (2022, 6, 15, 8, 0), agent=citra)
    p[14] = acquire(citra, datetime.date(2022, 5, 15))  # enrolled in May, nothing paid: late
    p[15] = acquire(citra, january, lapsed_on=datetime.date(2022, 6, 20))  # lapse written: not at risk, not saved
    paid_months(p[15], 1, 2, 3, 4)
    contact(p[15], (2022, 6, 25, 8, 0))
    paid(p[15], (2022, 6), (2022, 6, 26))
    return p


def test_the_scope_figures_for_june_and_january_to_june_are_the_hand_counted_ones(cilacap, june):
    figures = follow_up_summary(scope=cilacap["scope"], period=JUNE_2022).figures

    # At risk on 30 June: late p3, p9, p13, p14; due p2, p6, p10 (p15's lapse is written down).
    assert (figures.late, figures.due, figures.at_risk) == (4, 3, 7)
    # Contacted in June: p1, p3, p4, p5, p6, p7, p10, p11, p12, p13, p15 (p8 on 1 July, p9 in May).
    assert figures.contacted == 11
    # Promises due in June: p1 (kept on the 7th day of grace), p9 (broken), p10 (a day late), p12 (kept).
    assert (figures.promised, figures.kept, figures.kept_share) == (4, 2, Decimal("50.0"))
    # Saved in June: p1, p7 (paid in July), p10, p12 (paid on the visit).
    assert figures.saved == 4
    # January–June: p2 in March and p9 in May join June's; p1 and p10 count once.
    assert (figures.contacted_to_date, figures.promised_to_date, figures.kept_to_date) == (13, 5, 3)
    assert figures.saved_to_date == 5  # p1, p2, p7, p10 (April and June), p12
    assert figures.kept_share_to_date == Decimal("60.0")


def test_each_agent_counts_the_participants_they_look_after_and_each_office_its_acquisitions(cilacap, june):
    report = follow_up_report(scope=cilacap["scope"], period=JUNE_2022)

    def figures(row):
        f = row.figures
        return (f.late, f.due, f.contacted, f.promised, f.kept, f.saved, f.contacted_to_date, f.saved_to_date)

    assert [(row.level, row.code) for row in report.rows] == [
        ("branch", "CLP"),
        ("office", "CLP-N"),
        ("office", "CLP-S"),
        ("agent", "BUDI"),  # three at risk, two saved
        ("agent", "ANI"),  # three at risk, one saved
        ("agent", "CITRA"),
    ]
    assert {row.code: figures(row) for row in report.rows} == {
        "CLP": (4, 3, 11, 4, 2, 4, 13, 5),
        "CLP-N": (2, 3, 7, 3, 1, 3, 9, 4),
        "CLP-S": (2, 0, 4, 1, 1, 1, 4, 1),
        "ANI": (2, 1, 5, 1, 1, 1, 6, 2),  # p13 is Citra's acquisition, looked after by Ani
        "BUDI": (1, 2, 3, 2, 0, 2, 4, 2),
        "CITRA": (1, 0, 3, 1, 1, 1, 3, 1),
    }
    assert report.summary.figures == follow_up_summary(scope=cilacap["scope"], period=JUNE_2022).figures
    assert report.scope_row.figures == report.summary.figures
    assert sum((row.figures for row in report.offices), FollowUpFigures()) == report.summary.figures
    assert sum((row.figures for row in report.agents), FollowUpFigures()) == report.summary.figures
    north, budi = cilacap["north"], cilacap["budi"]
    assert [(row.name, row.office) for row in report.agents[:1]] == [(budi.full_name, north.name)]


def test_an_office_or_an_agent_scope_counts_its_own(cilacap, june):
    south = Scope(branch=cilacap["branch"], office=cilacap["south"])
    ani = Scope(branch=cilacap["branch"], office=cilacap["north"], agent=cilacap["ani"])

    south_figures = follow_up_summary(scope=south, period=JUNE_2022).figures
    ani_report = follow_up_report(scope=ani, period=JUNE_2022)

    assert (south_figures.at_risk, south_figures.contacted, south_figures.saved) == (2, 4, 1)
    assert [(row.level, row.code) for row in ani_report.rows] == [
        ("agent", "ANI"),
        ("office", "CLP-N"),
        ("office", "CLP-S"),
        ("agent", "ANI"),
    ]
    assert (ani_report.summary.figures.at_risk, ani_report.summary.figures.contacted) == (3, 5)


def test_another_branchs_contacts_and_participants_are_never_counted(cilacap, banyumas, june):
    other = acquire(banyumas["agent"], datetime.date(2022, 1, 10))
    paid_months(other, 1, 2, 3, 4)
    contact(other, (2022, 6, 3, 8, 0), Outcome.PROMISED, promised_on=(2022, 6, 6))
    paid(other, (2022, 5), (2022, 6, 6))

    cilacap_figures = follow_up_summary(scope=cilacap["scope"], period=JUNE_2022).figures
    banyumas_figures = follow_up_summary(scope=banyumas["scope"], period=JUNE_2022).figures
    national = follow_up_report(scope=Scope(), period=JUNE_2022)

    assert (cilacap_figures.contacted, cilacap_figures.promised, cilacap_figures.saved) == (11, 4, 4)
    # Banyumas's own: the worker above, saved and due on 30 June (its other workers paid June or lapsed).
    assert (banyumas_figures.contacted, banyumas_figures.kept, banyumas_figures.saved) == (1, 1, 1)
    assert (banyumas_figures.late, banyumas_figures.due) == (0, 1)
    assert national.scope_row.level == "national" and national.scope_row.code == ""
    assert national.summary.figures == cilacap_figures + banyumas_figures
    codes = {row.code for row in follow_up_report(scope=cilacap["scope"], period=JUNE_2022).rows}
    assert not codes & {"BMS", "BMS-1", "BMS-A1"}


def test_without_contacts_the_figures_are_zero_and_nothing_is_divided_by_zero(cilacap):
    acquire(cilacap["ani"], datetime.date(2022, 6, 10))  # enrolled in June, nothing paid yet: due

    report = follow_up_report(scope=cilacap["scope"], period=JUNE_2022)
    figures = report.summary.figures

    assert figures == FollowUpFigures(due=1)
    assert figures.kept_share is None and figures.kept_share_to_date is None
    assert [row.code for row in report.rows] == ["CLP", "CLP-N", "ANI"]
    empty = follow_up_report(scope=Scope(branch=cilacap["branch"], office=cilacap["south"]), period=JUNE_2022)
    assert empty.rows == [empty.scope_row] and empty.summary.figures == FollowUpFigures()


def test_a_period_through_may_reads_may_and_a_lapse_written_in_june_does_not_undo_it(cilacap, june):
    figures = follow_up_summary(scope=cilacap["scope"], period=Period(2022, 5)).figures

    # On 31 May nobody had gone two months unpaid; April paid and May not: p3, p9, p13, p15 (whose lapse
    # was written on 20 June), and p14, enrolled in May. p12 was not enrolled yet, p5 had lapsed.
    assert (figures.late, figures.due) == (0, 5)
    assert figures.contacted == 1  # p9 on 28 May
    assert (figures.promised, figures.kept, figures.saved) == (0, 0, 0)  # p9's promise falls due in June
    # January–May: p1 and p2 in March, p10 in April, p9; p2's promise kept; p2 and p10 saved.
    assert (figures.contacted_to_date, figures.promised_to_date, figures.kept_to_date) == (4, 1, 1)
    assert figures.saved_to_date == 2


# --- a fixed number of queries ------------------------------------------------------------------


def more_participants(cilacap, count):
    agents = [cilacap["ani"], cilacap["budi"], cilacap["citra"]]
    for number in range(count):
        acquisition = acquire(agents[number % 3], datetime.date(2022, 1, number % 27 + 1))
        paid_months(acquisition, *range(1, number % 6 + 1))
        contact(acquisition, (2022, number % 6 + 1, number % 27 + 1, 9, 0), Outcome.PROMISED, promised_on=(2022, 6, 9))


@pytest.mark.parametrize("count", [3, 30])
def test_the_figures_take_two_queries_however_many_contacts(cilacap, django_assert_num_queries, count):
    more_participants(cilacap, count)
    for scope in (cilacap["scope"], Scope(branch=cilacap["branch"], office=cilacap["north"]), Scope()):
        with django_assert_num_queries(2):
            follow_up_summary(scope=scope, period=JUNE_2022)
        with django_assert_num_queries(2):
            follow_up_report(scope=scope, period=JUNE_2022)


# --- the page, the CSV file, the workbook, the dashboard ----------------------------------------


@pytest.fixture
def head_client(client, cilacap, june, in_english):
    client.force_login(UserFactory(role=User.Role.HEAD, branch=cilacap["branch"]))
    return client


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.HEAD])
def test_the_page_shows_the_figures_and_a_line_per_office_and_agent_to_staff_and_the_head(
    client, cilacap, june, in_english, django_assert_max_num_queries, role
):
    client.force_login(UserFactory(role=role, branch=cilacap["branch"]))
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES):
        response = client.get(reverse("reports:report", args=["follow-up"]), {"through": "2022-06"})
    content = response.content.decode()

    assert response.status_code == 200
    assert 'id="follow-up-at-risk">7<' in content
    assert 'id="follow-up-late-due">4 one month from lapsing · 3 due<' in content
    assert 'id="follow-up-contacted">11<' in content
    assert 'id="follow-up-kept">2 <span' in content and "of 4</span>" in content
    assert 'id="follow-up-kept-to-date">January–June: 3 of 5<' in content
    assert 'id="follow-up-saved">4<' in content
    assert 'id="follow-up-saved-to-date">January–June: 5 lapses prevented<' in content
    assert [row.code for row in response.context["table"].rows] == ["CLP", "CLP-N", "CLP-S", "BUDI", "ANI", "CITRA"]
    assert "Saved in June (paid after a contact)" in content and "<td>Perisai office</td>" in content


def test_an_agent_may_not_open_the_page_or_its_csv(client, cilacap, june):
    login = UserFactory(role=User.Role.AGENT, branch=cilacap["branch"])
    Agent.objects.filter(pk=cilacap["ani"].pk).update(user=login)
    client.force_login(login)

    assert client.get(reverse("reports:report", args=["follow-up"])).status_code == 403
    assert client.get(reverse("reports:report_csv", args=["follow-up"])).status_code == 403


def test_the_csv_file_has_a_line_per_office_and_agent_with_plain_numbers(head_client, cilacap):
    response = head_client.get(reverse("reports:report_csv", args=["follow-up"]), {"through": "2022-06"})
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))

    assert header == [
        "Level",
        "Code",
        "Name",
        "Perisai office",
        "One month from lapsing",
        "Due this month",
        "At risk on 30 June 2022",
        "Contacted in June",
        "Promises due in June",
        "Promises kept",
        "Kept (%)",
        "Saved in June (paid after a contact)",
        "Contacted January–June",
        "Promises due January–June",
        "Promises kept January–June",
        "Saved January–June",
    ]
    assert rows[0] == ["Branch", "CLP", "Cilacap", "", "4", "3", "7", "11", "4", "2", "50.0", "4", "13", "5", "3", "5"]
    north = cilacap["north"].name
    assert rows[1][:4] == ["Perisai office", "CLP-N", north, north]
    assert rows[3] == ["Agent", "BUDI", "Budi", north, "1", "2", "3", "3", "2", "0", "0.0", "2", "4", "2", "0", "2"]
    assert len(rows) == 6


def test_the_workbook_has_the_follow_up_sheet_and_the_summary_says_how_many_lapses_were_prevented(cilacap, june):
    buffer = io.BytesIO()
    evaluation_workbook(scope=cilacap["scope"], period=JUNE_2022, language="en", today=datetime.date(2022, 7, 15)).save(
        buffer
    )
    book = load_workbook(io.BytesIO(buffer.getvalue()))

    sheet = book["Follow-up and lapses prevented"]
    scope_row = ["Branch", "CLP", "Cilacap", None, 4, 3, 7, 11, 4, 2, 0.5, 4, 13, 5, 3, 5]
    assert [cell.value for cell in sheet[2]] == scope_row
    assert [cell.value for cell in sheet[7]][:2] == ["Agent", "CITRA"] and sheet.max_row == 7
    assert sheet["G2"].number_format == "#,##0" and sheet["K2"].number_format == "0.0%"

    figures = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert figures["Participants at risk on 30 June 2022 (due or one month from lapsing)"] == 7
    assert figures["Participants contacted in June 2022"] == 11
    assert figures["Promises to pay falling due in June 2022"] == 4
    assert figures["Promises to pay kept in June 2022"] == 2
    assert figures["Saved in June 2022: paid after a contact"] == 4
    assert figures["Saved January–June 2022: lapses the follow-up prevented"] == 5
    assert (
        "The follow-up prevented 5 lapses in January–June 2022 (4 in June): participants contacted while due or "
        "one month from lapsing who then paid. In June the agents contacted 11 participants and 2 of 4 promises "
        "to pay were kept; on 30 June 2022, 7 participants were at risk (4 of them one month from lapsing)."
    ) in figures


def test_the_dashboard_card_says_how_many_were_saved(head_client):
    content = head_client.get("/", {"through": "2022-06"}).content.decode()

    assert 'id="follow-up-heading">Follow-up<' in content
    assert 'id="follow-up-contacted">11<' in content
    assert 'id="follow-up-at-risk"' not in content  # on the report page: a whole country's would take seconds
    assert 'id="follow-up-saved">4<' in content
    assert 'id="follow-up-saved-to-date">January–June: 5 lapses prevented<' in content
    assert reverse("reports:report", args=["follow-up"]) + "?through=2022-06" in content


def test_without_contacts_the_page_the_card_and_the_summary_show_zeros(client, cilacap, in_english):
    acquire(cilacap["ani"], datetime.date(2022, 6, 10))
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))

    page = client.get(reverse("reports:report", args=["follow-up"]), {"through": "2022-06"}).content.decode()
    dashboard = client.get("/", {"through": "2022-06"}).content.decode()
    buffer = io.BytesIO()
    evaluation_workbook(scope=cilacap["scope"], period=JUNE_2022, language="en").save(buffer)
    summary = load_workbook(io.BytesIO(buffer.getvalue()))["Summary"]

    assert 'id="follow-up-at-risk">1<' in page
    for content in (page, dashboard):
        assert 'id="follow-up-saved">0<' in content
        assert 'id="follow-up-kept-to-date">January–June: 0 of 0<' in content
    assert (
        "No contact with a participant was logged in January–June 2022. On 30 June 2022, 1 participants were due "
        "or one month from lapsing (0 of them one month from lapsing)."
    ) in [row[0] for row in summary.iter_rows(values_only=True)]
