"""Yearly totals, the change, the pace needed and the projection, on data with known answers."""

import datetime
from decimal import Decimal

import pytest

from agents.scoping import Scope
from reports.acquisitions import YearTotal, acquisition_summary, latest_period, yearly_totals
from reports.periods import Period
from tests.reports.conftest import acquire

pytestmark = pytest.mark.django_db


def acquire_many(agent, dates):
    for day in dates:
        acquire(agent, day)


def by_year(rows):
    return {row.year: row for row in rows}


def test_totals_to_date_and_in_full_with_a_year_without_data(cilacap):
    ani = cilacap["ani"]
    acquire_many(ani, [datetime.date(2019, 2, 1), datetime.date(2019, 8, 1)])
    acquire_many(ani, [datetime.date(2021, 1, 10)] * 3 + [datetime.date(2021, 9, 1)] * 2)

    rows = by_year(yearly_totals(scope=cilacap["scope"], period=Period(2021, 6)))

    assert list(rows) == [2019, 2020, 2021]
    assert (rows[2019].year_to_date, rows[2019].full_year) == (1, 2)
    assert (rows[2020].year_to_date, rows[2020].full_year) == (0, 0)
    assert (rows[2021].year_to_date, rows[2021].full_year) == (3, 5)
    assert rows[2020].change_same_period == Decimal("-100.0")
    assert rows[2021].change_same_period is None  # nothing in 2020 to compare with
    assert rows[2021].pace_needed is None


def test_the_period_boundary_is_the_last_day_of_the_month(cilacap):
    acquire_many(cilacap["ani"], [datetime.date(2022, 6, 30), datetime.date(2022, 7, 1)])
    row = acquisition_summary(scope=cilacap["scope"], period=Period(2022, 6))
    assert (row.year_to_date, row.full_year) == (1, 2)


def test_leap_day_counts_in_february_and_a_year_later_compares_with_it(cilacap):
    acquire_many(cilacap["ani"], [datetime.date(2024, 2, 29), datetime.date(2024, 3, 1), datetime.date(2025, 2, 28)])
    assert Period(2024, 2).end == datetime.date(2024, 2, 29)
    assert Period(2025, 2).previous_end == datetime.date(2024, 2, 29)
    assert Period(2024, 2).previous_end == datetime.date(2023, 2, 28)

    leap = acquisition_summary(scope=cilacap["scope"], period=Period(2024, 2))
    after = acquisition_summary(scope=cilacap["scope"], period=Period(2025, 2))

    assert leap.year_to_date == 1
    assert (after.year_to_date, after.previous_year_to_date, after.previous_full_year) == (1, 1, 2)
    assert after.change_same_period == Decimal("0.0")


def test_a_participant_acquired_again_counts_again(cilacap):
    first = acquire(cilacap["ani"], datetime.date(2021, 2, 1), lapsed_on=datetime.date(2021, 6, 1))
    acquire(cilacap["budi"], datetime.date(2021, 11, 1), participant=first.participant)
    assert acquisition_summary(scope=cilacap["scope"], period=Period(2021, 12)).full_year == 2


def test_pace_needed_to_beat_last_year_and_the_projection(cilacap):
    acquire_many(cilacap["ani"], [datetime.date(2021, 5, 1)] * 10)
    acquire_many(cilacap["ani"], [datetime.date(2022, 3, 1)] * 4)

    row = acquisition_summary(scope=cilacap["scope"], period=Period(2022, 4))

    assert row.months_remaining == 8
    assert row.pace_needed == 1  # ceil((10 + 1 - 4) / 8)
    assert row.pace == 1  # 4 in four months
    assert row.projection == 12
    assert row.share_of_previous_year == Decimal("40.0")
    assert row.change_same_period is None  # nothing in January-April 2021


def test_the_seeds_question_549_a_month():
    """2,336 by June against 5,628 the year before needs ceil(3,293 / 6) = 549 a month."""
    row = YearTotal(
        year=2022,
        through_month=6,
        year_to_date=2336,
        full_year=2336,
        previous_year_to_date=2300,
        previous_full_year=5628,
    )
    assert row.pace_needed == 549
    assert row.projection == 4672
    assert row.pace == 389
    assert row.share_of_previous_year == Decimal("41.5")


def test_no_pace_needed_after_december_and_none_left_once_beaten(cilacap):
    acquire_many(cilacap["ani"], [datetime.date(2021, 5, 1)] * 2)
    acquire_many(cilacap["ani"], [datetime.date(2022, 2, 1)] * 3)

    assert acquisition_summary(scope=cilacap["scope"], period=Period(2022, 12)).pace_needed is None
    beaten = acquisition_summary(scope=cilacap["scope"], period=Period(2022, 3))
    assert beaten.beats_previous_year and beaten.pace_needed == 0


def test_an_empty_scope_has_one_row_of_zeros(cilacap):
    rows = yearly_totals(scope=cilacap["scope"], period=Period(2022, 6))
    assert [(row.year, row.year_to_date, row.full_year, row.pace_needed) for row in rows] == [(2022, 0, 0, None)]


def test_default_period_is_the_month_of_the_latest_acquisition(cilacap):
    acquire(cilacap["ani"], datetime.date(2022, 6, 30))
    acquire(cilacap["citra"], datetime.date(2021, 12, 1))
    assert latest_period(scope=cilacap["scope"]) == Period(2022, 6)
    south = Scope(branch=cilacap["branch"], office=cilacap["south"])
    assert latest_period(scope=south) == Period(2021, 12)


def test_default_period_without_data_is_todays_month(cilacap):
    assert latest_period(scope=cilacap["scope"], today=datetime.date(2026, 11, 26)) == Period(2026, 11)
