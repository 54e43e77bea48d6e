"""Whole shares that add up exactly: the largest remainder method (``perisai.apportion``)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from perisai.apportion import half_up, largest_remainder


def test_shares_add_up_to_the_total_and_follow_the_weights():
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(3293, [402, 379, 210, 144]) == [1166, 1100, 609, 418]
    assert sum(largest_remainder(1001, [Decimal("0.7"), Decimal("0.2"), Fraction(1, 10)])) == 1001


def test_the_largest_fractional_parts_get_the_units_left_over():
    # Exact quotas 4.6, 2.1 and 3.3: the whole parts make 9, the tenth unit goes to the largest remainder.
    assert largest_remainder(10, [46, 21, 33]) == [5, 2, 3]


def test_a_tie_goes_to_the_larger_weight_then_to_the_earlier_position():
    assert largest_remainder(2, [1, 3]) == [0, 2]  # 0.5 and 1.5: the half goes to the larger weight
    assert largest_remainder(1, [1, 1]) == [1, 0]
    assert largest_remainder(2, [1, 2, 1]) == [1, 1, 0]


def test_a_weight_of_zero_gets_nothing():
    assert largest_remainder(5, [0, 3, 0]) == [0, 5, 0]


def test_nothing_to_split_gives_zeros_and_no_weight_to_split_by_is_refused():
    assert largest_remainder(0, [0, 0]) == [0, 0]
    assert largest_remainder(0, [2, 3]) == [0, 0]
    with pytest.raises(ValueError):
        largest_remainder(3, [0, 0])
    with pytest.raises(ValueError):
        largest_remainder(3, [1, -1])


def test_half_up_rounds_an_exact_share_to_the_nearest_whole_a_half_going_up():
    assert [half_up(Fraction(n, 4)) for n in (1, 2, 3, 5, 6)] == [0, 1, 1, 1, 2]
