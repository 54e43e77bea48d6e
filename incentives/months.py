"""Calendar months, as the first day of the month: how statements and activity count time."""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_of(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(month):
    """The last day of ``month``'s month (29 February in a leap year)."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def shift_month(month, months):
    """The first day of the month ``months`` after (negative: before) ``month``'s month."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


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
