"""The work that runs as background jobs, each composed from the domains as its page would (so a file made
in the background is the file the page gives), and the functions the pages call to start one.

A handler is ``handler(*, job, progress)``: it reads what to do from ``job.params``, works as the job's owner
(``select(job.owner, ...)``: the scope is decided again for the owner, so nothing outside their reach can
be in the file, whatever the parameters say), reports rows through ``progress(done, total)`` and returns a
``jobs.services.Result``; ``JobFailed`` carries a message for the owner. The handlers run in the job's
language (``jobs.tasks.run_job``).

What runs in the background and what stays in the request is decided here, from the settings
``PERISAI_JOBS_ROWS_IN_REQUEST`` (participant lists, and national or regional evaluation workbooks, by the
acquisitions in their scope), ``PERISAI_JOBS_IMPORT_ROWS_IN_REQUEST`` (imports' and payments files'
confirmation) and ``PERISAI_JOBS_UPLOAD_BYTES_IN_REQUEST`` (reading and matching a payments file). A
branch's workbook is always made in the request.
"""

import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agents.models import Branch
from agents.scoping import for_user
from enrollment.importing.reader import SpreadsheetError
from enrollment.models import Acquisition, ImportBatch, PaymentImport, PaymentLine
from enrollment.selectors.payments import payment_imports_for
from enrollment.services.imports import ImportChanged, import_batch_confirm
from enrollment.services.payments import PaymentsChanged, payment_import_confirm, payment_import_create
from jobs.models import Job
from jobs.services import JobFailed, Result, job_create, storage
from reports.exports import (
    csv_form,
    export_filename,
    participant_csv_lines,
    participant_queryset,
    write_participant_workbook,
)
from web.reports.selection import select
from web.reports.workbook import evaluation_workbook, workbook_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ROWS, SHEETS = "rows", "sheets"


def job_start_once(*, owner, title, handler, params, unit=ROWS):
    """The owner's job doing the same work that is still waiting or running, else a new one: a second click
    on a download link follows the first job instead of starting another."""
    params = {**params, "unit": unit}
    running = Job.objects.filter(
        owner=owner, handler=handler, params=params, state__in=[Job.State.QUEUED, Job.State.RUNNING]
    ).first()
    return running or job_create(owner=owner, title=title, handler=handler, params=params)


def _selection_or_fail(job):
    selection = select(job.owner, job.params["selection"])
    if selection.errors:  # the owner lost the reach they had when they asked: make nothing
        raise JobFailed(" ".join(str(error) for error in selection.errors))
    return selection


# Participant list ---------------------------------------------------------------------------------------


def participant_count(selection):
    return participant_queryset(scope=selection.scope, period=selection.period).count()


def is_long(selection):
    """Whether ``selection`` holds more than ``PERISAI_JOBS_ROWS_IN_REQUEST`` acquisitions up to the period's
    end: one query that stops at the limit (never a count of a national table), asked before the request
    decides; a participant list has at most as many rows."""
    limit = settings.PERISAI_JOBS_ROWS_IN_REQUEST
    acquisitions = Acquisition.objects.filter(acquired_on__lte=selection.period.end).order_by()
    return selection.scope.filter(acquisitions)[limit : limit + 1].exists()


def participants_in_background(selection):
    """Whether the participant list of ``selection`` is long enough to be made as a job."""
    return is_long(selection)


def participants_start(*, user, selection, extension, sep=None):
    title = export_filename(_("Participants"), scope=selection.scope, period=selection.period, extension=extension)
    params = {"selection": selection.params, "extension": extension, "sep": sep or ""}
    return job_start_once(owner=user, title=title, handler="web.jobs.kinds.participants_export", params=params)


