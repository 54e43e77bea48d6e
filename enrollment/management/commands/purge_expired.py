"""``manage.py purge_expired [--dry-run]``: delete personal data past its retention period (run it daily)."""

from django.core.management import BaseCommand

from enrollment.services.retention import RECORDS_KEPT_YEARS, expired_data_purge


class Command(BaseCommand):
    help = (
        "Delete what the retention rules say (PRIVACY.md): NIK view log entries after two years, sign-in "
        f"records after a year, unconfirmed uploads after 24 hours, the rows of imported payments files after a "
        f"year, participants and agents {RECORDS_KEPT_YEARS} years after their last acquisition ended or they left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *, dry_run, **options):
        purged = expired_data_purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb}: {purged.disclosures} NIK view log entries, {purged.sign_in_records} sign-in records, "
            f"{purged.import_batches + purged.payment_files} unconfirmed uploads, "
            f"{purged.payment_rows} rows of payments files, "
            f"{purged.participants} participants (with their acquisitions, contributions and history), "
            f"{purged.agents} agents, {purged.logins} agent login accounts."
        )
