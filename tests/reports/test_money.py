"""The money view: Rupiah collected by month, office and agent against last year, the participants'
JHT and declared income, new against returning participants; on the dashboard, the pages, the CSV
files and the workbook."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import User
from agents.scoping import Scope
from enrollment.models import Contribution
from reports.acquisitions import acquisition_summary
from reports.continuity import participant_standing
from reports.money import (
    collected_by_agent,
    collected_by_month,
    collected_by_office,
    collected_summary,
    money_summary,
    new_and_returning,
    participant_cover,
)
from reports.periods import Period
from tests.factories import ContributionFactory, UserFactory
from tests.reports.conftest import acquire
from web.reports.workbook import evaluation_workbook

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
Channel = Contribution.Channel


def paid(acquisition, month, paid_on, amount, *, channel=Channel.AGENT, credited_to=None):
    """A contribution of ``amount`` for ``month`` (year, month), paid on ``paid_on``."""
    return ContributionFactory(
        acquisition=acquisition,
        period=datetime.date(*month, 1),
        paid_on=paid_on,
        amount=Decimal(amount),
        channel=channel,
        credited_to=credited_to,
    )


def agent_scope(agent):
    return Scope(branch=agent.branch, office=agent.office, agent=agent)


# --- collected ----------------------------------------------------------------------------------


def test_a_contribution_counts_in_the_month_it_was_paid_through_any_channel(cilacap):
    acquisition = acquire(cilacap["ani"], datetime.date(2021, 1, 10))
    paid(acquisition, (2021, 1), datetime.date(2021, 1, 10), 10_000)
    paid(acquisition, (2021, 7), datetime.date(2021, 7, 5), 320_000)  # last year, after the same months
    paid(acquisition, (2022, 2), datetime.date(2022, 3, 2), 20_000, channel=Channel.BANK)  # February's, paid in March
    paid(acquisition, (2022, 3), datetime.date(2022, 3, 31), 40_000, channel=Channel.ONLINE)
    paid(acquisition, (2022, 4), datetime.date(2022, 4, 30), 80_000, channel=Channel.PAYMENT_POINT)
    paid(acquisition, (2022, 6), datetime.date(2022, 7, 1), 160_000, channel=Channel.OTHER)  # after the period

    rows = collected_by_month(scope=cilacap["scope"], period=JUNE_2022)
    months = {row.month.month: row for row in rows}
    summary = collected_summary(scope=cilacap["scope"], period=JUNE_2022)

    assert [months[month].this_year for month in range(1, 7)] == [0, 0, 60_000, 80_000, 0, 0]
    assert [months[month].last_year for month in (1, 2, 7)] == [10_000, 0, 320_000]
    assert months[7].this_year is None and months[7].change is None
    assert (months[6].this_year_cumulative, months[6].last_year_cumulative) == (140_000, 10_000)
    assert months[12].last_year_cumulative == 330_000
    assert (summary.amount, summary.previous, summary.change) == (140_000, 10_000, Decimal("1300.0"))
    assert money_summary(scope=cilacap["scope"], period=JUNE_2022, months=rows).collected == summary  # the page's


def test_by_office_is_the_acquisitions_office_and_by_agent_the_agent_credited(cilacap):
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    north = acquire(ani, datetime.date(2021, 5, 3))
    paid(north, (2021, 6), datetime.date(2021, 6, 5), 5_000)  # no credit recorded: the caretaker, Ani
    paid(north, (2022, 2), datetime.date(2022, 2, 5), 30_000, credited_to=citra)
    moved = acquire(budi, datetime.date(2021, 8, 1), caretaker=citra)  # Citra looks after Budi's worker now
    paid(moved, (2022, 1), datetime.date(2022, 1, 20), 50_000)
    south = acquire(citra, datetime.date(2022, 1, 15))
    paid(south, (2022, 1), datetime.date(2022, 1, 15), 20_000, credited_to=citra)

    offices = collected_by_office(scope=cilacap["scope"], period=JUNE_2022)
    agents = collected_by_agent(scope=cilacap["scope"], period=JUNE_2022)

    assert [(row.code, row.collected, row.previous, row.change, row.share) for row in offices] == [
        ("CLP-N", 80_000, 5_000, Decimal("1500.0"), Decimal("80.0")),
        ("CLP-S", 20_000, 0, None, Decimal("20.0")),
    ]
    assert [(row.code, row.collected, row.previous, row.change, row.share) for row in agents] == [
        ("CITRA", 100_000, 0, None, Decimal("100.0")),
        ("ANI", 0, 5_000, Decimal("-100.0"), Decimal("0.0")),
        ("BUDI", 0, 0, None, Decimal("0.0")),
    ]
    south_office = Scope(branch=cilacap["branch"], office=cilacap["south"])
    assert collected_summary(scope=south_office, period=JUNE_2022).amount == 20_000
    assert collected_summary(scope=agent_scope(citra), period=JUNE_2022).amount == 100_000
    assert [row.collected for row in collected_by_office(scope=agent_scope(citra), period=JUNE_2022)] == [
        80_000,
        20_000,
    ]
    assert collected_summary(scope=agent_scope(ani), period=JUNE_2022).previous == 5_000
    assert [row.code for row in collected_by_agent(scope=agent_scope(ani), period=JUNE_2022)] == ["ANI"]


def test_another_branchs_money_never_appears(cilacap, banyumas):
    acquisition = acquire(cilacap["ani"], datetime.date(2022, 2, 1))
    paid(acquisition, (2022, 2), datetime.date(2022, 2, 1), 10_000)
    scope = cilacap["scope"]

    assert collected_summary(scope=scope, period=JUNE_2022).amount == 10_000
    assert collected_summary(scope=scope, period=JUNE_2022).previous == 0
    assert sum(row.this_year or 0 for row in collected_by_month(scope=scope, period=JUNE_2022)) == 10_000
    assert {row.code for row in collected_by_office(scope=scope, period=JUNE_2022)} == {"CLP-N", "CLP-S"}
    assert {row.code for row in collected_by_agent(scope=scope, period=JUNE_2022)} == {"ANI", "BUDI", "CITRA"}
    assert participant_cover(scope=scope, period=JUNE_2022).participants == 1
    assert new_and_returning(scope=scope, period=JUNE_2022).this_year.acquisitions == 1
    # Banyumas paid the minimum package (Rp 16.800) in March 2021, March 2022 and June 2022.
    assert collected_summary(scope=banyumas["scope"], period=JUNE_2022).amount == 33_600
    national = collected_summary(scope=Scope(), period=JUNE_2022)
    assert (national.amount, national.previous) == (43_600, 16_800)


# --- participants: JHT, declared income, new or returning ---------------------------------------


def test_jht_and_declared_income_are_of_the_participants_standing_at_the_period_end(cilacap):
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    first = acquire(ani, datetime.date(2021, 2, 1), lapsed_on=datetime.date(2021, 6, 1), declared_income=1_000_000)
    acquire(budi, datetime.date(2022, 3, 1), participant=first.participant, declared_income=2_000_001, with_jht=True)
    lapsed = acquire(citra, datetime.date(2021, 9, 1), lapsed_on=datetime.date(2022, 1, 31), declared_income=1_500_000)
    acquire(ani, datetime.date(2022, 7, 1), declared_income=5_000_000, with_jht=True)  # after the period
    acquire(citra, datetime.date(2022, 8, 1), participant=lapsed.participant, with_jht=True)  # after it too

    cover = participant_cover(scope=cilacap["scope"], period=JUNE_2022)

    assert (cover.participants, cover.with_jht, cover.jht_share) == (2, 1, Decimal("50.0"))
    assert cover.average_income == Decimal(1_750_001)  # (2.000.001 + 1.500.000) / 2 = 1.750.000,5: half up
    assert cover.participants == participant_standing(scope=cilacap["scope"], period=JUNE_2022).total
    offices = {row.code: row for row in collected_by_office(scope=cilacap["scope"], period=JUNE_2022)}
    assert (offices["CLP-N"].participants, offices["CLP-N"].jht_share, offices["CLP-N"].average_income) == (
        1,
        Decimal("100.0"),
        Decimal(2_000_001),
    )
    assert (offices["CLP-S"].participants, offices["CLP-S"].jht_share, offices["CLP-S"].average_income) == (
        1,
        Decimal("0.0"),
        Decimal(1_500_000),
    )


def test_no_participants_means_no_share_and_no_average(cilacap):
    cover = participant_cover(scope=cilacap["scope"], period=JUNE_2022)
    assert (cover.participants, cover.jht_share, cover.average_income) == (0, None, None)


def test_returning_workers_are_counted_apart_and_new_plus_returning_is_the_headline(cilacap):
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    first = acquire(ani, datetime.date(2021, 2, 1), lapsed_on=datetime.date(2021, 4, 30))
    acquire(ani, datetime.date(2022, 3, 1), participant=first.participant)  # returning in 2022
    acquire(budi, datetime.date(2022, 2, 1))  # new in 2022
    once = acquire(citra, datetime.date(2021, 1, 5), lapsed_on=datetime.date(2021, 3, 31))
    acquire(citra, datetime.date(2021, 5, 10), participant=once.participant)  # returning in 2021
    acquire(citra, datetime.date(2021, 9, 1))  # new, after the same months of 2021

    acquired = new_and_returning(scope=cilacap["scope"], period=JUNE_2022)
    headline = acquisition_summary(scope=cilacap["scope"], period=JUNE_2022)

    assert (acquired.this_year.new, acquired.this_year.returning, acquired.this_year.returning_share) == (
        1,
        1,
        Decimal("50.0"),
    )
    assert (acquired.last_year.new, acquired.last_year.returning) == (2, 1)
    assert acquired.this_year.acquisitions == headline.year_to_date == 2
    assert acquired.last_year.acquisitions == headline.previous_year_to_date == 3
    assert acquired.new_change == Decimal("-50.0")  # the headline fell by a third, new participants by half


def test_a_worker_first_enrolled_in_another_branch_returns_rather_than_being_new(cilacap, banyumas):
    earlier = acquire(banyumas["agent"], datetime.date(2021, 8, 1), lapsed_on=datetime.date(2021, 12, 1))
    acquire(cilacap["ani"], datetime.date(2022, 2, 1), participant=earlier.participant)

    acquired = new_and_returning(scope=cilacap["scope"], period=JUNE_2022)

    assert (acquired.this_year.new, acquired.this_year.returning) == (0, 1)


def test_a_worker_enrolled_again_on_the_same_day_is_new_once_and_returning_once(cilacap):
    day = datetime.date(2022, 4, 4)
    first = acquire(cilacap["ani"], day, lapsed_on=day)
    acquire(cilacap["ani"], day, participant=first.participant)

    acquired = new_and_returning(scope=cilacap["scope"], period=JUNE_2022)

    assert (acquired.this_year.new, acquired.this_year.returning) == (1, 1)
    assert participant_cover(scope=cilacap["scope"], period=JUNE_2022).participants == 1


# --- a fixed number of queries ------------------------------------------------------------------


def some_payments(cilacap, count):
    agents = [cilacap["ani"], cilacap["budi"], cilacap["citra"]]
    for number in range(count):
        day = datetime.date(2021 + number % 2, number % 6 + 1, number % 27 + 1)
        acquisition = acquire(agents[number % 3], day, with_jht=bool(number % 2))
        paid(acquisition, (day.year, day.month), day, 16_800 + number, credited_to=agents[(number + 1) % 3])


@pytest.mark.parametrize("count", [3, 40])
def test_each_figure_takes_the_same_few_queries_however_much_was_paid(cilacap, django_assert_num_queries, count):
    some_payments(cilacap, count)
    figures = (
        (collected_summary, 1),
        (collected_by_month, 1),
        (participant_cover, 1),
        (new_and_returning, 1),
        (collected_by_office, 3),
        (collected_by_agent, 2),
    )
    for scope in (cilacap["scope"], agent_scope(cilacap["ani"]), Scope()):
        for function, queries in figures:
            with django_assert_num_queries(queries):
                function(scope=scope, period=JUNE_2022)


def test_the_offices_and_the_agents_add_up_to_the_total(cilacap):
    some_payments(cilacap, 40)
    scope = cilacap["scope"]
    total = collected_summary(scope=scope, period=JUNE_2022)
    offices = collected_by_office(scope=scope, period=JUNE_2022)
    agents = collected_by_agent(scope=scope, period=JUNE_2022)

    assert total.amount > 0 and total.previous > 0
    assert sum(row.collected for row in offices) == sum(row.collected for row in agents) == total.amount
    assert sum(row.previous for row in offices) == sum(row.previous for row in agents) == total.previous
    assert sum(row.participants for row in offices) == participant_cover(scope=scope, period=JUNE_2022).participants


# --- the dashboard, the pages, the CSV files, the workbook ---------------------------------------


@pytest.fixture
def money(cilacap):
    """2022 through June: Rp 100.000 collected against Rp 10.000 in the same months of 2021; on 30 June
    two participants, one with JHT (Rp 2.000.000 declared) and one without (Rp 1.000.000); one new
    participant and one returning."""
    ani, citra = cilacap["ani"], cilacap["citra"]
    first = acquire(ani, datetime.date(2021, 2, 1), lapsed_on=datetime.date(2021, 4, 30))
    paid(first, (2021, 2), datetime.date(2021, 2, 1), 10_000)
    again = acquire(
        ani, datetime.date(2022, 3, 1), participant=first.participant, declared_income=2_000_000, with_jht=True
    )
    paid(again, (2022, 3), datetime.date(2022, 3, 1), 40_000)
    paid(again, (2022, 4), datetime.date(2022, 4, 10), 40_000, channel=Channel.BANK)
    new = acquire(citra, datetime.date(2022, 2, 1))
    paid(new, (2022, 2), datetime.date(2022, 2, 1), 20_000, channel=Channel.ONLINE)
    return cilacap


@pytest.fixture
def staff_client(client, money, in_english):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=money["branch"]))
    return client


def test_the_dashboard_card_shows_the_money_collected_and_leads_to_the_cover_and_the_new_participants(staff_client):
    content = staff_client.get("/", {"through": "2022-06"}).content.decode()

    assert 'id="money-heading">Contributions collected<' in content
    assert 'id="money-collected">Rp\u00a0100,000<' in content
    assert "January–June 2021: Rp\u00a010,000" in content and "+900.0%" in content
    assert reverse("reports:report", args=["collected"]) + "?through=2022-06" in content
    assert reverse("reports:report", args=["new-returning"]) + "?through=2022-06" in content


def test_the_collected_page_shows_the_figures_and_the_months_in_rupiah(staff_client):
    response = staff_client.get(reverse("reports:report", args=["collected"]), {"through": "2022-06"})
    content = response.content.decode()

    assert response.status_code == 200
    assert 'id="money-collected">Rp\u00a0100,000<' in content and 'id="money-new">1<' in content
    march = response.context["table"].rows[2]
    assert (march.this_year, march.last_year, march.this_year_cumulative) == (40_000, 0, 60_000)
    assert "<td>March</td>" in content and "Rp\u00a060,000" in content


def csv_rows(client, slug):
    response = client.get(reverse("reports:report_csv", args=[slug]), {"through": "2022-06"})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_files_have_plain_amounts(staff_client, money):
    header, *months = csv_rows(staff_client, "collected")
    assert header == ["Month", "2022", "2021", "Change (%)", "2022 since January", "2021 since January"]
    assert months[1] == ["February", "20000", "10000", "100.0", "20000", "10000"]
    assert months[6] == ["July", "", "0", "", "", "10000"]

    header, *offices = csv_rows(staff_client, "collected-offices")
    assert header[2:] == [
        "Collected",
        "Same period last year",
        "Change (%)",
        "Share of total (%)",
        "Participants on 30 June 2022",
        "With JHT (%)",
        "Average declared income",
    ]
    assert offices[0][0] == "CLP-N" and offices[0][2:] == ["80000", "10000", "700.0", "80.0", "1", "100.0", "2000000"]

    header, *agents = csv_rows(staff_client, "collected-agents")
    north, south = money["north"].name, money["south"].name
    assert [row[:7] for row in agents] == [
        ["ANI", "Ani", north, "80000", "10000", "700.0", "80.0"],
        ["CITRA", "Citra", south, "20000", "0", "", "20.0"],
        ["BUDI", "Budi", north, "0", "0", "", "0.0"],
    ]

    header, *years = csv_rows(staff_client, "new-returning")
    assert header == [
        "Year",
        "Acquisitions January–June",
        "New participants",
        "Returning (acquired again)",
        "Returning (%)",
    ]
    assert years == [["2022", "2", "1", "1", "50.0"], ["2021", "1", "1", "0", "0.0"]]


def test_the_workbook_has_the_money_sheets_in_rupiah_and_the_summary_states_them(money):
    buffer = io.BytesIO()
    evaluation_workbook(scope=money["scope"], period=JUNE_2022, language="en", today=datetime.date(2022, 7, 15)).save(
        buffer
    )
    book = load_workbook(io.BytesIO(buffer.getvalue()))

    months = book["Contributions collected"]
    assert [cell.value for cell in months[4]] == ["March", 40_000, 0, None, 60_000, 10_000]
    assert months["B4"].number_format == months["F4"].number_format == '"Rp" #,##0'
    offices = {row[0]: row for row in book["Contributions by office"].iter_rows(min_row=2, values_only=True)}
    assert offices["CLP-N"][2:] == (80_000, 10_000, 7, 0.8, 1, 1, 2_000_000)
    assert offices["CLP-S"][2:] == (20_000, 0, None, 0.2, 1, 0, 1_000_000)
    assert book["Contributions by agent"]["D2"].value == 80_000
    assert list(book["New and returning participants"].iter_rows(min_row=2, values_only=True)) == [
        (2022, 2, 1, 1, 0.5),
        (2021, 1, 1, 0, 0),
    ]

    summary = book["Summary"]
    figures = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True) if row[0]}
    beside = {row[0]: row[2:4] for row in summary.iter_rows(min_row=2, values_only=True) if row[0]}
    assert figures["Contributions collected January–June 2022"] == 100_000
    assert beside["Contributions collected January–June 2022"] == (10_000, 9)  # January–June 2021, change
    assert figures["Share of participants with JHT on 30 June 2022"] == 0.5
    assert figures["Average declared income of the participants on 30 June 2022"] == 1_500_000
    assert figures["New participants January–June 2022"] == 1
    assert figures["Returning participants (acquired again) January–June 2022"] == 1
    assert figures["Acquisitions January–June 2022"] == 2  # new + returning
    assert (
        "Rp\u00a0100,000 was collected in contributions in January–June 2022: 900.0% more than in the same "
        "months of 2021 (Rp\u00a010,000)."
    ) in figures
    assert (
        "On 30 June 2022, 50.0% of the 2 participants had JHT; their average declared income was "
        "Rp\u00a01,500,000 a month."
    ) in figures
    assert any(
        str(text).startswith("Of the 2 workers acquired, 1 were new participants and 1 returning") for text in figures
    )
