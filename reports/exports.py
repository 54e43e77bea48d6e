"""CSV files of the reports, and the full participant list as CSV or Excel.

CSV files are UTF-8 with a byte-order mark, so Excel opens them with the right characters; numbers
are plain (no thousands separators, a point before decimals, percentages as numbers of percent),
dates ISO (2022-06-30), months 2022-06. Every text cell goes through ``neutralise``.

Each CSV comes in two forms (``CsvForm``): the usual one, commas between cells and a decimal point,
and the one Excel opens directly on a computer set up for Indonesia, whose list separator is the
semicolon and whose decimal separator is the comma (``SEMICOLON``): opened there, the usual form puts
each row in one cell and does not read 12.5 as twelve and a half. Only the separators differ; the cells are the same.

The participant list can run to hundreds of thousands of rows, so it is read in batches by primary
key (one query per batch, never the whole table in memory; the next batch is read in a worker thread
while this one is written, ``perisai.read_ahead``) and written as it is read: the CSV
streams to the browser, the workbook is built in openpyxl's write-only mode into a temporary file
on disk that is then streamed. NIKs are masked and phone numbers shown as the user downloading
may see them (``perisai.privacy``).
"""

import csv
import datetime
import operator
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from enrollment.models import Acquisition, Occupation
from enrollment.paying import standing_acquisitions
from perisai.nik import Gender
from perisai.privacy import columns_for, mask_nik
from perisai.read_ahead import read_ahead
from perisai.spreadsheets import neutralise
from reports import catalogue
from reports.catalogue import Column

BYTE_ORDER_MARK = "\ufeff"
FIRST_BATCH_SIZE = 1_000  # a small first batch, so writing (or the download) starts without waiting long
BATCH_SIZE = 10_000  # rows a query: each batch re-checks the paying window, so fewer, larger batches; memory stays flat


@dataclass(frozen=True)
class CsvForm:
    """How a CSV file separates its cells and writes the decimals of a number that is not whole."""

    delimiter: str
    decimal: str


COMMA = CsvForm(delimiter=",", decimal=".")
SEMICOLON = CsvForm(delimiter=";", decimal=",")
CSV_FORMS = {"comma": COMMA, "semicolon": SEMICOLON}
"""The forms by the name a download asks for (``?sep=semicolon``); anything else is the usual ``COMMA``."""


def csv_form(name):
    return CSV_FORMS.get(name, COMMA)


def csv_value(value, kind, form=COMMA):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if kind == catalogue.MONTH:
        return value.strftime("%Y-%m")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value).replace(".", form.decimal)
    return str(value)


class _Echo:
    """A file-like object whose ``write`` hands the line back, so ``csv.writer`` can feed a stream."""

    def write(self, value):
        return value


def csv_lines(headers, columns, value_rows, form=COMMA):
    """The lines of a CSV file in ``form``: the byte-order mark and the header first, one line per row."""
    writer = csv.writer(_Echo(), delimiter=form.delimiter)
    yield BYTE_ORDER_MARK + writer.writerow([neutralise(header) for header in headers])
    for values in value_rows:
        yield writer.writerow(
            [csv_value(value, column.kind, form) for value, column in zip(values, columns, strict=True)]
        )


def table_csv_lines(table, form=COMMA):
    return csv_lines(table.headers, table.columns, table.value_rows(), form)


def export_filename(title, *, scope, period, extension):
    name = f"Perisai — {title} — {scope.label} — {period.label}.{extension}"
    return name.translate(str.maketrans({character: " " for character in '[]:*?/\\"'}))


# --- the participant list -----------------------------------------------------------------------


PARTICIPANT_FIELDS = (
    "pk",
    "participant__nik",
    "participant__kpj_number",
    "participant__full_name",
    "participant__gender",
    "participant__birth_date",
    "participant__phone",
    "participant__kecamatan",
    "participant__desa",
    "participant__occupation",
    "acquired_on",
    "agent__code",
    "agent__full_name",
    "office__name",
    "caretaker__full_name",
    "status",
    "ended_on",
    "monthly_contribution",
    "months_paid",
    "last_paid",
    "is_current",
    "acquisitions",
)


def participant_columns(viewer=None):
    """The participant list's columns, labelled in the active language (read once, not per row), with
    the NIK masked and the phone number as ``viewer`` may see it."""
    gender = {value: str(label) for value, label in Gender.choices}
    occupation = {value: str(label) for value, label in Occupation.choices}
    status = {value: str(label) for value, label in Acquisition.Status.choices}
    standing = {True: _("Current"), False: _("Lapsed")}
    columns = [
        Column(lambda row: mask_nik(row["participant__nik"]), "NIK", catalogue.TEXT),
        Column("participant__kpj_number", _("KPJ number"), catalogue.TEXT),
        Column("participant__full_name", _("Participant"), catalogue.TEXT),
        Column(lambda row: gender[row["participant__gender"]], _("Gender"), catalogue.TEXT),
        Column("participant__birth_date", _("Birth date"), catalogue.DATE),
        Column("participant__phone", _("Phone"), catalogue.TEXT),
        Column("participant__kecamatan", _("Kecamatan"), catalogue.TEXT),
        Column("participant__desa", _("Desa/kelurahan"), catalogue.TEXT),
        Column(lambda row: occupation[row["participant__occupation"]], _("Occupation"), catalogue.TEXT),
        Column("acquired_on", _("Acquired on"), catalogue.DATE),
        Column("agent__code", _("Agent code"), catalogue.TEXT),
        Column("agent__full_name", _("Acquired by"), catalogue.TEXT),
        Column("office__name", _("Perisai office"), catalogue.TEXT),
        Column("caretaker__full_name", _("Looked after by"), catalogue.TEXT),
        Column("monthly_contribution", _("Monthly contribution"), catalogue.RUPIAH),
        Column("months_paid", _("Months paid")),
        Column("last_paid", _("Last month paid"), catalogue.MONTH),
        Column(lambda row: standing[row["is_current"]], _("Contributions at the period end"), catalogue.TEXT),
        Column(lambda row: status[row["status"]], _("Recorded status"), catalogue.TEXT),
        Column("ended_on", _("Lapsed on"), catalogue.DATE),
        Column("acquisitions", _("Times acquired")),
    ]
    return columns_for(viewer, columns)


