"""The demo's sample payments file: what the channels were paid for July 2022, the month after the demo's
records end, for a newcomer to import (from the Payments page, or ``manage.py import_payments``).

``sample_rows`` builds it from the seeded demo database, the same every time (its own
``random.Random(SAMPLE_SEED)``, participants taken in NIK order), so ``manage.py demo_payments_file``
writes it again byte for byte and a test keeps the committed ``demo/samples/pembayaran-2022-07.csv``
equal to what it builds. The file is what a branch receives: row 1 names the columns (``HEADER``),
semicolons between cells, UTF-8 with a byte order mark (Excel on an Indonesian Windows reads it so).

What is in it, and what importing it into the freshly seeded demo says of each row:

- **matched**: the workers current at the end of June 2022 (``enrollment.paying``) pay July, most of
  those who paid June and a third of those who did not, each the way they usually paid (the channel,
  and the bank, shop or app, they used most; now and then another), from 1 July to 10 August; half of
  those who missed June pay it along with July, one transaction (one reference) with a row per month;
- **confirms**: the July payments agents had collected and recorded by 10 July come in from
  "Agen Perisai", confirming the agents' records;
- **amount differs**: ``OTHER_AMOUNTS`` workers paid a rounded amount instead of their contribution;
- **already recorded**: one worker paid June a second time;
- **reference taken**: one row carries the reference of another worker's June payment;
- **before enrolment**: one worker enrolled in June 2022 paid May;
- **unknown**: ``UNKNOWN_WORKERS`` workers who enrolled themselves in JMO, not through Perisai;
- **duplicate**: ``REPEATED_ROWS`` rows the channel sent twice;
- **malformed**: a NIK that lost a digit, a row without its reference.

Nothing depends on today's date: every row was paid in 2022, and no row pays a month still to come.
"""

import csv
import datetime
import io
import random
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import openpyxl
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

from agents.models import Agent, Branch
from agents.scoping import Scope
from demo.cilacap import (
    AGENT_CHANNEL_NAME,
    BRANCH_CODE,
    CHANNEL_WEIGHTS,
    DAYS_LATE_AFTER_MONTH_END,
    KECAMATAN,
    LAST_PERIOD,
    NEXT_PERIOD,
    USUAL_CHANNEL_SHARE,
    DemoDataError,
    channel_name,
    channel_reference,
)
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.paying import standing_acquisitions
from perisai.months import month_end, shift_month
from perisai.nik import FEMALE, MALE, build_nik, validate_nik

SAMPLE_SEED = 20220810
SAMPLE_PATH = Path(__file__).resolve().parent / "samples" / "pembayaran-2022-07.csv"
HEADER = ("nik", "kpj", "periode", "tanggal_bayar", "jumlah", "kanal", "referensi")

PAYING_AFTER_PAYING_JUNE = 0.92
PAYING_AFTER_MISSING_JUNE = 0.35
JUNE_TOO_SHARE = 0.5
OTHER_AMOUNTS = 6
UNKNOWN_WORKERS = 3
REPEATED_ROWS = 2
SELF_ENROLLED_THROUGH = "JMO"
SELF_ENROLLED_CONTRIBUTION = 16_800  # the minimum package: JKK and JKM on the minimum income

Channel = Contribution.Channel


class PaymentRow(NamedTuple):
    """One row of the payments file."""

    nik: str
    kpj: str
    period: datetime.date
    paid_on: datetime.date
    amount: int
    channel_name: str
    reference: str

    def texts(self):
        """The row's cells as the CSV writes them."""
        return (
            self.nik,
            self.kpj,
            f"{self.period:%Y-%m}",
            f"{self.paid_on:%d-%m-%Y}",
            str(self.amount),
            self.channel_name,
            self.reference,
        )

    def sort_key(self):
        return (self.paid_on, self.channel_name, self.reference, self.period, self.nik)


def sample_rows(*, branch=None):
    """The sample file's rows, in the file's order (by date paid, channel and reference), built from the
    seeded demo database. ``DemoDataError`` when the demo is not there or has imported payments files."""
    branch = branch or Branch.objects.filter(code=BRANCH_CODE).first()
    if branch is None:
        raise DemoDataError(f"The demo branch {BRANCH_CODE} is not there; load it first (manage.py seed_demo).")
    contributions = Contribution.objects.filter(acquisition__branch=branch)
    if contributions.filter(payment_import__isnull=False).exists():
        raise DemoDataError(
            "This database has imported payments files; the sample is built from a freshly seeded demo."
        )
    rng = random.Random(SAMPLE_SEED)
    references = _References(rng, contributions)
    current = _current_acquisitions(branch)
    usual = _usual_channels(contributions)
    collected = {
        acquisition: (paid_on, int(amount))
        for acquisition, paid_on, amount in contributions.filter(period=NEXT_PERIOD, channel=Channel.AGENT).values_list(
            "acquisition", "paid_on", "amount"
        )
    }
    rows, july = [], {}  # july: acquisition pk -> index in rows of its July row paid through a channel
    for acquisition in current:
        pk = acquisition["pk"]
        if pk in collected:
            paid_on, amount = collected[pk]
            reference = references.new(AGENT_CHANNEL_NAME, paid_on)
            rows.append(_row(acquisition, NEXT_PERIOD, paid_on, AGENT_CHANNEL_NAME, reference, amount))
            continue
        paid_june = acquisition["last_paid"] == LAST_PERIOD
        if rng.random() >= (PAYING_AFTER_PAYING_JUNE if paid_june else PAYING_AFTER_MISSING_JUNE):
            continue
        paid_on = NEXT_PERIOD + datetime.timedelta(days=int(rng.triangular(0, _window(), 6)))
        name = _channel_name(rng, usual.get(pk), acquisition, paid_on)
        reference = references.new(name, paid_on)
        if name != AGENT_CHANNEL_NAME:
            july[pk] = len(rows)
        rows.append(_row(acquisition, NEXT_PERIOD, paid_on, name, reference))
        if not paid_june and rng.random() < JUNE_TOO_SHARE:
            rows.append(_row(acquisition, LAST_PERIOD, paid_on, name, reference))
    rows += _rows_to_follow_up(rng, rows, july, current, contributions, references)
    return sorted(rows, key=PaymentRow.sort_key)


