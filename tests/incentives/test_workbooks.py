"""The statement workbook read back with openpyxl and compared with the functions, number by number."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from incentives.management.commands.incentive_statement import Command
from incentives.statements import agent_statement, incentive_sheet
from incentives.workbooks import write_agent_statement, write_incentive_sheet
from tests.factories import AcquisitionFactory, AgentFactory
from tests.incentives.builders import acquire, pay, scheme_april_2022

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2022, 3, 1)


@pytest.fixture
def month_of_work(branch, office, scheme):
    """Three agents with payments in March 2022 (one late, one credited after a move) and a bonus."""
    ayu, budi, citra = (
        AgentFactory(branch=branch, office=office, full_name=name, code=code)
        for name, code in (("Ayu", "CLP-A001"), ("=Budi", "CLP-A002"), ("Citra", "CLP-A003"))
    )
    for agent, count in ((ayu, 3), (budi, 1)):
        for day in range(1, count + 1):
            acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 1, day))
            pay(acquisition, period=MARCH, paid_on=datetime.date(2022, 3, day), amount=Decimal(16_810))
            pay(acquisition, period=datetime.date(2022, 1, 1), paid_on=datetime.date(2022, 3, 20))  # late
    moved = AcquisitionFactory(agent=budi, caretaker=citra, acquired_on=datetime.date(2022, 1, 9))
    pay(moved, period=MARCH, paid_on=datetime.date(2022, 3, 30))
    acquire(ayu, datetime.date(2022, 3, 15), count=50)
    return ayu, budi, citra


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def test_the_downloaded_sheet_matches_the_sheet_function(staff_client, branch, month_of_work):
    book = download(staff_client, reverse("incentives:index_download"), month="2022-03")
    sheet = incentive_sheet(branch=branch, month=MARCH)
    worksheet = book.worksheets[0]

    headers = [cell.value for cell in worksheet[1]]
    assert headers == [
        "Agent code",
        "Agent",
        "Perisai office",
        "Contributions paid",
        "Amount paid",
        "Fee",
        "New participants",
        "Bonus",
        "Total",
    ]
    rows = list(worksheet.iter_rows(min_row=2, max_row=len(sheet.rows) + 2, values_only=True))
    for values, row in zip(rows, sheet.rows, strict=False):
        incentive = row.incentive
        assert values[0] == row.agent.code
        assert values[3:] == (
            incentive.contributions,
            incentive.contributions_amount,
            incentive.fee,
            incentive.new_participants,
            incentive.bonus,
            incentive.total,
        )
    total = rows[len(sheet.rows)]
    assert total[0] == "Total"
    assert total[3:] == (
        6 + 2 + 1,
        sheet.total.contributions_amount,
        sheet.total.fee,
        50,
        500_000,
        sheet.total.total,
    )
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == f"A1:I{len(sheet.rows) + 1}"  # the total row stays out of the filter
    assert worksheet.cell(row=2, column=5).number_format == '"Rp" #,##0'
    assert worksheet.cell(row=2, column=4).number_format == "#,##0"


def test_each_agents_sheet_matches_their_statement(staff_client, branch, month_of_work):
    book = download(staff_client, reverse("incentives:index_download"), month="2022-03")

    for agent in month_of_work:
        statement = agent_statement(agent=agent, month=MARCH)
        worksheet = book[agent.code]
        lines = list(worksheet.iter_rows(min_row=2, max_row=len(statement.lines) + 1, values_only=True))
        assert [
            (name, period.date(), amount, paid_on.date(), month, rate, channel)
            for name, _kpj, period, amount, paid_on, month, rate, channel in lines
        ] == [
            (
                line.participant,
                line.period,
                line.amount,
                line.paid_on,
                line.membership_month,
                0.075,
                "Collected by agent",
            )
            for line in statement.lines
        ]
        figures = {}
        for row in worksheet.iter_rows(min_row=len(statement.lines) + 3, values_only=True):
            if not row[0]:
                break  # the figures end; the scheme and the new participants follow
            figures[row[0]] = row[3]
        assert figures["Contributions counted"] == statement.incentive.contributions
        assert figures["Amount paid"] == statement.incentive.contributions_amount
        assert figures["Fee rate"] == pytest.approx(0.075)
        assert figures["Fee"] == statement.incentive.fee
        assert figures["New participants"] == statement.incentive.new_participants
        assert figures["Bonus"] == statement.incentive.bonus
        assert figures["Total"] == statement.incentive.total
        assert worksheet.cell(row=2, column=3).number_format == "mmm yyyy"
        assert worksheet.cell(row=2, column=5).number_format == "d mmm yyyy"


def test_the_worked_example_survives_the_round_trip(staff_client, month_of_work):
    ayu, budi, citra = month_of_work
    book = download(staff_client, reverse("incentives:index_download"), month="2022-03")
    by_code = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) if row[0]}

    # Ayu: 3 × 16.810 + 3 × 16.800 = 100.830 → fee 7.562,25 → 7.562; 50 new in March (+3 in January): bonus.
    assert by_code["CLP-A001"][3:] == (6, 100_830, 7_562, 50, 500_000, 507_562)
    # Budi: 16.810 + 16.800 = 33.610 → 2.520,75 → 2.521; Citra: the moved participant's 16.800 → 1.260.
    assert by_code["CLP-A002"][3:] == (2, 33_610, 2_521, 0, 0, 2_521)
    assert by_code["CLP-A003"][3:] == (1, 16_800, 1_260, 0, 0, 1_260)
    assert by_code["CLP-A002"][1] == "'=Budi"  # neutralised: never a formula


def test_the_agents_own_download_is_their_statement(agent_client, agent, scheme):
    pay(AcquisitionFactory(agent=agent), period=MARCH, paid_on=datetime.date(2022, 3, 5))

    book = download(agent_client, reverse("incentives:agent_statement_download", args=[agent.pk]), month="2022-03")

    assert book.sheetnames == [agent.code]
    assert book.worksheets[0].cell(row=2, column=4).value == 16_800


def test_the_writers_fill_a_worksheet_someone_else_made(branch, month_of_work):
    book = Workbook()
    written = write_incentive_sheet(book.active, branch=branch, month=MARCH)
    statement = write_agent_statement(book.create_sheet("Ayu"), agent=month_of_work[0], month=MARCH)

    assert book.active.cell(row=len(written.rows) + 2, column=9).value == written.total.total
    assert book["Ayu"].cell(row=2, column=1).value == statement.lines[0].participant


# The command.


def test_the_command_writes_the_sheet_and_one_sheet_per_agent(tmp_path, branch, month_of_work):
    output = tmp_path / "insentif.xlsx"
    out = io.StringIO()

    call_command("incentive_statement", branch="clp", month="2022-03", output=str(output), stdout=out)

    book = load_workbook(output)
    sheet = incentive_sheet(branch=branch, month=MARCH)
    assert book.sheetnames == [book.sheetnames[0], *(row.agent.code for row in sheet.rows)]
    assert book.worksheets[0].cell(row=len(sheet.rows) + 2, column=9).value == sheet.total.total
    assert "3 agents, total Rp 511.343" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--branch", "XXX", "--month", "2022-03"], "Unknown branch 'XXX'"),
        (["--branch", "CLP", "--month", "2022-13"], "Bad month '2022-13'"),
        (["--branch", "CLP", "--month", "03-2022"], "Bad month '03-2022'"),
    ],
)
def test_bad_arguments_stop_the_command_with_a_message(tmp_path, branch, arguments, message):
    output = tmp_path / "out.xlsx"

    with pytest.raises(CommandError, match=message):
        call_command("incentive_statement", *arguments, "--output", str(output))
    assert not output.exists()


def test_an_unwritable_path_stops_the_command(tmp_path, branch):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("incentive_statement", branch="CLP", month="2022-03", output=str(tmp_path / "no" / "out.xlsx"))


def test_errors_exit_non_zero_from_the_command_line(tmp_path, branch, capsys):
    argv = ["manage.py", "incentive_statement", "--branch", "XXX", "--month", "2022-03", "--output", "x.xlsx"]

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(argv)

    assert exited.value.code == 1
    assert "Unknown branch 'XXX'" in capsys.readouterr().err


def test_a_2022_statement_shows_the_tiers_the_packages_and_each_new_participant(english, branch, office, agent):
    scheme_april_2022()
    old = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2020, 4, 10))  # May 2022 is month 26
    pay(old, period=datetime.date(2022, 5, 1), paid_on=datetime.date(2022, 5, 3))
    for acquisition in acquire(agent, datetime.date(2022, 5, 9), count=25, with_jht=True):
        pay(acquisition, period=datetime.date(2022, 5, 1), paid_on=datetime.date(2022, 5, 9))
    book = Workbook()

    statement = write_agent_statement(book.active, agent=agent, month=datetime.date(2022, 5, 1))

    rows = list(book.active.iter_rows(values_only=True))
    figures = {row[0]: row[3] for row in rows[len(statement.lines) + 2 :] if row[0] and row[3] is not None}
    # 25 × 36.800 = 920.000 at 15% = 138.000 and 16.800 at 5% = 840; 25 × 15.000 = 375.000.
    assert figures["Membership months 1–24 (years 1–2): 15%"] == 920_000
    assert figures["Membership months 25–60 (years 3–5): 5%"] == 16_800
    assert figures["Fee"] == statement.incentive.fee == 138_840
    assert figures["Three programmes (JKK, JKM, JHT): 25 × Rp 15,000"] == 375_000
    assert figures["Fees per new participant"] == 375_000
    assert figures["Total"] == 513_840
    header = next(index for index, row in enumerate(rows) if row[0] == "New participant")
    new = rows[header + 1 : header + 26]
    assert {(row[3], row[4], row[5]) for row in new} == {("Three programmes (JKK, JKM, JHT)", "Yes", 15_000)}
