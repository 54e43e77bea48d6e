"""What the scheduled commands of reminders and notices share (``send_reminders``, ``notify_staff``):
the branches to run for and the day to run as, from command-line text, each mistake a ``CommandError``."""

import datetime

from django.core.management import CommandError
from django.utils import timezone

from agents.commands import branch_by_code
from agents.models import Branch


def branches_for(code=None):
    """The branch with ``code``, or every branch (by code) without one."""
    if not code:
        return list(Branch.objects.order_by("code"))
    return [branch_by_code(code)]


def day_from(text=None):
    """``--today YYYY-MM-DD`` as a date; today (Asia/Jakarta) without one."""
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date written YYYY-MM-DD, e.g. 2022-07-11 (not {text!r}).") from None
