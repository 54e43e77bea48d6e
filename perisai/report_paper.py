"""Figures on paper: a report's table, or the dashboard's summary, as a PDF for the meeting's screen and the record.

Where ``perisai.paper`` makes one official page (a letter, a certificate), this makes a report of as many
pages as its table needs. A module above builds a ``ReportPaper`` of plain, already formatted strings and
calls ``render_report``; this module knows no model and no report of ours.

Decisions:
- **A4 landscape**, 15 mm margins: a figure table of ten columns reads at 8.5 pt without wrapping its
  numbers, and a meeting's projector is landscape too.
- **Every page says what it is**: the issuer (``BPJS Ketenagakerjaan · Kantor Cabang Cilacap``) on the left
  and the title with the period on the right of a running head, ``Page 2 of 5`` (in the reader's words,
  ``page_label``) and when it was made in the footer. A table that runs over a page repeats its header
  row (ReportLab's ``LongTable`` with ``repeatRows``); a chart or a block of key figures is never split.
- **Numbers right-aligned, text wrapped**: a column's cells are right-aligned when the caller says it holds
  numbers; text cells wrap inside a width shared out by how long their texts are, so a long office name
  takes two lines instead of pushing the table off the page.
- **Base-14 fonts and the same bytes** for the same report, as ``perisai.paper`` (``printable``,
  ``invariant``).
"""

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from perisai.paper import SANS, SANS_BOLD, paged_canvas, printable

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15 * mm
HEAD_HEIGHT = 12 * mm
FOOT_HEIGHT = 12 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#555555")
BRAND = colors.HexColor("#0B6E4F")
HEADER_FILL = colors.HexColor("#E6F0EC")
STRIPE = colors.HexColor("#F6F8F7")
SERIES_COLOURS = (colors.HexColor("#A9C8BC"), BRAND, colors.HexColor("#D97706"))
"""A chart's series in order: the year before in a pale green, the year itself in the brand's green."""

TITLE = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=17, leading=21, textColor=INK, spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", fontName=SANS, fontSize=11, leading=14, textColor=MUTED, spaceAfter=8)
HEADING = ParagraphStyle(
    "heading", fontName=SANS_BOLD, fontSize=12, leading=15, textColor=BRAND, spaceBefore=8, keepWithNext=1
)
PARAGRAPH = ParagraphStyle("paragraph", fontName=SANS, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=4)
CELL = ParagraphStyle("cell", fontName=SANS, fontSize=8.5, leading=10.5, textColor=INK, alignment=TA_LEFT)
NUMBER_CELL = ParagraphStyle("number", parent=CELL, alignment=TA_RIGHT)
HEADER_CELL = ParagraphStyle("header", parent=CELL, fontName=SANS_BOLD)
HEADER_NUMBER_CELL = ParagraphStyle("header_number", parent=HEADER_CELL, alignment=TA_RIGHT)
CELL_PADDING = 3
TEXT_COLUMN_MIN = 22 * mm


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Grid:
    """A table: ``header`` and ``rows`` of strings; ``numeric[i]`` when column ``i`` holds numbers (set right),
    ``wraps[i]`` when its cells may take two lines (names, places; by default the columns not numeric)."""

    header: tuple
    rows: tuple
    numeric: tuple
    wraps: tuple | None = None


@dataclass(frozen=True)
class Bars:
    """A column chart: ``series`` of ``(name, values)`` over ``categories`` (``None``: no value)."""

    title: str
    categories: tuple
    series: tuple
    height: float = 70 * mm


@dataclass(frozen=True)
class ReportPaper:
    issuer: str
    title: str
    subtitle: str
    made: str
    """When and by what it was made, for the footer: ``Dibuat 6 Desember 2026 14:05 · Perisai``."""
    page_label: str
    """The footer's page number with ``%(page)d`` and ``%(pages)d``: ``Halaman %(page)d dari %(pages)d``."""
    blocks: tuple = field(default_factory=tuple)


def render_report(paper):
    """The PDF of ``paper``, as bytes."""
    buffer = io.BytesIO()
    frame = Frame(
        MARGIN,
        MARGIN + FOOT_HEIGHT,
        TEXT_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - HEAD_HEIGHT - FOOT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def decorate(canvas, doc):
        _draw_running_head(canvas, paper)

    template = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        title=printable(f"{paper.title} — {paper.subtitle}"),
        author=printable(paper.issuer),
        creator="Perisai",
        invariant=True,
        pageTemplates=[PageTemplate(id="report", frames=[frame], onPage=decorate)],
    )
    story = [Paragraph(_markup(paper.title), TITLE), Paragraph(_markup(paper.subtitle), SUBTITLE)]
    for block in paper.blocks:
        story += _flowables(block)
    numbered = paged_canvas(
        lambda page, pages: paper.page_label % {"page": page, "pages": pages},
        right=PAGE_WIDTH - MARGIN,
        y=MARGIN + 2 * mm,
    )
    template.build(story, canvasmaker=numbered)
    return buffer.getvalue()


