"""Importing the payments file: read and match it (a preview), then confirm it (its good rows, all or none).

``payment_import_create`` reads the file as it streams (``enrollment.importing.reader.open_table``, the
enrolment import's checks against hostile files, with ``PAYMENT_LIMITS``), ``PAYMENT_BATCH_ROWS`` rows
at a time: each batch is read (``enrollment.payments.columns``), matched (``enrollment.payments.matching``)
and stored as ``PaymentLine`` rows of a pending ``PaymentImport``. Memory holds one batch, whatever the
file's length. A file that cannot be read, or turns out too long halfway, leaves nothing behind.

``payment_import_confirm`` writes, in one transaction, a contribution for every row that matched
(with its amount, differing or not), marks the agent-recorded contributions the file confirms, and
writes their history rows: all of them or none. It writes from the stored rows with ``INSERT … SELECT``,
so the database does the copying, and the rollups follow by their triggers. The database's unique
keys (one contribution per acquisition and month; a channel reference once per month) decide races:
if anything was recorded meanwhile, nothing is written, the rows are matched again, and the uploader
sees the new preview (``PaymentsChanged``). Importing the same file, or one that overlaps it, again
changes nothing: its rows are *already recorded*.
"""

import hashlib
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.importing.columns import find_columns, header_names, normalise
from enrollment.importing.limits import PAYMENT_BATCH_ROWS, PAYMENT_IMPORT_KEPT_FOR, PAYMENT_LIMITS
from enrollment.importing.reader import CHUNK_BYTES, open_table
from enrollment.models import Contribution, PaymentImport, PaymentLine
from enrollment.payments.columns import IDENTIFYING, PAYMENT_COLUMNS, PaymentRow, read_payment_row
from enrollment.payments.matching import mark_duplicates, match_batch, matching_tables, stage
from enrollment.services.history import (
    CHANGED,
    CREATED,
    history_record_bulk,
    history_record_insert,
    history_record_query,
)
from perisai.read_ahead import read_ahead

Outcome = PaymentLine.Outcome


class PaymentsChanged(Exception):
    """What was recorded changed since the preview; the import holds the rows matched again."""


def payment_import_create(*, upload, user=None, branch=None, today=None, progress=None):
    """Read and match ``upload`` (a Django ``File`` with a name) into a pending ``PaymentImport``.

    ``branch`` is the branch the file is for (``None``: a national file, which only a national
    administrator or the scheduled command may bring); ``user`` who uploads it (``None``: the command).
    ``SpreadsheetError`` for a file that cannot be read; nothing is kept then. ``progress(rows)`` hears of
    the rows read and matched after each batch (a background job's progress bar).
    """
    if user is not None and user.branch_id is not None and (branch is None or branch.pk != user.branch_id):
        raise ValidationError(_("Branch staff import payments for their own branch only."), code="other_branch")
    today = today or timezone.localdate()
    fingerprint = _sha256(upload)
    table = open_table(upload, limits=PAYMENT_LIMITS)
    index = _columns(table.header)
    with transaction.atomic():
        payment_import = PaymentImport(
            branch=branch, uploaded_by=user, file_name=(upload.name or "")[:255], file_sha256=fingerprint
        )
        payment_import.full_clean()
        payment_import.save()
        # The next batch is read from the file and staged in a worker thread while this one is matched and stored:
        # reading is Python, matching is the database's (``perisai.read_ahead``).
        done = 0
        with matching_tables() as labels:
            for batch in read_ahead(lambda: _read_batches(table, index, today=today), database=False):
                match_batch(batch, payment_import=payment_import, today=today, labels=labels)
                done += batch.rows
                if progress is not None:
                    progress(done)
        _finish_matching(payment_import)
    payment_imports_purge()
    return payment_import


def payment_import_confirm(*, payment_import, user=None, today=None):
    """Write the good rows of a pending ``payment_import``; the import, now imported.

    ``ValidationError`` when it was imported already or has expired; ``PaymentsChanged`` when what was
    recorded changed since the preview (nothing is written, the rows are matched again).
    """
    today = today or timezone.localdate()
    if payment_import.created_at < timezone.now() - PAYMENT_IMPORT_KEPT_FOR:
        raise ValidationError(_("This upload has expired; upload the file again."), code="expired")
    try:
        with transaction.atomic():
            locked = PaymentImport.objects.select_for_update().get(pk=payment_import.pk)
            if locked.status != PaymentImport.Status.PENDING:
                raise ValidationError(_("This file has already been imported."), code="already_imported")
            _write(locked, user=user)
            locked.status = PaymentImport.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.save(update_fields=["status", "imported_at"])
    except (IntegrityError, PaymentsChanged):
        payment_import_rematch(payment_import=payment_import, today=today)
        raise PaymentsChanged from None
    payment_import.refresh_from_db()
    return payment_import


