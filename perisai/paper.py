"""Official documents on A4 paper: the branch's letterhead, a title and its number, the text, a signature.

The certificates, letters and cards the branch prints share one page: the letterhead (kop surat: the
organisation, the branch's name, address and phone, a double rule under them), a centred title with the
document's number under it, the body (paragraphs, a key/value table, a numbered list), the signature
block on the right (place and date, position, room for the signature and stamp, the signatory's name),
and a footer with the document's number and the page. A document module builds a ``Document`` of plain
values and calls ``render``; this module knows no model of ours. The branch's letterhead and its head's
signature are filled from a ``Branch`` once, in ``agents.letters`` (``letterhead``, ``branch_signature``),
for every document of every app above it.

Decisions:
- **One page.** The body and the signature are kept in one frame that shrinks its content when it would
  overflow (ReportLab's ``KeepInFrame``), so a long list of materials makes the type smaller instead of
  pushing the signature onto a second page.
- **Indonesian.** Dates are written ``15 Juni 2022`` whatever language is active (``indonesian_date``):
  an official document reads the same for everyone who prints it.
- **Base-14 fonts** (Times, Helvetica: in every PDF reader, nothing embedded, no font file to ship). They
  cover Windows-1252 (Latin letters with their accents, curly quotes, the bullet of a masked NIK); a
  character outside it would print as a black box, so ``printable`` writes it as its plain letter
  (``Ş`` → ``S``), or ``?`` when it has none. Names on an e-KTP are Latin letters, so this is rare.
- **The same bytes** for the same document: the file's dates and identifier are fixed (ReportLab's
  ``invariant``), so printing a certificate twice gives the same file.
- **Missing details** (a branch without an address, a phone or a signatory's name) leave their line
  out, or a dotted line to sign over; the document still prints.
- **QR codes** (``QrCode`` in a body, ``draw_qr`` on any canvas, segno's encoder) carry a URL only, never
  personal data: the page they open asks for a sign-in like any other. Error correction M (15% of the
  symbol may be lost to a crease or a stain and it still reads) and the standard's 4-module quiet zone,
  drawn as part of the code's size so nothing printed beside it can touch it.
"""

import datetime
import io
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

ORGANISATION = "BPJS Ketenagakerjaan"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 25 * mm
RIGHT_MARGIN = 20 * mm
TOP_MARGIN = 14 * mm
FOOTER_HEIGHT = 18 * mm
FOOTER_Y = 10 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN

SERIF, SERIF_BOLD = "Times-Roman", "Times-Bold"
SANS, SANS_BOLD = "Helvetica", "Helvetica-Bold"
INK = colors.black
MUTED = colors.HexColor("#444444")

BODY = ParagraphStyle("body", fontName=SERIF, fontSize=11.5, leading=15.5, alignment=TA_JUSTIFY, spaceAfter=6)
CENTRED = ParagraphStyle("centred", parent=BODY, alignment=TA_CENTER)
TITLE = ParagraphStyle("title", parent=BODY, fontName=SERIF_BOLD, fontSize=15, leading=19, alignment=TA_CENTER)
NUMBER = ParagraphStyle("number", parent=BODY, alignment=TA_CENTER, spaceAfter=14)
CELL = ParagraphStyle("cell", parent=BODY, alignment=TA_LEFT, spaceAfter=0)
ITEM = ParagraphStyle("item", parent=BODY, spaceAfter=0)
SIGNATURE = ParagraphStyle("signature", parent=BODY, alignment=TA_LEFT, spaceAfter=0)

SIGNATURE_SPACE = 24 * mm
"""Room between the position and the name for a signature and the branch's stamp."""

INDENT = 8 * mm
"""How far an indented table or list stands in from the paragraphs around it."""
KEY_WIDTH = 36 * mm
COLON_WIDTH = 4 * mm

