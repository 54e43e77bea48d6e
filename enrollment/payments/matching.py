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

The look-ups are a few queries per batch of rows (``PAYMENT_BATCH_ROWS``), never one per row: the participants
with their acquisitions, what is recorded for those months and references, and the caretakers' changes.
"""

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, F, Q, Window
from django.db.models.functions import FirstValue, RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enrollment.models import Acquisition, Contribution, Participant, PaymentLine
from enrollment.payments.columns import day_label, period_label
from perisai.formatting import rupiah
from perisai.months import month_end, month_start

Outcome = PaymentLine.Outcome
MAX_MESSAGE = 300


@dataclass(slots=True)
class Line:
    """A row as matched: what ``PaymentLine`` stores (``LINE_COLUMNS``), without a model instance per row."""

    row: int
    nik: str
    kpj_number: str
    period: datetime.date | None
    paid_on: datetime.date | None
    amount: Decimal | None
    channel: str
    channel_name: str
    reference: str
    cells: dict | None
    outcome: str | None = None
    message: str = ""
    participant_id: int | None = None
    acquisition: object = None
    credited_to_id: int | None = None
    contribution_id: int | None = None

    @property
    def acquisition_id(self):
        return self.acquisition.pk if self.acquisition else None


LINE_COLUMNS = (
    "row", "outcome", "message", "nik", "kpj_number", "period", "paid_on", "amount", "channel", "channel_name",
    "reference", "cells", "participant_id", "acquisition_id", "credited_to_id", "contribution_id",
)  # fmt: skip
"""The ``PaymentLine`` columns a ``Line`` fills, besides its file (``payment_import_id``)."""


class Enrolment(NamedTuple):
    """What matching needs of an acquisition."""

    pk: int
    acquired_on: datetime.date
    status: str
    ended_on: datetime.date | None
    monthly_contribution: Decimal
    caretaker_id: int


def match_rows(rows, *, payment_import, today):
    """The ``Line`` of each ``PaymentRow`` in ``rows`` (one batch), matched."""
    readable = [row for row in rows if not row.problems]
    participants = _participants(readable)
    this_month = month_start(today)
    lines = []
    for row in rows:
        line = Line(
            row=row.row,
            nik=row.nik[:40],
            kpj_number=row.kpj[:40],
            period=row.period,
            paid_on=row.paid_on,
            amount=row.amount,
            channel=row.channel,
            channel_name=row.channel_name,
            reference=row.reference,
            cells=row.cells or None,
        )
        if row.problems:
            _set(line, Outcome.MALFORMED, " ".join(row.problems))
        else:
            _identify(line, row, participants, payment_import=payment_import, this_month=this_month)
        lines.append(line)
    candidates = [line for line in lines if line.outcome is None]
    _compare_with_recorded(candidates)
    _credit(candidates)
    return lines


def _set(line, outcome, message=""):
    line.outcome = outcome
    line.message = message[:MAX_MESSAGE]


class Person(NamedTuple):
    """What matching needs of a participant: their branch and their acquisitions, oldest first."""

    pk: int
    branch_id: int
    enrolments: list


def _participants(rows):
    """``{("nik", nik) | ("kpj", kpj): Person}`` for the rows' NIKs and KPJ numbers, with their acquisitions:
    one query a batch, the acquisitions joined to their participants in the database (a second query would
    send the participants' ids back and build a row object more per participant)."""
    niks = {row.nik for row in rows if row.nik}
    kpjs = {row.kpj for row in rows if row.kpj}
    found = {}
    if not niks and not kpjs:
        return found
    enrolment_fields = [f"acquisitions__{name}" for name in Enrolment._fields]
    person = None
    for pk, nik, kpj_number, branch_id, *enrolment in (
        Participant.objects.filter(Q(nik__any_of=niks) | Q(kpj_number__any_of=kpjs))
        .order_by("pk", "acquisitions__acquired_on", "acquisitions__pk")
        .values_list("pk", "nik", "kpj_number", "branch_id", *enrolment_fields)
    ):
        if person is None or person.pk != pk:
            person = Person(pk, branch_id, [])
            found["nik", nik] = person
            if kpj_number:
                found["kpj", kpj_number] = person
        if enrolment[0] is not None:
            person.enrolments.append(Enrolment(*enrolment))
    return found


def _identify(line, row, participants, *, payment_import, this_month):
    by_nik = participants.get(("nik", row.nik)) if row.nik else None
    by_kpj = participants.get(("kpj", row.kpj)) if row.kpj else None
    if by_nik and by_kpj and by_nik.pk != by_kpj.pk:
        _set(line, Outcome.MALFORMED, _("The NIK and the KPJ number belong to two different participants."))
        return
    participant = by_nik or by_kpj
    if participant is None:
        _set(line, Outcome.UNKNOWN_PARTICIPANT, _("No participant has this NIK or KPJ number."))
        return
    if payment_import.branch_id is not None and participant.branch_id != payment_import.branch_id:
        _set(line, Outcome.OTHER_BRANCH, _("The participant belongs to another branch; send the row to that branch."))
        return
    line.participant_id = participant.pk
    if row.period > this_month:
        _set(
            line,
            Outcome.FUTURE_PERIOD,
            _("%(month)s has not started yet; a month is counted once it has begun.")
            % {"month": period_label(row.period)},
        )
        return
    standing = None
    period_end = _month_end(row.period)
    for acquisition in participant.enrolments:
        if acquisition.acquired_on <= period_end:
            standing = acquisition
    if standing is None:
        enrolments = participant.enrolments
        _set(
            line,
            Outcome.BEFORE_ENROLMENT,
            _("%(month)s is before the participant was enrolled (%(date)s).")
            % {"month": period_label(row.period), "date": day_label(enrolments[0].acquired_on)}
            if enrolments
            else _("The participant has no enrolment to pay for."),
        )
        return
    line.acquisition = standing
    line.participant_id = None  # reached through the acquisition (``PaymentLine.participant``)


@functools.lru_cache(maxsize=256)
def _month_end(period):
    """``month_end``, once per month of a file (its rows pay a handful of months)."""
    return month_end(period)


def _compare_with_recorded(lines):
    """Already recorded, confirming the agent's record, a reference taken, an amount that differs, or matched."""
    if not lines:
        return
    language = translation.get_language()  # once a batch: asking costs a context-local look-up
    recorded, by_reference = {}, {}
    fields = ("pk", "acquisition_id", "period", "amount", "paid_on", "channel", "reference", "payment_import_id")
    for contribution in Contribution.objects.filter(
        acquisition_id__any_of={line.acquisition.pk for line in lines}, period__any_of={line.period for line in lines}
    ).values(*fields):
        recorded[contribution["acquisition_id"], contribution["period"]] = contribution
    # ``exclude(reference="")`` repeats the unique index's condition, so PostgreSQL uses that partial index
    # (it cannot prove the condition from a list of more than 100 references).
    references = Contribution.objects.filter(reference__any_of={line.reference for line in lines}).exclude(
        reference=""
    )
    for contribution in references.values(*fields):
        by_reference[contribution["channel"], contribution["reference"], contribution["period"]] = contribution
    for line in lines:
        existing = recorded.get((line.acquisition.pk, line.period))
        expected = line.acquisition.monthly_contribution
        if existing and existing["channel"] == Contribution.Channel.AGENT and existing["payment_import_id"] is None:
            line.contribution_id = existing["pk"]
            message = _("%(month)s was recorded by the agent; the file confirms it.") % {
                "month": period_label(line.period)
            }
            if existing["amount"] != line.amount:
                message += " " + _("The agent recorded %(recorded)s.") % {"recorded": rupiah(existing["amount"])}
            _set(line, Outcome.CONFIRMS, message)
        elif existing:
            line.contribution_id = existing["pk"]
            _set(
                line,
                Outcome.ALREADY_RECORDED,
                _("%(month)s is already paid (%(date)s, %(channel)s); it is not counted twice.")
                % {
                    "month": period_label(line.period),
                    "date": day_label(existing["paid_on"]),
                    "channel": Contribution.Channel(existing["channel"]).label,
                },
            )
        elif (line.channel, line.reference, line.period) in by_reference:
            _set(
                line,
                Outcome.REFERENCE_TAKEN,
                _("Reference %(reference)s for %(month)s is already recorded for another participant.")
                % {"reference": line.reference, "month": period_label(line.period)},
            )
        elif line.amount != expected:
            _set(
                line,
                Outcome.AMOUNT_DIFFERS,
                _("Paid %(paid)s; the monthly contribution is %(expected)s. Counted as paid.")
                % {"paid": rupiah(line.amount), "expected": rupiah(expected)}
                + _lapsed_note(line, language),
            )
        else:
            _set(line, Outcome.MATCHED, _lapsed_note(line, language).strip())


def _lapsed_note(line, language):
    acquisition = line.acquisition
    if acquisition.status != Acquisition.Status.LAPSED or acquisition.ended_on >= line.period:
        return ""
    return _lapsed_text(acquisition.ended_on, language)


@functools.lru_cache(maxsize=4096)
def _lapsed_text(ended_on, language):
    """The note for a row paying after its enrolment lapsed, written once per day lapsed (a national file
    pays for tens of thousands of lapsed enrolments; translating it row by row cost a tenth of matching)."""
    return " " + _("The enrolment lapsed on %(date)s; the worker stays lapsed until enrolled again.") % {
        "date": day_label(ended_on)
    }


def _credit(lines):
    """Set ``credited_to_id`` on the lines that write a contribution: the caretaker on the day paid."""
    writing = [line for line in lines if line.outcome in PaymentLine.WRITES]
    if not writing:
        return
    changed_since = _caretakers_changed_since(writing)
    for line in writing:
        line.credited_to_id = _caretaker_on(line, changed_since.get(line.acquisition.pk))


def _caretakers_changed_since(lines):
    """``{acquisition id: [(history date, caretaker id), ...]}`` oldest first, for the few acquisitions
    whose history has a change after the earliest day paid (the rest had today's caretaker then)."""
    earliest = min(line.paid_on for line in lines)
    since = timezone.make_aware(datetime.datetime.combine(earliest, datetime.time.min))
    historical = Acquisition.history.model
    acquisitions = {line.acquisition.pk for line in lines}
    touched = set(
        historical.objects.filter(id__any_of=acquisitions, history_date__gte=since).values_list("id", flat=True)
    )
    history = {}
    for acquisition_id, history_date, caretaker_id in (
        historical.objects.filter(id__any_of=touched)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "caretaker_id")
    ):
        history.setdefault(acquisition_id, []).append((history_date, caretaker_id))
    return history


def _caretaker_on(line, history):
    if not history:
        return line.acquisition.caretaker_id
    end_of_day = timezone.make_aware(datetime.datetime.combine(line.paid_on, datetime.time.max))
    before = [caretaker for history_date, caretaker in history if history_date <= end_of_day]
    return before[-1] if before else history[0][1]


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
