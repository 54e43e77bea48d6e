"""Splitting a whole number into whole shares that add up to it exactly: quotas, months of a plan.

``largest_remainder(total, weights)`` is Hamilton's method: every share first gets the whole part of
its exact proportion, then the units still missing go one each to the largest fractional parts. The
shares always add up to ``total``, each is within one of its exact proportion, and a weight of 0 gets
0. The arithmetic is exact (fractions), so the same weights always give the same split, and ties go
to the larger weight, then to the earlier position, so a list in a meaningful order (busiest first,
by code) splits the same way every time.
"""

import math
from fractions import Fraction


def largest_remainder(total, weights):
    """``total`` (an int, at least 0) split in proportion to ``weights`` (ints, Decimals or Fractions, at
    least 0) into ints that add up to ``total``. ``ValueError`` when there is something to split and no
    weight to split it by, or a weight is negative."""
    if total < 0 or any(weight < 0 for weight in weights):
        raise ValueError("A total and weights to apportion cannot be negative.")
    weights = [Fraction(weight) for weight in weights]
    whole = sum(weights)
    if not whole:
        if total:
            raise ValueError("Nothing to apportion by: every weight is 0.")
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [int(quota) for quota in exact]  # exact quotas are at least 0: int() is their floor
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), -weights[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def half_up(value):
    """The whole number nearest to ``value`` (an exact Fraction or int), a half going up: the rounding of a
    share of a whole, e.g. a target's months to date."""
    return math.floor(value + Fraction(1, 2))
