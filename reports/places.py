"""The kecamatan report's map: a branch's kecamatan shaded by the acquisitions of the period, or by the share
of their participants lapsed at its end.

**A grid cartogram, not a geographic map.** Each kecamatan is one equal square, laid out in a compact grid
in the order of its Kemendagri code (the codes run roughly through a regency district by district, so
neighbours in the grid are often neighbours on the ground, but position carries no geography). A map with
boundaries needs a boundary data set, and there is none to ship: the one at hand offline (GADM 4.1, as an
npm package) may not be redistributed nor used commercially under its licence, and is keyed by GADM's own
ids, not by the Kemendagri codes the participants carry. Equal squares also give a small urban kecamatan the
same room as a large rural one, which suits counting people rather than land.

**Which kecamatan.** Those of the regencies the branch serves (``BranchArea``, ``perisai.areas.districts_in``)
and any other kecamatan where someone counted in the figure lives (a worker who moved in keeps a place of
elsewhere). A worker whose kecamatan is not yet coded is on no square; the map says how many there are.
Only one branch's scope has a map (an office's or an agent's too, over the branch's kecamatan): a region or
the whole country has hundreds or thousands of kecamatan, too many squares to read.

**The figures.** *Acquisitions* are ``reports.acquisitions.by_kecamatan``'s, the table under the map.
*Share lapsed* is the one rule of ``enrollment.paying.standing_acquisitions`` (each participant once, by
their standing acquisition, current or lapsed at the period's last day, counted where the acquisition was
credited as ``reports.continuity.participant_standing`` counts them), grouped by the participant's kecamatan.

**Drawn** server-side as SVG geometry for ``templates/reports/_district_map.html``: no JavaScript and no
style attribute (the Content-Security-Policy allows neither inline scripts nor inline styles), so colours
are SVG presentation attributes. Each shade has the ink, near-black or white, that contrasts with it more,
and every pair passes WCAG AA for normal text (4.5:1; ``contrast``).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from agents.places import branch_regencies
from enrollment.paying import standing_acquisitions
from perisai.areas import districts_in
from perisai.formatting import number, percent
from reports.acquisitions import by_kecamatan, district_names, share
from reports.continuity import ParticipantStanding

ACQUIRED, LAPSED = "acquired", "lapsed"

DARK_INK, LIGHT_INK, MUTED_INK = "#212529", "#ffffff", "#6c757d"
NOBODY_ACQUIRED = "#f1f3f5"
ACQUIRED_SHADES = ("#d3e7df", "#9cc9b6", "#4f9c80", "#0b6e4f")  # lighter to the Perisai green
LAPSED_SHADES = ("#fbf0dc", "#f1d39a", "#d9a441", "#96600a", "#5c3a05")  # the lapsed amber, lighter to darker
NO_PARTICIPANTS = "#ffffff"
LAPSED_STEP = 20  # percent, the widest lapsed step: 0–19.9, 20–39.9 ... 80–100
NICE_WIDTHS = (1, 2, 2.5, 3, 4, 5, 6, 8, 10)

TILE, GAP, MARGIN = 112, 6, 2
NAME_FONT, FIGURE_FONT, DETAIL_FONT = 12.5, 22, 11
TEXT_WIDTH = TILE - 16
WIDE_COLUMNS, WIDE_ASPECT, COMPACT_COLUMNS = 10, 2.4, 3


def contrast(colour, other):
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(colour), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour):
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    red, green, blue = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ink(fill):
    """The text colour for a tile of ``fill``: near-black or white, whichever contrasts more."""
    return max((DARK_INK, LIGHT_INK), key=lambda colour: contrast(fill, colour))


@dataclass(frozen=True)
class Step:
    """One shade of the legend: ``index`` (0 the lightest; ``None`` no figure) and what it covers."""

    index: int | None
    label: str
    fill: str

    @property
    def ink(self):
        return MUTED_INK if self.index is None else ink(self.fill)

    @property
    def css_class(self):
        return "map-step-none" if self.index is None else f"map-step-{self.index}"


@dataclass(frozen=True)
class Tile:
    """One kecamatan: its square's figure (formatted), what its tooltip says and its shade."""

    code: str
    name: str
    figure: str
    detail: str
    title: str
    step: Step
    in_area: bool

    @property
    def name_lines(self):
        """The name on one line, or on two at a space when one would not fit the square."""
        words = self.name.split()
        if _text_width(self.name, NAME_FONT) <= TEXT_WIDTH or len(words) == 1:
            return (self.name,)
        cut = min(range(1, len(words)), key=lambda at: abs(len(" ".join(words[:at])) - len(" ".join(words[at:]))))
        return (" ".join(words[:cut]), " ".join(words[cut:]))


def _text_width(text, size):
    """About how wide ``text`` is at ``size`` px in the page's sans-serif (an average letter)."""
    return len(text) * size * 0.58


