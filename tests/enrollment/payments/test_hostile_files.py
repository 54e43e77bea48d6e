"""A hostile or broken payments file is refused as the enrolment import refuses it, and changes nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.importing import limits
from enrollment.importing.reader import SpreadsheetError
from enrollment.models import Contribution, PaymentImport, PaymentLine
from enrollment.services.payments import payment_import_create
from tests.enrollment.payments.conftest import TODAY, csv_file, payment, xlsx_file

pytestmark = pytest.mark.usefixtures("english")


def refused(upload, branch):
    with pytest.raises(SpreadsheetError) as refusal:
        payment_import_create(upload=upload, branch=branch, today=TODAY)
    assert not PaymentImport.objects.exists() and not PaymentLine.objects.exists()
    assert not Contribution.objects.exists()
    return list(refusal.value.args)


def _rezipped(content, edit):
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            archive.writestr(entry, edit(entry.filename, data))
    return target.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(branch):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in ("[Content_Types].xml", "xl/workbook.xml"):
            archive.writestr(part, "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (limits.PAYMENT_LIMITS.uncompressed_bytes + 1))

    errors = refused(SimpleUploadedFile("pembayaran.xlsx", bomb.getvalue()), branch)

    assert "possible zip bomb" in errors[0]


def test_entity_declarations_are_refused(branch, enrolled):
    content = xlsx_file([payment(enrolled())]).read()

    def declare(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
        return data

    errors = refused(SimpleUploadedFile("pembayaran.xlsx", _rezipped(content, declare)), branch)

    assert errors == ["The workbook contains XML entity declarations, which are not allowed."]


def test_a_file_longer_than_the_limit_is_refused_and_nothing_is_kept(branch, enrolled, monkeypatch):
    three_rows = limits.Limits(upload_bytes=limits.PAYMENT_LIMITS.upload_bytes, rows=3, uncompressed_bytes=10**9)
    monkeypatch.setattr("enrollment.services.payments.PAYMENT_LIMITS", three_rows)
    monkeypatch.setattr("enrollment.services.payments.PAYMENT_BATCH_ROWS", 2)  # batches stored before row 4

    errors = refused(csv_file([payment(enrolled(), referensi=f"R{n}") for n in range(4)]), branch)

    assert errors == ["The sheet has more than 3 rows below the header. Split it into smaller files."]


def test_a_formula_in_a_cell_is_a_row_that_cannot_be_read(branch, enrolled):
    pending = payment_import_create(
        upload=xlsx_file([payment(enrolled(), jumlah="=16800*2")]), branch=branch, today=TODAY
    )

    line = pending.lines.get()
    assert line.outcome == PaymentLine.Outcome.MALFORMED
    assert "formula" in line.message


def test_a_csv_in_windows_1252_is_read(branch, enrolled):
    acquisition = enrolled()
    text = "nik;periode;tanggal_bayar;jumlah;kanal;referensi\n"
    text += f"{acquisition.participant.nik};2022-07;05-07-2022;16800;Kantor Pos Cilacap – loket 2;R-1\n"

    pending = payment_import_create(
        upload=SimpleUploadedFile("pembayaran.csv", text.encode("cp1252")), branch=branch, today=TODAY
    )

    assert pending.lines.get().channel_name == "Kantor Pos Cilacap – loket 2"


def test_an_amount_too_large_to_record_is_a_row_that_cannot_be_read(branch, enrolled):
    pending = payment_import_create(
        upload=csv_file([payment(enrolled(), jumlah="1000000000000"), payment(enrolled())]), branch=branch, today=TODAY
    )

    lines = list(pending.lines.order_by("row").values_list("outcome", "message"))
    assert [outcome for outcome, _message in lines] == [PaymentLine.Outcome.MALFORMED, PaymentLine.Outcome.MATCHED]
    assert "at most Rp\u00a0999,999,999,999" in lines[0][1]
    assert pending.lines.get(row=2).cells["jumlah"] == "1000000000000"
