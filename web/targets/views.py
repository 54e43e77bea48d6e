"""The targets pages (namespace ``targets``): a year's targets, one target's form, the history, the file.

Who: branch users with ``enrollment.view_acquisitiontarget`` read (the branch head, staff, administrators);
an agent gets a 404, as for every staff page. Setting, changing, removing and uploading need
``enrollment.change_acquisitiontarget`` (staff and administrators): the head gets a 403 there and sees
no buttons. Which branch: the user's own; a user who reaches several branches (``web.access.picks_branch``:
a national administrator, a regional user, who reads) picks one with ``?branch=CODE``, the first by name
otherwise. ``agents.scoping.for_user`` decides the reach, so another branch's code, office or agent, or a
target of another branch, is a 404.

The file goes upload → preview → confirm. Between the preview and the confirmation the rows read are
kept in the user's session (a targets file holds codes and figures, nothing personal, and a few
kilobytes), not in a table; the preview is checked again against the database each time it is shown
and carries the check's fingerprint to the confirmation, which writes only if the file would still do
exactly what the preview showed (``enrollment.targets.target_file_apply``).
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agents.models import Agent, Branch, PerisaiOffice
from agents.scoping import Scope, for_user
from agents.selectors import agents_for, offices_for
from enrollment.importing.limits import MAX_FINDINGS_SHOWN
from enrollment.importing.reader import SpreadsheetError
from enrollment.models import AcquisitionTarget, AcquisitionTargetChange
from enrollment.targets import (
    CHANGE_PERMISSION,
    COLUMNS,
    READ_PERMISSION,
    TARGET_LIMITS,
    TargetFile,
    TargetsChanged,
    holder_label,
    level_of,
    may_change_targets,
    target_file_apply,
    target_file_check,
    target_file_read,
    target_for,
    target_months,
    target_remove,
    target_set,
    target_template_workbook,
)
from perisai.formatting import number
from perisai.months import FIRST_YEAR, LAST_YEAR
from reports.periods import Period
from reports.targets import target_progress
from web.access import is_branch_user, paginate, picks_branch, requires
from web.targets.forms import TargetFileForm, TargetForm
from web.uploads import takes_upload

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ONLY_STAFF = gettext_lazy("Only branch staff can change targets.")
SESSION_KEY = "targets_file"
HISTORY_ON_FORM = 20
MONTH_HEADS = [datetime.date(2000, month, 1) for month in range(1, 13)]


def readers_only(view):
    """Signed in; agents get a 404 (the page does not exist for them); others need to read targets."""
    return requires(is_branch_user, hidden=True)(requires(READ_PERMISSION, hidden=True)(view))


def changers_only(view):
    """As ``readers_only``, then the change permission: the head gets a 403 saying who may."""
    return readers_only(requires(CHANGE_PERMISSION, message=ONLY_STAFF)(view))


def _branch(request):
    """The branch the page is about: the user's own, or the one a user reaching several picked."""
    branches = for_user(Branch.objects.order_by("name"), request.user, branch_path=None)
    code = request.GET.get("branch")
    if code:
        return get_object_or_404(branches, code=code)
    branch = branches.first()
    if branch is None:
        raise Http404
    return branch


def _year(request):
    """The year asked for (``?year=``), this year when none; a year Perisai does not accept is a 404."""
    text = request.GET.get("year")
    if not text:
        return timezone.localdate().year
    try:
        year = int(text)
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _url(name, branch, user, **query):
    """The page ``name`` for ``branch``; a user who reaches several branches carries ``?branch=`` along."""
    if picks_branch(user):
        query["branch"] = branch.code
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


@dataclass(frozen=True)
class Line:
    """One row of the year's page: whose target, the target (or ``None``), its months, achieved so far."""

    level: str
    holder: object
    target: AcquisitionTarget | None
    months: list | None
    achieved: int | None

    @property
    def split(self):
        """``(first day of the month, figure)`` for each month of a split target; empty without a split."""
        return with_month_heads(self.months)


def with_month_heads(months):
    return list(zip(MONTH_HEADS, months, strict=True)) if months else []


