"""``manage.py acquisition_plan --branch CLP [--through 2022-06]``: the plan to beat last year.

Prints what remains (last year's total + 1 − this year so far), the months ahead, each office's quota
(they add up to the remainder exactly) and each office's agents' quotas (they add up to their office's),
then whether the network is big enough and what reactivating the agents at risk would bring. The method
is ``reports.plan``'s; the figures are the plan page's and the workbook's "Rencana" sheet's.
"""

from django.core.management import BaseCommand
from django.utils import translation

from reports.commands import branch_scope, command_period
from reports.plan import acquisition_plan


def _table(rows, *, indent="  "):
    """Rows of cells as aligned text: the first two columns to the left, the figures to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


class Command(BaseCommand):
    help = "Print a branch's plan to beat last year: the quotas per office and per agent, and the network's capacity."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="Branch code, e.g. CLP.")
        parser.add_argument(
            "--through",
            help="Plan from the month after this one, YYYY-MM (default: the latest month with acquisitions).",
        )

    def handle(self, *, branch, through, **options):
        scope = branch_scope(branch)
        period = command_period(scope, through=through)
        with translation.override("en"):
            self._write(scope, period, acquisition_plan(scope=scope, period=period))

    def _write(self, scope, period, plan):
        write = self.stdout.write
        last = plan.previous_year
        write(f"Plan to beat {last} for branch {scope.branch.name} ({scope.branch.code}), through {period.through}")
        write(
            f"Whole of {last}: {plan.previous_full_year:,}. {period.year} through {period.end:%B}: "
            f"{plan.year_to_date:,}. Still needed: {plan.previous_full_year:,} + 1 - {plan.year_to_date:,} "
            f"= {plan.remaining:,}."
        )
        if plan.beaten:
            write(f"{period.year} has already passed the whole of {last}.")
        if not plan.months_remaining:
            write(f"{period.year} is over: there is no month left to plan.")
            return
        write(
            f"{plan.months_remaining} months left: {plan.needed_per_month:,} a month needed; "
            f"the recent pace is {plan.pace_per_month:,} a month."
        )
        months = ", ".join(f"{month.month:%b} {month.planned:,}" for month in plan.months)
        write(f"Months ahead ({plan.season.label}): {months}.")
        first = f"{plan.pace_from:%b}" if plan.pace_from.year == period.year else f"{plan.pace_from:%b %Y}"
        recent = f"{first}-{period.end:%b %Y}"
        write("")
        write(f"Office quotas, in proportion to the acquisitions of today's agents in {recent}:")
        rows = [("Code", "Perisai office", "Agents", recent, "Quota")]
        rows += [
            (office.code, office.name, f"{len(office.agents):,}", f"{office.recent:,}", f"{office.quota:,}")
            for office in plan.offices
        ]
        rows.append(("Total", "", f"{plan.agents:,}", f"{plan.recent:,}", f"{plan.assigned:,}"))
        for line in _table(rows):
            write(line)
        if plan.even_split:
            write("Nobody acquired anyone in those months: the remainder is split evenly over the agents.")
        if plan.unassigned:
            write(f"{plan.unassigned:,} cannot be given to anyone: there is no agent in the network.")
        for office in plan.offices:
            if not office.agents:
                continue
            write("")
            write(f"Agents of {office.code} {office.name} (quota {office.quota:,}):")
            rows = [("Code", "Agent", recent, "Quota")]
            rows += [(agent.code, agent.name, f"{agent.recent:,}", f"{agent.quota:,}") for agent in office.agents]
            for line in _table(rows):
                write(line)
        write("")
        if plan.agents_needed is None:
            write(
                f"Network: {plan.active_agents:,} active agents on {period.end:%Y-%m-%d}; no recent output to plan by."
            )
        else:
            write(
                f"Network: {plan.active_agents:,} active agents on {period.end:%Y-%m-%d}, "
                f"{plan.per_active_agent:,} acquisitions a month each recently; {plan.agents_needed:,} needed at "
                f"that output: {plan.more_agents_needed:,} more."
            )
        if plan.silent:
            write(
                f"Agents at risk (no acquisition in the last {plan.silent_months} months): {len(plan.silent):,}, "
                f"who brought {plan.reactivation_per_month:,} a month before; reactivating them would bring "
                f"{plan.reactivation_rest_of_year:,} in the months left."
            )
        else:
            write(f"Agents at risk (no acquisition in the last {plan.silent_months} months): none.")
