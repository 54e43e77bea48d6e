"""``export_report`` and ``acquisition_totals``: the same figures from the command line, clear errors."""

import datetime
import io
from copy import copy as shallow_copy

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation
from openpyxl import load_workbook

from enrollment.models import Acquisition
from reports.periods import Period
from tests.reports.compare import assert_workbook_matches
from tests.reports.conftest import acquire
from web.reports.workbook import workbook_filename

pytestmark = pytest.mark.django_db


@pytest.fixture
def acquisitions(cilacap):
    for day in [datetime.date(2021, 3, 1)] * 3 + [datetime.date(2022, 2, 1)] * 2:
        acquire(cilacap["ani"], day)
    one = acquire(cilacap["ani"], datetime.date(2021, 11, 1), lapsed_on=datetime.date(2022, 2, 1))
    Acquisition.objects.bulk_create([_clone(one) for _ in range(1199)])  # lapsed: one worker, many times
    return cilacap


def _clone(acquisition):
    clone = shallow_copy(acquisition)
    clone.pk = None
    return clone


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_report_writes_the_workbook(acquisitions, tmp_path):
    path = tmp_path / "laporan.xlsx"
    output = run("export_report", "--branch", "CLP", "--year", "2022", "--through", "2022-06", "--output", str(path))
    assert f"Wrote {path}" in output
    with translation.override("id"):
        assert_workbook_matches(path.read_bytes(), scope=acquisitions["scope"], period=Period(2022, 6))


def test_export_report_names_the_file_itself_in_a_directory_and_speaks_english_when_asked(acquisitions, tmp_path):
    run("export_report", "--branch", "CLP", "--through", "2022-03", "--output", str(tmp_path), "--language", "en")
    with translation.override("en"):
        name = workbook_filename(scope=acquisitions["scope"], period=Period(2022, 3))
    assert name == "Perisai Evaluation Report — Cilacap — January–March 2022.xlsx"
    assert load_workbook(tmp_path / name).sheetnames[0] == "Summary"


def test_a_year_alone_is_the_whole_year(acquisitions, tmp_path):
    run(
        "export_report",
        "--branch",
        "CLP",
        "--year",
        "2021",
        "--output",
        str(tmp_path / "2021.xlsx"),
        "--language",
        "en",
    )
    summary = load_workbook(tmp_path / "2021.xlsx")["Summary"]
    assert summary["A1"].value.endswith("January–December 2021")


def test_acquisition_totals_prints_the_yearly_table(acquisitions):
    output = run("acquisition_totals", "--branch", "CLP", "--through", "2022-06")
    lines = output.splitlines()
    assert lines[0] == "Acquisitions of branch Cilacap (CLP), through 2022-06"
    assert lines[1].split() == [
        "Year",
        "Jan-Jun",
        "Full",
        "year",
        "vs",
        "same",
        "of",
        "prev",
        "year",
        "Pace/month",
        "Needed/month",
        "Projection",
    ]
    assert lines[2].split() == ["2021", "3", "1,203", "—", "—", "1", "—", "6"]
    assert lines[3].split() == ["2022", "2", "2", "-33.3%", "0.2%", "0", "201", "4"]  # ceil(1,202 / 6) = 201


def test_acquisition_totals_defaults_to_the_latest_month(acquisitions):
    assert "through 2022-02" in run("acquisition_totals", "--branch", "CLP")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["acquisition_totals", "--branch", "XYZ"], "Unknown branch 'XYZ'. Branch codes: CLP."),
        (["acquisition_totals", "--branch", "CLP", "--through", "2022-13"], "The month must be between 1 and 12."),
        (["acquisition_totals", "--branch", "CLP", "--through", "June"], "Give the year as YYYY"),
        (["export_report", "--branch", "XYZ", "--output", "x.xlsx"], "Unknown branch 'XYZ'"),
        (["export_report", "--branch", "CLP", "--year", "22", "--output", "x.xlsx"], "The year must be between"),
        (
            ["export_report", "--branch", "CLP", "--year", "2021", "--through", "2022-06", "--output", "x.xlsx"],
            "The month must fall in the year chosen (2021).",
        ),
        (["export_report", "--branch", "CLP", "--output", "report.pdf"], "The output file must end in .xlsx"),
        (
            ["export_report", "--branch", "CLP", "--output", "/no/such/folder/x.xlsx"],
            "Cannot write /no/such/folder/x.xlsx",
        ),
    ],
)
def test_mistakes_are_clear_errors(acquisitions, english, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        run(*args)


def test_an_unwritable_path_is_a_clear_error(acquisitions, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot write .*a-file/x.xlsx: Not a directory"):
        run("export_report", "--branch", "CLP", "--output", str(tmp_path / "a-file" / "x.xlsx"))


def test_a_failing_command_exits_non_zero_with_the_message(acquisitions, english, capsys):
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", "acquisition_totals", "--branch", "XYZ"]).execute()
    assert exit.value.code == 1
    assert "CommandError: Unknown branch 'XYZ'" in capsys.readouterr().err
