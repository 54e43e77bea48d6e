"""The acquisitions-by-month chart as SVG geometry, drawn by ``templates/reports/_month_chart.svg``.

Server-side and dependency-free: the page shows the chart without JavaScript and without any inline
style (colours come from classes in ``static/css/reports.css``), so it works offline and under a
strict Content-Security-Policy. Each bar carries a ``<title>`` for a tooltip and screen readers.
"""

import math
from dataclasses import dataclass

from django.utils.formats import date_format

WIDTH = 760
COMPACT_WIDTH = 380
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 24, 36
GRIDLINES = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label_x: float

    @property
    def label_y(self):
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class MonthGroup:
    label: str
    name: str
    x: float
    last_year: Bar | None
    this_year: Bar | None


@dataclass(frozen=True)
class Gridline:
    y: float
    value: int

    @property
    def label_y(self):
        return round(self.y + 4, 1)


@dataclass(frozen=True)
class PaceLine:
    x1: float
    x2: float
    y: float
    value: int

    @property
    def label_y(self):
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    left: float
    right: float
    bottom: float
    gridlines: list
    groups: list
    pace: PaceLine | None
    this_year: int
    last_year: int
    compact: bool

    @property
    def label_x(self):
        return self.left - 8

    @property
    def month_label_y(self):
        return self.bottom + 20


def nice_step(largest, steps=GRIDLINES):
    """A round whole step (1, 2, 2.5 or 5 times a power of ten) so ``steps`` of them cover ``largest``."""
    if largest <= 0:
        return 1
    raw = largest / steps
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw and step == int(step):
            return max(1, int(step))
    return int(10 * power)


def month_chart(months, *, year, pace_needed=None, compact=False):
    """Geometry for twelve ``MonthTotal`` rows: a pair of bars per month (last year, this year) and,
    when given, the monthly pace needed drawn as a line over the months still to come. A blank month
    (``None``: not yet come, or before an agent joined) has no bar, where a 0 has a flat one.

    ``compact`` draws it half as wide, for a phone, where the template leaves out the bar labels."""
    width = COMPACT_WIDTH if compact else WIDTH
    values = [row.last_year or 0 for row in months] + [row.this_year or 0 for row in months] + [pace_needed or 0]
    step = nice_step(max(values))
    top_value = step * max(1, math.ceil(max(values) / step))
    plot_width, plot_height = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_height
    slot = plot_width / len(months)
    bar_width = slot * 0.36

    def y_of(value):
        return round(bottom - plot_height * value / top_value, 1)

    def bar(x, value):
        y = y_of(value)
        return Bar(round(x, 1), y, round(bar_width, 1), round(bottom - y, 1), value, round(x + bar_width / 2, 1))

    groups = []
    first_open_month = None
    for index, row in enumerate(months):
        x = LEFT + index * slot
        start = x + (slot - 2 * bar_width) / 2
        groups.append(
            MonthGroup(
                label=date_format(row.month, "M")[: 1 if compact else None],
                name=date_format(row.month, "F"),
                x=round(x + slot / 2, 1),
                last_year=None if row.last_year is None else bar(start, row.last_year),
                this_year=None if row.this_year is None else bar(start + bar_width, row.this_year),
            )
        )
        if row.this_year is None and first_open_month is None:
            first_open_month = index
    pace = None
    if pace_needed is not None and first_open_month is not None:
        pace = PaceLine(
            x1=round(LEFT + first_open_month * slot, 1), x2=width - RIGHT, y=y_of(pace_needed), value=pace_needed
        )
    return MonthChart(
        width=width,
        height=HEIGHT,
        left=LEFT,
        right=width - RIGHT,
        bottom=bottom,
        gridlines=[Gridline(y_of(step * i), step * i) for i in range(int(top_value / step) + 1)],
        groups=groups,
        pace=pace,
        this_year=year,
        last_year=year - 1,
        compact=compact,
    )
