"""Matching the payments file's rows to participants, acquisitions and the contributions already known.

For each row that could be read (``enrollment.payments.columns``), first match wins:

1. **unknown participant**: no participant has the NIK or the KPJ number; a NIK and a KPJ number
   that name two different participants are a *malformed* row;
2. **participant of another branch**: the file is a branch's, the participant belongs to another
   (national files take every branch);
3. **period in the future**: a month after the current one;
4. **period before enrolment**: the participant has no acquisition up to the end of that month;
   otherwise the row belongs to the participant's *standing* acquisition for that month (the latest
   acquired by its end), as the continuity rule counts it (``enrollment.paying``);
5. **already recorded**: that acquisition and month are paid already (by an earlier file, or by the
   agent and confirmed by a file), or the same channel reference for that month is already recorded;
   nothing is counted twice, whichever channel;
   - **confirms the agent's record**: the month was recorded by the agent and no file has confirmed it
     yet: the file confirms it (nothing new is counted);
6. **reference used by another payment**: the channel's reference for that month is recorded for
   someone else;
7. **amount differs**: the amount is not the acquisition's monthly contribution; the payment is kept
   as paid, and listed for follow-up;
8. **matched**.

Duplicates within the file (the same acquisition and month, or the same channel reference and month,
on an earlier row the import takes) are marked afterwards, by the database (``mark_duplicates``).

A payment is credited to the agent who looked after the participant on the day it was paid (the
acquisition's history says who), as an agent's own record is: their fee counts it.

**Matched in the database, a batch at a time.** Python reads and checks the cells (``columns``); the
matching is set-based SQL over a batch of ``PAYMENT_BATCH_ROWS`` rows held in temporary tables
(``matching_tables``), the same SQL on PostgreSQL and SQLite:

1. ``stage``: the batch as ``payment_staging`` takes it, with its months and amounts already written as a
   message writes them and the ends of its months and days paid that the look-ups compare with. Pure
   Python: the import runs it in the thread that reads the file a batch ahead;
2. ``MATCH``: each staged row, with what the database knows of it (the participants of its NIK and KPJ
   number, the standing acquisition for its month, the contribution recorded for that month, whether its
   reference is taken, the agent to credit) and its outcome by the rules above, into ``payment_matched``;
3. ``LABELS_NEEDED``: the days and amounts the messages name that come from the database (the day a
   month was paid, the day an enrolment lapsed, a monthly contribution...), written by Python with the
   product's one date and money formatters into two small label tables, each once an import;
4. ``WRITE``: the batch's ``PaymentLine`` rows from ``payment_matched``, each message put together from
   its translated sentence (``_sentences``: the placeholders stand as ``@@name@@``) and those labels.

Matched row by row in Python, a hundred thousand rows' look-ups were shipped back from the database and
turned into objects only to be written again: most of an import's time. Memory holds a batch or two.
"""

import contextlib
import csv
import datetime
import io
import json
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, DateTimeField, F, Window
from django.db.models.functions import FirstValue, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Acquisition, Contribution, PaymentLine
from enrollment.payments.columns import day_label, period_label
from perisai.formatting import rupiah
from perisai.months import month_end, month_start

Outcome = PaymentLine.Outcome
MAX_MESSAGE = PaymentLine._meta.get_field("message").max_length
AMOUNT = "numeric(12, 0)"
"""The type of an amount in the matching's tables: ``PaymentLine.amount``'s 12 digits, whole Rupiah."""
LABEL_ROWS_A_STATEMENT = 400

STAGING_COLUMNS = (
    ("row", "integer"), ("nik", "text"), ("kpj", "text"), ("period", "date"), ("paid_on", "date"),
    ("amount", AMOUNT), ("channel", "text"), ("channel_name", "text"), ("reference", "text"),
    ("cells", None), ("problems", "text"), ("period_label", "text"), ("amount_label", "text"),
    ("period_end", "date"), ("paid_until", None),
)  # fmt: skip
"""``payment_staging``'s columns, in the order ``_Staged.row`` writes them (``None``: the database's own type for
the cells' JSON and for a moment)."""
NULLABLE = ("period", "paid_on", "amount", "cells", "period_end", "paid_until")
"""The staged columns whose empty value is NULL (the rest are text, empty as "")."""
_NULLABLE_POSITIONS = {index for index, (name, _kind) in enumerate(STAGING_COLUMNS) if name in NULLABLE}