def _markup(text):
    return escape(printable(text))


def _flowables(block):
    if isinstance(block, Heading):
        return [Paragraph(_markup(block.text), HEADING)]
    if isinstance(block, Para):
        return [Paragraph(_markup(block.text), PARAGRAPH)]
    if isinstance(block, Grid):
        return [_grid(block), Spacer(1, 4 * mm)]
    if isinstance(block, Bars):
        return [KeepTogether([_bars(block), Spacer(1, 4 * mm)])]
    raise TypeError(f"cannot print {block!r}")


def column_widths(header, rows, wraps, *, width=TEXT_WIDTH):
    """Widths for a table filling ``width``. A column is as wide as its longest cell, its header wrapping
    between words; when that is too wide for the page, the columns that may wrap (``wraps``: names,
    places) share what the others leave, in proportion to their longest cell."""
    pad = 2 * CELL_PADDING + 2

    def measure(text, font=SANS):
        return stringWidth(printable(text), font, CELL.fontSize)

    columns = range(len(header))
    word = [max((measure(part, SANS_BOLD) for part in str(header[i]).split()), default=0) + pad for i in columns]
    longest = [max((measure(str(row[i])) for row in rows), default=0) + pad for i in columns]
    want = [max(word[i], longest[i]) for i in columns]
    if sum(want) <= width:
        return [want[i] * width / sum(want) for i in columns]
    fixed = sum(want[i] for i in columns if not wraps[i])
    flexible = [i for i in columns if wraps[i]]
    left = width - fixed
    widths = list(want)
    for i in flexible:
        widths[i] = max(word[i], TEXT_COLUMN_MIN, left * want[i] / sum(want[j] for j in flexible))
    return [widths[i] * width / sum(widths) for i in columns]


def _grid(grid):
    header = [
        Paragraph(_markup(text), HEADER_NUMBER_CELL if grid.numeric[i] else HEADER_CELL)
        for i, text in enumerate(grid.header)
    ]
    rows = [
        [Paragraph(_markup(text), NUMBER_CELL if grid.numeric[i] else CELL) for i, text in enumerate(row)]
        for row in grid.rows
    ]
    table = LongTable(
        [header, *rows],
        colWidths=column_widths(grid.header, grid.rows, grid.wraps or tuple(not n for n in grid.numeric)),
        repeatRows=1,
    )
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    style += [("BACKGROUND", (0, row), (-1, row), STRIPE) for row in range(2, len(rows) + 1, 2)]
    table.setStyle(TableStyle(style))
    return table


def _bars(bars):
    drawing = Drawing(TEXT_WIDTH, bars.height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 14 * mm
    chart.width, chart.height = TEXT_WIDTH - 60 * mm, bars.height - 24 * mm
    chart.data = [[value or 0 for value in values] for _, values in bars.series]
    chart.categoryAxis.categoryNames = [printable(name) for name in bars.categories]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for index in range(len(bars.series)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(
        String(0, bars.height - 6 * mm, printable(bars.title), fontName=SANS_BOLD, fontSize=10.5, fillColor=INK)
    )
    legend = Legend()
    legend.x, legend.y = TEXT_WIDTH - 40 * mm, bars.height - 16 * mm
    legend.fontName, legend.fontSize = SANS, 8.5
    legend.colorNamePairs = [
        (SERIES_COLOURS[index % len(SERIES_COLOURS)], printable(name)) for index, (name, _) in enumerate(bars.series)
    ]
    drawing.add(legend)
    return drawing


def _draw_running_head(canvas, paper):
    top = PAGE_HEIGHT - MARGIN
    canvas.saveState()
    canvas.setFont(SANS_BOLD, 8.5)
    canvas.setFillColor(BRAND)
    canvas.drawString(MARGIN, top - 4 * mm, printable(paper.issuer))
    canvas.setFont(SANS, 8.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 4 * mm, printable(f"{paper.title} — {paper.subtitle}"))
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 6.5 * mm, PAGE_WIDTH - MARGIN, top - 6.5 * mm)
    canvas.setFont(SANS, 8)
    canvas.drawString(MARGIN, MARGIN + 2 * mm, printable(paper.made))
    canvas.restoreState()
