"""How a report cell reads on the page: ``{% cell row column %}`` formats by the column's kind."""

from django import template
from django.utils.formats import date_format

from perisai.formatting import number, percent, rupiah
from reports import catalogue

register = template.Library()

NO_VALUE = "—"


def format_value(value, kind):
    """A value in the active language: 5.628, 12,5%, +1,6%, Rp 16.800, 30 Juni 2022, Juni 2022."""
    if value is None or value == "":
        return NO_VALUE
    if kind == catalogue.TEXT:
        return str(value)
    if kind == catalogue.YEAR:
        return str(value)
    if kind == catalogue.DECIMAL:
        return number(value, 1)
    if kind == catalogue.PERCENT:
        return percent(value, 1)
    if kind == catalogue.CHANGE:
        return f"+{percent(value, 1)}" if value > 0 else percent(value, 1)
    if kind == catalogue.RUPIAH:
        return rupiah(value)
    if kind == catalogue.DATE:
        return date_format(value, "j F Y")
    if kind == catalogue.MONTH:
        return date_format(value, "F Y")
    return number(value)


@register.simple_tag
def cell(row, column):
    return format_value(column.value(row), column.kind)


@register.filter
def formatted(value, kind):
    """``{{ value|formatted:"change" }}``: one value formatted like a report cell."""
    return format_value(value, kind)
