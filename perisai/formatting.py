"""Numbers, money and dates in the reader's language: 5.628 and Rp 16.800 in Indonesian, 5,628 in English;
15 Juni 2022 or 15 June 2022.

The one place figures are written for people to read; pages (the ``formatting`` template filters wrap
these functions), messages and workbooks' sentences all call them.
"""

from decimal import Decimal

from django.utils.formats import date_format, number_format


def number(value, decimals=0):
    """A count or amount with thousands separators in the active language; '' stays ''."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(value), decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


def rupiah(value):
    """Whole Rupiah: ``Rp 16.800`` (a non-breaking space, so the amount never wraps from its currency)."""
    if value is None or value == "":
        return ""
    return f"Rp\u00a0{number(value)}"


def percent(value, decimals=1):
    """A share or change already in percent: ``12,5%``; '' for no value (e.g. no last year to compare)."""
    if value is None or value == "":
        return ""
    return f"{number(value, decimals)}%"


def long_date(day):
    """A date as a sentence writes it: 15 Juni 2022, or 15 June 2022 (messages, refusals)."""
    return date_format(day, "j F Y")
