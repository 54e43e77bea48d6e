"""What the scheduled commands of reminders and notices share (``send_reminders``, ``notify_staff``):
the branches to run for and the day to run as, from command-line text, each mistake a ``CommandError``."""

import datetime

from django.core.management import CommandError
from django.utils import timezone

from agents.models import Branch


def branches_for(code=None):
    """The branch with ``code``, or every branch (by code) without one."""
    branches = Branch.objects.order_by("code")
    if not code:
        return list(branches)
    branch = branches.filter(code=code).first()
    if branch is None:
        known = ", ".join(branches.values_list("code", flat=True)) or "none"
        raise CommandError(f"Unknown branch {code!r}. Branch codes: {known}.")
    return [branch]


def day_from(text=None):
    """``--today YYYY-MM-DD`` as a date; today (Asia/Jakarta) without one."""
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date written YYYY-MM-DD, e.g. 2022-07-11 (not {text!r}).") from None
