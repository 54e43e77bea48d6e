"""Period labels and month arithmetic, and the month chart's geometry."""

import datetime

import pytest
from django.utils import translation

from perisai.months import add_months, months_between
from reports.acquisitions import MonthTotal
from reports.charts import month_chart, nice_step
from reports.periods import Period


@pytest.mark.parametrize(
    ("language", "period", "label"),
    [
        ("id", Period(2022, 6), "Januari–Juni 2022"),
        ("en", Period(2022, 6), "January–June 2022"),
        ("id", Period(2022, 1), "Januari 2022"),
        ("en", Period(2021, 12), "January–December 2021"),
    ],
)
def test_labels_in_the_readers_language(language, period, label):
    with translation.override(language):
        assert period.label == label


def test_the_month_after_the_period():
    with translation.override("id"):
        assert Period(2022, 6).next_month_label == "Juli"
    assert Period(2022, 12).next_month_label is None
    assert (Period(2022, 6).months_elapsed, Period(2022, 6).months_remaining, Period(2022, 6).through) == (
        6,
        6,
        "2022-06",
    )


def test_month_arithmetic_across_years():
    assert add_months(datetime.date(2022, 1, 1), -2) == datetime.date(2021, 11, 1)
    assert add_months(datetime.date(2021, 11, 1), 14) == datetime.date(2023, 1, 1)
    assert months_between(datetime.date(2021, 11, 30), datetime.date(2022, 2, 1)) == 3
    assert Period.containing(datetime.date(2024, 2, 29)) == Period(2024, 2)


@pytest.mark.parametrize(("largest", "step"), [(0, 1), (3, 1), (7, 2), (10, 5), (549, 200), (601, 200), (1000, 250)])
def test_gridline_steps_are_round(largest, step):
    assert nice_step(largest) == step


def months(this_year, last_year):
    return [
        MonthTotal(datetime.date(2022, month, 1), this, last, None, 0)
        for month, (this, last) in enumerate(zip(this_year, last_year, strict=True), start=1)
    ]


def test_chart_bars_for_the_period_and_the_pace_line_over_the_rest():
    rows = months([300, 400, 500] + [None] * 9, [100] * 12)
    with translation.override("en"):
        chart = month_chart(rows, year=2022, pace_needed=550)
    assert [group.label for group in chart.groups[:3]] == ["Jan", "Feb", "Mar"]
    assert all(group.this_year for group in chart.groups[:3]) and not any(g.this_year for g in chart.groups[3:])
    top = chart.gridlines[-1]
    assert top.value == 600 and top.y == 24
    assert chart.groups[2].this_year.y == pytest.approx(24 + 260 * (1 - 500 / 600), abs=0.1)
    assert chart.groups[2].this_year.height + chart.groups[2].this_year.y == chart.bottom
    assert chart.pace.x1 == pytest.approx(chart.groups[3].x - (chart.groups[3].x - chart.groups[2].x) / 2, abs=0.2)
    assert chart.pace.value == 550


def test_compact_chart_for_phones():
    chart = month_chart(months([1] * 12, [0] * 12), year=2022, compact=True)
    assert chart.width == 380 and chart.pace is None
    with translation.override("en"):
        assert month_chart(months([1] * 12, [0] * 12), year=2022, compact=True).groups[0].label == "J"
