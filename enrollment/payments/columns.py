"""The payments file's columns and how one row is read.

Row 1 names the columns, in any order, by their Indonesian names (``nik``, ``kpj``, ``periode``,
``tanggal_bayar``, ``jumlah``, ``kanal``, ``referensi``), their English names or a common variant;
case, spaces and punctuation do not matter, other columns are ignored. Either ``nik`` or ``kpj``
identifies the participant (a file may carry both); the other five are needed.

A row is read into a ``PaymentRow``: the values that could be read and, for each cell that could not,
a message in the reader's language. A row with any problem is *malformed* and is never written.
The cell readers are the enrolment import's (``enrollment.importing.columns``), so a date or an amount
is written the same way in both files.

**Channels**: the file names its channel in free text ("BRI", "Indomaret", "GoPay", "JMO",
"Agen Perisai" ...). ``read_channel`` maps it onto ``Contribution.Channel`` by whole name or by any
word in it (``CHANNEL_WORDS``) and keeps the text as the file wrote it; a name it does not know is
channel *other*, never an error: the payment is real whoever carried it.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.importing.columns import (
    CellError,
    Column,
    check_formula,
    normalise,
    read_date,
    read_digits,
    read_rupiah,
)
from enrollment.models import Contribution
from perisai.formatting import rupiah
from perisai.months import FIRST_YEAR, LAST_YEAR, month_start

PAYMENT_COLUMNS = (
    Column("nik", "NIK", False, gettext_lazy("16 digits, typed as text."), ("no ktp", "nomor nik", "nik peserta"), 20),
    Column("kpj", "KPJ", False, gettext_lazy("The membership card number."), ("no kpj", "nomor kpj", "kpj number"), 16),
    Column(
        "periode",
        gettext_lazy("Period"),
        True,
        gettext_lazy("The month paid for: YYYY-MM, e.g. 2022-07."),
        ("period", "month", "bulan", "bulan iuran", "periode iuran"),
        12,
    ),
    Column(
        "tanggal_bayar",
        gettext_lazy("Date paid"),
        True,
        gettext_lazy("Day-month-year, e.g. 05-07-2022."),
        ("date paid", "paid on", "payment date", "tgl bayar", "tanggal pembayaran"),
        kind="date",
    ),
    Column(
        "jumlah",
        gettext_lazy("Amount"),
        True,
        gettext_lazy("Whole Rupiah, e.g. 16800."),
        ("amount", "nominal", "jumlah bayar", "iuran"),
        14,
        kind="number",
    ),
    Column(
        "kanal",
        gettext_lazy("Channel"),
        True,
        gettext_lazy("Bank, payment point, app or agent, e.g. BRI, Indomaret, JMO."),
        ("channel", "kanal pembayaran", "saluran", "tempat bayar"),
        18,
    ),
    Column(
        "referensi",
        gettext_lazy("Reference"),
        True,
        gettext_lazy("The channel's transaction reference."),
        ("reference", "ref", "no referensi", "nomor referensi", "no transaksi", "id transaksi", "transaction id"),
        24,
    ),
)
IDENTIFYING = ("nik", "kpj")

CHANNEL_WORDS = {
    Contribution.Channel.AGENT: ("agen", "agent", "perisai", "penggerak", "kolektor"),
    Contribution.Channel.BANK: (
        "bank", "bri", "bni", "mandiri", "bca", "btn", "bsi", "bjb", "bpd", "cimb", "danamon", "permata",
        "jateng", "teller", "atm", "transfer", "va", "virtual account", "mobile banking", "internet banking",
    ),
    Contribution.Channel.PAYMENT_POINT: (
        "ppob", "indomaret", "alfamart", "alfamidi", "lawson", "pos", "kantor pos", "pos indonesia",
        "pegadaian", "loket", "gerai", "payment point", "minimarket", "warung",
    ),
    Contribution.Channel.ONLINE: (
        "online", "app", "aplikasi", "jmo", "jamsostek mobile", "gopay", "gojek", "ovo", "dana", "linkaja",
        "shopeepay", "shopee", "tokopedia", "bukalapak", "e wallet", "ewallet", "dompet digital", "qris",
    ),
}  # fmt: skip
MAX_CHANNEL_NAME = 60
MAX_AMOUNT = Decimal(10**12 - 1)
"""The largest amount the contributions' column holds (12 digits): a larger one is a typing error, refused on its
row (the database would refuse the whole file)."""
MAX_REFERENCE = 64
NIK_DIGITS = re.compile(r"^[0-9]{16}$")
KPJ_DIGITS = re.compile(r"^[0-9]{8,20}$")
MONTH_NAMES = {
    **{normalise(name): number for number, name in enumerate(
        ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
         "november", "desember"), start=1)},
    **{normalise(name): number for number, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"), start=1)},
}  # fmt: skip
MONTH_FORMS = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$"), ("year", "month")),
    (re.compile(r"^(\d{1,2})[-/.](\d{4})$"), ("month", "year")),
    (re.compile(r"^(\d{4})(\d{2})$"), ("year", "month")),
)


@dataclass(slots=True)
class PaymentRow:
    """One row of the file as read: ``problems`` lists what could not be read (empty: a good row)."""

    row: int
    nik: str = ""
    kpj: str = ""
    period: datetime.date | None = None
    paid_on: datetime.date | None = None
    amount: Decimal | None = None
    channel: str = ""
    channel_name: str = ""
    reference: str = ""
    cells: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


@functools.cache
def _channel_words():
    words = {}
    for channel, names in CHANNEL_WORDS.items():
        for name in names:
            words[normalise(name)] = channel
    return words


def read_channel(value):
    """``(channel, name as written)`` for the file's channel text; unknown names are channel *other*."""
    name = str(value or "").strip()[:MAX_CHANNEL_NAME]
    text = normalise(name)
    if not text:
        raise CellError(_("This cell is empty; name the channel (bank, payment point, app or agent)."), "required")
    words = _channel_words()
    if text in words:
        return words[text], name
    tokens = text.split()
    for size in (3, 2, 1):  # "kantor pos" before "pos", "virtual account" before "va"
        for start in range(len(tokens) - size + 1):
            channel = words.get(" ".join(tokens[start : start + size]))
            if channel:
                return channel, name
    return Contribution.Channel.OTHER, name


