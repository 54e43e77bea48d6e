"""Incentive pages: the branch-wide monthly sheet, one agent's statement, their Excel files, the schemes.

Branch staff, the branch head and administrators read them (only administrators change schemes, in
the administration); an agent gets a 404 everywhere except on their own statement. Which branch and
which agents a user may see is ``agents.scoping.for_user``'s decision.
"""

import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from agents.models import Agent, Branch, ProgrammeTerms
from agents.scoping import for_user
from enrollment.models import Acquisition
from incentives import workbooks
from incentives.activity import latest_month
from incentives.models import IncentiveScheme
from incentives.statements import agent_statement as build_statement
from incentives.statements import incentive_sheet
from incentives.terms import SCHEME_ROWS
from web.access import is_agent, is_branch_user, requires
from web.incentives.forms import MonthForm

READ_PERMISSION = "incentives.view_incentivescheme"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readers_only(view):
    """Signed in; agents get a 404 (these pages do not exist for them); others need the read permission."""
    return requires(is_branch_user, hidden=True)(requires(READ_PERMISSION)(view))


def _branch_and_month(request):
    """The branch and month asked for, the form (with its errors, if any) and whether the request was valid.

    Staff and heads always get their own branch; a national administrator or a regional user picks one
    of the branches they reach (the first by name by default). Without a valid month: the latest month
    with an acquisition in the branch.
    """
    form = MonthForm(request.GET or None, user=request.user)
    valid = form.is_valid() if form.is_bound else True
    wanted = form.cleaned_data if form.is_bound and valid else {}
    branch = wanted.get("branch") or for_user(Branch.objects.order_by("name"), request.user, branch_path=None).first()
    if branch is None:
        raise Http404
    month = wanted.get("month") or latest_month(acquisitions=Acquisition.objects.filter(branch=branch))
    return branch, month, form, valid


def _xlsx_response(workbook, filename):
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@readers_only
def index(request):
    branch, month, form, valid = _branch_and_month(request)
    sheet = incentive_sheet(branch=branch, month=month)
    context = {"form": form, "sheet": sheet, "scheme_text": workbooks.scheme_description(sheet.scheme, sheet.month)}
    return render(request, "incentives/index.html", context, status=200 if valid else 400)


@never_cache
@readers_only
def index_download(request):
    branch, month, _form, valid = _branch_and_month(request)
    if not valid:
        return index(request)  # the page, with the message and a 400
    workbook, sheet = workbooks.incentive_workbook(branch=branch, month=month, language=request.LANGUAGE_CODE)
    return _xlsx_response(workbook, workbooks.workbook_filename(sheet))


def _statement_agent(request, pk):
    """The agent ``pk`` if ``request.user`` may read their statement: an agent only their own, else 404."""
    if is_agent(request.user):
        agents = Agent.objects.filter(user=request.user)
    elif request.user.has_perm(READ_PERMISSION):
        agents = for_user(Agent.objects.all(), request.user)
    else:
        raise PermissionDenied
    return get_object_or_404(agents.select_related("branch", "office"), pk=pk)


def _statement_month(request, agent):
    form = MonthForm(request.GET or None, user=None)
    valid = form.is_valid() if form.is_bound else True
    month = (form.cleaned_data.get("month") if form.is_bound and valid else None) or latest_month(
        acquisitions=Acquisition.objects.filter(branch_id=agent.branch_id)
    )
    return month, form, valid


@requires()
def agent_statement(request, pk):
    agent = _statement_agent(request, pk)
    month, form, valid = _statement_month(request, agent)
    statement = build_statement(agent=agent, month=month)
    context = {
        "form": form,
        "statement": statement,
        "scheme_text": workbooks.scheme_description(statement.scheme, statement.month),
        "own": is_agent(request.user),
    }
    return render(request, "incentives/agent_statement.html", context, status=200 if valid else 400)


@never_cache
@requires()
def agent_statement_download(request, pk):
    agent = _statement_agent(request, pk)
    month, _form, valid = _statement_month(request, agent)
    if not valid:
        return agent_statement(request, pk)  # the page, with the message and a 400
    workbook, statement = workbooks.statement_workbook(agent=agent, month=month, language=request.LANGUAGE_CODE)
    return _xlsx_response(workbook, workbooks.statement_filename(statement))


@readers_only
def scheme_list(request):
    return render(
        request,
        "incentives/scheme_list.html",
        {
            "schemes": IncentiveScheme.objects.prefetch_related(*SCHEME_ROWS),
            "terms": ProgrammeTerms.objects.all(),
        },
    )