def _year_lines(branch, year, today):
    """The branch's line, its offices' and its agents' (active ones, and any other holding a target of the
    year), each with its target and what was achieved so far (``reports.targets``), in a fixed number of
    queries."""
    targets = list(
        AcquisitionTarget.objects.filter(branch=branch, year=year)
        .select_related("office", "agent__office")
        .prefetch_related("months")
    )
    held = {(_level(target), target.office_id or target.agent_id or branch.pk): target for target in targets}
    offices = {office.pk: office for office in PerisaiOffice.objects.filter(branch=branch, is_active=True)}
    offices.update({target.office_id: target.office for target in targets if target.office_id})
    agents = {
        agent.pk: agent
        for agent in Agent.objects.filter(branch=branch, status=Agent.Status.ACTIVE).select_related("office")
    }
    agents.update({target.agent_id: target.agent for target in targets if target.agent_id})
    period = None if year > today.year else Period(year, today.month if year == today.year else 12)
    achieved = {}
    if period is not None and targets:
        progress = target_progress(scope=Scope(branch=branch), period=period)
        achieved = {(row.level, row.code): row.achieved for row in progress}

    def line(level, holder):
        target = held.get((level, holder.pk))
        return Line(
            level=level,
            holder=holder,
            target=target,
            months=target_months(target) if target else None,
            achieved=achieved.get((level, holder.code)) if target else None,
        )

    return (
        line("branch", branch),
        [line("office", office) for office in sorted(offices.values(), key=lambda office: office.code)],
        [
            line("agent", agent)
            for agent in sorted(agents.values(), key=lambda agent: (agent.office.code, agent.full_name))
        ],
        period,
    )


def _level(target):
    return level_of(office=target.office, agent=target.agent)


@readers_only
@require_GET
def year_targets(request):
    branch, year = _branch(request), _year(request)
    today = timezone.localdate()
    branch_line, office_lines, agent_lines, period = _year_lines(branch, year, today)
    return render(
        request,
        "targets/year.html",
        {
            "branch": branch,
            "year": year,
            "previous_url": _url("targets:year", branch, request.user, year=year - 1) if year > FIRST_YEAR else "",
            "next_url": _url("targets:year", branch, request.user, year=year + 1) if year < LAST_YEAR else "",
            "history_url": _url("targets:history", branch, request.user, year=year),
            "upload_url": _url("targets:import_upload", branch, request.user, year=year),
            "create_url": _url("targets:target_create", branch, request.user, year=year),
            "branch_line": branch_line,
            "office_lines": office_lines,
            "agent_lines": agent_lines,
            "office_sum": sum(line.target.target for line in office_lines if line.target),
            "agent_sum": sum(line.target.target for line in agent_lines if line.target),
            "period": period,
            "achieved_through": min(period.end, today) if period else None,
            "may_change": may_change_targets(request.user),
            "branch_query": urlencode({"branch": branch.code}) if picks_branch(request.user) else "",
        },
    )


def _holder(request):
    """The office or agent named by ``?office=`` / ``?agent=`` (404 outside the user's reach), or none."""
    if request.GET.get("agent"):
        return None, get_object_or_404(agents_for(user=request.user), pk=_id(request.GET["agent"]))
    if request.GET.get("office"):
        return get_object_or_404(offices_for(user=request.user), pk=_id(request.GET["office"])), None
    return None, None


def _id(text):
    if not text.isdigit():
        raise Http404
    return int(text)


@changers_only
@require_http_methods(["GET", "POST"])
def target_create(request):
    year = _year(request)
    office, agent = _holder(request)
    holder = office or agent
    branch = holder.branch if holder else _branch(request)
    existing = target_for(branch=branch, year=year, office=office, agent=agent)
    if existing is not None:
        return redirect("targets:target_edit", pk=existing.pk)
    return _target_form(request, branch=branch, year=year, office=office, agent=agent, target=None)


def _target_or_404(request, pk):
    targets = AcquisitionTarget.objects.select_related("branch", "office", "agent").prefetch_related("months")
    return get_object_or_404(for_user(targets, request.user), pk=pk)


@changers_only
@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    target = _target_or_404(request, pk)
    return _target_form(
        request, branch=target.branch, year=target.year, office=target.office, agent=target.agent, target=target
    )