def read_period(value):
    """The month a payment covers, as its first day: 2022-07, 07/2022, 202207, Juli 2022 or a date cell."""
    if value is None:
        raise CellError(_("This cell is empty; the month paid for is needed (YYYY-MM)."), "required")
    text = str(value).strip()
    year = month = None
    for pattern, parts in MONTH_FORMS:
        match = pattern.match(text)
        if match:
            numbers = dict(zip(parts, map(int, match.groups()[:2]), strict=True))
            year, month = numbers["year"], numbers["month"]
            break
    else:
        words = normalise(text).split()
        if len(words) == 2 and words[1].isdigit():
            year, month = int(words[1]), MONTH_NAMES.get(words[0]) or MONTH_NAMES.get(_month_prefix(words[0]))
    if year is None or month is None or not 1 <= month <= 12 or not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            _("“%(value)s” is not a month; write it as YYYY-MM, e.g. 2022-07.") % {"value": text[:40]}, "bad_period"
        )
    return datetime.date(year, month, 1)


def _month_prefix(word):
    """``jul`` -> ``juli``: a month name abbreviated to three letters or more."""
    if len(word) < 3:
        return None
    return next((name for name in MONTH_NAMES if name.startswith(word)), None)


def _once_per_value(reader):
    """``reader`` remembering what each cell value reads as: a file repeats a few months, days, amounts and
    channels a hundred thousand times. A value that cannot be read raises each time (it is not remembered);
    ``typed`` keeps 1, 1.0 and ``True`` apart, which read differently."""
    return functools.lru_cache(maxsize=4096, typed=True)(reader)


_read_period_once = _once_per_value(read_period)
_read_date_once = _once_per_value(read_date)
_read_rupiah_once = _once_per_value(read_rupiah)
_read_channel_once = _once_per_value(read_channel)


def read_payment_row(number, cells, *, today):
    """The ``PaymentRow`` for the cells of row ``number`` (``{column key: value}``)."""
    payment = PaymentRow(row=number)
    problems = payment.problems

    def cell(key, reader):
        value = cells.get(key)
        try:
            check_formula(value)
            return reader(value)
        except CellError as error:
            label = next(column.label for column in PAYMENT_COLUMNS if column.key == key)
            problems.append(f"{label}: {error}")
            return None

    payment.nik = cell("nik", read_digits) or ""
    payment.kpj = cell("kpj", read_digits) or ""
    if payment.nik and not NIK_DIGITS.match(payment.nik):
        problems.append(_("NIK: “%(value)s” is not 16 digits.") % {"value": payment.nik[:40]})
    if payment.kpj and not KPJ_DIGITS.match(payment.kpj):
        problems.append(_("KPJ: “%(value)s” is not a KPJ number (8 to 20 digits).") % {"value": payment.kpj[:40]})
    if not payment.nik and not payment.kpj:
        problems.append(_("Neither a NIK nor a KPJ number: the participant cannot be identified."))
    payment.period = cell("periode", _read_period_once)
    payment.paid_on = cell("tanggal_bayar", _read_date_once)
    if payment.paid_on and payment.paid_on > today:
        problems.append(
            _("Date paid: %(date)s is in the future.") % {"date": day_label(payment.paid_on)}
        )
    payment.amount = cell("jumlah", _read_rupiah_once)
    if payment.amount is not None and payment.amount <= 0:
        problems.append(_("Amount: a payment is more than Rp 0."))
    elif payment.amount is not None and payment.amount > MAX_AMOUNT:
        problems.append(_("Amount: a payment is at most %(limit)s.") % {"limit": rupiah(MAX_AMOUNT)})
        payment.amount = None  # no column holds it; the row's cells keep what the file says
    channel = cell("kanal", _read_channel_once)
    if channel:
        payment.channel, payment.channel_name = channel
    payment.reference = str(cell("referensi", _read_reference) or "")
    if problems:
        payment.cells = {key: value for key, value in cells.items() if value is not None}
    return payment


def _read_reference(value):
    reference = read_digits(value).strip()
    if not reference:
        raise CellError(_("This cell is empty; the channel's transaction reference is needed."), "required")
    if len(reference) > MAX_REFERENCE:
        raise CellError(
            _("A reference has at most %(limit)d characters.") % {"limit": MAX_REFERENCE}, "reference_too_long"
        )
    return reference


def period_label(period):
    """A month as people write it in a message: "Juli 2022"."""
    return day_label(month_start(period), "F Y")


def day_label(day, format_string="j F Y"):
    """``day`` as a message writes it, in the active language; a file repeats the same few days and months
    thousands of times, so each is written once (``date_format`` costs about 25 µs)."""
    return _day_label(day, format_string, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _day_label(day, format_string, language):
    return date_format(day, format_string)
