"""Bulk import pages: download the template, upload a file, see the preview, confirm.

Importing needs ``enrollment.add_participant`` (branch staff, administrators); the branch head sees the
upload page without its form (403 on a POST), an agent gets 404: the guards are ``web.access.requires``.
A batch of another branch is a 404 (``agents.scoping.for_user``).

The upload view sets its own upload handler (``web.uploads``) before anything reads the request body,
so a file over ``MAX_UPLOAD_BYTES`` is dropped while it streams in instead of being written to a
temporary file first; that needs the view to run the CSRF check itself.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agents.scoping import for_user
from enrollment.importing.columns import COLUMN_BY_KEY, COLUMNS
from enrollment.importing.findings import findings_workbook
from enrollment.importing.limits import MAX_FINDINGS_SHOWN, MAX_UPLOAD_BYTES
from enrollment.importing.reader import SpreadsheetError
from enrollment.importing.template import template_workbook
from enrollment.models import ImportBatch, Occupation
from enrollment.services.imports import ImportChanged, import_batch_confirm, import_batch_create
from web.access import requires
from web.imports.forms import ImportUploadForm
from web.jobs import kinds as jobs
from web.participants.views import IMPORT, READ, may_import
from web.uploads import takes_upload

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ONLY_STAFF_IMPORT = gettext_lazy("Only branch staff can import enrollments.")


@requires(READ, hidden=True)
@requires(IMPORT, message=ONLY_STAFF_IMPORT)
@require_GET
def import_template(request):
    content = template_workbook(branch=request.user.branch, today=timezone.localdate())
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="perisai-import-template.xlsx"'
    return response


@requires(READ, hidden=True)
@require_http_methods(["GET", "POST"])
@takes_upload(MAX_UPLOAD_BYTES)
def import_upload(request):
    if not may_import(request.user):  # the head sees what the page is for, and may not send a file
        if request.method == "POST":
            raise PermissionDenied(ONLY_STAFF_IMPORT)
        return render(request, "enrollment/imports/upload.html", {"form": None})
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        too_large=getattr(request, "upload_too_large", False),
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_batch_create(
                upload=form.cleaned_data["file"], user=request.user, agent=form.cleaned_data["agent"]
            )
        except SpreadsheetError as error:
            for message in error.args:
                form.add_error("file", message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("enrollment:import_preview", pk=batch.pk)
    return render(request, "enrollment/imports/upload.html", {"form": form, "columns": COLUMNS})


def _batch_or_404(user, pk):
    return get_object_or_404(
        for_user(ImportBatch.objects.select_related("agent", "uploaded_by"), user, branch_path="branch"), pk=pk
    )


@requires(READ, hidden=True)
@requires(IMPORT, message=ONLY_STAFF_IMPORT)
@require_GET
def import_preview(request, pk):
    batch = _batch_or_404(request.user, pk)
    result = batch.result
    errors, warnings = result.get("errors", []), result.get("warnings", [])
    return render(
        request,
        "enrollment/imports/preview.html",
        {
            "batch": batch,
            "result": result,
            "errors": _labelled(errors[:MAX_FINDINGS_SHOWN]),
            "errors_not_shown": max(0, len(errors) - MAX_FINDINGS_SHOWN),
            "warnings": _labelled(warnings[:MAX_FINDINGS_SHOWN]),
            "warnings_not_shown": max(0, len(warnings) - MAX_FINDINGS_SHOWN),
            "occupations": dict(Occupation.choices),
            "can_confirm": batch.status == ImportBatch.Status.PENDING and not errors and result.get("valid"),
        },
    )


def _labelled(findings):
    """Findings with their column's label in the reader's language."""
    return [
        {**finding, "label": COLUMN_BY_KEY[finding["column"]].label if finding["column"] in COLUMN_BY_KEY else ""}
        for finding in findings
    ]


@requires(READ, hidden=True)
@requires(IMPORT, message=ONLY_STAFF_IMPORT)
@require_POST
def import_confirm(request, pk):
    batch = _batch_or_404(request.user, pk)
    if batch.status == ImportBatch.Status.PENDING and jobs.import_in_background(batch):
        return redirect("jobs:detail", pk=jobs.import_start(user=request.user, batch=batch).pk)
    try:
        outcome = import_batch_confirm(batch=batch, user=request.user)
    except ImportChanged:
        messages.warning(
            request, _("The data changed since the preview, so nothing was imported. Check the new preview.")
        )
        return redirect("enrollment:import_preview", pk=batch.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("enrollment:import_preview", pk=batch.pk)
    messages.success(request, jobs.imported_message(outcome))
    return redirect("enrollment:import_preview", pk=batch.pk)


@requires(READ, hidden=True)
@requires(IMPORT, message=ONLY_STAFF_IMPORT)
@require_GET
def import_findings(request, pk):
    """Every error and warning of the preview, as a workbook to correct the file by (the page shows the first)."""
    batch = _batch_or_404(request.user, pk)
    name = _("findings-%(file)s.xlsx") % {"file": batch.file_name.rsplit(".", 1)[0]}
    response = HttpResponse(findings_workbook(batch.result), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
