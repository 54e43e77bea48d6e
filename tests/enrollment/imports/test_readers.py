"""The two .xlsx readers give the same table, and the fast one only reads plain, small workbooks."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.importing import reader
from enrollment.importing.limits import MAX_COLUMNS, MAX_ROWS

VARIED_ROWS = [
    ["NIK", "Nama", "Tanggal lahir", "Penghasilan", "JHT", "Catatan", None, "Waktu"],
    ["3301994101600001", "  Siti  ", datetime.date(1985, 3, 15), 1_000_000, True, None, None,
     datetime.datetime(2022, 3, 1, 8, 30)],
    [3301994101600002, "Budi", datetime.datetime(1990, 11, 2), 1_250_000.5, False, "", "x", None],
    [None, None, None, None, None, None, None, None],
    ["3301994101600003", "Ani Wati", "15-03-1985", 2.0, "Ya", "catatan: lunas", None, 7],
]  # fmt: skip


def _upload(rows, *, edit=None, name="peserta.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if edit:
        content = _edited(content, edit)
    return SimpleUploadedFile(name, content)


def _edited(content, edit):
    """``content`` with ``edit(xml)`` applied to the first worksheet's XML."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            archive.writestr(entry, data)
    return target.getvalue()


def _table(rows):
    """The table a reader's rows make, as the import sees it."""
    streamed = reader._stream(rows, MAX_ROWS)
    return reader.RawTable(header=streamed.header, rows=list(streamed.rows))


def test_both_readers_give_the_same_table():
    fast = _table(reader._read_plain_xlsx(_upload(VARIED_ROWS)))
    slow = _table(reader._read_with_openpyxl(_upload(VARIED_ROWS)))
    assert fast == slow
    assert fast.header[:8] == ["NIK", "Nama", "Tanggal lahir", "Penghasilan", "JHT", "Catatan", None, "Waktu"]
    assert fast.header[8:] == [None] * (MAX_COLUMNS - 8)
    assert [number for number, _values in fast.rows] == [2, 3, 5]
    assert fast.rows[0][1][:5] == ["3301994101600001", "Siti", "1985-03-15", 1_000_000, True]


@pytest.fixture
def readers_used(monkeypatch):
    used = []
    for name in ("_read_plain_xlsx", "_read_with_openpyxl"):
        original = getattr(reader, name)

        def spy(upload, original=original, name=name):
            used.append(name)
            return original(upload)

        monkeypatch.setattr(reader, name, spy)
    return used


def test_a_plain_workbook_is_read_by_the_fast_reader(readers_used):
    table = reader.read_table(_upload(VARIED_ROWS))
    assert readers_used == ["_read_plain_xlsx"]
    assert len(table.rows) == 3


def _formula(xml):
    return xml.replace(b"<v>1000000</v>", b"<f>SUM(1,2)</f><v>3</v>")


def _huge_size(xml):
    return xml.replace(b'<dimension ref="A1:H5"', b'<dimension ref="A1:XFD1048576"')


def _far_column(xml):
    return xml.replace(b'r="H2"', f'r="{openpyxl.utils.get_column_letter(MAX_COLUMNS + 1)}2"'.encode())


def _far_row(xml):
    far = MAX_ROWS + 2
    return xml.replace(b'<row r="5"', f'<row r="{far}"'.encode()).replace(b'r="A5"', f'r="A{far}"'.encode())


def _declaration(xml):
    return b'<?xml version="1.0"?><!DOCTYPE worksheet []>' + xml.split(b"?>", 1)[-1]


@pytest.mark.parametrize("edit", [_formula, _huge_size, _far_column, _far_row, _declaration])
def test_anything_but_a_plain_small_workbook_goes_to_openpyxl(readers_used, edit):
    upload = _upload(VARIED_ROWS, edit=edit)
    assert not reader._plain_and_small(upload)
    try:
        reader.read_table(upload)
    except reader.SpreadsheetError:
        pass  # openpyxl refuses a DTD; the point is which reader looked
    assert readers_used == ["_read_with_openpyxl"]


def test_a_workbook_the_fast_reader_cannot_read_is_read_by_openpyxl(readers_used, monkeypatch):
    def broken(upload):
        raise RuntimeError("not readable here")

    monkeypatch.setattr(reader, "CalamineWorkbook", type("Broken", (), {"from_filelike": staticmethod(broken)}))
    table = reader.read_table(_upload(VARIED_ROWS))
    assert readers_used == ["_read_plain_xlsx", "_read_with_openpyxl"]
    assert len(table.rows) == 3