QR_ERROR = "m"
"""Error correction level M: up to 15% of the symbol may be damaged and it still reads."""
QR_BORDER = 4
"""The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4)."""
QR_SIZE = 30 * mm
"""A QR code's side on an A4 document, quiet zone included: a phone reads it from a desk's distance."""


def indonesian_date(day, *, weekday=False):
    """``15 Juni 2022`` (``Rabu, 15 Juni 2022`` with the weekday), whatever language is active."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def printable(text):
    """``text`` in what the base-14 fonts can draw: characters outside Windows-1252 as their plain letter.

    ``Ş`` and ``ğ`` become ``S`` and ``g`` (their accent dropped); a character with no Latin letter in
    it (a Chinese character, an emoji) becomes ``?``, where ReportLab would draw a black box.
    """
    out = []
    for character in str(text):
        if _drawable(character):
            out.append(character)
            continue
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", character) if _drawable(c) and not unicodedata.combining(c)
        )
        out.append(plain or "?")
    return "".join(out)


def _drawable(character):
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


# --- what a document is made of -------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: the organisation, the office (``Kantor Cabang Cilacap``), where to reach it.

    ``address``, ``city`` and ``phone`` may be empty; an empty one is left out of the letterhead.
    """

    office: str
    address: str = ""
    city: str = ""
    phone: str = ""
    organisation: str = ORGANISATION

    def lines(self):
        """The contact line(s) under the names: the address with its city, then the phone."""
        place = self.address.strip()
        city = self.city.strip()
        if city and city.casefold() not in place.casefold():
            place = f"{place}, {city}" if place else city
        phone = f"Telp. {self.phone.strip()}" if self.phone.strip() else ""
        return [line for line in (place, phone) if line]


@dataclass(frozen=True)
class Signature:
    """Who signs, where and when: ``Cilacap, 15 Juni 2022`` / position / (signature) / name.

    An empty ``place`` leaves the date alone; an empty ``name`` leaves a dotted line to write it on.
    """

    day: datetime.date
    position: str
    name: str = ""
    place: str = ""
    opening: str = ""
    """A line above the place and date when the document needs one (``Dikeluarkan di``)."""


@dataclass(frozen=True)
class Bold:
    """A part of a ``Text`` in bold (a result, a name inside a sentence)."""

    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph: a string, or a tuple of strings and ``Bold`` parts. ``size`` scales the body's type."""

    parts: object
    centred: bool = False
    bold: bool = False
    size: float = 1.0
    space_after: float | None = None


@dataclass(frozen=True)
class Fields:
    """A key/value table (``Nama : Budi Santoso``): rows of (key, value); a row with an empty value is left out."""

    rows: tuple
    indented: bool = False


@dataclass(frozen=True)
class Items:
    """A numbered list (the materials taught, the tasks assigned)."""

    items: tuple
    indented: bool = False


@dataclass(frozen=True)
class QrCode:
    """A QR code of ``data`` (a URL, nothing personal) with ``caption`` beside it, saying what it opens."""

    data: str
    caption: str = ""
    size: float = QR_SIZE


@dataclass(frozen=True)
class Document:
    """One page: ``letterhead``, ``title`` (and ``number`` under it), ``body`` (``Text``, ``Fields``,
    ``Items``), then the ``signature``. ``subject`` goes into the file's properties."""

    letterhead: Letterhead
    title: str
    number: str
    body: tuple
    signature: Signature
    subject: str = ""
    number_label: str = "Nomor"


# --- rendering ------------------------------------------------------------------------------------


