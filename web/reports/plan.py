"""The plan to beat last year (``reports.plan``) as a page: what remains, the months ahead, the year month by
month against the target (``reports.targets.month_expectations``: which finished months fell behind),
the quotas per office and agent, the network's capacity and what reactivating silent agents would bring.

It takes the period and scope of every report page (``web.reports.selection``): an office, agent or
branch outside the user's reach is a message, and the page shows their own scope instead. A plan is
made on finished months: when the period's month is still running (the default on most days), the page
says so and links the plan through the month before, whose figures will not move.
"""

import datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone

from reports.catalogue import REPORTS
from reports.memo import sharing_results
from reports.plan import PACE_MONTHS, acquisition_plan
from reports.targets import month_expectations
from web.reports.views import _selection, branch_reports


@branch_reports
def plan(request):
    selection = _selection(request)
    scope, period = selection.scope, selection.period
    with sharing_results():  # the plan and the months against the target read the same monthly counts
        plan, expectations = (
            acquisition_plan(scope=scope, period=period),
            month_expectations(scope=scope, period=period),
        )
    running, finished = period.end >= timezone.localdate(), None
    if running and period.through_month > 1:
        finished = {
            "month": datetime.date(period.year, period.through_month - 1, 1),
            "query": urlencode({**selection.params, "through": f"{period.year:04d}-{period.through_month - 1:02d}"}),
        }
    return render(
        request,
        "reports/plan.html",
        {
            "selection": selection,
            "running": running,
            "finished": finished,
            "plan": plan,
            "expectations": expectations,
            "pace_months": PACE_MONTHS,
            "reports": REPORTS.values(),
        },
    )
