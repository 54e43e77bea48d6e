"""Read an uploaded .xlsx or .csv into plain cell values, refusing hostile or broken files first.

What is checked, in order, before a single row is read:
- the size of the upload (``MAX_UPLOAD_BYTES``);
- the name says .xlsx or .csv and the content agrees: an .xlsx starts with the zip signature
  ``PK\\x03\\x04``; a CSV is text without NUL bytes that decodes as UTF-8 (with or without BOM) or
  Windows-1252 (what Excel writes on an Indonesian Windows); a UTF-16 file (Excel's "Unicode Text") is
  named as such, with how to save it instead;
- for an .xlsx, every part of the zip, decompressed in chunks by ``perisai.spreadsheets.zip_checked``:
  its directory's size, the entry count, what each part and the whole *really* expand to, each part's
  compression ratio, no encryption, no method but stored and deflate, sizes and checksums as declared.
  While the parts stream past, ``WorkbookScan`` looks at them (``limits`` says why each cap exists): any
  part but a worksheet or the shared texts stays small, the shared texts stay within their size and
  count, no worksheet row holds more cells than Excel's last column, no cell or tag runs past 1 MB; a
  part bigger than small must be named and used (relationships, content types) as a worksheet or the
  shared texts, so no library parses a large part whole. So neither library ever sees a part that
  was not measured, and memory has a fixed bound whatever the upload.

Two readers, one result. A plain workbook — no part declaring a DTD or entities, no formula, no
worksheet (or its declared size) reaching past ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns, every cell
placed by its reference, at most ``PLAIN_WORKBOOK_BYTES`` in all, and shared texts too short to blow up
when copied into every cell (``PLAIN_EXPANSION_BYTES``) — is read by python-calamine (compiled; about a
tenth of openpyxl's time, which was a third of a 10,000-row import). Anything else goes to openpyxl,
opened with ``read_only=True, data_only=False``: it streams rows and, with defusedxml installed, refuses
XML entity declarations (billion laughs, external entities), and a formula comes back as its text
("=SUM(A1:A9)"), never a computed value, which validation rejects by cell; rows are counted while
streaming and reading stops at ``MAX_ROWS``. The scan is what makes the fast reader safe: calamine reads
a sheet whole and returns formulas' cached values, so it only ever sees small sheets without formulas or
DTDs. Both readers' values go through ``_value``, so the table is the same (``tests/enrollment/imports/
test_readers.py`` compares them).
"""

import codecs
import csv
import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string
from python_calamine import CalamineWorkbook, SheetTypeEnum

from enrollment.importing.limits import (
    ENROLMENT_LIMITS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_CSV_RECORD_CHARS,
    MAX_MARKUP_RUN_BYTES,
    MAX_ROW_CELLS,
    MAX_ROWS,
    MAX_SHARED_TEXT_BYTES,
    MAX_SHARED_TEXTS,
    MAX_SMALL_PART_BYTES,
    MAX_ZIP_DIRECTORY_BYTES,
    MAX_ZIP_ENTRIES,
    PLAIN_EXPANSION_BYTES,
    PLAIN_WORKBOOK_BYTES,
    RATIO_CHECKED_ABOVE_BYTES,
)
from perisai.spreadsheets import ZipBounds, ZipRefused, zip_checked

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
SHARED_TEXTS_PART = "xl/sharedStrings.xml"
CHUNK_BYTES = 1024 * 1024

WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml\Z")

# Markup looked for while the parts stream past. An element may carry any namespace prefix (possessive, so a
# long name is scanned once). ``ELEMENT`` names each element that matters in one pass, in order.
ELEMENT = re.compile(rb"<(?:[^\s<>/:=\"']++:)?+(row|c|f|si)[\s/>]")
SHARED_TEXT_ELEMENT = re.compile(rb"<(?:[^\s<>/:=\"']++:)?+si[\s/>]")
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
PLACED_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"')
"""A cell as Excel, LibreOffice and openpyxl write it, its reference first; the fast reader reads a sheet
only if every cell is written so, inside the row and column caps."""
RANGE_REFERENCE = re.compile(rb'\sref="\$?([A-Za-z]+)\$?([0-9]+)(?::\$?([A-Za-z]+)\$?([0-9]+))?"')
"""A range a sheet declares (its dimension, merged cells ...), which the fast reader may size itself by."""


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


