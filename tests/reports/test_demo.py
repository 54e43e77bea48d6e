"""The Cilacap demo's figures, the same on the dashboard, in the workbook, from the command and in the
database: 5,628 acquired in 2021, 2,336 from January to June 2022, 549 a month needed from July; and the
demo, seeded today, lands on this year."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Exists, Sum
from django.urls import reverse
from django.utils import timezone, translation

from agents.models import User
from agents.scoping import scope_for
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.paying import earlier_acquisitions
from reports.acquisitions import acquisition_summary, latest_period, yearly_totals
from reports.continuity import participant_standing
from reports.money import collected_summary, new_and_returning, participant_cover
from reports.periods import Period
from tests.reports.compare import assert_workbook_matches, read_both

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)


@pytest.fixture
def staff(demo):
    return User.objects.get(username="staf")


def test_the_story_figures(staff):
    scope = scope_for(staff)
    assert latest_period(scope=scope).year == timezone.localdate().year  # the demo runs to today
    totals = {row.year: row for row in yearly_totals(scope=scope, period=JUNE_2022)}
    assert totals[2021].full_year == 5628 == Acquisition.objects.filter(acquired_on__year=2021).count()
    assert totals[2022].year_to_date == 2336
    summary = acquisition_summary(scope=scope, period=JUNE_2022)
    assert (summary.pace_needed, summary.pace, summary.projection) == (549, 389, 4672)


def test_the_money_view_splits_the_headline_into_new_and_returning_participants(staff):
    scope = scope_for(staff)
    acquired = new_and_returning(scope=scope, period=JUNE_2022)
    assert (acquired.this_year.acquisitions, acquired.last_year.acquisitions) == (2336, 2300)
    in_2022 = Acquisition.objects.filter(acquired_on__range=(JUNE_2022.start, JUNE_2022.end))
    acquired_again = in_2022.filter(Exists(earlier_acquisitions())).count()  # the demo's lapsed 2021 workers
    assert acquired.this_year.returning == acquired_again > 0 and acquired.last_year.returning == 0
    assert (
        participant_cover(scope=scope, period=JUNE_2022).participants
        == participant_standing(scope=scope, period=JUNE_2022).total
        == Participant.objects.filter(acquisitions__acquired_on__lte=JUNE_2022.end).distinct().count()
    )
    paid = Contribution.objects.filter(paid_on__range=(JUNE_2022.start, JUNE_2022.end)).aggregate(total=Sum("amount"))
    assert collected_summary(scope=scope, period=JUNE_2022).amount == paid["total"] > 0  # every channel counts


def test_the_dashboard_shows_them_in_indonesian_and_in_english(client, staff):
    client.force_login(staff)
    page = client.get("/", {"through": "2022-06"}).content.decode()
    assert 'id="figure-year-to-date">2.336<' in page
    assert 'id="figure-previous-year">5.628<' in page
    assert 'id="figure-pace-needed">549<' in page
    client.cookies["django_language"] = "en"
    page = client.get("/", {"through": "2022-06"}).content.decode()
    assert 'id="figure-year-to-date">2,336<' in page and 'id="figure-previous-year">5,628<' in page
    assert "January–June 2022" in page


def test_the_dashboard_lands_on_this_year_with_the_demos_figures(client, staff):
    today = timezone.localdate()
    this_year = Acquisition.objects.filter(acquired_on__year=today.year).count()
    last_year = Acquisition.objects.filter(acquired_on__year=today.year - 1).count()
    client.force_login(staff)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="figure-year-to-date">{this_year:,}<' in page
    assert f'id="figure-previous-year">{last_year:,}<' in page and last_year > 5000


def test_the_workbook_agrees_with_the_reports_and_the_dashboard(client, staff):
    client.force_login(staff)
    response = client.get(reverse("reports:workbook"), {"through": "2022-06"})
    with translation.override("id"):
        book = assert_workbook_matches(response.content, scope=scope_for(staff), period=JUNE_2022, viewer=staff)
    figures = [row[1] for row in book.worksheets[0].iter_rows(min_row=11, values_only=True)]
    assert 2336 in figures and 5628 in figures and 549 in figures
    yearly = book["Akuisisi per tahun"]
    assert [row[:3] for row in yearly.iter_rows(min_row=2, max_row=3, values_only=True)] == [
        (2021, 2300, 5628),
        (2022, 2336, 5912),  # January-June 2022, and the whole of 2022 as the demo has it
    ]


def test_the_command_prints_them(demo):
    out = io.StringIO()
    call_command("acquisition_totals", "--branch", "CLP", "--through", "2022-06", stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines()[2:]]
    assert rows[0][:3] == ["2021", "2,300", "5,628"]
    assert rows[1][:3] == ["2022", "2,336", "5,912"] and rows[1][6] == "549"


def test_the_exported_workbook_has_a_sheet_per_report(demo, tmp_path):
    path = tmp_path / "clp.xlsx"
    call_command(
        "export_report", "--branch", "CLP", "--through", "2022-06", "--output", str(path), stdout=io.StringIO()
    )
    book, frames = read_both(path.read_bytes())
    assert len(book.sheetnames) == 25  # summary, charts, plan, months, 19 reports, office minimums, incentives
    agents = frames[book.sheetnames[7]]
    assert agents.iloc[:, 5].sum() == 2336  # every acquisition of the period belongs to one agent
