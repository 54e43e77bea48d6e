"""Hostile or broken files get a clear message on the upload page and change nothing."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.importing.limits import MAX_UPLOAD_BYTES
from enrollment.models import ImportBatch, Participant
from tests.enrollment.imports.conftest import HEADERS, person, workbook_bytes, xlsx_upload
from web.imports.forms import ImportUploadForm


@pytest.fixture
def refused(upload):
    """``refused(file)``: upload it and return the file field's errors; assert nothing was kept."""

    def refused(file, **kwargs):
        response = upload(file, **kwargs)
        assert response.status_code == 200
        assert "batch" not in response.context
        assert ImportBatch.objects.count() == 0
        assert Participant.objects.count() == 0
        return response.context["form"].errors.get("file", [])

    return refused


def _zip(entries, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook_entries(rows=None):
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(rows or [person()]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_text_named_xlsx(refused):
    assert refused(SimpleUploadedFile("peserta.xlsx", b"NIK,Nama\n123,Budi\n")) == [
        "The file is named .xlsx but is not an Excel workbook."
    ]


def test_a_renamed_image(refused):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert refused(SimpleUploadedFile("peserta.xlsx", png)) == ["The file is named .xlsx but is not an Excel workbook."]


def test_a_binary_named_csv(refused):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00\x01" * 100
    assert refused(SimpleUploadedFile("peserta.csv", elf)) == ["The file is named .csv but is not a text file."]


def test_a_workbook_named_csv(refused):
    assert refused(SimpleUploadedFile("peserta.csv", workbook_bytes([person()]))) == [
        "The file is named .csv but is an Excel workbook. Upload it as .xlsx."
    ]


def test_an_old_or_password_protected_workbook(refused):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert refused(SimpleUploadedFile("peserta.xlsx", ole)) == [
        "The workbook is password-protected or in the old .xls format. Save it as .xlsx without a password."
    ]


@pytest.mark.parametrize("name", ["peserta.xls", "peserta.pdf", "peserta"])
def test_other_kinds_of_file(refused, name):
    errors = refused(SimpleUploadedFile(name, b"%PDF-1.4 whatever"))
    assert errors in (
        ["Upload an Excel workbook (.xlsx) or a CSV file (.csv)."],
        ["The old Excel format (.xls) is not accepted. Save the file as .xlsx and upload it again."],
    )


def test_a_zip_that_is_not_a_workbook(refused):
    assert refused(SimpleUploadedFile("peserta.xlsx", _zip({"readme.txt": b"hello"}))) == [
        "The file is named .xlsx but is not an Excel workbook."
    ]


def test_a_damaged_workbook(refused):
    data = workbook_bytes([person()])
    assert refused(SimpleUploadedFile("peserta.xlsx", data[: len(data) // 2])) == [
        "The workbook is damaged and cannot be read."
    ]


def test_zip_bomb_with_too_many_parts(refused):
    entries = {**_workbook_entries(), **{f"xl/media/image{n}.bin": b"x" for n in range(150)}}
    (error,) = refused(SimpleUploadedFile("peserta.xlsx", _zip(entries)))
    assert error.startswith("The workbook holds 159 parts; at most 100 are accepted.")


def test_zip_bomb_expanding_beyond_the_total_cap(refused):
    entries = {**_workbook_entries(), "xl/media/padding.bin": b"\x00" * (101 * 1024 * 1024)}
    data = _zip(entries)
    assert len(data) < MAX_UPLOAD_BYTES
    assert refused(SimpleUploadedFile("peserta.xlsx", data)) == [
        "The workbook would expand to more than 100 MB; it is refused as a possible zip bomb."
    ]


def test_zip_bomb_with_an_extreme_compression_ratio(refused):
    entries = _workbook_entries()
    sheet = entries["xl/worksheets/sheet1.xml"]
    entries["xl/worksheets/sheet1.xml"] = sheet.replace(b"</worksheet>", b" " * (20 * 1024 * 1024) + b"</worksheet>")
    assert refused(SimpleUploadedFile("peserta.xlsx", _zip(entries))) == [
        "Part of the workbook is compressed more than 100 times; it is refused as a possible zip bomb."
    ]


ENTITY_DOCTYPE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
)
EXTERNAL_DOCTYPE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def _with_doctype(xml, doctype, reference):
    """``xml`` with ``doctype`` in front and ``reference`` (e.g. "&xxe;") as the first inline string."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return doctype + body.replace(b"<is><t>", b"<is><t>" + reference, 1)


@pytest.mark.parametrize(("doctype", "reference"), [(ENTITY_DOCTYPE, b"&lol2;"), (EXTERNAL_DOCTYPE, b"&xxe;")])
def test_xml_entities_in_a_worksheet_are_refused(refused, doctype, reference):
    entries = _workbook_entries()
    entries["xl/worksheets/sheet1.xml"] = _with_doctype(entries["xl/worksheets/sheet1.xml"], doctype, reference)
    assert refused(SimpleUploadedFile("peserta.xlsx", _zip(entries))) == [
        "The workbook contains XML entity declarations, which are not allowed."
    ]


def test_xml_entities_in_the_workbook_part_are_refused(refused):
    entries = _workbook_entries()
    entries["xl/workbook.xml"] = _with_doctype(entries["xl/workbook.xml"], EXTERNAL_DOCTYPE, b"")
    assert refused(SimpleUploadedFile("peserta.xlsx", _zip(entries))) == [
        "The workbook contains XML entity declarations, which are not allowed."
    ]


def test_a_file_over_the_size_limit_is_dropped_while_uploading(refused):
    too_big = SimpleUploadedFile("peserta.xlsx", b"PK\x03\x04" + b"\x00" * MAX_UPLOAD_BYTES)
    assert refused(too_big) == ["The file is larger than 5 MB. Split it into smaller files."]


def test_the_upload_form_refuses_a_file_over_the_size_limit(staff, agent, english):
    too_big = SimpleUploadedFile("peserta.xlsx", b"\x00" * (MAX_UPLOAD_BYTES + 1))
    form = ImportUploadForm(data={"agent": agent.pk}, files={"file": too_big}, user=staff)
    assert form.errors["file"] == ["The file is larger than 5 MB. Split it into smaller files."]


def test_an_empty_form_told_its_file_was_dropped_for_size_draws_without_failing(staff, english):
    form = ImportUploadForm(None, None, user=staff, too_large=True)
    assert not form.is_valid() and form.errors == {}


def test_a_sheet_of_100000_rows_is_refused_without_reading_it_all(refused):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(HEADERS.values()))
    for number in range(100_001):
        sheet.append([f"row {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refused(SimpleUploadedFile("peserta.xlsx", buffer.getvalue())) == [
        "The sheet has more than 20,000 rows below the header. Split it into smaller files."
    ]


def test_a_csv_of_100000_rows_is_refused(refused):
    data = ",".join(HEADERS.values()).encode() + b"\n" + b"3301020101700001,Budi\n" * 100_001
    assert refused(SimpleUploadedFile("peserta.csv", data)) == [
        "The sheet has more than 20,000 rows below the header. Split it into smaller files."
    ]


def test_an_empty_sheet(refused):
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    assert refused(SimpleUploadedFile("peserta.xlsx", buffer.getvalue())) == [
        "The first sheet is empty: row 1 must hold the column headers."
    ]


def test_headers_without_rows(refused):
    assert refused(xlsx_upload([])) == ["The sheet has headers but no rows below them."]


def test_missing_and_misspelled_headers_are_named(refused):
    headers = {key: label for key, label in HEADERS.items() if key not in ("occupation", "agent_code")}
    headers["birth_date"] = "Brith date"
    errors = refused(xlsx_upload([person()], headers=headers))
    assert errors == [
        "Row 1 has no “Birth date” column. Is “Brith date” in column C meant to be it? Correct its spelling.",
        "Row 1 has no “Occupation” column.",
    ]


def test_the_agent_code_column_is_needed_when_no_agent_is_chosen(refused):
    headers = {key: label for key, label in HEADERS.items() if key != "agent_code"}
    assert refused(xlsx_upload([person()], headers=headers), agent=None) == [
        "Row 1 has no “Agent code” column. Choose the agent on the upload page, or add an agent-code column."
    ]


def test_a_column_given_twice(refused):
    headers = {**HEADERS, "extra": "Full name"}
    assert refused(xlsx_upload([person()], headers=headers)) == ["Columns B and O are both “Full name”; keep one."]
