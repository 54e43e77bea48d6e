"""Every limit the import enforces, in one place.

An upload is refused before it is parsed when it breaks one of these: Django caps neither the size of
a file nor what a zip (an .xlsx is one) expands to, so the import checks the upload size, then
decompresses every part of the zip in small chunks, counting what really comes out (never what the zip
declares), before openpyxl or python-calamine opens it (``perisai.spreadsheets.zip_checked``), and counts
rows while streaming so a sheet of a million rows is never read to the end.

**Memory has a fixed bound, whatever the upload.** Each cap below closes one way a small file makes a
reader hold a lot: a part that expands far beyond its size (zip bomb, lying sizes), a workbook part
that a library parses whole (styles, the workbook, relationships: ``MAX_SMALL_PART_BYTES``), the
shared texts a library keeps for the whole read (``MAX_SHARED_TEXT_BYTES``, ``MAX_SHARED_TEXTS``), one
row of a million cells (``MAX_ROW_CELLS``), one cell or tag of a hundred megabytes (``MAX_MARKUP_RUN_BYTES``),
one text cell the fast reader copies into every cell that points at it (``PLAIN_EXPANSION_BYTES``), a
CSV line of a million commas (``MAX_CSV_RECORD_CHARS``). What is left is proportional to the caps on
rows, columns and cell length. ``tests/test_upload_bounds.py`` uploads each kind of hostile file to a
separate process and reads its peak memory.

A realistic sheet of 20,000 enrollments is about 1 MB as .xlsx and 15 MB uncompressed (ratio 13-23),
so these caps leave room for real files and none for bombs.
"""

import datetime
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""The largest file accepted (5 MB): about 90,000 rows of .xlsx, far more than ``MAX_ROWS``."""

MAX_ROWS = 20_000
"""Rows below the header, blank ones included; reading stops at the first row beyond it."""

MAX_COLUMNS = 40
"""Columns read from each row; anything further right is ignored."""

MAX_CELL_CHARS = 500
"""The longest cell text accepted (an address); longer text is an error in that cell."""

MAX_ZIP_ENTRIES = 100
"""Files inside an .xlsx; a workbook from Excel or LibreOffice has about ten."""

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
"""What all files inside an .xlsx may expand to together, counted while decompressing."""

MAX_COMPRESSION_RATIO = 100
"""How much any one file inside an .xlsx may expand (uncompressed / compressed) ..."""

RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024
"""... checked for files that expand beyond 1 MB (tiny files have meaningless ratios)."""

MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
"""The zip's directory (about 100 bytes an entry), read before anything else: a few thousand entries'
worth, so a file that is nothing but directory entries is refused before ``zipfile`` lists them."""

MAX_SMALL_PART_BYTES = 4 * 1024 * 1024
"""Any part of an .xlsx other than its worksheets and shared texts: the styles, the workbook, the
relationships, pictures. openpyxl parses several of these whole; a workbook from Excel has them in
kilobytes (the styles of a heavily formatted one reach a few hundred)."""

MAX_SHARED_TEXT_BYTES = 64 * 1024 * 1024
"""The shared-texts part (``xl/sharedStrings.xml``), which both readers keep in memory for the whole read:
a 250,000-row payments file, each row with its own NIK and reference, needs about 20 MB."""

MAX_SHARED_TEXTS = 1_000_000
"""Texts in the shared-texts part (each costs a Python object whatever its length)."""

MAX_ROW_CELLS = 16_384
"""Cells in one row of a worksheet, as Excel's own last column (XFD); openpyxl holds a whole row while it
reads it, so a row of a million cells would cost gigabytes."""

MAX_MARKUP_RUN_BYTES = 1024 * 1024
"""The longest cell text or tag in a worksheet or the shared texts (Excel's own cell limit is 32,767
characters)."""

PLAIN_WORKBOOK_BYTES = 32 * 1024 * 1024
"""The fast reader (python-calamine, which reads a sheet whole) only reads workbooks that expand to at
most this much: a 20,000-row enrolment sheet is about 15 MB."""

PLAIN_EXPANSION_BYTES = 64 * 1024 * 1024
"""The fast reader copies a shared text into every cell that points at it, so it is only used when the
cells times the longest shared text stay under this; other workbooks go to openpyxl, which shares them."""

MAX_CSV_RECORD_CHARS = 64 * 1024
"""The longest row of a CSV file (a row of 40 full cells is about 20,000 characters)."""

BULK_BATCH_SIZE = 1000
"""Rows per INSERT when the confirmed rows are written."""

LOOKUP_CHUNK = 2000
"""NIKs, KPJ numbers or agent codes per ``IN (...)`` look-up (SQLite caps query parameters)."""

BATCH_KEPT_FOR = datetime.timedelta(hours=24)
"""An unconfirmed upload (with the NIKs it holds) is deleted after this long."""

MAX_FINDINGS_SHOWN = 300
"""Errors and warnings listed on the preview page; the page says how many more there are."""


@dataclass(frozen=True)
class Limits:
    """The caps of one kind of import: what a file may weigh, hold in rows, and expand to when unzipped."""

    upload_bytes: int
    rows: int
    uncompressed_bytes: int


ENROLMENT_LIMITS = Limits(MAX_UPLOAD_BYTES, MAX_ROWS, MAX_UNCOMPRESSED_BYTES)

PAYMENT_LIMITS = Limits(
    upload_bytes=40 * 1024 * 1024,
    rows=250_000,
    uncompressed_bytes=400 * 1024 * 1024,
)
"""A month's payments file for a large branch or a province: about 60 bytes a row as CSV (250,000 rows
in 15 MB), 150 bytes a row unzipped as .xlsx (openpyxl streams the sheet, so only what the zip expands to
matters here). Compression ratio, entry count, parts, rows' cells and cell length are capped as for
enrolments."""

PAYMENT_BATCH_ROWS = 5000
"""Payment rows read, matched and written at a time: memory holds a batch or two (one read ahead), whatever the
file's length. Smaller batches spend more on each batch's statements (emptying the matching's temporary tables
makes new files for them); batches of 10,000 matched slower (measured: ``bench/README.md``, 7)."""

PAYMENT_IMPORT_KEPT_FOR = datetime.timedelta(hours=24)
"""An unconfirmed payments file (with the NIKs it holds) is deleted after this long."""
