"""The demo's sample payments file: what the channels (payment points, apps, banks) were paid for last
month, the month they have not reported yet on the demo's today (``demo.cilacap.DemoNow``), for a
newcomer to import (from the Payments page, or ``manage.py import_payments``).

``sample_rows`` builds it from the seeded demo database as of today, the same every time for the same
day (its own ``random.Random(SAMPLE_SEED)``, participants taken in NIK order); ``manage.py
demo_payments_file`` writes it (``pembayaran-YYYY-MM.csv``, ``sample_name``). Nothing is committed: the
demo lives in the present, so the file is made for the month the seeded demo is waiting for. The file is
what a branch receives: row 1 names the columns (``HEADER``), semicolons between cells, UTF-8 with a
byte order mark (Excel on an Indonesian Windows reads it so).

What is in it, and what importing it into the freshly seeded demo says of each row ("last month" is
``now.unreported_month``, "the month before" ``now.last_reported_month``, the last the records hold in
full):

- **matched**: the workers current at the end of the month before (``enrollment.paying``) pay last month,
  most of those who paid the month before and a third of those who did not, each the way they usually
  paid (the channel, and the bank, shop or app, they used most; now and then another), from its 1st to
  the 10th of this month, no later than today; half of those who missed the month before pay it along
  with last month, one transaction (one reference) with a row per month;
- **confirms**: every payment for last month agents collected and recorded (first months of new workers
  too) comes in from "Agen Perisai", confirming the agents' records;
- **amount differs**: ``OTHER_AMOUNTS`` workers paid a rounded amount instead of their contribution;
- **already recorded**: one worker paid the month before a second time;
- **reference taken**: one row carries the reference of another worker's payment for the month before;
- **before enrolment**: one worker enrolled in the month before paid the month before that;
- **unknown**: ``UNKNOWN_WORKERS`` workers who enrolled themselves in JMO, not through Perisai;
- **duplicate**: ``REPEATED_ROWS`` rows the channel sent twice;
- **malformed**: a NIK that lost a digit, a row without its reference.

No row is paid after today, and none pays a month still to come.
"""

import csv
import datetime
import io
import random
from collections import Counter
from typing import NamedTuple

import openpyxl
from django.db.models import Count, F, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agents.models import Agent, Branch
from agents.scoping import Scope
from demo.cilacap import (
    AGENT_CHANNEL_NAME,
    BRANCH_CODE,
    CHANNEL_WEIGHTS,
    DAYS_LATE_AFTER_MONTH_END,
    KECAMATAN,
    USUAL_CHANNEL_SHARE,
    DemoDataError,
    DemoNow,
    channel_name,
    channel_reference,
)
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.paying import standing_acquisitions
from perisai.months import month_end, shift_month
from perisai.nik import FEMALE, MALE, build_nik, validate_nik

SAMPLE_SEED = 20220810
HEADER = ("nik", "kpj", "periode", "tanggal_bayar", "jumlah", "kanal", "referensi")

PAYING_AFTER_PAYING = 0.92  # of the workers who paid the month before
PAYING_AFTER_MISSING = 0.35  # of those who did not
MONTH_BEFORE_TOO_SHARE = 0.5  # of those, who pay the month before along with last month
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
    acquisition: int | None = None  # the demo's acquisition the row is about, if any (not in the file)

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


def sample_month(today=None):
    """The month the sample file pays for, for the demo seeded ``today`` (default: today): last month."""
    return _now(today).unreported_month


def sample_name(today=None):
    """The sample file's name: ``pembayaran-YYYY-MM.csv`` of ``sample_month``."""
    return f"pembayaran-{sample_month(today):%Y-%m}.csv"


def _now(today):
    return DemoNow(today or timezone.localdate())