def render(document):
    """The PDF of ``document``, as bytes: A4 portrait, one page."""
    buffer = io.BytesIO()
    head_height = _letterhead_height(document.letterhead)
    frame_height = PAGE_HEIGHT - TOP_MARGIN - head_height - FOOTER_HEIGHT
    frame = Frame(
        LEFT_MARGIN,
        FOOTER_HEIGHT,
        TEXT_WIDTH,
        frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def decorate(canvas, doc):
        _draw_letterhead(canvas, document.letterhead)
        _draw_footer(canvas, document)

    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=printable(f"{document.title} {document.number}".strip()),
        author=printable(f"{document.letterhead.organisation} {document.letterhead.office}".strip()),
        subject=printable(document.subject),
        creator="Perisai",
        invariant=True,
        pageTemplates=[PageTemplate(id="letter", frames=[frame], onPage=decorate)],
    )
    content = [*_heading(document), *_body(document.body), Spacer(1, 10), _signature_block(document.signature)]
    template.build([KeepInFrame(TEXT_WIDTH, frame_height, content, mode="shrink")], canvasmaker=_PagedCanvas)
    return buffer.getvalue()


def _markup(text):
    """Plain text for a ``Paragraph``: what the fonts can draw, with ``<`` and ``&`` escaped."""
    return escape(printable(text))


def _letterhead_height(letterhead):
    return (20 + 7 * len(letterhead.lines())) * mm


def _draw_letterhead(canvas, letterhead):
    centre = LEFT_MARGIN + TEXT_WIDTH / 2
    y = PAGE_HEIGHT - TOP_MARGIN - 6 * mm
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.setFont(SANS_BOLD, 16)
    canvas.drawCentredString(centre, y, printable(letterhead.organisation.upper()))
    y -= 7 * mm
    canvas.setFont(SANS_BOLD, 13)
    canvas.drawCentredString(centre, y, printable(letterhead.office.upper()))
    canvas.setFont(SANS, 9.5)
    for line in letterhead.lines():
        y -= 5.5 * mm
        canvas.drawCentredString(centre, y, printable(line))
    # The rule of a kop surat: a thick line over a thin one, the width of the text.
    y -= 4 * mm
    canvas.setLineWidth(2)
    canvas.line(LEFT_MARGIN, y, PAGE_WIDTH - RIGHT_MARGIN, y)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT_MARGIN, y - 2.2, PAGE_WIDTH - RIGHT_MARGIN, y - 2.2)
    canvas.restoreState()


def _draw_footer(canvas, document):
    y = FOOTER_Y
    canvas.saveState()
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.4)
    canvas.line(LEFT_MARGIN, y + 4 * mm, PAGE_WIDTH - RIGHT_MARGIN, y + 4 * mm)
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 8)
    canvas.drawString(LEFT_MARGIN, y, printable(f"{document.number_label}: {document.number}"))
    canvas.restoreState()


def paged_canvas(label, *, right, y):
    """A canvas class that writes ``label(page, pages)`` (``Halaman 1 dari 2``) right-aligned at ``right``, ``y``
    on every page, once it knows how many pages there are (ReportLab draws a page before the next exists)."""

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                self.setFillColor(MUTED)
                self.setFont(SANS, 8)
                self.drawRightString(right, y, printable(label(number, total)))
                self.restoreState()
                super().showPage()
            super().save()

    return PagedCanvas


_PagedCanvas = paged_canvas(
    lambda number, total: f"Halaman {number} dari {total}", right=PAGE_WIDTH - RIGHT_MARGIN, y=FOOTER_Y
)


def _heading(document):
    title = Paragraph(f"<u>{_markup(document.title.upper())}</u>", TITLE)
    number = Paragraph(_markup(f"{document.number_label}: {document.number}"), NUMBER)
    return [title, number]


def _body(blocks):
    flowables = []
    for block in blocks:
        if isinstance(block, Text):
            flowables.append(_paragraph(block))
        elif isinstance(block, Fields):
            table = _fields(block)
            if table is not None:
                flowables.append(table)
        elif isinstance(block, Items):
            flowables.append(_items(block))
        elif isinstance(block, QrCode):
            flowables.append(_qr_block(block))
        else:
            raise TypeError(f"not a part of a document: {block!r}")
    return flowables