MATCHED_COLUMNS = (
    ("by_nik", "bigint"), ("by_kpj", "bigint"), ("participant_id", "bigint"), ("branch_id", "bigint"),
    ("acquisition_id", "bigint"), ("status", "varchar(20)"), ("ended_on", "date"),
    ("monthly_contribution", AMOUNT), ("first_acquired_on", "date"), ("contribution_id", "bigint"),
    ("recorded_amount", AMOUNT), ("recorded_paid_on", "date"), ("recorded_channel", "varchar(20)"),
    ("recorded_import_id", "bigint"), ("reference_taken", "boolean"), ("credited_to_id", "bigint"),
    ("outcome", "varchar(20)"),
)  # fmt: skip
"""What ``payment_matched`` adds to a staged row."""

HISTORY = "enrollment_historicalacquisition"


def _lapsed(alias=""):
    """A row paying a month after its enrolment lapsed (the message notes the lapse)."""
    return f"{alias}status = '{Acquisition.Status.LAPSED}' AND {alias}ended_on < {alias}period"


def _quoted(*outcomes):
    return ", ".join(f"'{outcome}'" for outcome in outcomes)


_WITH_ACQUISITION = _quoted(Outcome.CONFIRMS, Outcome.ALREADY_RECORDED, Outcome.REFERENCE_TAKEN, *PaymentLine.WRITES)
_CHANNEL_LABEL = (
    "CASE m.recorded_channel "
    + " ".join(f"WHEN '{channel}' THEN %(channel_{channel})s" for channel in Contribution.Channel)
    + " ELSE m.recorded_channel END"
)

MATCH = f"""
    INSERT INTO payment_matched
    SELECT x.*, CASE
        WHEN problems <> '' OR by_nik <> by_kpj THEN '{Outcome.MALFORMED}'
        WHEN participant_id IS NULL THEN '{Outcome.UNKNOWN_PARTICIPANT}'
        WHEN %(branch)s IS NOT NULL AND branch_id <> %(branch)s THEN '{Outcome.OTHER_BRANCH}'
        WHEN period > %(this_month)s THEN '{Outcome.FUTURE_PERIOD}'
        WHEN acquisition_id IS NULL THEN '{Outcome.BEFORE_ENROLMENT}'
        WHEN recorded_channel = '{Contribution.Channel.AGENT}' AND recorded_import_id IS NULL THEN '{Outcome.CONFIRMS}'
        WHEN contribution_id IS NOT NULL THEN '{Outcome.ALREADY_RECORDED}'
        WHEN reference_taken THEN '{Outcome.REFERENCE_TAKEN}'
        WHEN amount <> monthly_contribution THEN '{Outcome.AMOUNT_DIFFERS}'
        ELSE '{Outcome.MATCHED}'
    END
    FROM (
        SELECT f.*, a.id AS acquisition_id, a.status, a.ended_on, a.monthly_contribution,
               CASE WHEN a.id IS NULL AND f.participant_id IS NOT NULL THEN (
                   SELECT min(e.acquired_on) FROM enrollment_acquisition e WHERE e.participant_id = f.participant_id
               ) END AS first_acquired_on,
               c.id AS contribution_id, c.amount AS recorded_amount, c.paid_on AS recorded_paid_on,
               c.channel AS recorded_channel, c.payment_import_id AS recorded_import_id,
               CASE WHEN a.id IS NOT NULL AND c.id IS NULL THEN EXISTS (
                   SELECT 1 FROM enrollment_contribution r WHERE r.reference = f.reference AND r.channel = f.channel
                   AND r.period = f.period AND r.reference <> ''
               ) END AS reference_taken,
               CASE WHEN a.id IS NOT NULL AND c.id IS NULL THEN
                   CASE WHEN a.id IN (SELECT h.id FROM {HISTORY} h WHERE h.history_date >= %(since)s) THEN coalesce(
                       (SELECT h.caretaker_id FROM {HISTORY} h WHERE h.id = a.id AND h.history_date <= f.paid_until
                        ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1),
                       (SELECT h.caretaker_id FROM {HISTORY} h WHERE h.id = a.id
                        ORDER BY h.history_date, h.history_id LIMIT 1))
                   ELSE a.caretaker_id END
               END AS credited_to_id
        FROM (
            SELECT s.*, n.id AS by_nik, k.id AS by_kpj, coalesce(n.id, k.id) AS participant_id,
                   coalesce(n.branch_id, k.branch_id) AS branch_id
            FROM (SELECT * FROM payment_staging LIMIT %(rows)s) s
            LEFT JOIN enrollment_participant n ON s.nik <> '' AND n.nik = s.nik
            LEFT JOIN enrollment_participant k ON s.kpj <> '' AND k.kpj_number = s.kpj
        ) f
        LEFT JOIN enrollment_acquisition a ON a.id = (
            SELECT e.id FROM enrollment_acquisition e
            WHERE e.participant_id = f.participant_id AND e.acquired_on <= f.period_end
            ORDER BY e.acquired_on DESC, e.id DESC LIMIT 1)
        LEFT JOIN enrollment_contribution c ON c.acquisition_id = a.id AND c.period = f.period
        LIMIT %(rows)s
    ) x
"""
"""Step 2: each staged row with what the database knows of it, and its outcome by the rules of the
module's docstring, first match wins. The agent credited is looked up in the acquisitions' history only for
the few acquisitions whose history changed since the batch's earliest day paid; the rest had today's
caretaker then. (The ``LIMIT``s, the batch's size, tell PostgreSQL how few rows a batch is and keep each
row's look-ups from being repeated where the outcome reads them.)"""


