"""Reads of payments files for the pages: the files a user may see, and their rows by outcome.

A branch's files are its staff's and its head's; a national file (no branch) is a national
administrator's only (``agents.scoping.for_user``). Rows are read through their file, so a row of a
file the user may not see is out of reach too.
"""

from agents.scoping import for_user
from enrollment.models import PaymentImport, PaymentLine

FOLLOW_UP = "follow_up"
"""The outcome filter for every row someone should look at (``PaymentLine.FOLLOW_UP``)."""


def payment_imports_for(user):
    return for_user(PaymentImport.objects.select_related("branch", "uploaded_by"), user, branch_path="branch")


def payment_lines(payment_import, *, outcome=None):
    """The file's rows in file order, with their participant (``matched_participant``: through the acquisition,
    or kept on a row without one); ``outcome`` one of ``PaymentLine.Outcome``, ``FOLLOW_UP``, or ``None`` for all."""
    lines = payment_import.lines.select_related("participant", "acquisition__participant").order_by("row")
    if outcome == FOLLOW_UP:
        return lines.filter(outcome__in=PaymentLine.FOLLOW_UP)
    if outcome:
        return lines.filter(outcome=outcome)
    return lines


def imported_before(payment_import):
    """Earlier imports of the very same file (same SHA-256) the user's file could repeat, newest first."""
    return PaymentImport.objects.filter(
        file_sha256=payment_import.file_sha256,
        status=PaymentImport.Status.IMPORTED,
        branch=payment_import.branch,
    ).exclude(pk=payment_import.pk)