ZIP_BOUNDS_MESSAGES = {
    ZipRefused.DAMAGED: lambda refusal, limits: _("The workbook is damaged and cannot be read."),
    ZipRefused.ENTRIES: lambda refusal, limits: (
        _("The workbook holds %(count)d parts; at most %(limit)d are accepted. Copy the data into a new workbook.")
        % {"count": refusal.count, "limit": MAX_ZIP_ENTRIES}
        if refusal.count
        else _("The workbook holds too many parts; at most %(limit)d are accepted. Copy the data into a new workbook.")
        % {"limit": MAX_ZIP_ENTRIES}
    ),
    ZipRefused.ENCRYPTED: lambda refusal, limits: _(
        "The workbook is encrypted. Save it without a password and upload it again."
    ),
    ZipRefused.METHOD: lambda refusal, limits: _(
        "The workbook is compressed in a way Excel does not use. Open it in Excel or LibreOffice, save it as "
        ".xlsx and upload it again."
    ),
    ZipRefused.ENTRY_SIZE: lambda refusal, limits: _too_large(limits),
    ZipRefused.TOTAL_SIZE: lambda refusal, limits: _too_large(limits),
    ZipRefused.RATIO: lambda refusal, limits: (
        _("Part of the workbook is compressed more than %(ratio)d times; it is refused as a possible zip bomb.")
        % {"ratio": MAX_COMPRESSION_RATIO}
    ),
}


def _too_large(limits):
    return _("The workbook would expand to more than %(limit)s MB; it is refused as a possible zip bomb.") % {
        "limit": megabytes(limits.uncompressed_bytes)
    }


def _read_xlsx(upload, limits):
    """The sheet's rows, header first: a plain, small sheet read whole by the fast reader, anything else
    streamed by openpyxl."""
    scan = _checked_workbook(upload, limits)
    if scan.plain:
        try:
            return _read_plain_xlsx(upload)
        except SpreadsheetError:
            raise
        except Exception:  # noqa: BLE001 - openpyxl reads it again and says what is wrong
            upload.seek(0)
    return _read_with_openpyxl(upload)


def _checked_workbook(upload, limits):
    """The ``WorkbookScan`` of ``upload`` once every part was measured and looked at, or ``SpreadsheetError``."""
    scan = WorkbookScan()
    bounds = ZipBounds(
        entries=MAX_ZIP_ENTRIES,
        entry_bytes=limits.uncompressed_bytes,
        total_bytes=limits.uncompressed_bytes,
        ratio=MAX_COMPRESSION_RATIO,
        ratio_checked_above=RATIO_CHECKED_ABOVE_BYTES,
        directory_bytes=MAX_ZIP_DIRECTORY_BYTES,
    )
    try:
        scan.sizes = zip_checked(upload, bounds, inspect=scan.part)
    except ZipRefused as refusal:
        raise SpreadsheetError(ZIP_BOUNDS_MESSAGES[refusal.reason](refusal, limits)) from None
    if not all(part in scan.sizes for part in WORKBOOK_PARTS):
        raise SpreadsheetError(_("The file is named .xlsx but is not an Excel workbook."))
    _check_large_parts(upload, scan.sizes)
    return scan


def _plain_and_small(upload, *, limits=ENROLMENT_LIMITS):
    """Whether the fast reader may read this workbook (see ``WorkbookScan.plain``)."""
    try:
        return _checked_workbook(upload, limits).plain
    finally:
        upload.seek(0)


