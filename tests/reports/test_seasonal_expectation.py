"""The expected figure to date follows the year's usual season (last year's months, the average of earlier
complete years, or evenly), or the target's own months when its owner split it; a finished month below
its expectation is behind."""

import datetime

import pytest

from agents.scoping import Scope
from enrollment.models import AcquisitionTargetMonth
from reports.periods import Period
from reports.targets import Basis, month_expectations, month_shapes, season_of, target_progress
from tests.factories import AcquisitionTargetFactory
from tests.reports.conftest import acquire

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)
AFTER_JUNE = datetime.date(2022, 7, 10)


@pytest.fixture
def season(cilacap):
    """2021: Ani acquired one worker a month from January to June and three a month from July: a quarter
    of the year came in its first half. 2022 so far: 5, 4, 5, 6, 5, 5."""
    for month in range(1, 13):
        for _ in range(1 if month <= 6 else 3):
            acquire(cilacap["ani"], datetime.date(2021, month, 10))
    for month, count in zip(range(1, 7), (5, 4, 5, 6, 5, 5), strict=True):
        for _ in range(count):
            acquire(cilacap["ani"], datetime.date(2022, month, 12))
    branch = cilacap["branch"]
    AcquisitionTargetFactory(branch=branch, year=2022, target=120)
    AcquisitionTargetFactory(branch=branch, office=cilacap["north"], year=2022, target=60)
    AcquisitionTargetFactory(branch=branch, agent=cilacap["citra"], year=2022, target=12)
    return cilacap


def split_by_month(target, months):
    AcquisitionTargetMonth.objects.bulk_create(
        AcquisitionTargetMonth(target=target, month=month, acquisitions=n) for month, n in enumerate(months, start=1)
    )


def test_the_expected_figure_to_date_follows_last_years_shape(season):
    rows = {row.code: row for row in target_progress(scope=season["scope"], period=JUNE_2022)}

    branch = rows["CLP"]
    assert (branch.expected, branch.basis) == (30, Basis.LAST_YEAR)  # 120 × 6/24, not 120 × 6/12
    assert branch.achieved == 30 and branch.on_track
    assert (rows["CLP-N"].expected, rows["CLP-N"].basis) == (15, Basis.LAST_YEAR)
    # Citra acquired nobody last year: her target is spread evenly.
    assert (rows["CITRA"].expected, rows["CITRA"].basis) == (6, Basis.EVEN)


def test_a_target_split_by_month_expects_the_sum_of_its_months(season):
    ani = AcquisitionTargetFactory(branch=season["branch"], agent=season["ani"], year=2022, target=60)
    split_by_month(ani, [1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9])

    [row] = target_progress(
        scope=Scope(branch=season["branch"], office=season["north"], agent=season["ani"]), period=JUNE_2022
    )

    assert (row.expected, row.basis) == (6, Basis.SPLIT)


def test_each_month_has_its_share_of_the_target_and_a_finished_month_below_it_is_behind(season):
    expectations = month_expectations(scope=season["scope"], period=JUNE_2022, today=AFTER_JUNE)

    assert expectations.target == 120 and expectations.season.basis == Basis.LAST_YEAR
    assert [month.expected for month in expectations] == [5] * 6 + [15] * 6
    assert sum(month.expected for month in expectations) == 120
    assert [month.actual for month in expectations] == [5, 4, 5, 6, 5, 5] + [None] * 6
    assert [month.month.month for month in expectations.behind] == [2]
    february = expectations.months[1]
    assert (february.shortfall, february.actual_cumulative, february.expected_cumulative) == (1, 9, 10)
    assert [month.last_year for month in expectations] == [1] * 6 + [3] * 6


def test_a_month_still_in_progress_is_not_behind(season):
    expectations = month_expectations(scope=season["scope"], period=Period(2022, 7), today=AFTER_JUNE)

    july = expectations.months[6]
    assert (july.actual, july.expected, july.finished, july.behind) == (0, 15, False, False)


def test_the_months_of_a_split_target_are_used_month_by_month(season):
    ani = AcquisitionTargetFactory(branch=season["branch"], agent=season["ani"], year=2022, target=60)
    split_by_month(ani, [6, 6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 4])
    scope = Scope(branch=season["branch"], office=season["north"], agent=season["ani"])

    expectations = month_expectations(scope=scope, period=JUNE_2022, today=AFTER_JUNE)

    assert [month.expected for month in expectations] == [6] * 6 + [4] * 6
    assert expectations.basis_label == str(Basis.LABELS[Basis.SPLIT])
    assert [month.month.month for month in expectations.behind] == [1, 2, 3, 5, 6]


def test_without_a_target_nothing_is_expected_and_nothing_is_behind(season):
    expectations = month_expectations(scope=season["scope"], period=Period(2021, 12), today=AFTER_JUNE)

    assert expectations.target is None
    assert all(month.expected is None and not month.behind for month in expectations)


def test_the_months_take_two_queries_and_the_progress_four(season, django_assert_num_queries):
    with django_assert_num_queries(2):
        month_expectations(scope=season["scope"], period=JUNE_2022, today=AFTER_JUNE)
    with django_assert_num_queries(4):
        target_progress(scope=season["scope"], period=JUNE_2022)


def _counts(months_by_year):
    return {
        datetime.date(year, month, 1): n
        for year, months in months_by_year.items()
        for month, n in enumerate(months, start=1)
        if n
    }


def test_when_last_year_was_not_complete_the_earlier_complete_years_are_averaged():
    counts = _counts(
        {
            2019: [1] * 12,  # half of the year by June
            2020: [1] * 6 + [3] * 6,  # a quarter by June
            2021: [0, 0, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0],  # started in March: not a year of work
        }
    )
    season = season_of(month_shapes(counts, 2022), 2022)

    assert season.basis == Basis.AVERAGE and [year.year for year in season.years] == [2019, 2020]
    assert season.expected_through(80, 6) == 30  # 80 × (1/2 + 1/4) / 2
    assert sum(season.months(80)) == 80


def test_with_no_complete_year_the_target_is_spread_evenly():
    season = season_of(month_shapes(_counts({2021: [0] + [2] * 11}), 2022), 2022)

    assert season.basis == Basis.EVEN
    assert season.expected_through(120, 6) == 60
    assert season.months(100) == [8, 9, 8, 8, 9, 8, 8, 9, 8, 8, 9, 8]
