"""The evaluation workbook: read back with openpyxl and pandas, compared number by number with the
report functions; formats, frozen headers, filters, the chart, languages and neutralised text."""

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from agents.models import User
from incentives.statements import incentive_sheet
from reports.acquisitions import acquisition_summary
from reports.catalogue import REPORTS
from reports.continuity import participant_standing
from reports.periods import Period
from tests.factories import AcquisitionTargetFactory, AgentFactory, CooperationAgreementFactory, UserFactory
from tests.incentives.builders import flat_scheme
from tests.reports.compare import assert_workbook_matches, read_both
from tests.reports.conftest import acquire, leave, pay
from web.reports.workbook import evaluation_workbook, workbook_filename

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def branch_data(cilacap):
    agents = [cilacap["ani"], cilacap["budi"], cilacap["citra"]]
    for number in range(90):
        day = datetime.date(2021 + number % 2, number % 6 + 1, number % 28 + 1)
        acquisition = acquire(agents[number % 3], day)
        if number % 4:
            pay(acquisition, *{(day.year, day.month), (2022, 6)})
    leave(cilacap["budi"], datetime.date(2022, 4, 30))
    AcquisitionTargetFactory(branch=cilacap["branch"], year=2022, target=100)
    AcquisitionTargetFactory(branch=cilacap["branch"], agent=cilacap["ani"], year=2022, target=40)
    CooperationAgreementFactory(
        office=cilacap["north"], starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    return cilacap


def workbook_bytes(scope, period, language):
    buffer = io.BytesIO()
    evaluation_workbook(scope=scope, period=period, language=language, today=TODAY).save(buffer)
    return buffer.getvalue()


def test_every_sheet_agrees_with_its_report_by_openpyxl_and_pandas(branch_data):
    content = workbook_bytes(branch_data["scope"], JUNE_2022, "en")
    with translation.override("en"):
        book = assert_workbook_matches(content, scope=branch_data["scope"], period=JUNE_2022)
        reports = [str(report.title) for report in REPORTS.values() if report.in_workbook]
    assert book.sheetnames[0] == "Summary"
    assert book.sheetnames[1:] == ["Charts", "Plan", "Target by month", *reports, "Office minimums", "Incentives"]


def test_a_branch_workbook_carries_the_incentive_sheet_of_the_periods_last_month(branch_data):
    scheme = flat_scheme(
        name="Insentif",
        effective_from=datetime.date(2021, 1, 1),
        rate=Decimal("0.0750"),
        acquisition_minimum=50,
        bonus_amount=Decimal(500_000),
    )
    book, _frames = read_both(workbook_bytes(branch_data["scope"], JUNE_2022, "en"))
    expected = incentive_sheet(branch=branch_data["branch"], month=datetime.date(2022, 6, 1))
    assert expected.scheme == scheme and expected.total.contributions > 0
    values = [cell for row in book["Incentives"].iter_rows(values_only=True) for cell in row]
    assert expected.total.fee in values and expected.total.total in values


def test_the_summary_reads_the_same_figures(branch_data):
    content = workbook_bytes(branch_data["scope"], JUNE_2022, "en")
    book, frames = read_both(content)
    summary = acquisition_summary(scope=branch_data["scope"], period=JUNE_2022)
    standing = participant_standing(scope=branch_data["scope"], period=JUNE_2022)
    sheet = book["Summary"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    beside = {row[0]: row[2:4] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert sheet["A1"].value == "Perisai Evaluation Report — Cilacap — January–June 2022"
    assert sheet["B2"].value == datetime.datetime(2026, 11, 26)
    assert figures["Acquisitions January–June 2022"] == summary.year_to_date == 45
    assert beside["Acquisitions January–June 2022"] == (summary.previous_year_to_date, 0) == (45, 0)
    assert figures["Acquisitions in the whole of 2021"] == summary.previous_full_year
    assert figures["Acquisitions a month needed to beat 2021"] == summary.pace_needed == 1
    assert figures["Projection for 2022 at this pace"] == summary.projection
    assert figures["Target for 2022"] == 100 and figures["Share of the target achieved"] == pytest.approx(0.45)
    assert figures["Participants lapsed on 30 June 2022"] == standing.lapsed
    sentences = [row[0] for row in sheet.iter_rows(min_row=5, max_row=9, values_only=True)]
    assert sentences[0] == (
        "In January–June 2022, 45 workers were acquired: as many as in the same months of 2021 (45)."
    )
    assert "1 acquisitions a month are needed from July" in sentences[1]


def test_formats_frozen_headers_filters_and_widths(branch_data):
    book, _frames = read_both(workbook_bytes(branch_data["scope"], JUNE_2022, "en"))
    for sheet in book.worksheets[3:-1]:  # the report sheets; charts, plan and incentives have their own layout
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert sheet["A1"].font.bold
        assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABC")
    agents = book["By agent"]
    header = [cell.value for cell in agents[1]]
    assert agents.cell(row=2, column=header.index("Acquisitions") + 1).number_format == "#,##0"
    assert agents.cell(row=2, column=header.index("Share of total (%)") + 1).number_format == "0.0%"
    assert agents.cell(row=2, column=header.index("Joined on") + 1).number_format == "d mmm yyyy"
    assert agents.cell(row=2, column=header.index("Joined on") + 1).is_date
    yearly = book["Acquisitions by year"]
    assert yearly["A2"].number_format == "0" and yearly["D3"].number_format == "+0.0%;-0.0%;0.0%"


def _charts(content):
    """The charts' XML, in the order they stand on the charts sheet."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(
            (name for name in archive.namelist() if name.startswith("xl/charts/chart")),
            key=lambda name: int(re.search(r"(\d+)\.xml$", name).group(1)),
        )
        return [archive.read(name).decode() for name in names]


def test_the_charts_a_meeting_expects_are_native_charts_of_their_sheets_cells_each_on_its_own_page(branch_data):
    content = workbook_bytes(branch_data["scope"], JUNE_2022, "en")
    book = load_workbook(io.BytesIO(content))

    assert book.sheetnames[:2] == ["Summary", "Charts"]
    month, pace, offices, continuity = _charts(content)
    assert "<barChart>" in month and '<barDir val="col" />' in month
    assert "'Acquisitions by month'!$A$2:$A$13" in month
    assert "'Acquisitions by month'!$B$2:$B$13" in month and "'Acquisitions by month'!$C$2:$C$13" in month
    assert "<lineChart>" in pace and "'Acquisitions by month'!$E$2:$E$13" in pace and "$F$2:$F$13" in pace
    assert '<barDir val="bar" />' in offices and "'By Perisai office'!$B$2:$B$3" in offices
    assert "'Contribution continuity'!$F$" in continuity
    assert "The year's pace: acquisitions since January, 2022 against 2021" in pace
    charts_sheet = book["Charts"]
    assert [anchor._from.row for anchor in (chart.anchor for chart in charts_sheet._charts)] == [0, 30, 60, 90]
    assert [page_break.id for page_break in charts_sheet.row_breaks.brk] == [29, 59, 89]


def test_headers_and_words_in_indonesian_by_default_and_english_on_request(branch_data):
    scope = branch_data["scope"]
    indonesian, _frames = read_both(workbook_bytes(scope, JUNE_2022, "id"))
    with translation.override("id"):
        assert indonesian.sheetnames[0] == _("Summary")
        assert indonesian.worksheets[0]["A1"].value == workbook_filename(scope=scope, period=JUNE_2022)[:-5]
        assert "Januari–Juni 2022" in indonesian.worksheets[0]["A1"].value
        assert indonesian.sheetnames[1] == _("Charts")
        assert [cell.value for cell in indonesian.worksheets[4][1]] == REPORTS["yearly"].table(
            scope=scope, period=JUNE_2022
        ).headers
    with translation.override("en"):
        assert workbook_filename(scope=scope, period=JUNE_2022) == (
            "Perisai Evaluation Report — Cilacap — January–June 2022.xlsx"
        )


def test_text_that_looks_like_a_formula_stays_text(branch_data):
    AgentFactory(
        branch=branch_data["branch"],
        office=branch_data["north"],
        full_name='=HYPERLINK("http://evil.example","klik")',
        code="-EVIL",
        joined_on=datetime.date(2021, 1, 1),
    )
    book, _frames = read_both(workbook_bytes(branch_data["scope"], JUNE_2022, "en"))
    agents = [row for row in book["By agent"].iter_rows(values_only=True) if row[1] == "'-EVIL"]
    assert agents and agents[0][2] == '\'=HYPERLINK("http://evil.example","klik")'
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_the_download_is_named_for_the_branch_and_period_in_the_users_language(branch_data, client, in_english):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=branch_data["branch"]))
    response = client.get(reverse("reports:workbook"), {"through": "2022-06"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Perisai%20Evaluation%20Report%20%E2%80%94%20Cilacap%20%E2%80%94%20"
        "January%E2%80%93June%202022.xlsx"
    )
    read_both(response.content)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(branch_data, tmp_path):
    path = tmp_path / "evaluation.xlsx"
    path.write_bytes(workbook_bytes(branch_data["scope"], JUNE_2022, "en"))
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    summary = (tmp_path / "evaluation.csv").read_text(encoding="utf-8", errors="replace")
    assert "Perisai Evaluation Report" in summary and "45" in summary
