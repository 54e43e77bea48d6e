"""``manage.py acquisition_totals --branch CLP [--through 2022-06]``: the yearly totals table."""

from django.core.management import BaseCommand

from reports.acquisitions import yearly_totals
from reports.commands import branch_scope, command_period


def _figure(value, suffix=""):
    if value is None:
        return "—"
    return f"{value:+,.1f}{suffix}" if suffix else f"{value:,}"


def _share(value):
    """A share reached (to date against a whole year), unsigned: it is no change."""
    return "—" if value is None else f"{value:,.1f}%"


class Command(BaseCommand):
    help = "Print a branch's acquisitions per year: to date, full year, change, pace and projection."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="Branch code, e.g. CLP.")
        parser.add_argument(
            "--through", help="Count each year to date through this month, YYYY-MM (default: the latest month)."
        )

    def handle(self, *, branch, through, **options):
        scope = branch_scope(branch)
        period = command_period(scope, through=through)
        rows = yearly_totals(scope=scope, period=period)
        months = "Jan" if period.through_month == 1 else f"Jan-{period.end:%b}"
        header = ("Year", months, "Full year", "vs same", "of prev year", "Pace/month", "Needed/month", "Projection")
        lines = [
            (
                str(row.year),
                _figure(row.year_to_date),
                _figure(row.full_year),
                _figure(row.change_same_period, "%"),
                _share(row.share_of_previous_year),
                _figure(row.pace),
                _figure(row.pace_needed),
                _figure(row.projection),
            )
            for row in rows
        ]
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
        self.stdout.write(f"Acquisitions of branch {scope.branch.name} ({scope.branch.code}), through {period.through}")
        for line in [header, *lines]:
            self.stdout.write("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))
