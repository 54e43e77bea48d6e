"""No upload takes a worker's memory past a fixed bound: each hostile file is built here, then read by the
uploads' reader (``open_table``, which the enrolment import and the payments file both call) in a separate
process, whose peak memory (``VmHWM``) is read back from ``/proc`` after each file.

Each file is small, well within the upload limits, and once made a reader hold gigabytes: a zip whose
directory declares small parts that expand to 1 GiB each (``zipfile`` allocates the whole before it cuts
at the declared size), parts compressed with bzip2, one shared text that the fast reader copied into
every cell, a row of two million cells openpyxl held whole, a styles part that points at a huge part
openpyxl would parse whole, a CSV line of thirty million commas. Each is refused with a clear message, or
read within the bound, and a real 20,000-row workbook is still read.
"""

import io
import json
import os
import random
import resource
import string
import struct
import subprocess
import sys
import zipfile
import zlib

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.importing.limits import ENROLMENT_LIMITS, PAYMENT_LIMITS
from enrollment.importing.reader import SpreadsheetError, open_table
from perisai.spreadsheets import INFLATED_CHUNK_BYTES, ZipBounds, ZipRefused, zip_checked

LIMITS = {"enrolment": ENROLMENT_LIMITS, "payments": PAYMENT_LIMITS}

PEAK_BOUND_KB = 300 * 1024
"""The most a worker may hold while it reads any one upload (it holds about 75 MB before it reads one)."""

ADDRESS_SPACE = 2 * 1024**3
"""The reading process cannot map more than this: a reader that escapes its bound fails fast here instead
of taking the test machine's memory."""

SHEET = "xl/worksheets/sheet1.xml"
SHEET_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Full name</t></is></c></row>'
)
SHEET_END = b"</sheetData></worksheet>"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_parts():
    """The parts of a real one-sheet workbook as openpyxl writes it, to change one by one."""
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def deflated_repeating(head, unit, mebibytes):
    """A raw deflate stream of ``head`` then ``unit`` repeated to ``mebibytes`` MiB, made in milliseconds:
    after a full flush the compressor forgets what came before, so one compressed MiB can be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    one = compressor.compress(unit * (1024 * 1024 // len(unit))) + compressor.flush(zlib.Z_FULL_FLUSH)
    return start + one * mebibytes + compressor.flush()


def zip_with_declared_sizes(entries):
    """A zip written byte by byte: ``entries`` maps a name to its bytes, or to ``(raw deflate data, the
    bytes it claims to hold)``: the directory then declares those claimed bytes' size and checksum."""
    out, directory = io.BytesIO(), []
    for name, content in entries.items():
        encoded = name.encode()
        if isinstance(content, bytes):
            compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            raw, claimed = compressor.compress(content) + compressor.flush(), content
        else:
            raw, claimed = content
        size, checksum, offset = len(claimed), zlib.crc32(claimed), out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, checksum, len(raw), size, len(encoded), 0))
        out.write(encoded + raw)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                *(0x02014B50, 20, 20, 0, 8, 0, 0x21, checksum, len(raw), size, len(encoded), 0, 0, 0, 0, 0, offset),
            )
            + encoded
        )
    start = out.tell()
    out.write(b"".join(directory))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), out.tell() - start, start, 0))
    return out.getvalue()


def lying_sizes_bomb():
    """900 kB-ish: the sheet and the shared texts each expand to 1 GiB; the directory says 1 kB each."""
    parts = workbook_parts()
    raw = deflated_repeating(SHEET_XML, b"<x/>", 1024)
    claim = (raw, SHEET_XML + b"<x/>" * 256)
    return zip_with_declared_sizes({**parts, SHEET: claim, "xl/sharedStrings.xml": claim})


def bzip2_parts():
    """A workbook whose parts are compressed with bzip2, which no spreadsheet program writes and which
    ``zipfile`` inflates in one piece, however large."""
    return zipped(workbook_parts(), zipfile.ZIP_BZIP2)


