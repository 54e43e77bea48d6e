"""``manage.py incentive_statement --branch CLP --month 2022-03 --output insentif-2022-03.xlsx``.

Writes the branch-wide incentive sheet for the month and one statement sheet per agent, the same
workbook staff download from the incentives page. An unknown branch, a malformed month or a file
that cannot be written stops the command with a message and a non-zero exit status.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agents.models import Branch
from incentives.workbooks import incentive_workbook
from perisai.months import parse_month


class Command(BaseCommand):
    help = "Write a branch's monthly incentive sheet and every agent's fee statement to an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="Branch code, e.g. CLP.")
        parser.add_argument("--month", required=True, help="The month paid, as YYYY-MM, e.g. 2022-03.")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the headers (default: %(default)s).",
        )

    def handle(self, *args, branch, month, output, language, **options):
        found = Branch.objects.filter(code__iexact=branch.strip()).first()
        if found is None:
            known = ", ".join(Branch.objects.order_by("code").values_list("code", flat=True)) or "none"
            raise CommandError(f"Unknown branch {branch!r}. Branch codes: {known}.")
        try:
            first = parse_month(month)
        except ValidationError:
            raise CommandError(f"Bad month {month!r}: give it as YYYY-MM, e.g. 2022-03.") from None
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"The output file must end in .xlsx: {output}")
        workbook, sheet = incentive_workbook(branch=found, month=first, language=language)
        try:
            workbook.save(path)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        total = f"{sheet.total.total:,.0f}".replace(",", ".")
        self.stdout.write(f"{path}: {found.name} {first:%Y-%m}, {len(sheet.rows)} agents, total Rp {total}")
