"""``manage.py import_payments FILE [--branch CODE] [--dry-run] [--follow-up OUT.xlsx]``: the scheduled feed.

Reads and matches the payments file exactly as the staff page does, then records its matched rows in
one transaction (``enrollment.services.payments``). Without ``--branch`` the file is national: rows of
every branch are matched. ``--dry-run`` prints what the file would do and keeps nothing. The import is
kept on the payments files page like an upload, marked as from the scheduled feed.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from agents.commands import branch_by_code
from enrollment.importing.reader import SpreadsheetError
from enrollment.models import PaymentLine
from enrollment.payments.follow_up import follow_up_workbook
from enrollment.selectors.payments import FOLLOW_UP, payment_lines
from enrollment.services.payments import PaymentsChanged, payment_import_confirm, payment_import_create


class Command(BaseCommand):
    help = "Import a payments file (.xlsx or .csv) from the channels: match every row, record the matched ones."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The payments file, .xlsx or .csv.")
        parser.add_argument("--branch", help="Branch code, e.g. CLP: the file is that branch's (default: national).")
        parser.add_argument("--dry-run", action="store_true", help="Match and print the counts; record nothing.")
        parser.add_argument("--follow-up", help="Write the rows to follow up to this .xlsx file.")

    def handle(self, *, file, branch, dry_run, follow_up, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        branch = branch_by_code(branch) if branch else None
        if follow_up and not Path(follow_up).resolve().parent.is_dir():
            raise CommandError(f"Cannot write {follow_up}: no such folder.")
        with path.open("rb") as handle, transaction.atomic():
            upload = File(handle, name=path.name)
            try:
                payment_import = payment_import_create(upload=upload, branch=branch)
            except SpreadsheetError as error:
                raise CommandError(" ".join(str(message) for message in error.args)) from None
            if not dry_run:
                try:
                    payment_import = payment_import_confirm(payment_import=payment_import)
                except PaymentsChanged:
                    raise CommandError("Nothing recorded: payments were recorded meanwhile. Run it again.") from None
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from None
            self._report(payment_import, dry_run=dry_run)
            if follow_up:
                Path(follow_up).write_bytes(follow_up_workbook(payment_lines(payment_import, outcome=FOLLOW_UP)))
                self.stdout.write(f"Rows to follow up written to {follow_up}.")
            if dry_run:
                transaction.set_rollback(True)

    def _report(self, payment_import, *, dry_run):
        verb = "would record" if dry_run else "recorded"
        self.stdout.write(
            f"{payment_import.file_name}: {payment_import.total} rows; {verb} {payment_import.to_write} payments, "
            f"{payment_import.count(PaymentLine.Outcome.CONFIRMS)} agent records confirmed, "
            f"{payment_import.to_follow_up} rows to follow up."
        )
        labels = dict(PaymentLine.Outcome.choices)
        for outcome, count in sorted(payment_import.counts.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {count:>8,}  {labels[outcome]}")
        if not dry_run:
            self.stdout.write(f"Kept as payments file {payment_import.pk}.")