LABELS_NEEDED = f"""
    SELECT first_acquired_on, CAST(NULL AS {AMOUNT}) FROM payment_matched
        WHERE outcome = '{Outcome.BEFORE_ENROLMENT}' AND first_acquired_on IS NOT NULL
    UNION SELECT recorded_paid_on, NULL FROM payment_matched WHERE outcome = '{Outcome.ALREADY_RECORDED}'
    UNION SELECT ended_on, NULL FROM payment_matched
        WHERE outcome IN ('{Outcome.MATCHED}', '{Outcome.AMOUNT_DIFFERS}') AND {_lapsed()}
    UNION SELECT NULL, recorded_amount FROM payment_matched
        WHERE outcome = '{Outcome.CONFIRMS}' AND recorded_amount <> amount
    UNION SELECT NULL, monthly_contribution FROM payment_matched WHERE outcome = '{Outcome.AMOUNT_DIFFERS}'
"""
"""Step 3: the days and amounts from the database that the batch's messages name."""

WRITE = f"""
    INSERT INTO enrollment_paymentline (payment_import_id, "row", outcome, message, nik, kpj_number, period, paid_on,
        amount, channel, channel_name, reference, cells, participant_id, acquisition_id, credited_to_id,
        contribution_id)
    SELECT %(payment_import)s, m."row", m.outcome, substr(CASE m.outcome
            WHEN '{Outcome.MALFORMED}' THEN CASE WHEN m.problems <> '' THEN m.problems ELSE %(two_participants)s END
            WHEN '{Outcome.UNKNOWN_PARTICIPANT}' THEN %(unknown)s
            WHEN '{Outcome.OTHER_BRANCH}' THEN %(other_branch)s
            WHEN '{Outcome.FUTURE_PERIOD}' THEN replace(%(future)s, '@@month@@', m.period_label)
            WHEN '{Outcome.BEFORE_ENROLMENT}' THEN CASE WHEN m.first_acquired_on IS NULL THEN %(no_enrolment)s
                ELSE replace(replace(%(before)s, '@@month@@', m.period_label), '@@date@@', first_day.label) END
            WHEN '{Outcome.CONFIRMS}' THEN replace(%(confirms)s, '@@month@@', m.period_label)
                || CASE WHEN m.recorded_amount <> m.amount
                    THEN ' ' || replace(%(agent_recorded)s, '@@recorded@@', recorded.label) ELSE '' END
            WHEN '{Outcome.ALREADY_RECORDED}' THEN replace(replace(replace(%(already)s,
                '@@month@@', m.period_label), '@@date@@', paid_day.label), '@@channel@@', {_CHANNEL_LABEL})
            WHEN '{Outcome.REFERENCE_TAKEN}' THEN
                replace(replace(%(taken)s, '@@month@@', m.period_label), '@@reference@@', m.reference)
            WHEN '{Outcome.AMOUNT_DIFFERS}' THEN
                replace(replace(%(differs)s, '@@paid@@', m.amount_label), '@@expected@@', expected.label)
                || CASE WHEN {_lapsed("m.")} THEN ' ' || replace(%(lapsed)s, '@@date@@', lapsed_day.label) ELSE '' END
            ELSE CASE WHEN {_lapsed("m.")} THEN replace(%(lapsed)s, '@@date@@', lapsed_day.label) ELSE '' END
        END, 1, {MAX_MESSAGE}),
        m.nik, m.kpj, m.period, m.paid_on, m.amount, m.channel, m.channel_name, m.reference, m.cells,
        CASE WHEN m.outcome IN ('{Outcome.FUTURE_PERIOD}', '{Outcome.BEFORE_ENROLMENT}') THEN m.participant_id END,
        CASE WHEN m.outcome IN ({_WITH_ACQUISITION}) THEN m.acquisition_id END,
        CASE WHEN m.outcome IN ({_quoted(*PaymentLine.WRITES)}) THEN m.credited_to_id END,
        CASE WHEN m.outcome IN ('{Outcome.CONFIRMS}', '{Outcome.ALREADY_RECORDED}') THEN m.contribution_id END
    FROM payment_matched m
    LEFT JOIN payment_day_labels first_day ON first_day.day = m.first_acquired_on
    LEFT JOIN payment_day_labels paid_day ON paid_day.day = m.recorded_paid_on
    LEFT JOIN payment_day_labels lapsed_day ON lapsed_day.day = m.ended_on
    LEFT JOIN payment_amount_labels recorded ON recorded.amount = m.recorded_amount
    LEFT JOIN payment_amount_labels expected ON expected.amount = m.monthly_contribution
    ORDER BY m."row"
"""
"""Step 4: the batch's rows, as ``PaymentLine`` stores them. A row keeps its participant only where no
acquisition names it, and not for another branch's participant; its acquisition from *confirms* on."""