def participant_queryset(*, scope, period):
    """Every participant in ``scope`` through their standing acquisition at the period's end (see
    ``enrollment.paying``), as dicts of ``PARTICIPANT_FIELDS`` in primary-key order."""
    times_acquired = (
        Acquisition.objects.filter(participant=OuterRef("participant"), acquired_on__lte=period.end)
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        standing_acquisitions(scope=scope, day=period.end)
        .annotate(acquisitions=Subquery(times_acquired))
        .order_by("pk")
        .values(*PARTICIPANT_FIELDS)
    )


def participant_batches(*, scope, period, batch_size=BATCH_SIZE):
    """``participant_queryset`` as lists of ``batch_size`` rows, the first at most ``FIRST_BATCH_SIZE`` (one
    query each, keyed on the primary key, so no batch costs more than the first)."""
    rows = participant_queryset(scope=scope, period=period)
    last_pk, size = 0, min(batch_size, FIRST_BATCH_SIZE)
    while True:
        batch = list(rows.filter(pk__gt=last_pk)[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        last_pk, size = batch[-1]["pk"], batch_size


def participant_rows(*, scope, period, batch_size=BATCH_SIZE):
    """Every row of ``participant_batches``, the next batch read while the caller writes this one."""
    for batch in read_ahead(lambda: participant_batches(scope=scope, period=period, batch_size=batch_size)):
        yield from batch


def participant_csv_lines(*, scope, period, viewer=None, form=COMMA):
    """The participant list as CSV lines in ``form``; call it in the language the file is for."""
    columns = participant_columns(viewer)
    rows = participant_rows(scope=scope, period=period)
    return csv_lines(
        [str(column.label) for column in columns], columns, ([c.value(r) for c in columns] for r in rows), form
    )


WRITE_ONLY_FORMATS = {
    catalogue.MONTH: "mmm yyyy",
    catalogue.RUPIAH: '"Rp" #,##0',
}
"""The number formats the participant list sets itself. A styled cell costs openpyxl several times a
plain one, and the list runs to 100,000 rows, so only what would read wrong without a format gets one:
money as Rupiah and months as "Jul 2019". Dates are written as plain dates, which openpyxl stores as
real Excel dates shown as 2019-07-15 (its own date format, the ISO dates of the CSV too); the counts
(months paid, times acquired) are small whole numbers that need no thousands separator."""
COLUMN_WIDTHS = {catalogue.TEXT: 22, catalogue.DATE: 13, catalogue.MONTH: 11, catalogue.RUPIAH: 13}


def write_participant_workbook(output, *, scope, period, batch_size=BATCH_SIZE, viewer=None):
    """Write the participant list to ``output`` (a path or binary file) in write-only mode; returns the
    number of participants written. Memory stays flat: openpyxl keeps the rows in a temporary file."""
    columns = participant_columns(viewer)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(neutralise(str(_("Participants")))[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(column.kind, 12)
    sheet.freeze_panes = "A2"
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B6E4F")
    headers = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.label)))
        cell.font, cell.fill = header_font, header_fill
        headers.append(cell)
    sheet.append(headers)
    writers = [_cell_writer(sheet, column) for column in columns]
    count = 0
    for row in participant_rows(scope=scope, period=period, batch_size=batch_size):
        sheet.append([write(row) for write in writers])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(output)
    return count


def _cell_writer(sheet, column):
    """The function turning a row of ``participant_rows`` into ``column``'s cell, chosen once per column
    rather than worked out for every cell. Text is neutralised. A formatted column (``WRITE_ONLY_FORMATS``:
    months, money) has one cell, prepared once with its number format and given each row's value: openpyxl writes a
    row's cells as soon as the row is appended, so the cell can be reused, and its format is looked up
    once instead of once a row."""
    read = column.key if callable(column.key) else operator.itemgetter(column.key)
    number_format = WRITE_ONLY_FORMATS.get(column.kind)
    if number_format is None:
        return lambda row: neutralise(read(row))
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format

    def formatted(row):
        value = read(row)
        if value is None or isinstance(value, str):
            return neutralise(value)
        cell.value = value
        return cell

    return formatted


def participant_workbook_file(*, scope, period, viewer=None):
    """The participant workbook in an anonymous temporary file, rewound, for a ``FileResponse``."""
    file = tempfile.TemporaryFile(suffix=".xlsx")
    write_participant_workbook(file, scope=scope, period=period, viewer=viewer)
    file.seek(0)
    return file
