"""The calendar every part of Perisai counts by: months as their first day, month ends, moving by months.

A *month* is stored and passed around as the date of its first day (1 March 2022), as contribution
periods, rollups and programme terms are. The functions below take any day of a month unless they
say otherwise, so a caller never has to normalise first.

- ``month_start(day)`` / ``month_end(day)``: the first and the last day of ``day``'s month;
- ``shift_month(day, n)``: the first day of the month ``n`` months after (negative: before) ``day``'s;
- ``add_months(day, n)``: ``day`` itself moved by ``n`` months, the day of the month kept (the 31st
  becomes the last day of a shorter month): a leaving date plus six months, a PKS term;
- ``months_between(earlier, later)``: whole calendar months between two days' months (Jan→Apr is 3);
- ``years_before(day, n)``: the same day ``n`` years earlier (29 February becomes the 28th);
- ``parse_month("2022-03")``: a month typed on a command line or in a form.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
"""The years Perisai accepts in a month or a report period: anything outside is a typing mistake."""

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_start(day):
    """The first day of ``day``'s month: how months are stored."""
    return day.replace(day=1)


def month_end(day):
    """The last day of ``day``'s month (29 February in a leap year)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    """``day`` moved by whole months; the 31st becomes the month's last day where it has fewer."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def shift_month(day, months):
    """The first day of the month ``months`` after (negative: before) ``day``'s month."""
    return add_months(month_start(day), months)


def months_between(earlier, later):
    """Whole calendar months from the month of ``earlier`` to the month of ``later`` (Jan→Apr is 3)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def years_before(day, years):
    """The same day ``years`` years earlier; 29 February becomes the 28th in a year that has none."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def parse_month(text):
    """``"2022-03"`` as 1 March 2022; anything else is a ``ValidationError`` saying what to write."""
    match = MONTH_PATTERN.match((text or "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    raise ValidationError(
        _("Give the month as YYYY-MM between %(first)d and %(last)d, e.g. 2022-03.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR},
        code="bad_month",
    )
