"""What the report commands share: turning command-line text into a branch scope and a period.

Commands run as the server's operator, not as a signed-in user, so they name the branch directly.
Every mistake becomes a ``CommandError`` with a message that says what to type instead.
"""

from django.core.exceptions import ValidationError
from django.core.management import CommandError

from agents.commands import branch_by_code
from agents.scoping import Scope
from reports.acquisitions import latest_period
from reports.periods import Period


def branch_scope(code):
    return Scope(branch=branch_by_code(code))


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
