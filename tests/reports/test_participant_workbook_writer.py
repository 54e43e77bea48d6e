"""The participant workbook written by XlsxWriter reads back as the openpyxl one did: header, formats, text."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from reports.exports import COLUMN_WIDTHS, participant_columns, write_participant_workbook
from reports.periods import Period
from tests.factories import ParticipantFactory
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)


@pytest.fixture
def workbook(cilacap, english):
    """Two participants: one whose details look like a link, a number and a formula, one never paid."""
    odd = ParticipantFactory(
        branch=cilacap["branch"], full_name="http://example.com", desa="0012", kecamatan="-Kroya", kpj_number=None
    )
    pay(acquire(cilacap["ani"], datetime.date(2022, 2, 1), participant=odd), (2022, 2), (2022, 3))
    acquire(cilacap["citra"], datetime.date(2022, 5, 9))
    buffer = io.BytesIO()
    assert write_participant_workbook(buffer, scope=cilacap["scope"], period=JUNE_2022) == 2
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_the_sheet_keeps_its_name_header_widths_and_frozen_filtered_first_row(workbook):
    assert workbook.sheetnames == ["Participants"]
    sheet = workbook["Participants"]
    header = sheet[1]
    assert [cell.value for cell in header] == [str(column.label) for column in participant_columns()]
    assert all(cell.font.b and cell.font.color.rgb.endswith("FFFFFF") for cell in header)
    assert all(cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("0B6E4F") for cell in header)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:U3"
    widths = {}  # a run of columns of one width is one <col> element
    for dimension in sheet.column_dimensions.values():
        widths.update(dict.fromkeys(range(dimension.min, dimension.max + 1), dimension.width))
    for index, column in enumerate(participant_columns(), start=1):
        assert 0 <= widths[index] - COLUMN_WIDTHS.get(column.kind, 12) < 1, column.label  # characters, and padding


def test_text_stays_text_whatever_it_looks_like(workbook):
    sheet = workbook["Participants"]
    header = [cell.value for cell in sheet[1]]
    row = {label: cell for label, cell in zip(header, sheet[2], strict=True)}
    assert row["Participant"].value == "http://example.com" and row["Participant"].hyperlink is None
    assert row["Desa/kelurahan"].value == "0012" and row["Desa/kelurahan"].data_type == "s"
    assert row["Kecamatan"].value == "'-Kroya"  # neutralised: never a formula
    assert row["KPJ number"].value is None  # no value: a blank cell
    assert row["Monthly contribution"].number_format == '"Rp" #,##0'
    assert row["Last month paid"].value == datetime.datetime(2022, 3, 1)
    assert row["Last month paid"].number_format == "mmm yyyy"
    assert row["Birth date"].number_format == "yyyy-mm-dd" and isinstance(row["Birth date"].value, datetime.datetime)
    assert row["Months paid"].value == 2 and row["Times acquired"].value == 1
    never_paid = {label: cell.value for label, cell in zip(header, sheet[3], strict=True)}
    assert never_paid["Last month paid"] is None and never_paid["Lapsed on"] is None


def test_a_background_job_hears_the_rows_written_after_each_batch(cilacap):
    for day in range(1, 6):
        acquire(cilacap["ani"], datetime.date(2022, 3, day))
    heard = []

    written = write_participant_workbook(
        io.BytesIO(), scope=cilacap["scope"], period=JUNE_2022, batch_size=2, progress=heard.append
    )

    assert written == 5 and heard == [2, 4]  # the job's own last call says 5 of 5
