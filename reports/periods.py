"""The reporting period: a year and the month it runs through (year-to-date).

Months are the kernel's calendar (``perisai.months``); a period is what a report, a page or a file
covers, chosen by the user or a command.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from perisai.months import FIRST_YEAR, LAST_YEAR, month_end


@dataclass(frozen=True)
class Period:
    """January 1st of ``year`` through the last day of ``through_month``."""

    year: int
    through_month: int = 12

    def __post_init__(self):
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValidationError(
                _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="year_out_of_range",
            )
        if not 1 <= self.through_month <= 12:
            raise ValidationError(_("The month must be between 1 and 12."), code="month_out_of_range")

    @classmethod
    def parse(cls, year, through=None):
        """A period from request or command-line text: ``year`` "2022", ``through`` "2022-06" or "6"."""
        try:
            year = int(year)
            if through in (None, ""):
                month = 12
            elif "-" in str(through):
                through_year, month = (int(part) for part in str(through).split("-", 1))
                if through_year != year:
                    raise ValidationError(
                        _("The month must fall in the year chosen (%(year)d).") % {"year": year},
                        code="through_other_year",
                    )
            else:
                month = int(through)
        except (TypeError, ValueError):
            raise ValidationError(_("Give the year as YYYY and the month as YYYY-MM."), code="bad_period") from None
        return cls(year, month)

    @property
    def start(self):
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        return month_end(datetime.date(self.year, self.through_month, 1))

    @property
    def year_end(self):
        return datetime.date(self.year, 12, 31)

    @property
    def is_full_year(self):
        return self.through_month == 12

    @property
    def months_elapsed(self):
        return self.through_month

    @property
    def months_remaining(self):
        return 12 - self.through_month

    @property
    def through(self):
        """The ``through`` request parameter for this period: "2022-06"."""
        return f"{self.year:04d}-{self.through_month:02d}"

    @property
    def label(self):
        """ "Januari–Juni 2022" in the active language ("Januari 2022" when it is one month)."""
        return f"{self.months_label} {self.year}"

    @property
    def months_label(self):
        """ "Januari–Juni" in the active language ("Januari" when it is one month)."""
        last = date_format(self.end, "F")
        if self.through_month == 1:
            return last
        return f"{date_format(self.start, 'F')}–{last}"

    @property
    def next_month_label(self):
        """The first month after the period ("Juli"), or ``None`` after December."""
        if self.through_month == 12:
            return None
        return date_format(datetime.date(self.year, self.through_month + 1, 1), "F")

    @property
    def previous_start(self):
        return datetime.date(self.year - 1, 1, 1)

    @property
    def previous_end(self):
        """The last day of the same month a year earlier (28 February 2023 for a period through February 2024)."""
        return month_end(datetime.date(self.year - 1, self.through_month, 1))

    @property
    def previous_year_end(self):
        return datetime.date(self.year - 1, 12, 31)

    def previous_year(self):
        """The same months one year earlier (January–June 2021 for January–June 2022)."""
        return Period(self.year - 1, self.through_month)

    def month_starts(self):
        """The first day of each month in the period."""
        return [datetime.date(self.year, month, 1) for month in range(1, self.through_month + 1)]

    @classmethod
    def containing(cls, day):
        """The period from January through the month of ``day``."""
        return cls(day.year, day.month)