def _paragraph(block):
    parts = block.parts if isinstance(block.parts, tuple) else (block.parts,)
    text = "".join(f"<b>{_markup(part.text)}</b>" if isinstance(part, Bold) else _markup(part) for part in parts)
    style = ParagraphStyle(
        "text",
        parent=CENTRED if block.centred else BODY,
        fontName=SERIF_BOLD if block.bold else SERIF,
        fontSize=BODY.fontSize * block.size,
        leading=BODY.leading * block.size,
        spaceAfter=BODY.spaceAfter if block.space_after is None else block.space_after,
    )
    return Paragraph(text, style)


def _fields(block):
    rows = [
        ["", Paragraph(_markup(key), CELL), Paragraph(":", CELL), Paragraph(_markup(value), CELL)]
        for key, value in block.rows
        if str(value).strip()
    ]
    if not rows:
        return None
    indent = INDENT if block.indented else 0
    widths = [indent, KEY_WIDTH, COLON_WIDTH, TEXT_WIDTH - indent - KEY_WIDTH - COLON_WIDTH]
    table = Table(rows, colWidths=widths, hAlign="LEFT", spaceAfter=8)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _items(block):
    rows = [
        ["", Paragraph(f"{n}.", CELL), Paragraph(_markup(item), ITEM)] for n, item in enumerate(block.items, start=1)
    ]
    indent = INDENT if block.indented else 0
    table = Table(rows, colWidths=[indent, 8 * mm, TEXT_WIDTH - indent - 8 * mm], hAlign="LEFT", spaceAfter=8)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    return table


def _signature_block(signature):
    """The signature on the right half: place and date, position, room to sign and stamp, the name."""
    dated = indonesian_date(signature.day)
    lines = []
    if signature.opening:
        lines.append(Paragraph(_markup(signature.opening), SIGNATURE))
    lines.append(Paragraph(_markup(f"{signature.place}, {dated}" if signature.place.strip() else dated), SIGNATURE))
    lines.append(Paragraph(_markup(signature.position), SIGNATURE))
    lines.append(Spacer(1, SIGNATURE_SPACE))
    name = signature.name.strip()
    lines.append(Paragraph(f"<b><u>{_markup(name)}</u></b>" if name else "(" + "." * 50 + ")", SIGNATURE))
    table = Table([["", lines]], colWidths=[TEXT_WIDTH * 0.5, TEXT_WIDTH * 0.5])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# --- QR codes ---------------------------------------------------------------------------------------


def qr_modules(data):
    """The QR code of ``data`` as rows of booleans (dark or not), quiet zone included."""
    code = segno.make(data, error=QR_ERROR, micro=False, boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=QR_BORDER)]


def draw_qr(canvas, data, *, x, y, size):
    """``data``'s QR code as a ``size`` square, quiet zone included, its lower left corner at (``x``, ``y``).

    Each run of dark modules in a row is one rectangle, so the file stays small.
    """
    rows = qr_modules(data)
    module = size / len(rows)
    canvas.saveState()
    canvas.setFillColor(INK)
    for number, row in enumerate(rows):
        top = y + size - (number + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            canvas.rect(x + start * module, top, (column - start) * module, module, stroke=0, fill=1)
    canvas.restoreState()


class _Qr(Flowable):
    def __init__(self, data, size):
        super().__init__()
        self.data, self.size = data, size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        draw_qr(self.canv, self.data, x=0, y=0, size=self.size)


def _qr_block(block):
    """The code on the left, its caption beside it, vertically centred."""
    caption = Paragraph(_markup(block.caption), ParagraphStyle("qr", parent=CELL, fontSize=10, leading=13))
    table = Table(
        [[_Qr(block.data, block.size), caption]],
        colWidths=[block.size + 4 * mm, TEXT_WIDTH - block.size - 4 * mm],
        hAlign="LEFT",
        spaceAfter=6,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
