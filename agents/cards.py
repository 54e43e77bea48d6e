"""The agent's ID card (kartu identitas Agen Perisai): what the agent shows a worker with their KTP.

Written in Indonesian literals, like the branch's letters (``agents.letters`` says why); the message that
refuses a card is for the staff member at the screen, so it is translatable.

Decisions:
- **Both sides on one A4 sheet, to cut out and fold.** The front and the back are drawn at ID-1 size
  (85.60 × 53.98 mm, a bank card's) side by side, joined along their short edge: staff print the page on
  the branch's ordinary printer at 100%, cut along the crop marks, fold along the dashed line and laminate
  it (or slip it into a card holder). A branch has an office printer, not a PVC card printer; a PDF the
  size of the card would be blown up to A4 by a printer's "fit to page", and a duplex print shifts the back
  against the front by millimetres, where a fold keeps them together by construction. A 50 mm rule on the
  sheet lets staff check the print was not scaled.
- **Valid until** the end of the letter of assignment (``agents.letters.assignment_period``): the office's
  PKS in force on the day the card is printed, or a year from that day when the office has none. The card
  proves the same assignment as the letter, so the two run out together and the rule exists once.
- **No NIK**, not even masked: the card is shown to strangers and lost in the field; the KTP the agent
  carries with it says who they are, and the QR code lets staff open the agent's record.
- **The QR code** carries the absolute URL of the agent's staff page and nothing else; the page asks for a
  sign-in and answers only staff of the agent's branch (and those above it). An agent's own QR code opens
  nothing for them.
- **Only for an agent in the network**: an agent who left gets no card (``ValueError``).
- **Long names and office names** are set smaller and wrapped (two lines at most), then cut with an
  ellipsis, so the card keeps its size whatever it holds.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from agents.letters import assignment_period, branch_office_name, letterhead
from agents.models import Agent
from perisai import paper

CARD_WIDTH = 85.60 * mm
CARD_HEIGHT = 53.98 * mm
"""ID-1 (ISO/IEC 7810), the size of a bank card and of a KTP."""

PAGE_WIDTH, PAGE_HEIGHT = A4
CARDS_LEFT = (PAGE_WIDTH - 2 * CARD_WIDTH) / 2
CARDS_BOTTOM = PAGE_HEIGHT - 40 * mm - CARD_HEIGHT
PADDING = 3 * mm
BAND_HEIGHT = 11 * mm
PHOTO_WIDTH, PHOTO_HEIGHT = 20 * mm, 27 * mm
CARD_QR_SIZE = 27 * mm
CROP_MARK = 5 * mm
SCALE_RULE = 50 * mm

BAND = colors.HexColor("#0b6b3a")
"""The band across the top of both sides (the branch's green); the text on it is white."""
FRAME = colors.HexColor("#9a9a9a")


def card_number(agent, *, year):
    """``KA/CLP/2022/00012``: the branch, the year the card is printed, the agent's row (as the letter's)."""
    return f"KA/{agent.branch.code}/{year}/{agent.pk:05d}"


def agent_card_pdf(*, agent, url, issued_on=None):
    """The ID card of an active ``agent``, printed ``issued_on`` (today), as PDF bytes: one A4 page.

    ``url`` is what the QR code opens: the absolute address of the agent's staff page (the view knows it).
    Refuses (``ValueError``) an agent who has left.
    """
    if agent.status != Agent.Status.ACTIVE:
        raise ValueError(
            _("%(agent)s has left the programme; an ID card is only for agents in the network.")
            % {"agent": agent.full_name}
        )
    issued_on = issued_on or timezone.localdate()
    _starts, valid_until, _agreement = assignment_period(agent, issued_on=issued_on)
    number = card_number(agent, year=issued_on.year)
    head = letterhead(agent.branch)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(paper.printable(f"Kartu Identitas Agen Perisai {number}"))
    canvas.setAuthor(paper.printable(f"{head.organisation} {head.office}"))
    canvas.setSubject(paper.printable(f"Kartu identitas Agen Perisai {agent.full_name}"))
    canvas.setCreator("Perisai")

    _sheet(canvas, agent, number)
    _front(canvas, agent, head, valid_until, x=CARDS_LEFT, y=CARDS_BOTTOM)
    _back(canvas, agent, head, url, number, issued_on, x=CARDS_LEFT + CARD_WIDTH, y=CARDS_BOTTOM)
    _cutting_marks(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- the sheet around the card ---------------------------------------------------------------------


def _sheet(canvas, agent, number):
    """What the sheet says above and below the card: whose card it is, how to cut it, the scale rule."""
    left = CARDS_LEFT
    canvas.saveState()
    canvas.setFillColor(paper.INK)
    canvas.setFont(paper.SANS_BOLD, 13)
    canvas.drawString(left, PAGE_HEIGHT - 20 * mm, "KARTU IDENTITAS AGEN PERISAI")
    canvas.setFont(paper.SANS, 9.5)
    canvas.drawString(left, PAGE_HEIGHT - 26 * mm, paper.printable(f"{agent.full_name} ({agent.code}) - No. {number}"))
    canvas.setFillColor(paper.MUTED)
    canvas.setFont(paper.SANS, 8.5)
    below = CARDS_BOTTOM - 10 * mm
    for line in (
        "Cetak pada ukuran sebenarnya (100%, tanpa \u201csesuaikan dengan halaman\u201d); garis ukur di bawah "
        "harus tepat 50 mm.",
        "Gunting pada tanda potong, lipat pada garis putus-putus di tengah (sisi cetak di luar), lalu laminasi.",
        "Kartu ini berlaku bersama KTP pemegangnya.",
    ):
        canvas.drawString(left, below, line)
        below -= 5 * mm
    below -= 3 * mm
    canvas.setStrokeColor(paper.INK)
    canvas.setLineWidth(0.6)
    canvas.line(left, below, left + SCALE_RULE, below)
    for tick in (left, left + SCALE_RULE):
        canvas.line(tick, below - 1.5 * mm, tick, below + 1.5 * mm)
    canvas.drawString(left + SCALE_RULE + 3 * mm, below - 1 * mm, "50 mm")
    canvas.restoreState()


def _cutting_marks(canvas):
    """Crop marks outside the card's corners and at the ends of the fold; the fold itself dashed."""
    left, bottom = CARDS_LEFT, CARDS_BOTTOM
    right, top = left + 2 * CARD_WIDTH, bottom + CARD_HEIGHT
    fold = left + CARD_WIDTH
    gap = 1.5 * mm
    canvas.saveState()
    canvas.setStrokeColor(paper.INK)
    canvas.setLineWidth(0.3)
    for x in (left, fold, right):
        canvas.line(x, top + gap, x, top + gap + CROP_MARK)
        canvas.line(x, bottom - gap, x, bottom - gap - CROP_MARK)
    for y in (bottom, top):
        canvas.line(left - gap, y, left - gap - CROP_MARK, y)
        canvas.line(right + gap, y, right + gap + CROP_MARK, y)
    canvas.setStrokeColor(FRAME)
    canvas.setDash(2, 2)
    canvas.line(fold, bottom, fold, top)
    canvas.setDash()
    canvas.rect(left, bottom, 2 * CARD_WIDTH, CARD_HEIGHT, stroke=1, fill=0)
    canvas.restoreState()


# --- the two sides -------------------------------------------------------------------------------


def _band(canvas, head, *, x, y):
    """The green band across the top of a side: the organisation and the branch, in white."""
    top = y + CARD_HEIGHT
    canvas.saveState()
    canvas.setFillColor(BAND)
    canvas.rect(x, top - BAND_HEIGHT, CARD_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    centre = x + CARD_WIDTH / 2
    _fitted_line(canvas, head.organisation.upper(), paper.SANS_BOLD, 9, centre, top - 4.6 * mm, centred=True)
    _fitted_line(canvas, head.office.upper(), paper.SANS_BOLD, 7, centre, top - 8.6 * mm, centred=True)
    canvas.restoreState()


def _front(canvas, agent, head, valid_until, *, x, y):
    """The front: the band, the title, a box for a 2 x 3 photo, the name, code, office, branch, validity."""
    _band(canvas, head, x=x, y=y)
    top = y + CARD_HEIGHT - BAND_HEIGHT
    canvas.saveState()
    canvas.setFillColor(paper.INK)
    canvas.setFont(paper.SANS_BOLD, 7)
    canvas.drawCentredString(x + CARD_WIDTH / 2, top - 4 * mm, "KARTU IDENTITAS AGEN PERISAI")

    photo_x, photo_y = x + PADDING, y + PADDING + 4 * mm
    canvas.setStrokeColor(FRAME)
    canvas.setLineWidth(0.5)
    canvas.setDash(1.5, 1.5)
    canvas.rect(photo_x, photo_y, PHOTO_WIDTH, PHOTO_HEIGHT, stroke=1, fill=0)
    canvas.setDash()
    canvas.setFillColor(FRAME)
    canvas.setFont(paper.SANS, 5.5)
    canvas.drawCentredString(photo_x + PHOTO_WIDTH / 2, photo_y + PHOTO_HEIGHT / 2 + 1 * mm, "Pas foto")
    canvas.drawCentredString(photo_x + PHOTO_WIDTH / 2, photo_y + PHOTO_HEIGHT / 2 - 2 * mm, "2 x 3 cm")

    text_x = photo_x + PHOTO_WIDTH + 3 * mm
    width = x + CARD_WIDTH - PADDING - text_x
    canvas.setFillColor(paper.INK)
    line_y = top - 9.5 * mm
    size, lines = _fit(agent.full_name, paper.SANS_BOLD, 9.5, width, minimum=6.5, max_lines=2)
    canvas.setFont(paper.SANS_BOLD, size)
    for line in lines:
        canvas.drawString(text_x, line_y, line)
        line_y -= size * 1.15
    line_y -= 1 * mm
    for label, value in (
        ("Kode agen", agent.code),
        ("Kantor Perisai", agent.office.name),
        ("Kantor cabang", branch_office_name(agent.branch)),
        ("Berlaku s.d.", paper.indonesian_date(valid_until)),
    ):
        canvas.setFont(paper.SANS, 5.5)
        canvas.setFillColor(paper.MUTED)
        canvas.drawString(text_x, line_y, label)
        line_y -= 2.6 * mm
        canvas.setFillColor(paper.INK)
        size, lines = _fit(value, paper.SANS_BOLD, 7, width, minimum=5, max_lines=2 if label == "Kantor Perisai" else 1)
        canvas.setFont(paper.SANS_BOLD, size)
        for line in lines:
            canvas.drawString(text_x, line_y, line)
            line_y -= size * 1.2
        line_y -= 0.8 * mm
    canvas.setFont(paper.SANS, 5)
    canvas.setFillColor(paper.MUTED)
    canvas.drawString(x + PADDING, y + 2.2 * mm, "Penggerak Jaminan Sosial Indonesia (Perisai)")
    canvas.restoreState()


def _back(canvas, agent, head, url, number, issued_on, *, x, y):
    """The back: the band, the QR code for staff, where to return a found card, the card's number and date."""
    _band(canvas, head, x=x, y=y)
    top = y + CARD_HEIGHT - BAND_HEIGHT
    qr_x, qr_y = x + PADDING - 1 * mm, top - 1 * mm - CARD_QR_SIZE
    paper.draw_qr(canvas, url, x=qr_x, y=qr_y, size=CARD_QR_SIZE)
    text_x = qr_x + CARD_QR_SIZE + 1.5 * mm
    width = x + CARD_WIDTH - PADDING - text_x
    canvas.saveState()
    canvas.setFillColor(paper.INK)
    line_y = top - 5 * mm
    paragraphs = (
        (paper.SANS_BOLD, "Untuk petugas BPJS Ketenagakerjaan:"),
        (paper.SANS, "pindai kode QR untuk membuka data agen ini (perlu masuk dengan akun petugas)."),
        (paper.SANS_BOLD, "Bila menemukan kartu ini,"),
        (paper.SANS, " ".join(["mohon dikembalikan ke", head.office, *head.lines()]) + "."),
    )
    for number_of, (font, text) in enumerate(paragraphs):
        canvas.setFont(font, 5.6)
        for line in simpleSplit(paper.printable(text), font, 5.6, width):
            canvas.drawString(text_x, line_y, line)
            line_y -= 2.5 * mm
        if number_of == 1:
            line_y -= 1.2 * mm
    canvas.setFont(paper.SANS, 5.5)
    canvas.setFillColor(paper.MUTED)
    canvas.drawString(x + PADDING, y + 2.2 * mm, paper.printable(f"No. {number}"))
    canvas.drawRightString(x + CARD_WIDTH - PADDING, y + 2.2 * mm, f"Diterbitkan {paper.indonesian_date(issued_on)}")
    canvas.restoreState()


# --- fitting text ---------------------------------------------------------------------------------


def _fit(text, font, size, width, *, minimum, max_lines):
    """``(size, lines)``: ``text`` at the largest size from ``size`` down to ``minimum`` (half points)
    that fits ``width`` in ``max_lines``; at ``minimum`` what does not fit is cut with an ellipsis."""
    text = paper.printable(text).strip()
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines:
            return size, lines
        if size - 0.5 < minimum:
            break
        size -= 0.5
    lines = lines[:max_lines]
    last = lines[-1]
    while last and stringWidth(last + "\u2026", font, size) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "\u2026"
    return size, lines


def _fitted_line(canvas, text, font, size, x, y, *, centred=False, width=CARD_WIDTH - 2 * PADDING):
    size, lines = _fit(text, font, size, width, minimum=5, max_lines=1)
    canvas.setFont(font, size)
    if centred:
        canvas.drawCentredString(x, y, lines[0] if lines else "")
    else:
        canvas.drawString(x, y, lines[0] if lines else "")