class WorkbookScan:
    """What the readers need to know about a workbook, learnt from its parts as they are decompressed (each
    part seen once, a chunk at a time): ``part(name)`` looks at one part. Raises ``SpreadsheetError`` as
    soon as a part breaks a cap."""

    def __init__(self):
        self.sizes = {}
        self.seen = 0
        self.declaration = False
        self.formula = False
        self.far = False  # a worksheet reaching past MAX_ROWS rows or MAX_COLUMNS columns
        self.cells = 0
        self.placed_cells = 0
        self.longest_shared_text = 0
        self.shared_texts = 0

    def part(self, name):
        return _PartScan(self, name)

    @property
    def may_be_plain(self):
        return not (self.declaration or self.formula or self.far or self.seen > PLAIN_WORKBOOK_BYTES)

    @property
    def plain(self):
        """Whether the fast reader may read the workbook: nothing it would misread (a DTD, a formula whose
        cached value it would return), and nothing it would blow up in memory (a sheet past the row and
        column caps, a cell not written with its reference, more than ``PLAIN_WORKBOOK_BYTES``, or shared
        texts whose copies into every cell would pass ``PLAIN_EXPANSION_BYTES``)."""
        return (
            self.may_be_plain
            and self.placed_cells == self.cells
            and self.cells * self.longest_shared_text <= PLAIN_EXPANSION_BYTES
        )


class _PartScan:
    """One part as it streams: the markup is looked at in segments cut just before a ``<``, so no tag is
    ever split between two segments."""

    def __init__(self, scan, name):
        self.scan = scan
        self.name = name
        self.large = bool(WORKSHEET_PART.match(name)) or name == SHARED_TEXTS_PART
        self.limit = MAX_SHARED_TEXT_BYTES if name == SHARED_TEXTS_PART else None
        self.size = 0
        self.pending = b""
        self.rows = 0
        self.row_cells = 0
        self.text_length = None  # bytes since the last shared text began, once one has

    def feed(self, chunk):
        self.size += len(chunk)
        self.scan.seen += len(chunk)
        if not self.large and self.size > MAX_SMALL_PART_BYTES:
            raise SpreadsheetError(
                _(
                    "Part %(part)s of the workbook is larger than %(limit)s MB. Remove pictures and objects, or copy "
                    "the data into a new workbook."
                )
                % {"part": self.name, "limit": megabytes(MAX_SMALL_PART_BYTES)}
            )
        if self.limit is not None and self.size > self.limit:
            raise SpreadsheetError(
                _("The workbook holds more than %(limit)s MB of text. Split it into smaller files.")
                % {"limit": megabytes(self.limit)}
            )
        data = self.pending + chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            self.pending = data
        else:
            self.pending = data[cut:]
            self._look(data[:cut])
        if self.large and len(self.pending) > MAX_MARKUP_RUN_BYTES:
            raise SpreadsheetError(
                _("The workbook holds a cell or tag longer than %(limit)s MB; it cannot be read.")
                % {"limit": megabytes(MAX_MARKUP_RUN_BYTES)}
            )

    def close(self):
        self._look(self.pending)
        self.pending = b""
        if self.text_length is not None:
            self._shared_text_ends(self.text_length)
        if self.rows > MAX_ROWS + 1:
            self.scan.far = True

    def _look(self, segment):
        scan = self.scan
        if not scan.declaration and DECLARATION.search(segment):
            scan.declaration = True
        if scan.may_be_plain:
            placed = PLACED_CELL.findall(segment)
            scan.placed_cells += len(placed)
            scan.far = _reaches_far(placed, RANGE_REFERENCE.findall(segment))
        names = b"".join(ELEMENT.findall(segment))  # b"row", b"c", b"f", b"si" in the order they come
        if not names:
            if self.text_length is not None:
                self.text_length += len(segment)
            return
        if b"f" in names:  # no other name holds an f
            scan.formula = True
        self._count_cells(names.replace(b"si", b"").replace(b"f", b""))
        if b"si" in names or self.text_length is not None:
            self._measure_shared_texts(segment)

    def _count_cells(self, rows_and_cells):
        """Cells in all and in each row, from the names of the rows and cells in order ("rowccrowccc"): a row
        over ``MAX_ROW_CELLS`` cells is refused."""
        first, *rows = rows_and_cells.split(b"row")  # what is left of the current row, then one piece a row
        self.scan.cells += len(first) + sum(map(len, rows))
        longest = max(self.row_cells + len(first), *map(len, rows)) if rows else self.row_cells + len(first)
        if longest > MAX_ROW_CELLS:
            raise SpreadsheetError(
                _("A row of the sheet has more than %(limit)s cells, more than Excel allows. The file cannot be read.")
                % {"limit": number_format(MAX_ROW_CELLS, use_l10n=True, force_grouping=True)}
            )
        self.rows += len(rows)
        self.row_cells = len(rows[-1]) if rows else self.row_cells + len(first)

    def _measure_shared_texts(self, segment):
        """How many shared texts and the longest (as the bytes from one ``<si>`` to the next: an upper bound)."""
        first, *texts = SHARED_TEXT_ELEMENT.split(segment)
        if not texts:
            self.text_length += len(first)
            return
        if self.text_length is not None:
            self._shared_text_ends(self.text_length + len(first))
        if len(texts) > 1:
            self._shared_text_ends(max(map(len, texts[:-1])))
        self.text_length = len(texts[-1])
        self.scan.shared_texts += len(texts)
        if self.scan.shared_texts > MAX_SHARED_TEXTS:
            raise SpreadsheetError(
                _("The workbook holds more than %(limit)s different texts. Split it into smaller files.")
                % {"limit": number_format(MAX_SHARED_TEXTS, use_l10n=True, force_grouping=True)}
            )

    def _shared_text_ends(self, length):
        self.scan.longest_shared_text = max(self.scan.longest_shared_text, length)