@dataclass(frozen=True)
class PlacedLine:
    text: str
    y: float
    squeeze: bool  # too wide for the square even on its own line: drawn to its width


@dataclass(frozen=True)
class PlacedTile:
    tile: Tile
    x: float
    y: float

    @property
    def size(self):
        return TILE

    @property
    def centre(self):
        return self.x + TILE / 2

    @property
    def name_lines(self):
        lines = self.tile.name_lines
        top = self.y + (22 if len(lines) == 1 else 18)
        return [
            PlacedLine(text, top + line * 15, _text_width(text, NAME_FONT) > TEXT_WIDTH)
            for line, text in enumerate(lines)
        ]

    @property
    def text_width(self):
        return TEXT_WIDTH

    @property
    def figure_y(self):
        return self.y + 74

    @property
    def detail_y(self):
        return self.y + 96


@dataclass(frozen=True)
class Layout:
    """The tiles placed ``columns`` to a row; ``compact`` is the narrow screen's layout."""

    columns: int
    rows: int
    tiles: list
    compact: bool

    name_font = NAME_FONT
    figure_font = FIGURE_FONT
    detail_font = DETAIL_FONT

    @property
    def width(self):
        return 2 * MARGIN + self.columns * TILE + (self.columns - 1) * GAP

    @property
    def height(self):
        return 2 * MARGIN + self.rows * TILE + (self.rows - 1) * GAP


@dataclass(frozen=True)
class DistrictMap:
    measure: str
    tiles: list
    steps: list
    not_coded: int
    """Acquisitions (or participants) whose kecamatan is not yet coded: on no tile."""
    area_listed: bool
    """Whether the branch has listed the regencies it serves; until it has, the tiles are the kecamatan
    where those counted live, none of them outside an area."""

    @property
    def lapsed(self):
        return self.measure == LAPSED

    @property
    def layouts(self):
        return [_layout(self.tiles, compact=False), _layout(self.tiles, compact=True)]

    @property
    def outside_area(self):
        return sum(not tile.in_area for tile in self.tiles)


def _columns(count, *, compact):
    """Columns for ``count`` equal squares: a few on a phone; elsewhere the grid closest to a wide page's
    shape, fewest empty squares first among equals, at most ``WIDE_COLUMNS``."""
    if compact:
        return max(1, min(COMPACT_COLUMNS, count))
    candidates = range(1, min(WIDE_COLUMNS, max(count, 1)) + 1)

    def fit(columns):
        rows = math.ceil(count / columns)
        return abs(math.log(columns / rows / WIDE_ASPECT)), columns * rows - count

    return min(candidates, key=fit)


