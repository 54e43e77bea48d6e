"""What a signed PKS document may be: a PDF that parses, has pages, and can do nothing but show them.

Staff and the branch head download the signed agreement and open it in whatever PDF reader their
computer has, so the file must not be able to act. Starting with ``%PDF-`` proves nothing (an HTML page
with a PDF header, a PDF with a JavaScript action both do), so the file is parsed with pypdf (within
limits on what it decompresses) and every object in it is looked at, reachable from the catalogue or not,
as a viewer that repairs a damaged file might find it.

Refused, wherever it is in the file:
- **JavaScript**: a ``/JS`` or ``/JavaScript`` entry (a script, the document's script name tree) or an
  action of type ``/JavaScript``;
- **actions that run something or leave the document**: ``/Launch`` (starts a program), ``/GoToR`` and
  ``/GoToE`` (open another file, on a network share too), ``/ImportData``, ``/SubmitForm`` (sends the form
  somewhere), ``/RichMediaExecute`` and ``/Rendition`` (media players, which may carry JavaScript). This
  covers ``/OpenAction`` and ``/AA`` (the actions run on opening, closing, printing, focusing a field …):
  an open action that only shows a page is allowed, one that runs any of these is refused;
- **embedded files**: the ``/EmbeddedFiles`` name tree, ``/EmbeddedFile`` streams, file specifications with
  ``/EF``, file-attachment annotations;
- **XFA forms** (``/XFA``: a form defined in XML, scripted) and **rich-media annotations** (Flash, 3D);
- **polyglots**: HTML markup (``<html``, ``<script``, ``<iframe`` …) anywhere in the file, or anything but
  white space and comments after its last ``%%EOF``;
- a file pypdf cannot open without a password (encrypted with a user password, or with AES, which needs
  a package this project does not install): it cannot be inspected, so it is refused.

Allowed: pages, images, fonts, links (``/URI`` to an ``http``, ``https`` or ``mailto`` address — a
``javascript:`` or ``file:`` one is refused —, ``/GoTo``, named actions), ordinary form fields and
digital-signature fields (a signed PKS may be signed electronically).

The view still serves it as an attachment, as ``application/pdf``, with ``X-Content-Type-Options:
nosniff`` (Django's ``SECURE_CONTENT_TYPE_NOSNIFF``): what passes here is never opened by the browser as
anything else.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_OBJECTS = 200_000
"""Dictionaries and arrays looked at: a scanned agreement has a few hundred, a long document from a word
processor tens of thousands; a file built to take minutes is refused."""

MAX_DECODED_BYTES = 32 * 1024 * 1024
"""What pypdf may decompress for any one stream while the file is inspected (object streams, the
cross-reference stream): page images are never decoded here."""

CONTAINERS = (DictionaryObject, ArrayObject, IndirectObject)
SCRIPT_KEYS = ("/JS", "/JavaScript")
REFUSED_ACTIONS = (
    "/JavaScript",
    "/Launch",
    "/GoToR",
    "/GoToE",
    "/ImportData",
    "/SubmitForm",
    "/RichMediaExecute",
    "/Rendition",
)
EMBEDDED_KEYS = ("/EmbeddedFiles", "/EF")
WEB_SCHEMES = ("http://", "https://", "mailto:")
REFUSED_SUBTYPES = ("/FileAttachment", "/RichMedia")
HTML_MARKUP = re.compile(
    rb"<(?:html|head|body|script|iframe|object|embed|meta)[\s>/]|<!doctype\s+html|<\?xml-stylesheet", re.IGNORECASE
)
AFTER_END = re.compile(rb"(?:[\s\x00]|%[^\r\n]*)*")
END_MARKER = b"%%EOF"

logger = logging.getLogger(__name__)


def check_pdf(uploaded):
    """Refuse ``uploaded`` (a file object whose first bytes were seen to be ``%PDF-``) unless it is a PDF
    without active content; ``ValidationError`` saying what was found."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    _check_bytes(data)
    uploaded.seek(0)
    try:
        with apply_configuration(
            zlib_maximum_output_length=MAX_DECODED_BYTES,
            lzw_maximum_output_length=MAX_DECODED_BYTES,
            run_length_maximum_output_length=MAX_DECODED_BYTES,
            brotli_maximum_output_length=MAX_DECODED_BYTES,
            stream_decoding_work_maximum_length=4 * MAX_DECODED_BYTES,
        ):
            reader = PdfReader(uploaded, strict=False)
            _open(reader)
            if len(reader.pages) == 0:
                raise ValidationError(_("This PDF has no pages."), code="pdf_no_pages")
            _check_objects(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError) as error:
        logger.info("A PDF could not be read: %r", error)
        raise ValidationError(
            _("This file is not a PDF that can be read (it may be damaged). Save or scan it again as PDF."),
            code="not_pdf_content",
        ) from None
    finally:
        uploaded.seek(0)