@contextlib.contextmanager
def matching_tables():
    """The temporary tables the batches are matched in, for the length of the ``with`` block, which is inside the
    import's transaction; what the ``with`` gives keeps which days and amounts are already written as labels."""
    own = {
        "cells": PaymentLine._meta.get_field("cells").db_type(connection),
        "paid_until": DateTimeField().db_type(connection),
    }
    staging = {name: kind or own[name] for name, kind in STAGING_COLUMNS}
    matched = {**staging, **dict(MATCHED_COLUMNS)}
    tables = {
        "payment_staging": staging,
        "payment_matched": matched,
        "payment_day_labels": {"day": "date PRIMARY KEY", "label": "text"},
        "payment_amount_labels": {"amount": f"{AMOUNT} PRIMARY KEY", "label": "text"},
    }
    with connection.cursor() as cursor:
        for name, columns in tables.items():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            typed = ", ".join(f"{connection.ops.quote_name(column)} {kind}" for column, kind in columns.items())
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({typed})")
    yield _Labels()
    # Not on an error: the transaction it rolls back takes the tables with it (and a PostgreSQL transaction in
    # error refuses any statement). Outside a transaction they would stay with the connection until the next
    # import drops them above.
    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f"DROP TABLE {name}")


class _Labels:
    """The days and amounts already written into the label tables during one import."""

    def __init__(self):
        self.days, self.amounts = set(), set()