def _target_form(request, *, branch, year, office, agent, target):
    """The form for one target, new (``target`` None) or standing; saving goes through ``target_set``."""
    initial = TargetForm.initial_for(target.target, target_months(target)) if target else None
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if "spread" in request.POST:
            form = form.spread_evenly()
        else:
            try:
                change = target_set(
                    branch=branch,
                    year=year,
                    office=office,
                    agent=agent,
                    target=form.cleaned_data["target"],
                    months=form.cleaned_data["months"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if change is None:
                    messages.info(request, _("Nothing changed: the target already stood so."))
                else:
                    messages.success(
                        request,
                        _("The %(year)d target of %(holder)s is now %(target)s.")
                        % {"year": year, "holder": change.holder, "target": number(change.new_target)},
                    )
                return redirect(_url("targets:year", branch, request.user, year=year))
    elif request.method == "POST" and "spread" in request.POST:
        form = form.spread_evenly()
    history = AcquisitionTargetChange.objects.filter(
        branch=branch, year=year, level=level_of(office=office, agent=agent), office=office, agent=agent
    ).select_related("changed_by")
    return render(
        request,
        "targets/form.html",
        {
            "form": form,
            "target": target,
            "branch": branch,
            "year": year,
            "holder": holder_label(branch=branch, office=office, agent=agent),
            "level": level_of(office=office, agent=agent),
            "history": _with_splits(history[:HISTORY_ON_FORM]),
            "year_url": _url("targets:year", branch, request.user, year=year),
        },
    )


def _with_splits(changes):
    """``changes`` with each one's months before and after beside their months' first days."""
    changes = list(changes)
    for change in changes:
        change.old_split, change.new_split = with_month_heads(change.old_months), with_month_heads(change.new_months)
    return changes


@changers_only
@require_POST
def target_remove_view(request, pk):
    target = _target_or_404(request, pk)
    branch, year = target.branch, target.year
    try:
        change = target_remove(target=target, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The %(year)d target of %(holder)s was removed; the history keeps what it was.")
            % {"year": year, "holder": change.holder},
        )
    return redirect(_url("targets:year", branch, request.user, year=year))


@readers_only
@require_GET
def history(request):
    branch, year = _branch(request), _year(request)
    changes = AcquisitionTargetChange.objects.filter(branch=branch, year=year).select_related("changed_by")
    page_obj = paginate(request, changes)
    _with_splits(page_obj)
    return render(
        request,
        "targets/history.html",
        {
            "branch": branch,
            "year": year,
            "page_obj": page_obj,
            "year_url": _url("targets:year", branch, request.user, year=year),
            "previous_url": _url("targets:history", branch, request.user, year=year - 1) if year > FIRST_YEAR else "",
            "next_url": _url("targets:history", branch, request.user, year=year + 1) if year < LAST_YEAR else "",
        },
    )


# --- the file ------------------------------------------------------------------------------------------


@changers_only
@require_GET
def import_template(request):
    branch, year = _branch(request), _year(request)
    content = target_template_workbook(branch=branch, year=year)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"target-{branch.code}-{year}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@changers_only
@require_http_methods(["GET", "POST"])
@takes_upload(TARGET_LIMITS.upload_bytes)
def import_upload(request):
    branch, year = _branch(request), _year(request)
    posted = request.method == "POST"  # bound even when the file was dropped for its size and nothing else came
    form = TargetFileForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=getattr(request, "upload_too_large", False),
    )
    if posted and form.is_valid():
        try:
            target_file = target_file_read(upload=form.cleaned_data["file"])
        except SpreadsheetError as error:
            for message in error.args:
                form.add_error("file", message)
        else:
            request.session[SESSION_KEY] = {"branch": branch.pk, **target_file.as_json()}
            return redirect(_url("targets:import_preview", branch, request.user))
    return render(
        request,
        "targets/upload.html",
        {
            "form": form,
            "branch": branch,
            "year": year,
            "columns": COLUMNS,
            "year_url": _url("targets:year", branch, request.user, year=year),
            "template_url": _url("targets:import_template", branch, request.user, year=year),
        },
    )


def _kept_file(request):
    """The file kept since the upload and its branch (which the user must still reach), or ``None``."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return None, None
    branch = get_object_or_404(for_user(Branch.objects.all(), request.user, branch_path=None), pk=kept["branch"])
    return TargetFile.from_json(kept), branch


@changers_only
@require_GET
def import_preview(request):
    target_file, branch = _kept_file(request)
    if target_file is None:
        messages.info(request, _("Upload a targets file first."))
        return redirect(_url("targets:import_upload", _branch(request), request.user))
    check = target_file_check(target_file=target_file, branch=branch)
    year = min((line.year for line in check.planned), default=timezone.localdate().year)
    return render(
        request,
        "targets/preview.html",
        {
            "branch": branch,
            "file_name": target_file.file_name,
            "check": check,
            "problems": check.problems[:MAX_FINDINGS_SHOWN],
            "problems_not_shown": max(0, len(check.problems) - MAX_FINDINGS_SHOWN),
            "planned": check.planned,
            "counts": {
                action: sum(1 for line in check.planned if line.action == action)
                for action in ("new", "changed", "unchanged")
            },
            "upload_url": _url("targets:import_upload", branch, request.user),
            "year_url": _url("targets:year", branch, request.user, year=year),
        },
    )


@changers_only
@require_POST
def import_confirm(request):
    target_file, branch = _kept_file(request)
    if target_file is None:
        messages.info(request, _("Upload a targets file first."))
        return redirect(_url("targets:import_upload", _branch(request), request.user))
    try:
        changes = target_file_apply(
            target_file=target_file, branch=branch, by=request.user, fingerprint=request.POST.get("fingerprint", "")
        )
    except TargetsChanged:
        messages.warning(
            request,
            _("The targets changed since the preview, so nothing was saved. Check the new preview and confirm again."),
        )
        return redirect(_url("targets:import_preview", branch, request.user))
    del request.session[SESSION_KEY]
    messages.success(
        request,
        ngettext("%(count)d target saved from the file.", "%(count)d targets saved from the file.", len(changes))
        % {"count": len(changes)},
    )
    year = min((change.year for change in changes), default=timezone.localdate().year)
    return redirect(_url("targets:year", branch, request.user, year=year))
