"""Every limit the import enforces, in one place.

An upload is refused before it is parsed when it breaks one of these: Django caps neither the size of
a file nor what a zip (an .xlsx is one) expands to, so the import checks the upload size, then the
zip directory (entry count, total uncompressed size, compression ratio) before openpyxl opens it, and
counts rows while streaming so a sheet of a million rows is never read to the end.

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
"""What all files inside an .xlsx may expand to together, as the zip directory declares it."""

MAX_COMPRESSION_RATIO = 100
"""How much any one file inside an .xlsx may expand (uncompressed / compressed) ..."""

RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024
"""... checked for files that expand beyond 1 MB (tiny files have meaningless ratios)."""

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
in 15 MB), 150 bytes a row unzipped as .xlsx (openpyxl streams it, so only the zip directory's claim
matters here). Compression ratio, entry count and cell length are capped as for enrolments."""

PAYMENT_BATCH_ROWS = 2000
"""Payment rows read, matched and written at a time: memory holds one batch, whatever the file's length."""

PAYMENT_IMPORT_KEPT_FOR = datetime.timedelta(hours=24)
"""An unconfirmed payments file (with the NIKs it holds) is deleted after this long."""
