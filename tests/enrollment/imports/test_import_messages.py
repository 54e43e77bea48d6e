"""Two things Excel does to a file, each told as what happened and how to fix it (not "not a text file" or
"digits only"): saving it as UTF-16 ("Unicode Text"), and turning a NIK into a number in scientific
notation (3.30101E+15), which loses its digits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.importing.reader import SpreadsheetError
from enrollment.models import ImportBatch, PaymentImport, PaymentLine
from enrollment.services.payments import payment_import_create
from tests.enrollment.imports.conftest import HEADERS, csv_upload, person
from tests.enrollment.payments.conftest import TODAY, csv_file, payment

UTF16 = (
    "The file is UTF-16 text (what Excel's “Unicode Text” writes), which is not accepted. In Excel choose "
    "Save As › “CSV UTF-8 (Comma delimited)” and upload that file."
)
SCIENTIFIC = (
    "Excel turned this number into scientific notation (3.30101E+15), which loses its digits. Format the column "
    "as Text and type the number again."
)


def _utf16_without_mark(rows):
    """What a program that writes UTF-16 without a byte-order mark makes of the same rows."""
    text = csv_upload(rows).read().decode()
    return SimpleUploadedFile("peserta.csv", text.encode("utf-16-le"), content_type="text/csv")


@pytest.mark.parametrize(
    "file",
    [
        pytest.param(lambda rows: csv_upload(rows, encoding="utf-16"), id="with-its-byte-order-mark"),
        pytest.param(_utf16_without_mark, id="without-a-byte-order-mark"),
        pytest.param(lambda rows: csv_upload(rows, encoding="utf-16", delimiter="\t"), id="unicode-text-with-tabs"),
    ],
)
def test_a_utf16_file_is_named_as_such_with_how_to_save_it(upload, file):
    response = upload(file([person()]))

    assert response.context["form"].errors["file"] == [UTF16]
    assert not ImportBatch.objects.exists()


def test_a_file_of_bytes_is_still_not_a_text_file(upload):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00\x01" * 100

    response = upload(SimpleUploadedFile("peserta.csv", elf))

    assert response.context["form"].errors["file"] == ["The file is named .csv but is not a text file."]


def test_a_nik_in_scientific_notation_says_excel_did_it_and_how_to_undo_it(upload):
    rows = [person(), person(nik="3.30101E+15")]

    batch = upload(csv_upload(rows)).context["batch"]

    (error,) = batch.result["errors"]
    assert (error["row"], error["cell"], error["message"]) == (3, "A3", SCIENTIFIC)


def test_the_indonesian_decimal_comma_is_recognised_too(upload):
    batch = upload(csv_upload([person(nik="3,30101E+15")], delimiter=";")).context["batch"]

    (error,) = batch.result["errors"]
    assert error["message"].startswith("Excel turned this number into scientific notation (3,30101E+15)")


def test_the_header_names_still_match(upload):
    """The UTF-16 check looks at the bytes only: a UTF-8 file with the same headers is read as before."""
    batch = upload(csv_upload([person()])).context["batch"]

    assert batch.result["valid"] == 1
    assert set(batch.result["columns"]) == set(HEADERS)


@pytest.mark.usefixtures("english")
def test_a_payments_file_gets_the_same_messages(branch):
    with pytest.raises(SpreadsheetError) as refusal:
        payment_import_create(upload=_utf16_payments(), branch=branch, today=TODAY)
    assert refusal.value.args == (UTF16,)

    pending = payment_import_create(upload=csv_file([payment(nik="3.30101E+15")]), branch=branch, today=TODAY)

    line = pending.lines.get()
    assert line.outcome == PaymentLine.Outcome.MALFORMED
    assert f"NIK: {SCIENTIFIC}" in line.message
    assert PaymentImport.objects.count() == 1


def _utf16_payments():
    content = csv_file([payment()]).read().decode("utf-8")
    return SimpleUploadedFile("pembayaran.csv", content.encode("utf-16"))
