"""Which incentive scheme is in force in a month, or in each of several months, and a participant's
membership month.

**The scheme in force** for a month is the one whose months cover it (schemes begin on the first of a
month and end on the last, and never overlap), so every contribution *paid* in a month and every
acquisition *made* in it is counted under that month's scheme: a late payment for March made in May
counts under May's scheme. No scheme in force: nothing is earned (the statement still lists the work).
Each read is three queries: the schemes, their fee tiers, their fees per new participant.

The programme terms are the agent network's: ``agents.terms.terms_in_force``.
"""

from incentives.models import IncentiveScheme
from perisai.months import month_end, month_start, months_between, shift_month

SCHEME_ROWS = ("fee_tiers", "acquisition_fees")


def _schemes():
    return IncentiveScheme.objects.prefetch_related(*SCHEME_ROWS)


def scheme_in_force(month):
    """The ``IncentiveScheme`` in force in ``month``'s month, or ``None`` (then nothing is earned)."""
    return _schemes().in_force_in(month_start(month)).first()


def schemes_by_month(first, last):
    """``{month: scheme or None}`` for every month from ``first``'s to ``last``'s."""
    first, last = month_start(first), month_start(last)
    schemes = list(_schemes().overlapping(first, month_end(last)))
    months = {}
    month = first
    while month <= last:
        months[month] = next(
            (s for s in schemes if s.effective_from <= month and (s.effective_to is None or s.effective_to >= month)),
            None,
        )
        month = shift_month(month, 1)
    return months


def membership_month(acquired_on, period):
    """The participant's membership month that ``period`` is (1: the month of the acquisition).

    Counted from the acquisition the contribution was paid for, as the 2022 terms count "bulan iuran"
    from the month the agent acquired the worker; a worker acquired again after lapsing starts again at
    month 1. A period before the acquisition's month (which the enrolment rules refuse) counts as month 1.
    """
    return max(1, months_between(month_start(acquired_on), month_start(period)) + 1)