def sample_rows(*, branch=None, today=None):
    """The sample file's rows, in the file's order (by date paid, channel and reference), built from the
    demo database seeded ``today`` (default: today). ``DemoDataError`` when the demo is not there, has
    imported payments files, or was seeded in another month (its channels reported another month)."""
    branch = branch or Branch.objects.filter(code=BRANCH_CODE).first()
    if branch is None:
        raise DemoDataError(f"The demo branch {BRANCH_CODE} is not there; load it first (manage.py seed_demo).")
    contributions = Contribution.objects.filter(acquisition__branch=branch)
    if contributions.filter(payment_import__isnull=False).exists():
        raise DemoDataError(
            "This database has imported payments files; the sample is built from a freshly seeded demo."
        )
    now = _now(today)
    month, before = now.unreported_month, now.last_reported_month
    reported = contributions.exclude(channel=Channel.AGENT).aggregate(latest=Max("period"))["latest"]
    if reported != before:
        raise DemoDataError(
            f"The demo's channels reported up to {reported:%m-%Y}, not {before:%m-%Y}: it was seeded in "
            "another month. Seed it afresh (manage.py seed_demo in a new database) and write the file the same month."
        )
    rng = random.Random(SAMPLE_SEED)
    references = _References(rng, contributions)
    current = _current_acquisitions(branch, before)
    usual = _usual_channels(contributions, before)
    rows = _agents_collections(contributions, month, references)
    collected = {row.acquisition for row in rows}
    by_channel = {}  # acquisition pk -> index in rows of its row for last month paid through a channel
    for acquisition in current:
        pk = acquisition["pk"]
        if pk in collected:
            continue
        paid_before = acquisition["last_paid"] == before
        if rng.random() >= (PAYING_AFTER_PAYING if paid_before else PAYING_AFTER_MISSING):
            continue
        paid_on = month + datetime.timedelta(days=int(rng.triangular(0, _window(month), 6)))
        name = _channel_name(rng, usual.get(pk), acquisition, paid_on)
        both = not paid_before and rng.random() < MONTH_BEFORE_TOO_SHARE
        if paid_on > now.records_end:
            continue  # not paid yet today
        reference = references.new(name, paid_on)
        if name != AGENT_CHANNEL_NAME:
            by_channel[pk] = len(rows)
        rows.append(_row(acquisition, month, paid_on, name, reference))
        if both:
            rows.append(_row(acquisition, before, paid_on, name, reference))
    rows += _rows_to_follow_up(rng, rows, by_channel, current, contributions, references, now)
    return sorted(rows, key=PaymentRow.sort_key)


def _agents_collections(contributions, month, references):
    """A row from "Agen Perisai" for every payment of ``month`` an agent recorded, in NIK order."""
    collected = (
        contributions.filter(period=month, channel=Channel.AGENT)
        .order_by("acquisition__participant__nik", "acquisition__acquired_on")
        .values_list(
            "acquisition", "acquisition__participant__nik", "acquisition__participant__kpj_number", "paid_on", "amount"
        )
    )
    return [
        PaymentRow(
            nik,
            kpj or "",
            month,
            paid_on,
            int(amount),
            AGENT_CHANNEL_NAME,
            references.new(AGENT_CHANNEL_NAME, paid_on),
            acquisition,
        )
        for acquisition, nik, kpj, paid_on, amount in collected
    ]


def _window(month):
    """Days from the first of the month to the last day a month is paid (the 10th of the next)."""
    return month_end(month).day + DAYS_LATE_AFTER_MONTH_END


def _row(acquisition, period, paid_on, name, reference, amount=None):
    return PaymentRow(
        nik=acquisition["participant__nik"],
        kpj=acquisition["participant__kpj_number"] or "",
        period=period,
        paid_on=paid_on,
        amount=int(acquisition["monthly_contribution"]) if amount is None else amount,
        channel_name=name,
        reference=reference,
        acquisition=acquisition["pk"],
    )


