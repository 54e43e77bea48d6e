"""Numbers and money in templates: ``{% load formatting %}``, then ``{{ total|number }}``,
``{{ amount|rupiah }}``, ``{{ change|percent }}``. Each filter is the kernel's function
(``perisai.formatting``), so a page writes a figure exactly as a message or a workbook sentence does."""

from django import template

from perisai import formatting

register = template.Library()

register.filter("number", formatting.number)
register.filter("rupiah", formatting.rupiah)
register.filter("percent", formatting.percent)
