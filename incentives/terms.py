"""Which incentive scheme is in force in a month, or in each of several months (one query each).

The programme terms are the agent network's: ``agents.terms.terms_in_force``.
"""

from incentives.models import IncentiveScheme
from perisai.months import month_end, month_start, shift_month


def scheme_in_force(month):
    """The ``IncentiveScheme`` in force in ``month``'s month, or ``None`` (then nothing is earned)."""
    return IncentiveScheme.objects.in_force_in(month_start(month)).first()


def schemes_by_month(first, last):
    """``{month: scheme or None}`` for every month from ``first``'s to ``last``'s, in one query."""
    first, last = month_start(first), month_start(last)
    schemes = list(IncentiveScheme.objects.overlapping(first, month_end(last)))
    months = {}
    month = first
    while month <= last:
        months[month] = next(
            (s for s in schemes if s.effective_from <= month and (s.effective_to is None or s.effective_to >= month)),
            None,
        )
        month = shift_month(month, 1)
    return months