class Staged(NamedTuple):
    """A batch made ready for ``payment_staging`` (``stage``)."""

    rows: int
    since: object
    """The start of the batch's earliest day paid, as the database compares it with a moment (``None``: no day)."""
    data: object
    """``COPY`` text on PostgreSQL; the rows' values elsewhere."""


def stage(rows):
    """``rows`` (``PaymentRow`` objects, one batch) as ``payment_staging`` takes them. Python only, no database:
    the import runs it in the thread reading the file a batch ahead, beside the matching of the one before."""
    staged = _Staged()
    values = [staged.row(row) for row in rows]
    days = [row.paid_on for row in rows if not row.problems and row.paid_on]
    since = _moment(min(days), datetime.time.min) if days else None
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(values)
        buffer.seek(0)
        return Staged(len(rows), since, buffer)
    empty = _NULLABLE_POSITIONS  # "" is NULL there, as COPY's FORCE_NULL reads it
    values = [[None if index in empty and value == "" else value for index, value in enumerate(row)] for row in values]
    return Staged(len(rows), since, values)


def match_batch(batch, *, payment_import, today, labels):
    """Match ``batch`` (``Staged``) and store its rows as ``payment_import``'s lines."""
    params = {
        "since": batch.since,
        "branch": payment_import.branch_id,
        "this_month": connection.ops.adapt_datefield_value(month_start(today)),
        "payment_import": payment_import.pk,
        "rows": batch.rows,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE, not DELETE: deleted rows keep their pages, and every statement after would read them.
            cursor.execute("TRUNCATE payment_staging, payment_matched")
            cursor.cursor.copy_expert(
                f"COPY payment_staging FROM STDIN WITH (FORMAT csv, FORCE_NULL ({', '.join(NULLABLE)}))", batch.data
            )
        else:
            cursor.execute("DELETE FROM payment_staging")
            cursor.execute("DELETE FROM payment_matched")
            placeholders = ", ".join(["%s"] * len(STAGING_COLUMNS))
            cursor.executemany(f"INSERT INTO payment_staging VALUES ({placeholders})", batch.data)
        cursor.execute(MATCH, params)
        cursor.execute(LABELS_NEEDED)
        _write_labels(cursor, cursor.fetchall(), labels)
        cursor.execute(WRITE, {**params, **_sentences()})


class _Staged:
    """A batch's ``PaymentRow`` objects as ``payment_staging`` holds them."""

    def __init__(self):
        self.months, self.days, self.amounts = {}, {}, {}

    def row(self, row):
        period, paid_on, amount = row.period, row.paid_on, row.amount
        month = self.months.get(period) or self._month(period)
        day = self.days.get(paid_on) or self._day(paid_on)
        money = self.amounts.get(amount) or self._amount(amount)
        problems = " ".join(row.problems)[:MAX_MESSAGE] if row.problems else ""
        return (
            row.row, row.nik[:40], row.kpj[:40], month[0], day[0], money[0], row.channel, row.channel_name,
            row.reference, json.dumps(row.cells) if problems else "", problems, month[1], money[1], month[2], day[1],
        )  # fmt: skip

    def _month(self, period):
        self.months[period] = written = (
            (period.isoformat(), period_label(period), month_end(period).isoformat()) if period else ("", "", "")
        )
        return written

    def _day(self, day):
        written = (day.isoformat(), str(_moment(day, datetime.time.max))) if day else ("", "")
        self.days[day] = written
        return written

    def _amount(self, amount):
        self.amounts[amount] = written = (str(amount), rupiah(amount)) if amount is not None else ("", "")
        return written


def _moment(day, time):
    """The start or end of ``day`` in the current time zone, as the database compares it with a moment."""
    return connection.ops.adapt_datetimefield_value(timezone.make_aware(datetime.datetime.combine(day, time)))


def _write_labels(cursor, needed, labels):
    """The days and amounts of ``needed`` (``(day, amount)`` rows) not yet in the label tables, written there
    as messages write them."""
    days = [day for day, _amount in needed if day is not None and day not in labels.days]
    amounts = [amount for _day, amount in needed if amount is not None and amount not in labels.amounts]
    for table, keys, label in (
        ("payment_day_labels", days, _day_text),
        ("payment_amount_labels", amounts, rupiah),
    ):
        for start in range(0, len(keys), LABEL_ROWS_A_STATEMENT):
            chunk = keys[start : start + LABEL_ROWS_A_STATEMENT]
            cursor.execute(
                f"INSERT INTO {table} VALUES {', '.join(['(%s, %s)'] * len(chunk))}",  # noqa: S608
                [value for key in chunk for value in (key, label(key))],
            )
    labels.days.update(days)
    labels.amounts.update(amounts)


def _day_text(day):
    """``day_label`` of a day as the database gave it (SQLite gives dates as text)."""
    return day_label(day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day))


