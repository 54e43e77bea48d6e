"""``manage.py notify_staff [--branch CODE] [--today YYYY-MM-DD] [--dry-run]``: run it daily.

E-mails each branch's active staff and head (those with an e-mail address) the PKS that end within 60
days or have ended and the Perisai offices under their monthly minimum (``web.staff_notices``); a
branch with nothing to say gets nothing, and no branch gets two the same day.
"""

from django.core.management import BaseCommand

from followup.commands import branches_for, day_from
from web.staff_notices import staff_notice, staff_notice_send


class Command(BaseCommand):
    help = "E-mail branch staff and heads the PKS to renew and the offices under their minimum (once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--branch", help="Branch code, e.g. CLP (default: every branch).")
        parser.add_argument("--today", help="Run as on this day, YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *, branch, today, dry_run, **options):
        branches = branches_for(branch)
        today = day_from(today)
        for one in branches:
            notice = staff_notice(branch=one, today=today)
            sent = staff_notice_send(notice=notice, dry_run=dry_run)
            what = f"{len(notice.agreements)} PKS to renew, {len(notice.offices)} offices under their minimum"
            if sent.reason:
                self.stdout.write(f"{one.code}: {what}; nothing sent ({sent.reason}).")
            else:
                verb = "would e-mail" if dry_run else "e-mailed"
                self.stdout.write(f"{one.code}: {what}; {verb} {sent.recipients} staff.")
