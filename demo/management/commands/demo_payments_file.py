"""``manage.py demo_payments_file [OUTPUT]``: write the demo's sample payments file, last month's channel
payments as the seeded demo waits for them (``demo.payments_sample``)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demo.cilacap import DemoDataError
from demo.payments_sample import csv_bytes, sample_month, sample_name, sample_rows, xlsx_bytes


class Command(BaseCommand):
    help = (
        "Write the sample payments file of the Cilacap demo seeded this month: what the channels were paid "
        "for last month, the month they have not reported yet. A .csv (by default pembayaran-YYYY-MM.csv "
        "here) or, for a name ending in .xlsx, the same rows as a workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="Where to write it: a .csv or .xlsx file.")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day the demo was seeded, YYYY-MM-DD (default: today).",
        )

    def handle(self, *, output, today, **options):
        path = Path(output or sample_name(today))
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"The output file must end in .csv or .xlsx: {path}")
        if not path.resolve().parent.is_dir():
            raise CommandError(f"Cannot write {path}: no such folder.")
        try:
            rows = sample_rows(today=today)
        except DemoDataError as error:
            raise CommandError(error) from error
        content = xlsx_bytes(rows) if path.suffix.lower() == ".xlsx" else csv_bytes(rows)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        self.stdout.write(f"{len(rows):,} payment rows for {sample_month(today):%m-%Y} written to {path}.")