def _current_acquisitions(branch, month):
    """The standing acquisitions current at the end of ``month``, in NIK order."""
    return list(
        standing_acquisitions(scope=Scope(branch=branch), day=month_end(month))
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


def _usual_channels(contributions, month):
    """``{acquisition pk: (Counter({channel: months paid so}), {channel: bank, shop or app})}`` over the
    months after the first, up to ``month`` (each demo worker keeps to one bank, shop or app per channel)."""
    later = (
        contributions.filter(period__lte=month)
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
    """How a worker pays last month: the channel they paid most months through (ties: the first in
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


def _rows_to_follow_up(rng, rows, by_channel, current, contributions, references, now):
    """Change or add the rows an import lists for follow-up: another amount, rows sent twice, the month
    before paid twice, a reference taken, a month before enrolment, unknown workers, rows that cannot be
    read. Each involves a different worker; returns the rows added."""
    month, before = now.unreported_month, now.last_reported_month
    by_pk = {acquisition["pk"]: acquisition for acquisition in current}
    involved = set()

    def in_nik_order(pks):  # never by primary key: the database numbers rows as it pleases
        return sorted(set(pks) - involved, key=lambda pk: by_pk[pk]["participant__nik"])

    def pick(candidates, count=1):
        chosen = rng.sample(in_nik_order(candidates), count)
        involved.update(chosen)
        return chosen

    def day_in_month():
        return min(month + datetime.timedelta(days=rng.randint(1, 27)), now.records_end)

    for position, pk in enumerate(pick(by_channel, OTHER_AMOUNTS)):
        row = rows[by_channel[pk]]
        rows[by_channel[pk]] = row._replace(amount=_another_amount(row.amount, position))
    extra = [rows[by_channel[pk]] for pk in pick(by_channel, REPEATED_ROWS)]  # sent twice
    paid_before = {
        acquisition: (channel, name, reference)
        for acquisition, channel, name, reference in contributions.filter(period=before).values_list(
            "acquisition", "channel", "channel_name", "reference"
        )
    }
    through_channels = [pk for pk in by_pk if paid_before.get(pk, (Channel.AGENT,))[0] != Channel.AGENT]
    (twice,) = pick(through_channels)
    name = paid_before[twice][1]
    paid_on = day_in_month()
    extra.append(_row(by_pk[twice], before, paid_on, name, references.new(name, paid_on)))
    before_in_file = {row.nik for row in rows if row.period == before}
    missed = [pk for pk in by_pk if pk not in paid_before and by_pk[pk]["participant__nik"] not in before_in_file]
    (late,) = pick(missed)
    (_channel, name, reference) = paid_before[rng.choice(in_nik_order(through_channels))]
    extra.append(_row(by_pk[late], before, day_in_month(), name, reference))
    extra.append(_before_enrolment(pick, by_pk, day_in_month(), references, before))
    extra += _unknown_workers(rng, day_in_month, references, month)
    for pk, damage in zip(pick(by_channel, 2), (_lose_a_nik_digit, _lose_the_reference), strict=True):
        rows[by_channel[pk]] = damage(rows[by_channel[pk]])
    return extra


def _another_amount(amount, position):
    """What a worker paid instead of ``amount``: rounded up to the next Rp 1.000, or Rp 5.000."""
    step = (1000, 5000)[position % 2]
    other = -(-amount // step) * step
    return other if other != amount else amount + step


def _before_enrolment(pick, by_pk, paid_on, references, month):
    """The month before ``month`` paid by a worker enrolled (for the first time) in ``month``."""
    in_month = {pk: acquisition for pk, acquisition in by_pk.items() if acquisition["acquired_on"] >= month}
    enrolled_before = set(
        Acquisition.objects.filter(
            acquired_on__lt=month,
            participant__in=[acquisition["participant_id"] for acquisition in in_month.values()],
        ).values_list("participant", flat=True)
    )
    newcomers = [pk for pk, acquisition in in_month.items() if acquisition["participant_id"] not in enrolled_before]
    (newcomer,) = pick(newcomers)
    reference = references.new(SELF_ENROLLED_THROUGH, paid_on)
    return _row(by_pk[newcomer], shift_month(month, -1), paid_on, SELF_ENROLLED_THROUGH, reference)


def _unknown_workers(rng, day_in_month, references, month):
    """Rows of workers no branch record knows: they enrolled themselves in JMO. Valid NIKs of Cilacap
    kecamatan and KPJ numbers, none of them in the database."""
    known_niks = {*Participant.objects.values_list("nik", flat=True), *Agent.objects.values_list("nik", flat=True)}
    known_kpj = set(Participant.objects.exclude(kpj_number=None).values_list("kpj_number", flat=True))
    rows = []
    while len(rows) < UNKNOWN_WORKERS:
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 32))
        nik = build_nik(rng.choice(sorted(KECAMATAN)), born, rng.choice((MALE, FEMALE)), rng.randint(1, 9999))
        validate_nik(nik)
        kpj = f"{month:%y}{rng.randrange(10**9):09d}"
        if nik in known_niks or kpj in known_kpj:
            continue
        paid_on = day_in_month()
        reference = references.new(SELF_ENROLLED_THROUGH, paid_on)
        rows.append(PaymentRow(nik, kpj, month, paid_on, SELF_ENROLLED_CONTRIBUTION, SELF_ENROLLED_THROUGH, reference))
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
