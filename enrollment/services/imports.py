"""Bulk import of enrollments: upload and validate (a preview), then confirm (all rows or none).

Between the preview and the confirmation the file's cells are kept server-side in an ``ImportBatch``
(rather than asking for the file again): the uploader confirms exactly what they saw, and the
confirmation validates the kept cells *again* against the database as it is then. If anything changed
(someone enrolled one of the workers, an agent left, a rate was added) the batch gets the new result
and the uploader sees the new preview instead of an import; whether the batch is still pending is
decided under its row lock, so a confirm that lost the race to another one (and so finds every row
"already enrolled") is told the file was imported and leaves the imported batch's result alone.
Unconfirmed batches are deleted after ``BATCH_KEPT_FOR`` and an imported batch keeps only its counts, so
no NIKs linger.

The write is one transaction: participants, then acquisitions, each with ``bulk_create`` in batches of
``BULK_BATCH_SIZE``; signals do not fire on ``bulk_create``, so every new or changed row gets its history
row from ``history_record_bulk`` (the database copies the rows just written), credited to the uploader
with the file name as the change reason. The rows were
checked field by field with the model's validators during validation (``Participant.clean_fields``
and the NIK, rate and duplicate rules), which is what ``full_clean`` would do one query at a time.
A worker enrolled by someone else between the check and the write hits the database's unique
constraints; the whole import is then rolled back and the new preview shown.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agents.models import Agent
from enrollment.importing.columns import column_letter, match_header
from enrollment.importing.limits import BATCH_KEPT_FOR, BULK_BATCH_SIZE
from enrollment.importing.reader import open_table
from enrollment.importing.validation import validate_rows
from enrollment.models import Acquisition, ImportBatch, Participant
from enrollment.services.history import CHANGED, CREATED, history_record_bulk

SAMPLE_ROWS = 10
COUNTS = ("total", "valid", "rows_with_errors", "reacquired")
"""What an imported batch keeps of its result: no NIKs, names or messages about people."""


class ImportChanged(Exception):
    """The rows no longer validate as they did at the preview; the batch holds the new result."""


@dataclass(frozen=True)
class ImportOutcome:
    participants: int
    reacquired: int


def import_batch_create(*, upload, user, agent=None):
    """Read and validate ``upload`` for an import by ``user``; the new pending ``ImportBatch``.

    ``agent`` (chosen on the upload page) takes every row; without it each row names its agent by
    code. Raises ``SpreadsheetError`` for a file that cannot be read (nothing is kept then).
    """
    branch = agent.branch if agent is not None else user.branch
    if branch is None:
        raise ValidationError(_("Choose the agent: the import needs a branch to belong to."), code="no_branch")
    table = open_table(upload)  # streamed: only the columns the import reads are kept of each row
    index = match_header(table.header, agent_chosen=agent is not None)
    letters = {key: column_letter(position) for key, position in index.items()}
    rows = []
    for number, values in table.rows:
        cells = {key: values[position] if position < len(values) else None for key, position in index.items()}
        if any(value is not None for value in cells.values()):
            rows.append({"row": number, "cells": cells})
    validation = validate_rows(rows, letters=letters, branch=branch, agent=agent, today=timezone.localdate())
    batch = ImportBatch(
        branch=branch,
        uploaded_by=user,
        agent=agent,
        file_name=(upload.name or "")[:255],
        rows=rows,
        result=_result(validation, letters),
    )
    batch.full_clean()
    batch.save()
    import_batches_purge()
    return batch


def import_batch_confirm(*, batch, user, progress=None):
    """Import every row of ``batch`` in one transaction, or raise.

    ``ImportChanged`` when the rows no longer validate as previewed (the batch then holds the new
    result); ``ValidationError`` when the batch was already imported or has expired. ``progress``, when
    given, is called as ``progress(rows_done, rows_in_all)`` (a background job's progress bar) when the
    rows are checked and when they are written.
    """
    report = progress or (lambda done, total: None)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(_("This file has already been imported."), code="already_imported")
    if batch.created_at < timezone.now() - BATCH_KEPT_FOR:
        raise ValidationError(_("This upload has expired; upload the file again."), code="expired")
    letters = batch.result.get("columns", {})
    total = len(batch.rows)
    report(0, total)
    validation = validate_rows(
        batch.rows, letters=letters, branch=batch.branch, agent=batch.agent, today=timezone.localdate()
    )
    if not validation.can_import or validation.fingerprint() != batch.result.get("fingerprint"):
        _keep_result(batch, validation, letters)
        raise ImportChanged
    report(total // 2, total)  # checked; the write is the other half
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportBatch.Status.PENDING:
                raise ValidationError(_("This file has already been imported."), code="already_imported")
            outcome = _write(validation.valid_rows, batch=locked, user=user)
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.imported_count = len(validation.valid_rows)
            locked.rows = []
            locked.result = {key: value for key, value in batch.result.items() if key in COUNTS}
            locked.full_clean()
            locked.save()
    except IntegrityError:
        validation = validate_rows(
            batch.rows, letters=letters, branch=batch.branch, agent=batch.agent, today=timezone.localdate()
        )
        _keep_result(batch, validation, letters)
        raise ImportChanged from None
    report(total, total)
    return outcome


def import_batches_purge():
    """Delete unconfirmed uploads older than ``BATCH_KEPT_FOR`` (they hold NIKs nobody imported); how many."""
    deleted, _by_model = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, created_at__lt=timezone.now() - BATCH_KEPT_FOR
    ).delete()
    return deleted


def _keep_result(batch, validation, letters):
    """Keep the new preview of a batch that is still pending, deciding that under the batch's row lock: a
    confirm that lost the race to another (which imported the batch after this one read it) must neither
    overwrite the imported batch's result with its own (every row "already enrolled") nor say nothing was
    imported; it is told the file has been imported."""
    result = _result(validation, letters)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            batch.refresh_from_db()
            raise ValidationError(_("This file has already been imported."), code="already_imported")
        locked.result = result
        locked.save(update_fields=["result"])
    batch.result = result


def _result(validation, letters):
    """What the preview page shows, as JSON: counts, errors, warnings, the first rows, and the fingerprint."""
    sample = validation.valid_rows[:SAMPLE_ROWS]
    agent_names = dict(Agent.objects.filter(pk__in={row.agent_id for row in sample}).values_list("pk", "full_name"))
    return {
        "columns": letters,
        "total": validation.total,
        "valid": len(validation.valid_rows),
        "rows_with_errors": validation.rows_with_errors,
        "reacquired": sum(1 for row in validation.valid_rows if row.participant_id is not None),
        "errors": [_finding(finding) for finding in validation.errors],
        "warnings": [_finding(finding) for finding in validation.warnings],
        "sample": [
            {
                "row": row.row,
                "nik": row.nik,
                "full_name": row.full_name,
                "occupation": row.occupation,
                "kecamatan": row.kecamatan,
                "acquired_on": row.acquired_on.isoformat(),
                "agent": agent_names.get(row.agent_id, ""),
                "monthly_contribution": int(row.monthly_contribution),
                "reacquired": row.participant_id is not None,
            }
            for row in sample
        ],
        "fingerprint": validation.fingerprint(),
    }


def _finding(finding):
    return {
        "row": finding.row,
        "column": finding.column,
        "cell": finding.cell,
        "code": finding.code,
        "message": finding.message,
    }


REACQUISITION_FIELDS = ("phone", "address", "occupation")
PLACE_FIELDS = ("kecamatan", "desa", "district", "village")


def _update_reacquired(rows, *, batch, history):
    """As the enrol form does: a worker acquired again gets the contact details from the file (blank cells
    keep what is registered; the place, always in the file, is taken whole: kecamatan and desa with their
    codes) and belongs to the importing branch; name, birth date and gender stay."""
    again = {row.participant_id: row for row in rows if row.participant_id is not None}
    participants = Participant.objects.in_bulk(list(again)).values()
    for participant in participants:
        row = again[participant.pk]
        for name in REACQUISITION_FIELDS:
            setattr(participant, name, getattr(row, name) or getattr(participant, name))
        for name in PLACE_FIELDS:
            setattr(participant, name, getattr(row, name))
        participant.branch_id = batch.branch_id
    Participant.objects.bulk_update(
        participants, [*REACQUISITION_FIELDS, *PLACE_FIELDS, "branch"], batch_size=BULK_BATCH_SIZE
    )
    history_record_bulk(Participant, [participant.pk for participant in participants], history_type=CHANGED, **history)


def _write(rows, *, batch, user):
    reason = (_("Imported from %(file)s (upload %(id)d)") % {"file": batch.file_name, "id": batch.pk})[:100]
    history = {"user": user, "reason": reason}
    new_participants = [
        Participant(
            branch_id=batch.branch_id,
            nik=row.nik,
            full_name=row.full_name,
            gender=row.gender,
            birth_date=row.birth_date,
            phone=row.phone,
            address=row.address,
            kecamatan=row.kecamatan,
            desa=row.desa,
            district=row.district,
            village=row.village,
            occupation=row.occupation,
            kpj_number=row.kpj_number,
        )
        for row in rows
        if row.participant_id is None
    ]
    Participant.objects.bulk_create(new_participants, batch_size=BULK_BATCH_SIZE)
    history_record_bulk(
        Participant, [participant.pk for participant in new_participants], history_type=CREATED, **history
    )
    _update_reacquired(rows, batch=batch, history=history)
    participant_ids = {participant.nik: participant.pk for participant in new_participants}
    acquisitions = [
        Acquisition(
            participant_id=row.participant_id or participant_ids[row.nik],
            agent_id=row.agent_id,
            caretaker_id=row.agent_id,
            branch_id=batch.branch_id,
            office_id=row.office_id,
            acquired_on=row.acquired_on,
            status=Acquisition.Status.ACTIVE,
            rate_id=row.rate_id,
            declared_income=row.declared_income,
            with_jht=row.with_jht,
            monthly_contribution=row.monthly_contribution,
        )
        for row in rows
    ]
    Acquisition.objects.bulk_create(acquisitions, batch_size=BULK_BATCH_SIZE)
    history_record_bulk(Acquisition, [acquisition.pk for acquisition in acquisitions], history_type=CREATED, **history)
    return ImportOutcome(participants=len(new_participants), reacquired=len(rows) - len(new_participants))