def participants_export(*, job, progress):
    """The participant list as the owner would download it from the page, CSV or Excel."""
    selection = _selection_or_fail(job)
    scope, period, extension = selection.scope, selection.period, job.params["extension"]
    total = participant_count(selection)
    progress(0, total)
    output = tempfile.TemporaryFile(suffix=f".{extension}")
    if extension == "csv":
        lines = participant_csv_lines(scope=scope, period=period, viewer=job.owner, form=csv_form(job.params["sep"]))
        written = -1  # the header line is not a participant
        for line in lines:
            output.write(line.encode("utf-8"))
            written += 1
            if written % 1000 == 0 and written > 0:
                progress(written, total)
        content_type = CSV
    else:
        write_participant_workbook(
            output, scope=scope, period=period, viewer=job.owner, progress=lambda done: progress(done, total)
        )
        content_type = XLSX
    progress(total, total)
    return Result(file=output, file_name=job.title, content_type=content_type)


# Evaluation workbook ------------------------------------------------------------------------------------


def workbook_in_background(selection):
    """A national or regional workbook counts every branch: a job, unless its scope is small (``is_long``)."""
    return selection.scope.level in ("national", "region") and is_long(selection)


def workbook_start(*, user, selection):
    title = workbook_filename(scope=selection.scope, period=selection.period)
    return job_start_once(
        owner=user,
        title=title,
        handler="web.jobs.kinds.workbook_export",
        params={"selection": selection.params},
        unit=SHEETS,
    )


def workbook_export(*, job, progress):
    import io

    selection = _selection_or_fail(job)
    book = evaluation_workbook(
        scope=selection.scope, period=selection.period, language=job.language, viewer=job.owner, progress=progress
    )
    content = io.BytesIO()
    book.save(content)
    return Result(file=content.getvalue(), file_name=job.title, content_type=XLSX)


# Confirming an import of enrollments ----------------------------------------------------------------------


def import_in_background(batch):
    return batch.result.get("total", len(batch.rows)) > settings.PERISAI_JOBS_IMPORT_ROWS_IN_REQUEST


def import_start(*, user, batch):
    title = _("Import of %(file)s") % {"file": batch.file_name}
    return job_start_once(owner=user, title=title, handler="web.jobs.kinds.import_confirm", params={"batch": batch.pk})


def imported_message(outcome):
    imported = outcome.participants + outcome.reacquired
    message = ngettext("%(count)d enrollment imported.", "%(count)d enrollments imported.", imported) % {
        "count": imported
    }
    if outcome.reacquired:
        message += " " + ngettext(
            "%(count)d of them acquired a lapsed participant again.",
            "%(count)d of them acquired lapsed participants again.",
            outcome.reacquired,
        ) % {"count": outcome.reacquired}
    return message


def import_confirm(*, job, progress):
    """Confirm the batch as the page would; safe to run again: the batch's state decides, under its lock."""
    batch = for_user(ImportBatch.objects.all(), job.owner, branch_path="branch").filter(pk=job.params["batch"]).first()
    if batch is None:
        raise JobFailed(_("This upload no longer exists; upload the file again."))
    link = reverse("enrollment:import_preview", kwargs={"pk": batch.pk})
    if job.attempts > 1 and batch.status == ImportBatch.Status.IMPORTED:  # the first attempt's write committed
        return Result(message=_("This file has been imported."), link=link)
    try:
        outcome = import_batch_confirm(batch=batch, user=job.owner, progress=progress)
    except ImportChanged:
        raise JobFailed(
            _("The data changed since the preview, so nothing was imported. Check the new preview.")
        ) from None
    except ValidationError as error:
        raise JobFailed(" ".join(error.messages)) from None
    return Result(message=imported_message(outcome), link=link)


# Confirming a payments file --------------------------------------------------------------------------------


def payments_in_background(payment_import):
    return payment_import.total > settings.PERISAI_JOBS_IMPORT_ROWS_IN_REQUEST


def payments_start(*, user, payment_import):
    title = _("Payments file %(file)s") % {"file": payment_import.file_name}
    return job_start_once(
        owner=user, title=title, handler="web.jobs.kinds.payments_confirm", params={"payment_import": payment_import.pk}
    )


def payments_message(imported):
    written, confirmed = imported.to_write, imported.count(PaymentLine.Outcome.CONFIRMS)
    message = ngettext("%(count)d payment recorded.", "%(count)d payments recorded.", written) % {"count": written}
    if confirmed:
        message += " " + ngettext(
            "%(count)d contribution the agent recorded is confirmed.",
            "%(count)d contributions the agents recorded are confirmed.",
            confirmed,
        ) % {"count": confirmed}
    return message


