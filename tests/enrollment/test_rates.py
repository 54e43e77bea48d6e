"""Contribution rates are dated data: the right one is picked for a day, and it prices a declared income."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from enrollment.models import ContributionRate
from tests.factories import ContributionRateFactory


@pytest.fixture
def discounted_2020_rate(db):
    """The Covid-19 discount (PP 49/2020): JKK and JKM cut by 99% from August to December 2020."""
    return ContributionRateFactory(
        name="BPU 2020 (discount)",
        effective_from=datetime.date(2020, 8, 1),
        effective_to=datetime.date(2020, 12, 31),
        jkk_rate=Decimal("0.0001"),
        jkm_amount=Decimal("68"),
    )


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2020, 8, 1), "BPU 2020 (discount)"),
        (datetime.date(2020, 12, 31), "BPU 2020 (discount)"),
        (datetime.date(2021, 1, 1), "BPU 2021"),
        (datetime.date(2030, 6, 1), "BPU 2021"),
    ],
    ids=["first-day-of-2020-rate", "last-day-of-2020-rate", "first-day-of-2021-rate", "open-ended-2021-rate"],
)
def test_in_force_on_picks_the_rate_covering_the_day(discounted_2020_rate, rate, day, expected):
    assert ContributionRate.objects.in_force_on(day).name == expected


def test_in_force_on_before_the_first_rate_finds_none(discounted_2020_rate, rate):
    with pytest.raises(ContributionRate.DoesNotExist):
        ContributionRate.objects.in_force_on(datetime.date(2020, 7, 31))


def test_in_force_on_a_gap_between_rates_finds_none(discounted_2020_rate):
    ContributionRateFactory(effective_from=datetime.date(2021, 2, 1))

    with pytest.raises(ContributionRate.DoesNotExist):
        ContributionRate.objects.in_force_on(datetime.date(2021, 1, 15))


# Pricing. ``breakdown`` needs no database: the rate is built, not saved.


@pytest.fixture
def rate_2021():
    return ContributionRateFactory.build()


def test_minimum_package_is_16800(rate_2021):
    breakdown = rate_2021.breakdown(1_000_000, with_jht=False)

    assert (breakdown.jkk, breakdown.jkm, breakdown.jht) == (10_000, 6_800, 0)
    assert breakdown.total == 16_800


def test_minimum_package_with_jht_is_36800(rate_2021):
    breakdown = rate_2021.breakdown(1_000_000, with_jht=True)

    assert breakdown.jht == 20_000
    assert breakdown.total == 36_800


def test_jkk_at_the_maximum_income_is_207000(rate_2021):
    assert rate_2021.breakdown(20_700_000, with_jht=False).jkk == 207_000


@pytest.mark.parametrize(
    "income, jkk", [(1_000_049, 10_000), (1_000_050, 10_001)], ids=["below-half-rounds-down", "half-rounds-up"]
)
def test_amounts_round_to_whole_rupiah_half_up(rate_2021, income, jkk):
    assert rate_2021.breakdown(income, with_jht=False).jkk == jkk


@pytest.mark.parametrize("income", [999_999, 20_700_001], ids=["below-minimum", "above-maximum"])
def test_income_outside_the_rate_range_is_refused(rate_2021, income):
    with pytest.raises(ValidationError) as caught:
        rate_2021.breakdown(income, with_jht=False)

    assert caught.value.code == "income_out_of_range"
    assert caught.value.params == {"low": "1.000.000", "high": "20.700.000"}


# Periods must not overlap.


@pytest.mark.parametrize(
    "effective_from, effective_to",
    [
        (datetime.date(2021, 6, 1), None),
        (datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)),
        (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)),
    ],
    ids=["open-ended-inside", "ends-on-its-first-day", "closed-inside"],
)
@pytest.mark.usefixtures("english")
def test_clean_refuses_a_period_overlapping_another_rate(rate, effective_from, effective_to):
    overlapping = ContributionRateFactory.build(effective_from=effective_from, effective_to=effective_to)

    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.clean()


def test_clean_accepts_the_period_just_before_another_rate(rate):
    ContributionRateFactory.build(
        effective_from=datetime.date(2020, 8, 1), effective_to=datetime.date(2020, 12, 31)
    ).clean()


def test_clean_does_not_count_the_rate_as_overlapping_itself(rate):
    rate.clean()
