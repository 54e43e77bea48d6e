"""Numbers and money in the reader's language: 5.628 and Rp 16.800 in Indonesian, 5,628 in English."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number(value, decimals=0):
    """A count or amount with thousands separators in the active language; '' stays ''."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(value), decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def rupiah(value):
    """Whole Rupiah: ``Rp 16.800``."""
    if value is None or value == "":
        return ""
    return f"Rp\u00a0{number(value)}"


@register.filter
def percent(value, decimals=1):
    """A share or change already in percent: ``12,5%``; '' for no value (e.g. no last year to compare)."""
    if value is None or value == "":
        return ""
    return f"{number(value, decimals)}%"
