"""Read an uploaded .xlsx or .csv into plain cell values, refusing hostile or broken files first.

What is checked, in order, before a single row is read:
- the size of the upload (``MAX_UPLOAD_BYTES``);
- the name says .xlsx or .csv and the content agrees: an .xlsx starts with the zip signature
  ``PK\\x03\\x04``; a CSV is text without NUL bytes that decodes as UTF-8 (with or without BOM) or
  Windows-1252 (what Excel writes on an Indonesian Windows);
- for an .xlsx, the zip directory: entry count, total uncompressed size, each entry's compression
  ratio, no encrypted entries, and the parts of a workbook present. The declared sizes bound what
  ``zipfile`` will decompress (it stops at the declared size and checks the CRC), so a zip bomb is
  refused before openpyxl expands anything.

Two readers, one result. A plain workbook — no part declaring a DTD or entities, no formula in any
worksheet, no worksheet (or its declared size) reaching past ``MAX_ROWS`` rows and ``MAX_COLUMNS``
columns — is read by python-calamine (compiled; about a tenth of openpyxl's time, which was a third of
a 10,000-row import). Anything else goes to openpyxl, opened with ``read_only=True,
data_only=False``: it streams rows and, with defusedxml installed, refuses XML entity declarations
(billion laughs, external entities), and a formula comes back as its text ("=SUM(A1:A9)"), never a
computed value, which validation rejects by cell; rows are counted while streaming and reading stops at
``MAX_ROWS``. The pre-check is what makes the fast reader safe: calamine reads a sheet whole and
returns formulas' cached values, so it only ever sees small sheets without formulas or DTDs.
Both readers' values go through ``_value``, so the table is the same (``tests/enrollment/imports/
test_readers.py`` compares them).
"""

import codecs
import csv
import datetime
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string
from python_calamine import CalamineWorkbook, SheetTypeEnum

from enrollment.importing.limits import (
    ENROLMENT_LIMITS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_ZIP_ENTRIES,
    RATIO_CHECKED_ABOVE_BYTES,
)

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
ZIP_ENCRYPTED_FLAG = 0x1
CHUNK_BYTES = 1024 * 1024

WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml\Z")
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
FORMULA_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
ROW_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
REFERENCE = re.compile(rb'\b(?:r|ref)="\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?"')


class SpreadsheetError(Exception):
    """The file cannot be imported; the message says why in words the uploader understands."""


@dataclass
class RawTable:
    """The first sheet as plain values: ``header`` is row 1, ``rows`` the numbered rows below it.

    Values are ``None``, ``str``, ``int``, ``float``, ``bool`` or an ISO date string, so a table
    can be stored as JSON and validated again later. Blank rows are left out.
    """

    header: list
    rows: list = field(default_factory=list)


@dataclass
class StreamedTable:
    """The first sheet, read as it is consumed: ``header`` is row 1, ``rows`` yields ``(number, values)``
    for each non-blank row below it, as ``RawTable`` would hold them. Iterating raises ``SpreadsheetError``
    when the sheet turns out to be too long or to hold no row, or when the rest of the file is broken."""

    header: list
    rows: Iterator


def megabytes(size, decimals=0):
    """``size`` in MB, written the reader's way (5 or 5,2 in Indonesian)."""
    return number_format(size / (1024 * 1024), decimal_pos=decimals, use_l10n=True)


def read_table(upload):
    """The ``RawTable`` in ``upload`` (a Django ``UploadedFile``), or ``SpreadsheetError``."""
    streamed = open_table(upload)
    return RawTable(header=streamed.header, rows=list(streamed.rows))


