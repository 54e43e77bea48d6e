"""The plan to beat last year (``reports.plan``) as a page: what remains, the months ahead, the year month by
month against the target (``reports.targets.month_expectations``: which finished months fell behind),
the quotas per office and agent, the network's capacity and what reactivating silent agents would bring.

It takes the period and scope of every report page (``web.reports.selection``): an office, agent or
branch outside the user's reach is a message, and the page shows their own scope instead.
"""

from django.shortcuts import render

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
    return render(
        request,
        "reports/plan.html",
        {
            "selection": selection,
            "plan": plan,
            "expectations": expectations,
            "pace_months": PACE_MONTHS,
            "reports": REPORTS.values(),
        },
    )