def _reaches_far(cells, ranges):
    """Whether any of these references (``(column, row)`` of cells, ``(column, row, column, row)`` of ranges)
    lies past ``MAX_COLUMNS`` or ``MAX_ROWS`` rows below the header."""
    places = list(ranges and [(first, row) for first, row, _last, _end in ranges])
    places += [(last, end) for *_start, last, end in ranges if last]
    columns, rows = set(), [b"0"]
    for group in (cells, places):
        if group:
            group_columns, group_rows = zip(*group, strict=True)
            columns.update(group_columns)
            rows.append(max(group_rows, key=int))
    if max(map(int, rows)) > MAX_ROWS + 1:
        return True
    return any(len(column) > 3 or column_index_from_string(column.upper().decode()) > MAX_COLUMNS for column in columns)


def _check_large_parts(upload, sizes):
    """A part larger than ``MAX_SMALL_PART_BYTES`` is a worksheet or the shared texts by its name (the scan
    let it grow only then) and is used as just that by every relationship and content type that points at
    it: a library that parses a part whole (styles, a chart sheet, the workbook) must never be pointed at
    a large one, nor may a large worksheet be read as the shared texts (which are kept whole)."""
    large = {name for name, size in sizes.items() if size > MAX_SMALL_PART_BYTES}
    if not large:
        return
    with zipfile.ZipFile(upload) as archive:
        for name in sizes:
            if name.endswith(".rels"):
                pointers = _relationships(archive, name)
            elif name == "[Content_Types].xml":
                pointers = _content_types(archive, name)
            else:
                continue
            for role, target in pointers:
                if target in large and role != ("sharedStrings" if target == SHARED_TEXTS_PART else "worksheet"):
                    raise _unusual(target)
    upload.seek(0)


def _relationships(archive, name):
    """``(type, part name)`` of every internal relationship in the ``.rels`` part ``name``."""
    source = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/workbook.xml.rels -> xl
    for element in _elements(archive, name, "Relationship"):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(source, target)
        yield element.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(path).lstrip("/")


def _content_types(archive, name):
    """``(kind, part name)`` of every override in ``[Content_Types].xml`` (kind: "worksheet" for
    "…spreadsheetml.worksheet+xml")."""
    for element in _elements(archive, name, "Override"):
        kind = element.get("ContentType", "").rsplit(".", 1)[-1].removesuffix("+xml")
        yield kind, element.get("PartName", "").lstrip("/")