def open_table(upload, *, limits=ENROLMENT_LIMITS):
    """The ``StreamedTable`` in ``upload`` within ``limits`` (``enrollment.importing.limits.Limits``).

    Every check on the file as a whole (size, type, the zip directory) is made before this returns;
    a CSV file and a large workbook are then read as the rows are consumed, so memory stays flat in
    the file's length."""
    if upload.size > limits.upload_bytes:
        raise SpreadsheetError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": megabytes(upload.size, 1), "limit": megabytes(limits.upload_bytes)}
        )
    if upload.size == 0:
        raise SpreadsheetError(_("The file is empty."))
    suffix = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(len(OLE_SIGNATURE))
    upload.seek(0)
    if suffix == ".xlsx":
        if head.startswith(ZIP_SIGNATURE):
            return _stream(_read_xlsx(upload, limits), limits.rows)
        if head.startswith(OLE_SIGNATURE):
            raise SpreadsheetError(
                _("The workbook is password-protected or in the old .xls format. Save it as .xlsx without a password.")
            )
        raise SpreadsheetError(_("The file is named .xlsx but is not an Excel workbook."))
    if suffix == ".csv":
        if head.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
            raise SpreadsheetError(_("The file is named .csv but is an Excel workbook. Upload it as .xlsx."))
        return _stream(_read_csv(upload), limits.rows)
    if suffix == ".xls":
        raise SpreadsheetError(
            _("The old Excel format (.xls) is not accepted. Save the file as .xlsx and upload it again.")
        )
    raise SpreadsheetError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def _check_zip_directory(upload, limits):
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError(_("The workbook is damaged and cannot be read.")) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SpreadsheetError(
            _("The workbook holds %(count)d parts; at most %(limit)d are accepted. Copy the data into a new workbook.")
            % {"count": len(entries), "limit": MAX_ZIP_ENTRIES}
        )
    if sum(entry.file_size for entry in entries) > limits.uncompressed_bytes:
        raise SpreadsheetError(
            _("The workbook would expand to more than %(limit)s MB; it is refused as a possible zip bomb.")
            % {"limit": megabytes(limits.uncompressed_bytes)}
        )
    for entry in entries:
        if entry.file_size > RATIO_CHECKED_ABOVE_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise SpreadsheetError(
                _("Part of the workbook is compressed more than %(ratio)d times; it is refused as a possible zip bomb.")
                % {"ratio": MAX_COMPRESSION_RATIO}
            )
        if entry.flag_bits & ZIP_ENCRYPTED_FLAG:
            raise SpreadsheetError(_("The workbook is encrypted. Save it without a password and upload it again."))
    names = {entry.filename for entry in entries}
    if not all(part in names for part in WORKBOOK_PARTS):
        raise SpreadsheetError(_("The file is named .xlsx but is not an Excel workbook."))


def _read_xlsx(upload, limits):
    """The sheet's rows, header first: a plain, small sheet read whole by the fast reader, anything else
    streamed by openpyxl."""
    _check_zip_directory(upload, limits)
    upload.seek(0)
    if _plain_and_small(upload):
        try:
            return _read_plain_xlsx(upload)
        except SpreadsheetError:
            raise
        except Exception:  # noqa: BLE001 - openpyxl reads it again and says what is wrong
            upload.seek(0)
    return _read_with_openpyxl(upload)


def _read_with_openpyxl(upload):
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, ValueError, TypeError ...) on a broken file
        raise _unreadable(error) from None
    if not workbook.worksheets:
        workbook.close()
        raise SpreadsheetError(_("The workbook has no worksheet."))
    return _openpyxl_rows(workbook)


def _openpyxl_rows(workbook):
    try:
        yield from workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError) as error:
        raise _unreadable(error) from None
    finally:
        workbook.close()


def _plain_and_small(upload):
    """Whether the fast reader may read this workbook: no part declares a DTD or entities, and no
    worksheet holds a formula or reaches (by its cells, its rows or its declared size) past ``MAX_ROWS``
    rows below the header or ``MAX_COLUMNS`` columns. The zip directory has been checked already, so
    each part expands to a bounded size."""
    try:
        with zipfile.ZipFile(upload) as archive:
            for entry in archive.infolist():
                if not entry.filename.endswith((".xml", ".rels")):
                    continue
                data = archive.read(entry)
                if DECLARATION.search(data):
                    return False
                if WORKSHEET_PART.match(entry.filename) and not _plain_sheet(data):
                    return False
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return True


