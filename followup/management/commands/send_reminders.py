"""``manage.py send_reminders [--branch CODE] [--dry-run] [--today YYYY-MM-DD]``: run it daily.

For each branch (or the one named): queue this month's reminders to participants one month from lapsing
and to agents with a long follow-up list (``followup.reminders``), hand this month's queued messages to
the sending backend (``PERISAI_MESSAGE_BACKEND``; the default keeps them in the outbox for staff), and
delete outbox messages past their retention (90 days). ``--dry-run`` says what it would do and changes
nothing; ``--today`` runs as on another day (the month of the reminders, who is late).
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from followup.commands import branches_for, day_from
from followup.models import MessageTemplate
from followup.reminders import OUTBOX_KEPT_FOR, outbox_dispatch, outbox_purge, reminders_planned, reminders_queue
from followup.sending import get_backend
from followup.tasks import send_branch_reminders

Purpose = MessageTemplate.Purpose


class Command(BaseCommand):
    help = (
        "Queue this month's reminders (participants one month from lapsing, agents with a long list), send them "
        "through the message backend, and delete outbox messages older than the retention period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--branch", help="Branch code, e.g. CLP (default: every branch).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be queued; change nothing.")
        parser.add_argument("--today", help="Run as on this day, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--in-background", action="store_true", help="Queue one task per branch for the workers; return at once."
        )

    def handle(self, *, branch, dry_run, today, in_background=False, **options):
        branches = branches_for(branch)
        today = day_from(today)
        if in_background and not dry_run:
            for one in branches:
                send_branch_reminders.enqueue(one.code, today.isoformat())
            self.stdout.write(f"Queued the reminders of {len(branches)} branches for the background workers.")
            return
        try:
            backend = get_backend()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        for one in branches:
            plan = reminders_planned(branch=one, today=today)
            queued = len(plan.messages) if dry_run else reminders_queue(plan=plan)
            self._report_plan(plan, queued, dry_run=dry_run)
            if not dry_run:
                self._report_dispatch(one, outbox_dispatch(backend=backend, today=today, branch=one), backend)
        single = branches[0] if branch else None
        purged = outbox_purge(now=timezone.now(), branch=single, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {purged} outbox messages queued more than {OUTBOX_KEPT_FOR.days} days ago.")

    def _report_plan(self, plan, queued, *, dry_run):
        month = plan.month.strftime("%Y-%m")
        verb = "would queue" if dry_run else "queued"
        late, agents = plan.count(Purpose.LATE), plan.count(Purpose.AGENT_LIST)
        line = (
            f"{plan.branch.code} {month}: {verb} {queued} reminders ({late} to participants one month from lapsing, "
            f"{agents} to agents with a long list); {plan.already_this_month} already had this month's"
        )
        if plan.late_without_phone:
            line += f"; {plan.late_without_phone} late without a phone number"
        if plan.agents_without_login:
            line += f"; {plan.agents_without_login} active agents without a login not covered"
        self.stdout.write(line + ".")
        for purpose in plan.missing_templates:
            self.stderr.write(
                f"{plan.branch.code}: no {purpose.value!r} message template (branch or national): none queued."
            )

    def _report_dispatch(self, branch, dispatched, backend):
        if not backend.delivers:
            self.stdout.write(
                f"{branch.code}: {dispatched.left_queued} messages in the outbox for staff (no gateway: "
                f"PERISAI_MESSAGE_BACKEND is {backend.name!r})."
            )
            return
        self.stdout.write(
            f"{branch.code}: sent {dispatched.sent}, failed {dispatched.failed}, still queued {dispatched.left_queued}."
        )
        if dispatched.stopped:
            self.stderr.write(
                f"{branch.code}: the gateway failed several times in a row; the rest stay queued for the next run."
            )