def payment_import_rematch(*, payment_import, today=None):
    """Match the stored rows of a pending import again against what is recorded now (the rows that could
    not be read stay as they are); ``ValidationError`` if it was imported meanwhile."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # Under the row lock: a confirm that failed may run this after another confirm imported the file,
        # whose lines and counts must stay as they were imported.
        locked = PaymentImport.objects.select_for_update().get(pk=payment_import.pk)
        if locked.status != PaymentImport.Status.PENDING:
            raise ValidationError(_("This file has already been imported."), code="already_imported")
        lines = payment_import.lines.exclude(outcome=Outcome.MALFORMED).order_by("row")
        rows = [_row_of(line) for line in lines.iterator(chunk_size=PAYMENT_BATCH_ROWS)]
        lines.delete()
        with matching_tables() as labels:
            for batch in _batches(rows):
                match_batch(stage(batch), payment_import=payment_import, today=today, labels=labels)
        _finish_matching(payment_import)


def payment_imports_purge():
    """Delete unconfirmed payments files older than ``PAYMENT_IMPORT_KEPT_FOR`` (they hold NIKs nobody
    imported), with their rows; how many files."""
    stale = PaymentImport.objects.filter(
        status=PaymentImport.Status.PENDING, created_at__lt=timezone.now() - PAYMENT_IMPORT_KEPT_FOR
    )
    PaymentLine.objects.filter(payment_import__in=stale).delete()
    deleted, _by_model = stale.delete()
    return deleted


def _batches(items):
    """``items`` in lists of ``PAYMENT_BATCH_ROWS``."""
    items = iter(items)
    while batch := list(islice(items, PAYMENT_BATCH_ROWS)):
        yield batch


def _read_batches(table, index, *, today):
    """The file's rows read (``PaymentRow``) and staged for matching (``stage``), ``PAYMENT_BATCH_ROWS`` at a time."""
    for batch in _batches(table.rows):
        yield stage([read_payment_row(number, _cells(values, index), today=today) for number, values in batch])


def _sha256(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _columns(header):
    """``{column key: index}``; a file without a NIK and without a KPJ column is refused with the rest."""
    names = header_names(PAYMENT_COLUMNS)
    present = {names.get(normalise(text)) for text in header if text is not None}
    problems = []
    if not present & set(IDENTIFYING):
        problems.append(_("Row 1 needs a “NIK” or a “KPJ” column to identify the participants."))
    needed = [column for column in PAYMENT_COLUMNS if column.required]
    return find_columns(header, columns=PAYMENT_COLUMNS, needed=needed, problems=problems)


def _cells(values, index):
    return {key: values[position] if position < len(values) else None for key, position in index.items()}


def _row_of(line):
    return PaymentRow(
        row=line.row,
        nik=line.nik,
        kpj=line.kpj_number,
        period=line.period,
        paid_on=line.paid_on,
        amount=line.amount,
        channel=line.channel,
        channel_name=line.channel_name,
        reference=line.reference,
    )


def _finish_matching(payment_import):
    mark_duplicates(payment_import)
    payment_import.counts = dict(payment_import.lines.order_by().values_list("outcome").annotate(count=Count("pk")))
    payment_import.save(update_fields=["counts"])


CONTRIBUTION_COLUMNS = (
    "acquisition_id", "period", "amount", "paid_on", "channel", "receipt_number", "credited_to_id", "reference",
    "channel_name", "payment_import_id",
)  # fmt: skip


def _write(payment_import, *, user):
    """The contributions of the matched rows, the agents' records the file confirms, and their history."""
    quote = connection.ops.quote_name
    writes = [str(outcome) for outcome in PaymentLine.WRITES]
    lines = payment_import.lines
    reason = _("Payments file %(file)s (import %(id)d)") % {"file": payment_import.file_name, "id": payment_import.pk}
    history = {"user": user, "reason": reason[:100]}
    insert = (
        f"INSERT INTO {quote(Contribution._meta.db_table)} ({', '.join(map(quote, CONTRIBUTION_COLUMNS))})"  # noqa: S608
        f" SELECT acquisition_id, period, amount, paid_on, channel, '', credited_to_id, reference, channel_name,"
        f" payment_import_id FROM {quote(PaymentLine._meta.db_table)}"
        f" WHERE payment_import_id = %s AND outcome IN ({', '.join(['%s'] * len(writes))}) ORDER BY row"
    )
    params = [payment_import.pk, *writes]
    # The history of the new contributions first, while the file's own are the only ones that name it; then the
    # agents' records it confirms, by their keys. (Telling the two apart afterwards with a subquery on the
    # file's rows let PostgreSQL, estimating one row for a file just written, join 100,000 rows to 100,000.)
    # On PostgreSQL the history rows are copied from the insert's own rows, in the same statement.
    if connection.vendor == "postgresql":
        written = history_record_insert(Contribution, insert, params, history_type=CREATED, **history)
    else:
        with connection.cursor() as cursor:
            cursor.execute(insert, params)
            written = cursor.rowcount
        history_record_query(
            Contribution.objects.filter(payment_import=payment_import), history_type=CREATED, **history
        )
    if written != payment_import.count(*PaymentLine.WRITES):
        raise PaymentsChanged
    confirming = list(
        lines.filter(outcome=Outcome.CONFIRMS).order_by("contribution").values_list("contribution", flat=True)
    )
    confirmed = sum(
        Contribution.objects.filter(pk__any_of=keys, payment_import__isnull=True).update(payment_import=payment_import)
        for keys in _batches(confirming)
    )
    if confirmed != payment_import.count(Outcome.CONFIRMS):
        raise PaymentsChanged
    history_record_bulk(Contribution, confirming, history_type=CHANGED, **history)