def _check_bytes(data):
    """HTML anywhere, or anything but white space and comments after the last ``%%EOF``: a file that is a
    PDF and something else at once."""
    if HTML_MARKUP.search(data):
        raise ValidationError(
            _("This PDF also holds web-page (HTML) code, so it is refused. Save or scan the agreement again as PDF."),
            code="pdf_polyglot",
        )
    end = data.rfind(END_MARKER)
    if end < 0:
        raise ValidationError(
            _("This file is not a PDF that can be read (it may be damaged). Save or scan it again as PDF."),
            code="not_pdf_content",
        )
    if not AFTER_END.fullmatch(data, end + len(END_MARKER)):
        raise ValidationError(
            _("Something else is attached after the end of this PDF, so it is refused. Save or scan it again as PDF."),
            code="pdf_polyglot",
        )


def _open(reader):
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError):
        opened = 0
    if not opened:
        raise ValidationError(
            _("This PDF is password-protected or encrypted. Save it again without protection and upload that."),
            code="pdf_encrypted",
        )


def _check_objects(reader):
    """Every object of the file, those in its cross-reference table and those reachable from its trailer,
    each looked at once (``_refusal``)."""
    pending = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen, looked_at = set(), 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if not isinstance(item, DictionaryObject | ArrayObject):
            continue
        looked_at += 1
        if looked_at > MAX_OBJECTS:
            raise ValidationError(
                _("This PDF is too complex to be checked. Save or scan it again as a plain PDF."), code="pdf_complex"
            )
        if isinstance(item, DictionaryObject):
            problem = _refusal(item)
            if problem:
                raise ValidationError(problem, code="pdf_active_content")
            item = item.values()
        pending.extend(value for value in item if isinstance(value, CONTAINERS))


def _name(dictionary, key):
    """The name under ``key``, followed if it is a reference (a viewer follows it too), or ``None``."""
    value = dictionary.get(key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return value if isinstance(value, NameObject) else None


def _web_address(uri):
    """Whether a link's target is a web or mail address (not ``javascript:``, ``file:`` or another scheme a
    viewer might hand to something else)."""
    if isinstance(uri, IndirectObject):
        uri = uri.get_object()
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    return isinstance(uri, str) and uri.strip().lower().startswith(WEB_SCHEMES)


def _refusal(dictionary):
    """Why this dictionary (an action, an annotation, a name tree …) makes the file refused, or ``""``."""
    action = _name(dictionary, "/S")
    if any(key in dictionary for key in SCRIPT_KEYS) or action == "/JavaScript":
        return _(
            "This PDF contains JavaScript, which is not allowed. Print it to PDF or scan it again, and upload that."
        )
    if action in REFUSED_ACTIONS or (action == "/URI" and not _web_address(dictionary.get("/URI"))):
        return _(
            "This PDF contains an action that opens or runs something (%(action)s), which is not allowed. Print it "
            "to PDF or scan it again, and upload that."
        ) % {"action": action[1:]}
    if any(key in dictionary for key in EMBEDDED_KEYS) or _name(dictionary, "/Type") == "/EmbeddedFile":
        return _("This PDF has files embedded in it, which is not allowed. Upload the agreement alone.")
    if _name(dictionary, "/Subtype") in REFUSED_SUBTYPES:
        return _("This PDF has attachments or media in it, which are not allowed. Upload the agreement alone.")
    if "/XFA" in dictionary:
        return _(
            "This PDF holds an XFA form, which can run scripts and is not allowed. Print it to PDF and upload that."
        )
    return ""