def _layout(tiles, *, compact):
    columns = _columns(len(tiles), compact=compact)
    placed = [
        PlacedTile(tile, MARGIN + (place % columns) * (TILE + GAP), MARGIN + (place // columns) * (TILE + GAP))
        for place, tile in enumerate(tiles)
    ]
    return Layout(columns=columns, rows=max(1, math.ceil(len(tiles) / columns)), tiles=placed, compact=compact)


def map_measure(value):
    """The measure a request asks for (``?map=lapsed``); acquisitions for anything else."""
    return LAPSED if value == LAPSED else ACQUIRED


def district_map(*, scope, period, measure=ACQUIRED):
    """The map of ``scope``'s branch for ``period``, or ``None`` when the scope is wider than one branch.

    One query for the regencies the branch serves, and one for the figure: the acquisitions are
    ``by_kecamatan``'s query, shared with the page's table inside ``sharing_results()``; the share lapsed
    is its own.
    """
    if scope.branch is None:
        return None
    area_codes = [district.code for district in districts_in(branch_regencies(scope.branch))]
    if measure == LAPSED:
        standing = lapsed_by_district(scope=scope, period=period)
        not_coded = standing.pop("", None)
        figures, steps = _lapsed_figures(standing, area_codes)
        return DistrictMap(measure, figures, steps, not_coded.total if not_coded else 0, bool(area_codes))
    acquired = {row.key: row.acquisitions for row in by_kecamatan(scope=scope, period=period)}
    not_coded = sum(count for key, count in acquired.items() if not key)  # several texts typed share the key ""
    acquired = {code: count for code, count in acquired.items() if code}
    figures, steps = _acquired_figures(acquired, area_codes)
    return DistrictMap(measure, figures, steps, not_coded, bool(area_codes))


def lapsed_by_district(*, scope, period):
    """``{district code: ParticipantStanding}`` at the period's last day ("" for the participants whose
    kecamatan is not yet coded): ``standing_acquisitions``'s current and lapsed, by kecamatan. One query."""
    rows = (
        standing_acquisitions(scope=scope, day=period.end)
        .values("participant__district")
        .annotate(current=Count("pk", filter=Q(is_current=True)), lapsed=Count("pk", filter=Q(is_current=False)))
        .order_by()
    )
    return {
        row["participant__district"]: ParticipantStanding(day=period.end, current=row["current"], lapsed=row["lapsed"])
        for row in rows
    }


def _codes(area_codes, counted):
    """The area's kecamatan and those outside it where someone counted lives, in code order."""
    return sorted(set(area_codes) | {code for code, figure in counted.items() if figure})


def nice_width(span, steps, *, whole=True):
    """The width of each of ``steps`` equal ranges that together reach ``span``, rounded up to a round
    number (1, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a power of ten), at least 1; ``whole``: a whole number."""
    raw = max(1, Decimal(span) / steps)
    power = 10 ** math.floor(math.log10(raw))
    widths = (Decimal(str(width)) * power for width in NICE_WIDTHS)
    found = next(width for width in widths if width >= raw and (not whole or width == width.to_integral_value()))
    return int(found) if whole else found


def _range(low, high):
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def _acquired_figures(acquired, area_codes):
    codes = _codes(area_codes, acquired)
    width = nice_width(max(acquired.values(), default=0), len(ACQUIRED_SHADES))
    steps = [Step(0, number(0), NOBODY_ACQUIRED)] + [
        Step(index, _range(width * (index - 1) + 1, width * index), shade)
        for index, shade in enumerate(ACQUIRED_SHADES, start=1)
    ]
    names, area_set = district_names(codes), set(area_codes)
    tiles = []
    for code in codes:
        count = acquired.get(code, 0)
        tiles.append(
            Tile(
                code=code,
                name=names[code],
                figure=number(count),
                detail="",
                title=_("%(name)s (%(code)s): %(count)s acquisitions")
                % {"name": names[code], "code": code, "count": number(count)},
                step=steps[math.ceil(count / width)] if count else steps[0],
                in_area=code in area_set or not area_set,
            )
        )
    return tiles, steps


def lapsed_steps(shares):
    """``(start, width)`` of the five lapsed shades for these shares (percent, one decimal): equal steps of
    a round width from a round start that cover them all, so a branch whose kecamatan all lie between 86%
    and 96% lapsed still sees which lie higher; never narrower than a point, and from 20 points wide the
    fixed 0–19.9%, 20–39.9% ... 80–100%."""
    if not shares:
        return Decimal(0), Decimal(LAPSED_STEP)
    low, high = min(shares), max(shares)
    width = min(nice_width(high - low, len(LAPSED_SHADES) - 1, whole=False), Decimal(LAPSED_STEP))
    return min(low // width * width, 100 - width * len(LAPSED_SHADES)), width


def _share_range(start, width, index):
    """ "85–87.4%": the first and last share of lapsed step ``index`` as shares are written (one decimal);
    the last step runs to 100% when the steps reach it."""
    low, high = start + width * index, start + width * (index + 1) - Decimal("0.1")
    if index == len(LAPSED_SHADES) - 1 and high + Decimal("0.1") >= 100:
        high = Decimal(100)
    return f"{number(low, 0 if low % 1 == 0 else 1)}–{percent(high, 0 if high % 1 == 0 else 1)}"


def _lapsed_figures(standing, area_codes):
    codes = _codes(area_codes, {code: figures.total for code, figures in standing.items()})
    start, width = lapsed_steps([figures.lapsed_share for code, figures in standing.items() if code in codes])
    last = len(LAPSED_SHADES) - 1
    steps = [Step(index, _share_range(start, width, index), shade) for index, shade in enumerate(LAPSED_SHADES)]
    steps.append(Step(None, _("No participants"), NO_PARTICIPANTS))
    names, area_set = district_names(codes), set(area_codes)
    tiles = []
    for code in codes:
        figures = standing.get(code)
        lapsed_share = share(figures.lapsed, figures.total) if figures else None
        if lapsed_share is None:
            step, figure, detail = steps[-1], "–", ""
            title = _("%(name)s (%(code)s): no participants") % {"name": names[code], "code": code}
        else:
            step = steps[min(int((lapsed_share - start) // width), last)]
            figure = percent(lapsed_share)
            detail = _("%(lapsed)s of %(total)s") % {"lapsed": number(figures.lapsed), "total": number(figures.total)}
            title = _("%(name)s (%(code)s): %(lapsed)s of %(total)s participants lapsed (%(share)s)") % {
                "name": names[code],
                "code": code,
                "lapsed": number(figures.lapsed),
                "total": number(figures.total),
                "share": figure,
            }
        tiles.append(
            Tile(
                code=code,
                name=names[code],
                figure=figure,
                detail=detail,
                title=title,
                step=step,
                in_area=code in area_set or not area_set,
            )
        )
    return tiles, steps
