"""Report pages: the dashboard, a page per report with its CSV, the evaluation workbook and the
participant list.

Each view reads the period and scope from the request (``web.reports.selection.select``), calls one
function and renders; the kecamatan report's page adds its map (``reports.places``: the acquisitions, or
with ``?map=lapsed`` the share lapsed). A CSV download is in the usual comma form, or with
``?sep=semicolon`` in the form Excel opens directly on a computer set up for Indonesia
(``reports.exports.SEMICOLON``).

They are for branch staff, branch heads and administrators: an agent who opens
the dashboard is sent to their own home page, and report pages and downloads answer an agent with
403 (their own figures are on their pages). A report that does not exist is a 404; a branch, office
or agent outside the user's reach in the selectors is a message on the page, which then shows the
user's own scope (never a 403 or 404, so a shared link does not break for a colleague).
"""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perisai.privacy import table_for
from reports import places
from reports.catalogue import REPORTS
from reports.exports import (
    csv_form,
    export_filename,
    participant_csv_lines,
    participant_workbook_file,
    table_csv_lines,
)
from reports.memo import sharing_results
from web.access import is_agent, is_branch_user, requires
from web.jobs import kinds as jobs
from web.reports.dashboard import dashboard
from web.reports.selection import select
from web.reports.workbook import evaluation_workbook, workbook_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
LAPSED_PER_PAGE = 50


branch_reports = requires(is_branch_user, message=gettext_lazy("Reports are for branch staff."))
"""Signed-in branch staff, heads and administrators only; agents get 403."""


def _selection(request):
    selection = select(request.user, request.GET)
    for error in selection.errors:
        messages.warning(request, error)
    return selection


def _report_or_404(slug):
    try:
        return REPORTS[slug]
    except KeyError:
        raise Http404(_("There is no such report.")) from None


@requires()
def home(request):
    """The dashboard for staff, heads and administrators; agents go to their own home page."""
    if is_agent(request.user):
        return redirect("enrollment:agent_home")
    selection = _selection(request)
    return render(
        request,
        "reports/dashboard.html",
        {
            "selection": selection,
            "dashboard": dashboard(scope=selection.scope, period=selection.period),
            "reports": REPORTS.values(),
        },
    )


@branch_reports
def index(request):
    selection = _selection(request)
    return render(request, "reports/index.html", {"selection": selection, "reports": REPORTS.values()})


@branch_reports
def report(request, slug):
    report = _report_or_404(slug)
    selection = _selection(request)
    scope, period = selection.scope, selection.period
    district_map = None
    with sharing_results():  # the kecamatan map reads the acquisitions of the table under it
        table = table_for(request.user, report.table(scope=scope, period=period))
        if slug == "kecamatan":
            measure = places.map_measure(request.GET.get("map"))
            district_map = places.district_map(scope=scope, period=period, measure=measure)
    page = None
    if slug == "lapsed-list":
        page = Paginator(table.rows, LAPSED_PER_PAGE).get_page(request.GET.get("page"))
        table.rows = page.object_list
    return render(
        request,
        [f"reports/report_{slug}.html", "reports/report.html"],
        {
            "selection": selection,
            "report": report,
            "table": table,
            "page_obj": page,
            "reports": REPORTS.values(),
            "district_map": district_map,
        },
    )


def _in_language(lines, language):
    """Write a streamed file in the request's language even after the view has returned."""
    with translation.override(language):
        yield from lines


def _download(lines, filename):
    return StreamingHttpResponse(
        _in_language(lines, translation.get_language()),
        content_type=CSV,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@branch_reports
def report_csv(request, slug):
    report = _report_or_404(slug)
    selection = _selection(request)
    table = table_for(request.user, report.table(scope=selection.scope, period=selection.period))
    filename = export_filename(table.title, scope=selection.scope, period=selection.period, extension="csv")
    return _download(table_csv_lines(table, csv_form(request.GET.get("sep"))), filename)


@branch_reports
def workbook(request):
    selection = _selection(request)
    if jobs.workbook_in_background(selection):  # every branch counted: made by a worker (README, "Background jobs")
        return redirect("jobs:detail", pk=jobs.workbook_start(user=request.user, selection=selection).pk)
    book = evaluation_workbook(
        scope=selection.scope, period=selection.period, language=translation.get_language(), viewer=request.user
    )
    content = io.BytesIO()
    book.save(content)
    filename = workbook_filename(scope=selection.scope, period=selection.period)
    return HttpResponse(
        content.getvalue(),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@branch_reports
def participants_xlsx(request):
    selection = _selection(request)
    if jobs.participants_in_background(selection):  # a long list is made by a worker (README, "Background jobs")
        job = jobs.participants_start(user=request.user, selection=selection, extension="xlsx")
        return redirect("jobs:detail", pk=job.pk)
    filename = export_filename(_("Participants"), scope=selection.scope, period=selection.period, extension="xlsx")
    file = participant_workbook_file(scope=selection.scope, period=selection.period, viewer=request.user)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)


@branch_reports
def participants_csv(request):
    selection = _selection(request)
    if jobs.participants_in_background(selection):
        job = jobs.participants_start(
            user=request.user, selection=selection, extension="csv", sep=request.GET.get("sep")
        )
        return redirect("jobs:detail", pk=job.pk)
    filename = export_filename(_("Participants"), scope=selection.scope, period=selection.period, extension="csv")
    lines = participant_csv_lines(
        scope=selection.scope, period=selection.period, viewer=request.user, form=csv_form(request.GET.get("sep"))
    )
    return _download(lines, filename)
