"""Which incentive scheme and which programme terms are in force in a month (one query each)."""

from incentives.models import IncentiveScheme, ProgrammeTerms
from incentives.months import month_end, month_of, shift_month


def scheme_in_force(month):
    """The ``IncentiveScheme`` in force in ``month``'s month, or ``None`` (then nothing is earned)."""
    return IncentiveScheme.objects.in_force_in(month_of(month)).first()


def schemes_by_month(first, last):
    """``{month: scheme or None}`` for every month from ``first``'s to ``last``'s, in one query."""
    first, last = month_of(first), month_of(last)
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


def terms_in_force(month):
    """The ``ProgrammeTerms`` in force in ``month``'s month, or ``None`` when none are recorded."""
    return ProgrammeTerms.objects.in_force_in(month_of(month)).first()
