"""Cell values that are safe to put in an Excel or CSV file someone will open.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula by a spreadsheet program (CSV/formula injection). Every export passes its text through
``neutralise``, which prefixes such text with an apostrophe so it stays text.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` unchanged unless it is text a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
