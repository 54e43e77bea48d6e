"""``manage.py demo_payments_file OUTPUT``: write the demo's sample payments file (July 2022) again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demo.cilacap import DemoDataError
from demo.payments_sample import SAMPLE_PATH, csv_bytes, sample_rows, xlsx_bytes


class Command(BaseCommand):
    help = (
        "Write the sample payments file for July 2022 from the freshly seeded Cilacap demo: a .csv "
        f"(as committed in {SAMPLE_PATH.parent.parent.name}/{SAMPLE_PATH.parent.name}/{SAMPLE_PATH.name}) "
        "or, for a name ending in .xlsx, the same rows as a workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Where to write it: a .csv or .xlsx file.")

    def handle(self, *, output, **options):
        path = Path(output)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"The output file must end in .csv or .xlsx: {output}")
        if not path.resolve().parent.is_dir():
            raise CommandError(f"Cannot write {output}: no such folder.")
        try:
            rows = sample_rows()
        except DemoDataError as error:
            raise CommandError(error) from error
        content = xlsx_bytes(rows) if path.suffix.lower() == ".xlsx" else csv_bytes(rows)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        self.stdout.write(f"{len(rows):,} payment rows for July 2022 written to {output}.")