def _sentences():
    """The messages' translated sentences, their placeholders standing as ``@@name@@`` for the database to fill
    (the month and the amount from the staged row, the days and amounts from the label tables)."""
    mark = {name: f"@@{name}@@" for name in ("month", "date", "recorded", "channel", "reference", "paid", "expected")}
    return {
        "two_participants": _("The NIK and the KPJ number belong to two different participants."),
        "unknown": _("No participant has this NIK or KPJ number."),
        "other_branch": _("The participant belongs to another branch; send the row to that branch."),
        "future": _("%(month)s has not started yet; a month is counted once it has begun.") % mark,
        "before": _("%(month)s is before the participant was enrolled (%(date)s).") % mark,
        "no_enrolment": _("The participant has no enrolment to pay for."),
        "confirms": _("%(month)s was recorded by the agent; the file confirms it.") % mark,
        "agent_recorded": _("The agent recorded %(recorded)s.") % mark,
        "already": _("%(month)s is already paid (%(date)s, %(channel)s); it is not counted twice.") % mark,
        "taken": _("Reference %(reference)s for %(month)s is already recorded for another participant.") % mark,
        "differs": _("Paid %(paid)s; the monthly contribution is %(expected)s. Counted as paid.") % mark,
        "lapsed": _("The enrolment lapsed on %(date)s; the worker stays lapsed until enrolled again.") % mark,
        **{f"channel_{channel}": str(channel.label) for channel in Contribution.Channel},
    }


def mark_duplicates(payment_import):
    """Rows the import takes that repeat an earlier one (the same acquisition and month, or the same
    channel reference and month) become *duplicate in the file*, naming the row they repeat. The
    database finds them (a grouped count, then a window over the file's rows when it found any); how
    many were marked."""
    marked = 0
    for key in (("acquisition", "period"), ("channel", "reference", "period")):
        taken = payment_import.lines.filter(outcome__in=PaymentLine.GOOD)
        if "reference" in key:
            taken = taken.exclude(reference="")
        # Most files repeat nothing: a grouped count says so in a fraction of the windows' sort.
        if not taken.order_by().values(*key).annotate(rows=Count("pk")).filter(rows__gt=1).exists():
            continue
        repeats = (
            taken.annotate(
                position=Window(RowNumber(), partition_by=[F(name) for name in key], order_by=F("row").asc()),
                first_row=Window(FirstValue("row"), partition_by=[F(name) for name in key], order_by=F("row").asc()),
            )
            .filter(position__gt=1)
            .values_list("pk", "first_row")
        )
        duplicates = [
            PaymentLine(
                pk=pk,
                outcome=Outcome.DUPLICATE,
                message=_("The same payment as row %(row)d; counted once.") % {"row": first_row},
                contribution=None,
            )
            for pk, first_row in repeats
        ]
        PaymentLine.objects.bulk_update(duplicates, ["outcome", "message", "contribution"], batch_size=1000)
        marked += len(duplicates)
    return marked
