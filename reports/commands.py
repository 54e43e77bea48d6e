"""What the report commands share: turning command-line text into a branch scope and a period.

Commands run as the server's operator, not as a signed-in user, so they name the branch directly.
Every mistake becomes a ``CommandError`` with a message that says what to type instead.
"""

from django.core.exceptions import ValidationError
from django.core.management import CommandError

from agents.models import Branch
from agents.scoping import Scope
from reports.acquisitions import latest_period
from reports.periods import Period


def branch_scope(code):
    branch = Branch.objects.filter(code=code).first()
    if branch is None:
        known = ", ".join(Branch.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise CommandError(f"Unknown branch {code!r}. Branch codes: {known}.")
    return Scope(branch=branch)


def command_period(scope, *, year=None, through=None):
    """The period from ``--year`` and ``--through``; the latest month with acquisitions when neither."""
    try:
        if through:
            return Period.parse(year or through.split("-", 1)[0], through)
        if year:
            return Period.parse(year)
    except ValidationError as invalid:
        raise CommandError(" ".join(invalid.messages)) from None
    return latest_period(scope=scope)
