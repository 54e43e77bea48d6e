"""The payments file pages: the files imported so far, upload, preview and confirm, and the rows to follow up.

Reading needs ``enrollment.view_paymentimport`` (branch staff, the branch head, administrators);
uploading and confirming need ``enrollment.add_paymentimport`` (not the head, who gets 403 on a POST);
an agent gets 404: these pages do not exist for them. A file of another branch is a 404
(``enrollment.selectors.payments.payment_imports_for``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrollment.importing.limits import PAYMENT_LIMITS
from enrollment.importing.reader import SpreadsheetError
from enrollment.models import PaymentImport, PaymentLine
from enrollment.payments.columns import PAYMENT_COLUMNS
from enrollment.payments.follow_up import follow_up_workbook
from enrollment.selectors.payments import FOLLOW_UP, imported_before, payment_imports_for, payment_lines
from enrollment.services.payments import PaymentsChanged, payment_import_confirm, payment_import_create
from web.access import paginate, requires
from web.jobs import kinds as jobs
from web.payments.forms import PaymentUploadForm
from web.uploads import takes_upload

READ = "enrollment.view_paymentimport"
IMPORT = "enrollment.add_paymentimport"
ONLY_STAFF_IMPORT = gettext_lazy("Only branch staff can import payments files.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINES_PER_PAGE = 50
Outcome = PaymentLine.Outcome


def may_import(user):
    return user.has_perm(IMPORT)


def _payment_import_or_404(user, pk):
    return get_object_or_404(payment_imports_for(user), pk=pk)


@requires(READ, hidden=True)
@require_GET
def payment_import_list(request):
    return render(
        request,
        "payments/list.html",
        {"page": paginate(request, payment_imports_for(request.user)), "may_import": may_import(request.user)},
    )


@requires(READ, hidden=True)
@require_http_methods(["GET", "POST"])
@takes_upload(PAYMENT_LIMITS.upload_bytes)
def payment_upload(request):
    if not may_import(request.user):  # the head sees what the page is for, and may not send a file
        if request.method == "POST":
            raise PermissionDenied(ONLY_STAFF_IMPORT)
        return render(request, "payments/upload.html", {"form": None})
    form = PaymentUploadForm(
        request.POST if request.method == "POST" else None,  # bound even when the only field, the file, was dropped
        request.FILES or None,
        user=request.user,
        too_large=getattr(request, "upload_too_large", False),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if jobs.payments_read_in_background(upload):
            job = jobs.payments_read_start(user=request.user, upload=upload, branch=form.chosen_branch)
            return redirect("jobs:detail", pk=job.pk)
        try:
            payment_import = payment_import_create(
                upload=form.cleaned_data["file"], user=request.user, branch=form.chosen_branch
            )
        except SpreadsheetError as error:
            for message in error.args:
                form.add_error("file", message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("payments:detail", pk=payment_import.pk)
    return render(request, "payments/upload.html", {"form": form, "columns": PAYMENT_COLUMNS})


@requires(READ, hidden=True)
@require_GET
def payment_import_detail(request, pk):
    payment_import = _payment_import_or_404(request.user, pk)
    shown = request.GET.get("outcome") or ""
    if shown not in (FOLLOW_UP, *Outcome.values):
        shown = ""
    counts = payment_import.counts
    return render(
        request,
        "payments/detail.html",
        {
            "payment_import": payment_import,
            "outcomes": [(outcome, label, counts.get(outcome, 0)) for outcome, label in Outcome.choices],
            "shown": shown,
            "page": paginate(request, payment_lines(payment_import, outcome=shown), per_page=LINES_PER_PAGE),
            "follow_up": FOLLOW_UP,
            "can_confirm": payment_import.status == PaymentImport.Status.PENDING
            and payment_import.count(*PaymentLine.GOOD) > 0
            and may_import(request.user),
            "imported_before": imported_before(payment_import).first(),
            "may_download": may_import(request.user),
        },
    )


@requires(READ, hidden=True)
@requires(IMPORT, message=ONLY_STAFF_IMPORT)
@require_POST
def payment_import_confirm_view(request, pk):
    payment_import = _payment_import_or_404(request.user, pk)
    if payment_import.status == PaymentImport.Status.PENDING and jobs.payments_in_background(payment_import):
        return redirect("jobs:detail", pk=jobs.payments_start(user=request.user, payment_import=payment_import).pk)
    try:
        imported = payment_import_confirm(payment_import=payment_import, user=request.user)
    except PaymentsChanged:
        messages.warning(
            request,
            _("Payments were recorded since the preview, so nothing was imported. Check the rows, matched again."),
        )
        return redirect("payments:detail", pk=payment_import.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("payments:detail", pk=payment_import.pk)
    messages.success(request, jobs.payments_message(imported))
    return redirect("payments:detail", pk=payment_import.pk)


@requires(READ, hidden=True)
@requires(IMPORT, message=gettext_lazy("The rows to follow up are for the staff who import the files."))
@require_GET
def payment_follow_up(request, pk):
    """The rows as the file had them, full NIKs included: for the staff who brought the file, who had them."""
    payment_import = _payment_import_or_404(request.user, pk)
    content = follow_up_workbook(payment_lines(payment_import, outcome=FOLLOW_UP))
    response = HttpResponse(content, content_type=XLSX)
    name = _("follow-up-%(file)s.xlsx") % {"file": payment_import.file_name.rsplit(".", 1)[0]}
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
