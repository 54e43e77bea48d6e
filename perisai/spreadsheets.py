"""Spreadsheet pieces every export shares: safe cell values, and valid sheet and file names.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula by a spreadsheet program (CSV/formula injection). Every export passes its text through
``neutralise``, which prefixes such text with an apostrophe so it stays text.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LENGTH = 31
# Characters Excel refuses in sheet names; they are unsafe in a downloaded file's name too.
INVALID_SHEET_CHARACTERS = str.maketrans({character: " " for character in "[]:*?/\\"})


def neutralise(value):
    """``value`` unchanged unless it is text a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def sheet_name(title, taken):
    """A valid sheet name from ``title`` that is not in ``taken``: at most 31 characters, none of
    ``[]:*?/\\``, numbered " (2)", " (3)" ... when taken (Excel compares names case-insensitively)."""
    name = str(title).translate(INVALID_SHEET_CHARACTERS).strip()[:SHEET_NAME_LENGTH].strip()
    candidate, number = name, 2
    while candidate.lower() in {existing.lower() for existing in taken}:
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    return candidate