def _plain_sheet(data):
    if FORMULA_ELEMENT.search(data) or len(ROW_ELEMENT.findall(data)) > MAX_ROWS + 1:
        return False
    for first_column, first_row, last_column, last_row in set(REFERENCE.findall(data)):
        for column, row in ((first_column, first_row), (last_column, last_row)):
            if column and (column_index_from_string(column.upper().decode()) > MAX_COLUMNS or int(row) > MAX_ROWS + 1):
                return False
    return True


def _read_plain_xlsx(upload):
    workbook = CalamineWorkbook.from_filelike(upload)
    try:
        worksheets = [sheet for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]
        if not worksheets:
            raise SpreadsheetError(_("The workbook has no worksheet."))
        rows = workbook.get_sheet_by_name(worksheets[0].name).to_python(skip_empty_area=False)
    finally:
        workbook.close()
    return (row + [None] * (MAX_COLUMNS - len(row)) for row in rows)  # as wide as openpyxl's rows


def _unreadable(error):
    """The message for a workbook openpyxl could not read; defusedxml's refusal may be wrapped."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return SpreadsheetError(_("The workbook contains XML entity declarations, which are not allowed."))
        error = error.__cause__ or error.__context__
    return SpreadsheetError(_("The workbook is damaged and cannot be read."))


def _csv_encoding(upload):
    """UTF-8 (with or without BOM) or, failing that, Windows-1252 (what Excel writes on an Indonesian
    Windows), checked over the whole file in chunks; a NUL byte means it is not text."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        upload.seek(0)
        try:
            for chunk in iter(lambda: upload.read(CHUNK_BYTES), b""):
                if b"\x00" in chunk:
                    raise SpreadsheetError(_("The file is named .csv but is not a text file."))
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(_("The CSV file's text encoding is not recognised. Save it as CSV UTF-8."))


def _lines(upload, encoding):
    """The file's text line by line (each with its line ending), decoded as it is read."""
    upload.seek(0)
    pending = ""
    for text in codecs.iterdecode(iter(lambda: upload.read(CHUNK_BYTES), b""), encoding):
        pending += text
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
    if pending:
        yield pending


def _read_csv(upload):
    encoding = _csv_encoding(upload)
    lines = _lines(upload, encoding)
    first_line = next(lines, "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return _csv_rows(csv.reader(_chain_first(first_line, lines), delimiter=delimiter))


def _chain_first(first, rest):
    yield first
    yield from rest


def _csv_rows(records):
    try:
        yield from records
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)d of the CSV file cannot be read (%(error)s).") % {"line": records.line_num, "error": error}
        ) from None


def _stream(rows, max_rows):
    """Row 1 as the header, then every non-blank row below it with its number, up to ``max_rows``."""
    header = next(rows, None)
    if header is None or not any(_value(cell) is not None for cell in header):
        raise SpreadsheetError(_("The first sheet is empty: row 1 must hold the column headers."))
    return StreamedTable(header=[_value(cell) for cell in header[:MAX_COLUMNS]], rows=_numbered(rows, max_rows))


def _numbered(rows, max_rows):
    found = False
    for number, row in enumerate(rows, start=2):
        if number - 1 > max_rows:
            raise SpreadsheetError(
                _("The sheet has more than %(limit)s rows below the header. Split it into smaller files.")
                % {"limit": number_format(max_rows, use_l10n=True, force_grouping=True)}
            )
        values = [_value(cell) for cell in row[:MAX_COLUMNS]]
        if any(value is not None for value in values):
            found = True
            yield number, values
    if not found:
        raise SpreadsheetError(_("The sheet has headers but no rows below them."))


def _value(cell):
    """A cell as a JSON-friendly value: text stripped (blank is ``None``), whole floats as ints, dates as ISO."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
        return text[: MAX_CELL_CHARS + 1] or None
    if isinstance(cell, bool | int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else cell
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)[: MAX_CELL_CHARS + 1]