def one_text_in_every_cell():
    """One shared text of 20,000 characters, and 5,000 rows of 14 cells all pointing at it: 150 kB."""
    parts = workbook_parts()
    text = "".join(random.Random(1).choices(string.ascii_letters, k=20_000))
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{SPREADSHEET}"><si><t>{text}</t></si></sst>'.encode()
    rows = (
        f'<row r="{row}">'
        + "".join(f'<c r="{column}{row}" t="s"><v>0</v></c>' for column in "ABCDEFGHIJKLMN")
        + "</row>"
        for row in range(2, 5002)
    )
    parts[SHEET] = SHEET_XML + HEADER_ROW + "".join(rows).encode() + SHEET_END
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{MAIN}.sharedStrings+xml"/></Types>'.encode(),
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdS" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    return zipped(parts)


def a_row_of_two_million_cells():
    """A formula (so openpyxl reads it) and one row of two million cells: 500 kB, 47 MB unzipped."""
    parts = workbook_parts()
    cells = b"".join(b'<c r="A3"><v>%d</v></c>' % (number % 1000) for number in range(2_000_000))
    formula = b'<row r="2"><c r="A2"><f>1+1</f></c></row>'
    parts[SHEET] = SHEET_XML + HEADER_ROW + formula + b'<row r="3">' + cells + b"</row>" + SHEET_END
    return zipped(parts)


def styles_pointing_at_a_large_part():
    """The workbook's styles are a second "worksheet" part of 30 MB, which openpyxl would parse whole."""
    parts = workbook_parts()
    styles = b"".join(b'<xf numFmtId="%d" fontId="%d" fillId="0"/>' % (n % 997, n % 89) for n in range(750_000))
    parts["xl/worksheets/sheet2.xml"] = b'<styleSheet xmlns="x"><cellXfs>' + styles + b"</cellXfs></styleSheet>"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"styles.xml", b"worksheets/sheet2.xml"
    )
    return zipped(parts)


def a_csv_line_of_thirty_million_commas():
    return b"nik,periode\n" + b"," * 30_000_000 + b"\n"


def a_real_workbook_of_20000_rows():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["NIK", "Full name", "Birth date", "Gender", "Phone", "Address", "Kecamatan", "Occupation"])
    for number in range(20_000):
        sheet.append(
            [f"3301020101{number:06d}", f"Pekerja {number}", "01-01-1980", "L", f"0812{number:08d}",
             f"Jl. Sudirman No. {number}", "Cilacap Selatan", "Petani"]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ZIP_BOMB = "it is refused as a possible zip bomb."
CASES = {
    "lying-sizes-zip-bomb": ("peserta.xlsx", "enrolment", lying_sizes_bomb, ZIP_BOMB),
    "lying-sizes-zip-bomb-as-payments": ("pembayaran.xlsx", "payments", lying_sizes_bomb, ZIP_BOMB),
    "bzip2-parts": ("peserta.xlsx", "enrolment", bzip2_parts, "compressed in a way Excel does not use"),
    "a-row-of-two-million-cells": (
        "pembayaran.xlsx", "payments", a_row_of_two_million_cells, "A row of the sheet has more than 16,384 cells"
    ),
    "styles-pointing-at-a-large-part": (
        "pembayaran.xlsx", "payments", styles_pointing_at_a_large_part,
        "The workbook is put together in an unusual way (xl/worksheets/sheet2.xml).",
    ),
    "a-csv-line-of-thirty-million-commas": (
        "pembayaran.csv", "payments", a_csv_line_of_thirty_million_commas,
        "Line 2 of the CSV file is longer than 65,536 characters",
    ),
    "a-real-workbook-of-20000-rows": ("peserta.xlsx", "enrolment", a_real_workbook_of_20000_rows, 20_000),
    # Last: where the fast reader runs out of memory it does not raise, it aborts the process.
    "one-text-in-every-cell": ("peserta.xlsx", "enrolment", one_text_in_every_cell, 5000),
}  # fmt: skip

READER = """
import json, os, sys
import django
django.setup()
from django.core.files import File
from django.utils import translation
from enrollment.importing.limits import ENROLMENT_LIMITS, PAYMENT_LIMITS
from enrollment.importing.reader import SpreadsheetError, open_table

translation.activate("en")
for line in sys.stdin:
    case, path, limits = json.loads(line)
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the peak starts again from what the process holds now
    with open(path, "rb") as handle:
        try:
            table = open_table(File(handle, name=os.path.basename(path)), limits=dict(
                enrolment=ENROLMENT_LIMITS, payments=PAYMENT_LIMITS)[limits])
            outcome = sum(1 for _row in table.rows)
        except SpreadsheetError as error:
            outcome = " ".join(error.args)
        except MemoryError:  # past the address space given to this process
            outcome = "MemoryError"
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps([case, outcome, peak]), flush=True)
"""


def _limit_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.fixture(scope="module")
def read_in_a_worker(tmp_path_factory):
    """``{case: (what the reader said or how many rows it read, peak memory in kB)}``: every file read by one
    process, its peak reset before each."""
    folder = tmp_path_factory.mktemp("uploads")
    requests, sizes = [], {}
    for case, (name, limits, build, _expected) in CASES.items():
        path = folder / case / name
        path.parent.mkdir()
        path.write_bytes(build())
        sizes[case] = path.stat().st_size
        requests.append(json.dumps([case, str(path), limits]))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(settings.BASE_DIR)}
    finished = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", READER],
        input="\n".join(requests) + "\n",
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=environment,
        preexec_fn=_limit_address_space,  # noqa: PLW1509 - the child only sets its own limit
        timeout=300,
        check=False,
    )
    results = {"stderr": finished.stderr[-3000:]}
    for line in finished.stdout.splitlines():
        case, outcome, peak = json.loads(line)
        results[case] = (outcome, peak, sizes[case])
    return results