def _elements(archive, name, tag):
    """The ``tag`` elements (any namespace) of a small part, parsed with entity declarations refused."""
    try:
        root = fromstring(archive.read(name))
    except DefusedXmlException:
        raise SpreadsheetError(_("The workbook contains XML entity declarations, which are not allowed.")) from None
    except (ParseError, ValueError, KeyError, zipfile.BadZipFile):
        raise SpreadsheetError(_("The workbook is damaged and cannot be read.")) from None
    return [element for element in root.iter() if element.tag.rsplit("}", 1)[-1] == tag]


def _unusual(part):
    return SpreadsheetError(
        _(
            "The workbook is put together in an unusual way (%(part)s). Copy the data into a new workbook and "
            "upload that."
        )
        % {"part": part}
    )


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
    Windows), checked over the whole file in chunks. UTF-16 (Excel's "Unicode Text", NUL between the
    letters) is named with how to save the file instead; any other NUL byte means it is not text."""
    upload.seek(0)
    if _utf16(upload.read(4096)):
        raise SpreadsheetError(
            _(
                "The file is UTF-16 text (what Excel's “Unicode Text” writes), which is not accepted. In Excel choose "
                "Save As › “CSV UTF-8 (Comma delimited)” and upload that file."
            )
        )
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


def _utf16(head):
    """Whether ``head`` (a file's first bytes) is UTF-16 text: its byte-order mark, or (without one) nearly
    every pair of bytes a printable ASCII character beside a NUL, as UTF-16 writes Latin text."""
    if head.startswith(UTF16_BOMS):
        return True
    pairs = len(head) // 2
    if pairs < 2:
        return False
    evens, odds = head[0 : pairs * 2 : 2], head[1 : pairs * 2 : 2]
    for text, nuls in ((evens, odds), (odds, evens)):
        letters = sum(1 for byte, nul in zip(text, nuls, strict=True) if nul == 0 and _printable(byte))
        if letters > pairs * 0.9:
            return True
    return False


def _printable(byte):
    return 0x20 <= byte < 0x7F or byte in (0x09, 0x0A, 0x0D)


def _lines(upload, encoding):
    """The file's text line by line (each with its line ending), decoded as it is read; a line longer than
    ``MAX_CSV_RECORD_CHARS`` is refused before it is held whole."""
    upload.seek(0)
    pending, number = "", 0
    for text in codecs.iterdecode(iter(lambda: upload.read(CHUNK_BYTES), b""), encoding):
        pending += text
        *lines, pending = pending.split("\n")
        for line in lines:
            number += 1
            yield line + "\n"
        if len(pending) > MAX_CSV_RECORD_CHARS:
            raise _long_csv_row(number + 1)
    if pending:
        yield pending


def _long_csv_row(line):
    return SpreadsheetError(
        _(
            "Line %(line)d of the CSV file is longer than %(limit)s characters, which no row of this file can be. "
            "Check that it is the right file, saved as CSV."
        )
        % {"line": line, "limit": number_format(MAX_CSV_RECORD_CHARS, use_l10n=True, force_grouping=True)}
    )


class _CsvSource:
    """The lines ``csv.reader`` reads, counting the characters of the row being read: a quoted cell may
    span lines, and ``csv.reader`` holds a whole row (every field of it) before it returns it, so a row
    over ``MAX_CSV_RECORD_CHARS`` is refused while it is read."""

    def __init__(self, lines):
        self.lines = lines
        self.row_chars = 0
        self.line = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self.lines)
        self.line += 1
        self.row_chars += len(line)
        if self.row_chars > MAX_CSV_RECORD_CHARS:
            raise _long_csv_row(self.line)
        return line


def _read_csv(upload):
    encoding = _csv_encoding(upload)
    lines = _lines(upload, encoding)
    first_line = next(lines, "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    source = _CsvSource(_chain_first(first_line, lines))
    return _csv_rows(csv.reader(source, delimiter=delimiter), source)


def _chain_first(first, rest):
    yield first
    yield from rest


def _csv_rows(records, source):
    try:
        for record in records:
            source.row_chars = 0
            yield record
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