def _window():
    """Days from the first of the month to the last day a month is paid (the 10th of the next)."""
    return month_end(NEXT_PERIOD).day + DAYS_LATE_AFTER_MONTH_END


def _row(acquisition, period, paid_on, name, reference, amount=None):
    return PaymentRow(
        nik=acquisition["participant__nik"],
        kpj=acquisition["participant__kpj_number"] or "",
        period=period,
        paid_on=paid_on,
        amount=int(acquisition["monthly_contribution"]) if amount is None else amount,
        channel_name=name,
        reference=reference,
    )


def _current_acquisitions(branch):
    """The standing acquisitions current at the end of June 2022, in NIK order."""
    return list(
        standing_acquisitions(scope=Scope(branch=branch), day=month_end(LAST_PERIOD))
        .filter(is_current=True)
        .order_by("participant__nik")
        .values(
            "pk",
            "participant_id",
            "participant__nik",
            "participant__kpj_number",
            "acquired_on",
            "monthly_contribution",
            "agent__left_on",
            "last_paid",
        )
    )


def _usual_channels(contributions):
    """``{acquisition pk: (Counter({channel: months paid so}), {channel: bank, shop or app})}`` over the
    months after the first (each demo worker keeps to one bank, shop or app per channel)."""
    later = (
        contributions.filter(period__lte=LAST_PERIOD)
        .exclude(period=TruncMonth(F("acquisition__acquired_on")))
        .values_list("acquisition", "channel", "channel_name")
        .annotate(months=Count("pk"))
        .order_by()
    )
    usual = {}
    for acquisition, channel, name, months in later:
        counts, names = usual.setdefault(acquisition, (Counter(), {}))
        counts[channel] += months
        names[channel] = name
    return usual


def _channel_name(rng, usual, acquisition, paid_on):
    """How a worker pays July: the channel they paid most months through (ties: the first in
    ``CHANNEL_WEIGHTS``) and its bank, shop or app; now and then another, as the demo's workers do, and
    so does a worker who has paid only their first month. An agent who has left collects nothing: their
    workers go to a payment point."""
    channels = tuple(CHANNEL_WEIGHTS)
    counts, names = usual or (Counter(), {})
    if counts and rng.random() < USUAL_CHANNEL_SHARE:
        channel = max(counts, key=lambda channel: (counts[channel], -channels.index(channel)))
    else:
        channel = rng.choices(channels, weights=tuple(CHANNEL_WEIGHTS.values()))[0]
    left_on = acquisition["agent__left_on"]
    if channel == Channel.AGENT and left_on is not None and left_on <= paid_on:
        channel = Channel.PAYMENT_POINT
    if channel == Channel.AGENT:
        return AGENT_CHANNEL_NAME
    return names.get(channel) or channel_name(rng, channel)


class _References:
    """New transaction references, never one the demo or the file already holds."""

    def __init__(self, rng, contributions):
        self.rng = rng
        self.taken = set(contributions.exclude(reference="").values_list("reference", flat=True))

    def new(self, name, paid_on):
        while True:
            reference = channel_reference(self.rng, name, paid_on)
            if reference not in self.taken:
                self.taken.add(reference)
                return reference