def payments_confirm(*, job, progress):
    """Record the payments file's good rows as the page would; the import's state decides, under its lock."""
    payment_import = payment_imports_for(job.owner).filter(pk=job.params["payment_import"]).first()
    if payment_import is None:
        raise JobFailed(_("This payments file no longer exists; upload it again."))
    link = reverse("payments:detail", kwargs={"pk": payment_import.pk})
    total = payment_import.total
    progress(0, total)
    if job.attempts > 1 and payment_import.status == PaymentImport.Status.IMPORTED:
        return Result(message=payments_message(payment_import), link=link)
    try:
        imported = payment_import_confirm(payment_import=payment_import, user=job.owner)
    except PaymentsChanged:
        raise JobFailed(
            _("Payments were recorded since the preview, so nothing was imported. Check the rows, matched again.")
        ) from None
    except ValidationError as error:
        raise JobFailed(" ".join(error.messages)) from None
    progress(total, total)
    return Result(message=payments_message(imported), link=link)


# Reading and matching a payments file ---------------------------------------------------------------------


def payments_read_in_background(upload):
    """Whether a payments file is large enough to be read and matched in the background: by its size in bytes,
    since its rows are not counted before they are read (``PERISAI_JOBS_UPLOAD_BYTES_IN_REQUEST``)."""
    return upload.size > settings.PERISAI_JOBS_UPLOAD_BYTES_IN_REQUEST


def payments_read_start(*, user, upload, branch):
    """Keep the uploaded file where every worker can read it (the jobs' storage, ``jobs_purge`` deletes what a
    failed job leaves) and queue its reading; the job."""
    stored = storage().save(f"jobs/uploads/{uuid.uuid4().hex}/{get_valid_filename(upload.name) or 'file'}", upload)
    title = _("Reading payments file %(file)s") % {"file": upload.name}
    params = {"upload": stored, "file_name": upload.name, "branch": branch.pk if branch else None, "unit": ROWS}
    return job_create(owner=user, title=title, handler="web.jobs.kinds.payments_read", params=params)


def payments_read_message(payment_import):
    return ngettext(
        "%(count)d row read and matched: see what matched, then record the payments.",
        "%(count)d rows read and matched: see what matched, then record the payments.",
        payment_import.total,
    ) % {"count": payment_import.total}


def payments_read(*, job, progress):
    """Read and match the stored file as the upload page would, for its owner (whose right to import for the
    branch is checked again). Once only: a second attempt after a worker died finds the import the first
    one saved (same owner and file, made since the job started) and answers with it."""
    file_name = job.params["file_name"]
    if job.attempts > 1:
        saved = (
            payment_imports_for(job.owner)
            .filter(uploaded_by=job.owner, file_name=file_name[:255], created_at__gte=job.created_at)
            .first()
        )
        if saved is not None:
            _forget_upload(job)
            return Result(message=payments_read_message(saved), link=reverse("payments:detail", args=[saved.pk]))
    if not job.owner.has_perm("enrollment.add_paymentimport"):
        _forget_upload(job)
        raise JobFailed(_("Only branch staff can import payments files."))
    branch = Branch.objects.filter(pk=job.params["branch"]).first() if job.params["branch"] else None
    try:
        with storage().open(job.params["upload"], "rb") as stored:
            payment_import = payment_import_create(
                upload=File(stored, name=file_name), user=job.owner, branch=branch, progress=progress
            )
    except SpreadsheetError as error:
        _forget_upload(job)
        raise JobFailed(" ".join(str(message) for message in error.args)) from None
    except ValidationError as error:
        _forget_upload(job)
        raise JobFailed(" ".join(error.messages)) from None
    _forget_upload(job)
    progress(payment_import.total, payment_import.total)
    return Result(
        message=payments_read_message(payment_import), link=reverse("payments:detail", args=[payment_import.pk])
    )


def _forget_upload(job):
    """The uploaded file, once read (or refused): a crash before this leaves it for the next attempt."""
    store = storage()
    if store.exists(job.params["upload"]):
        store.delete(job.params["upload"])
