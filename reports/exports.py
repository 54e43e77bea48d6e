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
streams to the browser, the workbook is built by XlsxWriter in its ``constant_memory`` mode into a
temporary file on disk that is then streamed. NIKs are masked and phone numbers shown as the user downloading
may see them (``perisai.privacy``).
"""

import csv
import datetime
import operator
import tempfile
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

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


WORKBOOK_FORMATS = {
    catalogue.DATE: "yyyy-mm-dd",
    catalogue.MONTH: "mmm yyyy",
    catalogue.RUPIAH: '"Rp" #,##0',
}
"""The number formats of the participant list's columns by kind: dates as 2019-07-15 (the ISO dates of the CSV
too), months as "Jul 2019", money as Rupiah; counts (months paid, times acquired) are plain whole numbers."""
COLUMN_WIDTHS = {catalogue.TEXT: 22, catalogue.DATE: 13, catalogue.MONTH: 11, catalogue.RUPIAH: 13}
SHEET_ROWS = 1_048_575  # rows of a worksheet below its header (Excel's limit)
HEADER_FORMAT = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#0B6E4F", "pattern": 1}
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""XlsxWriter's streaming mode (each row goes to a temporary file as soon as the next begins: memory stays flat
whatever the number of rows), and text written as text: never a formula, a link or a number, whatever it looks
like (``neutralise`` prefixes what a spreadsheet program would run as a formula as well)."""


def write_participant_workbook(output, *, scope, period, batch_size=BATCH_SIZE, viewer=None, progress=None):
    """Write the participant list to ``output`` (a path or binary file); returns the number of participants
    written. ``progress``, when given, is called with the participants written so far after each batch (a
    background job's bar).

    Written with XlsxWriter in ``constant_memory`` mode, the fastest well-kept writer of .xlsx in Python
    (openpyxl's write-only mode took about 1.6 times as long for the same cells, ``bench/README.md``), calling
    the writer's typed method for each cell (``write_string``, ``write_number``, ``write_datetime``) rather than
    its generic ``write``, which works the type out again for every cell."""
    columns = participant_columns(viewer)
    workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(neutralise(str(_("Participants")))[:31])
    header = workbook.add_format(HEADER_FORMAT)
    formats = {
        kind: workbook.add_format({"num_format": number_format}) for kind, number_format in WORKBOOK_FORMATS.items()
    }
    for index, column in enumerate(columns):
        sheet.set_column(index, index, COLUMN_WIDTHS.get(column.kind, 12))
        sheet.write_string(0, index, neutralise(str(column.label)), header)
    sheet.freeze_panes(1, 0)
    writers = [(index, _cell_writer(sheet, column, formats.get(column.kind))) for index, column in enumerate(columns)]
    count = 0
    for row in participant_rows(scope=scope, period=period, batch_size=batch_size):
        count += 1
        if count > SHEET_ROWS:  # XlsxWriter would drop the cells silently; a list cut short must not pass as whole
            raise ValueError(f"More than {SHEET_ROWS:,} participants do not fit on one sheet: choose a smaller scope.")
        for index, write in writers:
            write(count, index, row)
        if progress is not None and count % batch_size == 0:
            progress(count)
    sheet.autofilter(0, 0, count, len(columns) - 1)
    workbook.close()
    return count


def _cell_writer(sheet, column, cell_format):
    """The function writing ``column``'s cell of a row of ``participant_rows``, chosen once per column rather than
    worked out for every cell: text neutralised and written as text, dates and months as dates, numbers as
    numbers, each in the column's format; nothing for an empty value (a blank cell)."""
    read = column.key if callable(column.key) else operator.itemgetter(column.key)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    write_boolean = sheet.write_boolean

    def write(row_number, index, row):
        value = read(row)
        kind = value.__class__
        if kind is str:
            if value:  # empty text is a blank cell, as no value is
                write_string(row_number, index, neutralise(value))
        elif value is None:
            return
        elif kind is bool:
            write_boolean(row_number, index, value)
        elif kind is int or kind is Decimal or kind is float:
            write_number(row_number, index, value, cell_format)
        elif isinstance(value, datetime.date):
            write_datetime(row_number, index, value, cell_format)
        else:
            write_string(row_number, index, neutralise(str(value)))

    return write


def participant_workbook_file(*, scope, period, viewer=None):
    """The participant workbook in an anonymous temporary file, rewound, for a ``FileResponse``."""
    file = tempfile.TemporaryFile(suffix=".xlsx")
    write_participant_workbook(file, scope=scope, period=period, viewer=viewer)
    file.seek(0)
    return file
