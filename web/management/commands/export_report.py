"""``manage.py export_report --branch CLP --year 2022 --through 2022-06 --output laporan.xlsx``"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import translation

from reports.commands import branch_scope, command_period
from web.reports.workbook import evaluation_workbook, workbook_filename


class Command(BaseCommand):
    help = "Write the evaluation workbook of a branch for a period (for scheduled monthly reports)."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="Branch code, e.g. CLP.")
        parser.add_argument("--year", help="The year, e.g. 2022 (implied by --through).")
        parser.add_argument("--through", help="The last month of the period, YYYY-MM (default: December).")
        parser.add_argument(
            "--output",
            help="Where to write the .xlsx file; a directory gets the report's own name "
            '("Laporan Evaluasi Perisai — <branch> — <period>.xlsx").',
        )
        parser.add_argument("--language", default="id", choices=["id", "en"], help="Language of the workbook.")

    def handle(self, *, branch, year, through, output, language, **options):
        scope = branch_scope(branch)
        if year and not through:
            through = f"{year}-12"
        period = command_period(scope, year=year, through=through)
        workbook = evaluation_workbook(scope=scope, period=period, language=language)
        with translation.override(language):
            default_name = workbook_filename(scope=scope, period=period)
        path = Path(output) if output else Path(default_name)
        if path.is_dir():
            path = path / default_name
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"The output file must end in .xlsx: {path}")
        try:
            workbook.save(path)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        self.stdout.write(f"Wrote {path}")