def _rows_to_follow_up(rng, rows, july, current, contributions, references):
    """Change or add the rows an import lists for follow-up: another amount, rows sent twice, June paid
    twice, a reference taken, a month before enrolment, unknown workers, rows that cannot be read. Each
    involves a different worker; returns the rows added."""
    by_pk = {acquisition["pk"]: acquisition for acquisition in current}
    involved = set()

    def in_nik_order(pks):  # never by primary key: the database numbers rows as it pleases
        return sorted(set(pks) - involved, key=lambda pk: by_pk[pk]["participant__nik"])

    def pick(candidates, count=1):
        chosen = rng.sample(in_nik_order(candidates), count)
        involved.update(chosen)
        return chosen

    def july_day():
        return NEXT_PERIOD + datetime.timedelta(days=rng.randint(1, 30))

    for position, pk in enumerate(pick(july, OTHER_AMOUNTS)):
        row = rows[july[pk]]
        rows[july[pk]] = row._replace(amount=_another_amount(row.amount, position))
    extra = [rows[july[pk]] for pk in pick(july, REPEATED_ROWS)]  # sent twice
    june = {
        acquisition: (channel, name, reference)
        for acquisition, channel, name, reference in contributions.filter(period=LAST_PERIOD).values_list(
            "acquisition", "channel", "channel_name", "reference"
        )
    }
    through_channels = [pk for pk in by_pk if june.get(pk, (Channel.AGENT,))[0] != Channel.AGENT]
    (twice,) = pick(through_channels)
    name = june[twice][1]
    paid_on = july_day()
    extra.append(_row(by_pk[twice], LAST_PERIOD, paid_on, name, references.new(name, paid_on)))
    june_in_file = {row.nik for row in rows if row.period == LAST_PERIOD}
    missed_june = [pk for pk in by_pk if pk not in june and by_pk[pk]["participant__nik"] not in june_in_file]
    (late,) = pick(missed_june)
    (_channel, name, reference) = june[rng.choice(in_nik_order(through_channels))]
    extra.append(_row(by_pk[late], LAST_PERIOD, july_day(), name, reference))
    extra.append(_before_enrolment(pick, by_pk, july_day(), references))
    extra += _unknown_workers(rng, july_day, references)
    for pk, damage in zip(pick(july, 2), (_lose_a_nik_digit, _lose_the_reference), strict=True):
        rows[july[pk]] = damage(rows[july[pk]])
    return extra


def _another_amount(amount, position):
    """What a worker paid instead of ``amount``: rounded up to the next Rp 1.000, or Rp 5.000."""
    step = (1000, 5000)[position % 2]
    other = -(-amount // step) * step
    return other if other != amount else amount + step


def _before_enrolment(pick, by_pk, paid_on, references):
    """May 2022 paid by a worker enrolled (for the first time) in June 2022."""
    in_june = {pk: acquisition for pk, acquisition in by_pk.items() if acquisition["acquired_on"] >= LAST_PERIOD}
    enrolled_before = set(
        Acquisition.objects.filter(
            acquired_on__lt=LAST_PERIOD,
            participant__in=[acquisition["participant_id"] for acquisition in in_june.values()],
        ).values_list("participant", flat=True)
    )
    june_newcomers = [pk for pk, acquisition in in_june.items() if acquisition["participant_id"] not in enrolled_before]
    (newcomer,) = pick(june_newcomers)
    reference = references.new(SELF_ENROLLED_THROUGH, paid_on)
    return _row(by_pk[newcomer], shift_month(LAST_PERIOD, -1), paid_on, SELF_ENROLLED_THROUGH, reference)


def _unknown_workers(rng, july_day, references):
    """Rows of workers no branch record knows: they enrolled themselves in JMO. Valid NIKs of Cilacap
    kecamatan and KPJ numbers, none of them in the database."""
    known_niks = {*Participant.objects.values_list("nik", flat=True), *Agent.objects.values_list("nik", flat=True)}
    known_kpj = set(Participant.objects.exclude(kpj_number=None).values_list("kpj_number", flat=True))
    rows = []
    while len(rows) < UNKNOWN_WORKERS:
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 32))
        nik = build_nik(rng.choice(sorted(KECAMATAN)), born, rng.choice((MALE, FEMALE)), rng.randint(1, 9999))
        validate_nik(nik)
        kpj = f"22{rng.randrange(10**9):09d}"
        if nik in known_niks or kpj in known_kpj:
            continue
        paid_on = july_day()
        reference = references.new(SELF_ENROLLED_THROUGH, paid_on)
        rows.append(
            PaymentRow(nik, kpj, NEXT_PERIOD, paid_on, SELF_ENROLLED_CONTRIBUTION, SELF_ENROLLED_THROUGH, reference)
        )
    return rows


def _lose_a_nik_digit(row):
    """A NIK retyped with a digit missing (and no KPJ to fall back on)."""
    return row._replace(nik=row.nik[:7] + row.nik[8:], kpj="")


def _lose_the_reference(row):
    return row._replace(reference="")


# --- writing -------------------------------------------------------------------------------------


def csv_bytes(rows):
    """The file as the channels send it: a header row, ``;`` between cells, UTF-8 with a byte order mark."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row.texts() for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def xlsx_bytes(rows):
    """The same rows as a workbook: NIK, KPJ and reference as text, the date paid a date, the amount a number."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("pembayaran")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(
            [
                _text_cell(sheet, row.nik),
                _text_cell(sheet, row.kpj),
                f"{row.period:%Y-%m}",
                _date_cell(sheet, row.paid_on),
                row.amount,
                row.channel_name,
                _text_cell(sheet, row.reference),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value):
    cell = openpyxl.cell.WriteOnlyCell(sheet, value=value or None)
    cell.number_format = "@"
    return cell


def _date_cell(sheet, value):
    cell = openpyxl.cell.WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD-MM-YYYY"
    return cell