@pytest.mark.parametrize("case", CASES)
def test_the_upload_is_refused_or_read_within_the_bound(read_in_a_worker, case):
    assert case in read_in_a_worker, f"the reading process died before it finished: {read_in_a_worker['stderr']}"
    outcome, peak, size = read_in_a_worker[case]
    _name, limits, _build, expected = CASES[case]

    assert size <= LIMITS[limits].upload_bytes  # the limit on what may be uploaded is not what stops it

    if isinstance(expected, int):
        assert outcome == expected
    else:
        assert isinstance(outcome, str) and expected in outcome, outcome
    assert peak < PEAK_BOUND_KB, f"the worker peaked at {peak // 1024} MB"


BOUNDS = ZipBounds(
    entries=10, entry_bytes=8 * 1024**2, total_bytes=8 * 1024**2, ratio=100, ratio_checked_above=1024**2,
    directory_bytes=64 * 1024,
)  # fmt: skip


class Looker:
    """An ``inspect`` for ``zip_checked`` that keeps what it was handed: how many bytes, the largest piece."""

    def __init__(self):
        self.fed, self.largest = 0, 0

    def part(self, name):
        return self

    def feed(self, chunk):
        self.fed += len(chunk)
        self.largest = max(self.largest, len(chunk))

    def close(self):
        pass


def test_the_kernel_stops_inflating_at_its_bound_and_hands_out_nothing_past_it():
    looker = Looker()
    bomb = zip_with_declared_sizes({"a.xml": (deflated_repeating(b"", b"<x/>", 1024), b"<x/>")})

    with pytest.raises(ZipRefused) as refusal:
        zip_checked(io.BytesIO(bomb), BOUNDS, inspect=looker.part)

    assert refusal.value.reason == ZipRefused.ENTRY_SIZE
    assert BOUNDS.entry_bytes - INFLATED_CHUNK_BYTES < looker.fed <= BOUNDS.entry_bytes
    assert looker.largest <= INFLATED_CHUNK_BYTES


def test_the_kernel_measures_every_part_of_an_honest_zip():
    looker = Looker()
    text = "".join(random.Random(2).choices(string.ascii_letters, k=3 * 1024**2)).encode()

    sizes = zip_checked(io.BytesIO(zipped({"a.xml": text, "b.bin": b"tiny"})), BOUNDS, inspect=looker.part)

    assert sizes == {"a.xml": len(text), "b.bin": 4}
    assert looker.fed == len(text) + 4
    assert looker.largest <= INFLATED_CHUNK_BYTES


def test_a_part_that_is_not_the_size_it_declares_is_refused_however_small(english):
    real = SHEET_XML + HEADER_ROW + b'<row r="2"><c r="A2"><v>1</v></c></row>' + SHEET_END
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    lying = (compressor.compress(real) + compressor.flush(), real[:100])
    workbook = zip_with_declared_sizes({**workbook_parts(), SHEET: lying})

    with pytest.raises(SpreadsheetError) as refusal:
        open_table(SimpleUploadedFile("peserta.xlsx", workbook))

    assert refusal.value.args == ("The workbook is damaged and cannot be read.",)
