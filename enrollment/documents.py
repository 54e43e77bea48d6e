"""The proof of enrolment (bukti pendaftaran peserta): what a worker keeps after an agent enrols them.

Written in Indonesian literals, like the branch's letters (``agents.letters`` says why); the choices the
models already name (occupation, payment channel) are read in Indonesian from their labels, so each
label exists once.

What it shows, for one acquisition, and what not:
- the participant's name, the NIK **masked** (``perisai.privacy.mask_nik``: the paper is the worker's to
  keep and to show, and the full NIK adds nothing the name and the branch's records do not), the KPJ
  number when one is known, the occupation;
- the date of enrolment, the programmes (JKK and JKM, the minimum package; JHT when chosen), the declared
  monthly income, the monthly contribution, and its breakdown by programme from the rate the acquisition
  was priced at (``ContributionRate.breakdown``). When the breakdown does not add up to the contribution
  recorded (a row priced by hand or by an older rule), the recorded figure is printed alone: the paper
  never shows parts that disagree with their total;
- the **first payment**: the earliest day anything was paid for the acquisition, with every month paid
  that day through the same channel and the same receipt or reference (one payment may cover several
  months): the months, the date, the amount, the channel. Nothing paid yet: it says so;
- the agent who enrolled the worker and their Perisai office (and the agent who looks after them now,
  when staff moved them); a lapsed acquisition says since when;
- a **QR code** with the absolute URL of the participant's staff page and nothing else: it opens the
  record for staff after they sign in, and for nobody else;
- the branch's letterhead and its head's signature, dated the day it is printed (``perisai.paper``).

Who may print it (``acquisitions_for_proof``): whoever reaches the participant's staff page (staff and
the head of the participant's branch, those above them) and the agent who looks after the acquisition
(``Acquisition.caretaker``); anyone else finds nothing (the view answers 404).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone, translation

from agents.letters import branch_office_name, branch_signature, letterhead
from agents.scoping import for_user
from enrollment.models import Acquisition, Contribution
from enrollment.paying import PAYING_WINDOW_MONTHS
from perisai import paper
from perisai.formatting import rupiah
from perisai.months import shift_month
from perisai.privacy import mask_nik

OFFICIAL_LANGUAGE = "id"
_UNREAD = object()
PROGRAMMES = {
    "jkk": "Jaminan Kecelakaan Kerja (JKK)",
    "jkm": "Jaminan Kematian (JKM)",
    "jht": "Jaminan Hari Tua (JHT)",
}


def acquisitions_for_proof(user):
    """The acquisitions ``user`` may print a proof of enrolment for, with what the proof reads.

    Staff, heads and those above them reach the acquisitions of the participants of their branch (as the
    participant's page does: by ``Participant.branch``); an agent only those they look after.
    """
    queryset = Acquisition.objects.select_related(
        "participant", "agent", "caretaker", "office", "branch", "rate"
    ).annotate(first_paid_on=Subquery(_first_paid_on()))
    return for_user(queryset, user, branch_path="participant__branch", agent_path="caretaker")


def _first_paid_on():
    return (
        Contribution.objects.filter(acquisition=OuterRef("pk"))
        .values("acquisition")
        .annotate(first=Min("paid_on"))
        .values("first")
    )


def proof_number(acquisition):
    """``BP/CLP/2021/000123``: the branch, the year of enrolment, the acquisition. One enrolment, one number."""
    return f"BP/{acquisition.branch.code}/{acquisition.acquired_on.year}/{acquisition.pk:06d}"


@dataclass(frozen=True)
class FirstPayment:
    """The first payment of an acquisition: the months it paid for, the day, the total, how it came."""

    months: tuple
    paid_on: object
    amount: object
    channel: str
    receipt: str


def first_payment(acquisition):
    """The acquisition's first payment (``FirstPayment``), or ``None`` when nothing is paid yet.

    The earliest day anything was paid; of that day's rows, the one for the earliest month and those that
    came with it (same channel, same receipt number and reference): one payment may cover several months.
    Reads ``first_paid_on`` when the acquisition came from ``acquisitions_for_proof`` (one query then).
    """
    paid_on = getattr(acquisition, "first_paid_on", _UNREAD)
    if paid_on is _UNREAD:
        paid_on = acquisition.contributions.aggregate(first=Min("paid_on"))["first"]
    if paid_on is None:
        return None
    rows = list(acquisition.contributions.filter(paid_on=paid_on).order_by("period", "pk"))
    if not rows:
        return None
    first = rows[0]
    together = [
        row
        for row in rows
        if (row.channel, row.receipt_number, row.reference) == (first.channel, first.receipt_number, first.reference)
    ]
    with translation.override(OFFICIAL_LANGUAGE):
        channel = first.get_channel_display()
    if first.channel_name and first.channel_name.casefold() != channel.casefold():
        channel = f"{channel} ({first.channel_name})"
    return FirstPayment(
        months=tuple(row.period for row in together),
        paid_on=first.paid_on,
        amount=sum(row.amount for row in together),
        channel=str(channel),
        receipt=first.receipt_number or first.reference,
    )


def proof_of_enrolment_pdf(*, acquisition, url, issued_on=None):
    """The proof of enrolment of ``acquisition``, printed ``issued_on`` (today), as PDF bytes: one A4 page.

    ``url`` is what the QR code opens: the absolute address of the participant's staff page.
    """
    issued_on = issued_on or timezone.localdate()
    participant, branch = acquisition.participant, acquisition.branch
    branch_name = branch_office_name(branch)
    with translation.override(OFFICIAL_LANGUAGE):
        occupation = str(participant.get_occupation_display())
    programmes = [PROGRAMMES["jkk"], PROGRAMMES["jkm"]] + ([PROGRAMMES["jht"]] if acquisition.with_jht else [])
    agent, office, caretaker = acquisition.agent, acquisition.office, acquisition.caretaker
    status = ""
    if acquisition.status == Acquisition.Status.LAPSED and acquisition.ended_on:
        status = f"tidak aktif sejak {paper.indonesian_date(acquisition.ended_on)}"
    document = paper.Document(
        letterhead=letterhead(branch),
        title="Bukti Pendaftaran Peserta",
        number=proof_number(acquisition),
        subject=f"Bukti pendaftaran peserta BPU {participant.full_name}",
        body=(
            paper.Text(
                f"BPJS Ketenagakerjaan {branch_name} menerangkan bahwa pekerja di bawah ini telah terdaftar sebagai "
                "peserta Bukan Penerima Upah (BPU) program jaminan sosial ketenagakerjaan:"
            ),
            paper.Fields(
                (
                    ("Nama", participant.full_name),
                    ("NIK", mask_nik(participant.nik)),
                    ("Nomor KPJ", participant.kpj_number or ""),
                    ("Pekerjaan", occupation),
                    ("Tanggal daftar", paper.indonesian_date(acquisition.acquired_on)),
                    ("Status", status),
                    ("Program", _sentence_list(programmes)),
                    ("Penghasilan", f"{_rupiah(acquisition.declared_income)} per bulan (yang dilaporkan)"),
                    ("Iuran per bulan", _rupiah(acquisition.monthly_contribution)),
                    ("Agen Perisai", f"{agent.full_name} ({agent.code})"),
                    ("Kantor Perisai", f"{office.name} ({office.code})"),
                    (
                        "Agen pendamping",
                        "" if caretaker.pk == agent.pk else f"{caretaker.full_name} ({caretaker.code})",
                    ),
                ),
                indented=True,
            ),
            *_breakdown(acquisition),
            *_first_payment(acquisition),
            paper.Text(
                f"Iuran dibayar setiap bulan. Peserta yang tidak membayar iuran selama {PAYING_WINDOW_MONTHS} bulan "
                "berturut-turut menjadi tidak aktif. Simpan bukti ini bersama KTP."
            ),
            paper.QrCode(
                url,
                caption="Untuk petugas BPJS Ketenagakerjaan: pindai kode QR ini untuk membuka data peserta di "
                "aplikasi Perisai (perlu masuk dengan akun petugas). Kode ini hanya memuat alamat halaman, tanpa "
                "data pribadi.",
            ),
        ),
        signature=branch_signature(branch, day=issued_on),
    )
    return paper.render(document)


# --- parts of the page ------------------------------------------------------------------------------


def _breakdown(acquisition):
    """The contribution by programme, when the rate applied gives the contribution recorded."""
    rate = acquisition.rate
    try:
        parts = rate.breakdown(acquisition.declared_income, with_jht=acquisition.with_jht)
    except ValidationError:  # an income outside the rate's range: the recorded figure alone
        return ()
    if parts.total != acquisition.monthly_contribution:
        return ()
    rows = [
        (f"JKK ({_percent(rate.jkk_rate)})", _rupiah(parts.jkk)),
        ("JKM", _rupiah(parts.jkm)),
    ]
    if acquisition.with_jht:
        rows.append((f"JHT ({_percent(rate.jht_rate)})", _rupiah(parts.jht)))
    rows.append(("Jumlah", _rupiah(parts.total)))
    return (
        paper.Text("Rincian iuran per bulan (persentase dari penghasilan yang dilaporkan):"),
        paper.Fields(tuple(rows), indented=True),
    )


def _first_payment(acquisition):
    payment = first_payment(acquisition)
    if payment is None:
        return (paper.Text(("Iuran pertama: ", paper.Bold("belum ada pembayaran yang tercatat"), ".")),)
    return (
        paper.Text("Iuran pertama:"),
        paper.Fields(
            (
                ("Bulan iuran", _months(payment.months)),
                ("Tanggal bayar", paper.indonesian_date(payment.paid_on)),
                ("Jumlah", _rupiah(payment.amount)),
                ("Cara bayar", payment.channel),
                ("Nomor bukti", payment.receipt),
            ),
            indented=True,
        ),
    )


def _rupiah(value):
    """``Rp 16.800`` whatever language the reader's screens are in."""
    with translation.override(OFFICIAL_LANGUAGE):
        return rupiah(value)


def _percent(rate):
    """``0.0100`` → ``1%``, ``0.0054`` → ``0,54%``."""
    value = (rate * 100).normalize()
    return f"{value:f}".replace(".", ",") + "%"


def _month(day):
    return f"{paper.MONTHS[day.month - 1]} {day.year}"


def _months(months):
    """``Maret 2021``; ``Maret 2021 s.d. Mei 2021`` for a run of months; else the months listed."""
    if len(months) == 1:
        return _month(months[0])
    consecutive = all(later == shift_month(earlier, 1) for earlier, later in zip(months, months[1:], strict=False))
    if consecutive:
        return f"{_month(months[0])} s.d. {_month(months[-1])} ({len(months)} bulan)"
    return _sentence_list([_month(month) for month in months])


def _sentence_list(items):
    """``A``, ``A dan B``, ``A, B dan C``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} dan {items[-1]}"
