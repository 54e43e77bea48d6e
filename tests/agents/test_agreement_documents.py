"""The signed PKS PDF: PDF only (name and content), 10 MB at most, a generated storage name, served only in scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agents.models import CooperationAgreement
from agents.services import MAX_DOCUMENT_BYTES
from tests.pdf_builders import pdf_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PDF = pdf_document()


def pdf(name="pks-signed.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def upload(client, agreement, file):
    return client.post(reverse("agents:agreement_upload", args=[agreement.pk]), {"document": file})


def stored(agreement):
    return CooperationAgreement.objects.get(pk=agreement.pk).document


def test_a_pdf_is_stored_under_a_generated_name_inside_media_root(staff_client, agreement, media):
    response = upload(staff_client, agreement, pdf("../../etc/Surat PKS <asli>.pdf"))

    document = stored(agreement)
    assert response.status_code == 302
    assert document.name.startswith("agreements/")
    assert "asli" not in document.name and ".." not in document.name and " " not in document.name
    assert (media / document.name).resolve().is_relative_to(media.resolve())
    assert (media / document.name).read_bytes() == PDF


@pytest.mark.parametrize(
    "file, message",
    [
        (pdf("pks.docx", b"PK\x03\x04 word document"), "as a PDF file (.pdf)"),
        (pdf("pks.exe", PDF), "as a PDF file (.pdf)"),
        (pdf("pks.pdf", b"MZ\x90\x00 renamed program"), "not a PDF, whatever its name says"),
        (pdf("pks.pdf", b"<html><script>alert(1)</script>"), "not a PDF, whatever its name says"),
        (pdf("pks.pdf.exe", PDF), "as a PDF file (.pdf)"),
        (pdf("pks.pdf", b""), "The submitted file is empty."),
    ],
    ids=["word-file", "pdf-content-wrong-name", "renamed-binary", "renamed-html", "double-extension", "empty"],
)
def test_anything_but_a_pdf_is_refused_and_nothing_is_stored(staff_client, agreement, media, file, message):
    response = upload(staff_client, agreement, file)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not stored(agreement)
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(staff_client, agreement, media):
    big = pdf(content=PDF + b"%" + b"0" * (MAX_DOCUMENT_BYTES - len(PDF)))

    response = upload(staff_client, agreement, big)

    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not stored(agreement)


def test_a_file_of_exactly_the_limit_is_accepted(staff_client, agreement):
    upload(staff_client, agreement, pdf(content=PDF + b"%" + b"0" * (MAX_DOCUMENT_BYTES - len(PDF) - 1)))

    assert stored(agreement)


def test_an_upper_case_extension_is_a_pdf_too(staff_client, agreement):
    upload(staff_client, agreement, pdf("SCAN_PKS.PDF"))

    assert stored(agreement)


def test_a_replaced_document_keeps_the_earlier_file_for_the_history(staff_client, agreement, media):
    upload(staff_client, agreement, pdf())
    first = stored(agreement).name
    upload(staff_client, agreement, pdf(content=PDF + b"% second"))

    assert stored(agreement).name != first
    assert (media / first).exists()


def test_the_document_is_served_as_a_pdf_attachment_with_a_safe_name(staff_client, agreement):
    agreement.number = 'PKS/CLP-01/2024/004"; evil'
    agreement.save()
    upload(staff_client, agreement, pdf("whatever.pdf"))

    response = staff_client.get(reverse("agents:agreement_document", args=[agreement.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="PKS-CLP-01-2024-004-evil.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_the_head_may_download_but_not_upload(head_client, staff_client, agreement):
    upload(staff_client, agreement, pdf())
    name = stored(agreement).name

    assert head_client.get(reverse("agents:agreement_document", args=[agreement.pk])).status_code == 200
    assert upload(head_client, agreement, pdf(content=PDF + b"% head")).status_code == 403
    assert stored(agreement).name == name


def test_another_branchs_document_is_404(staff_client, admin_client_national, other_agreement):
    upload(admin_client_national, other_agreement, pdf())
    assert stored(other_agreement)

    assert staff_client.get(reverse("agents:agreement_document", args=[other_agreement.pk])).status_code == 404
    assert upload(staff_client, other_agreement, pdf()).status_code == 404


def test_no_document_or_a_missing_file_is_404(staff_client, agreement, media):
    url = reverse("agents:agreement_document", args=[agreement.pk])
    assert staff_client.get(url).status_code == 404

    upload(staff_client, agreement, pdf())
    (media / stored(agreement).name).unlink()

    assert staff_client.get(url).status_code == 404


def test_signing_in_is_required_to_download(client, staff_client, agreement):
    upload(staff_client, agreement, pdf())

    response = client.get(reverse("agents:agreement_document", args=[agreement.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_media_url_does_not_serve_documents(staff_client, agreement):
    upload(staff_client, agreement, pdf())

    assert staff_client.get(f"/media/{stored(agreement).name}").status_code == 404


def test_create_and_renew_take_the_pdf_too(staff_client, office):
    data = {"office": office.pk, "number": "PKS/1", "signed_on": "2022-01-01", "starts_on": "2022-01-01"}
    staff_client.post(reverse("agents:agreement_create"), {**data, "ends_on": "2022-12-31", "document": pdf()})
    first = CooperationAgreement.objects.get(number="PKS/1")

    renew = {"number": "PKS/2", "signed_on": "2022-12-01", "starts_on": "2023-01-01", "ends_on": "2023-12-31"}
    refused = staff_client.post(
        reverse("agents:agreement_renew", args=[first.pk]), {**renew, "document": pdf("x.pdf", b"GIF89a")}
    )
    staff_client.post(reverse("agents:agreement_renew", args=[first.pk]), {**renew, "document": pdf()})

    assert first.document
    assert "not a PDF" in refused.content.decode()
    assert CooperationAgreement.objects.get(number="PKS/2").document
