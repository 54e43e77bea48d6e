"""The proof of enrolment (``enrollment.documents.proof_of_enrolment_pdf``), read as the worker and the
staff member who scans it would: the words and figures on the page, and the QR code from its pixels."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from agents.documents import check_pdf
from enrollment.documents import proof_of_enrolment_pdf
from enrollment.models import Acquisition, Contribution
from tests.documents.conftest import pages, text_of
from tests.documents.reading import page_sizes_mm, qr_codes
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    ContributionFactory,
    ParticipantFactory,
    PerisaiOfficeFactory,
)

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2022, 6, 20)
URL = "https://perisai.bpjs.example/enrollment/participants/7/"


@pytest.fixture
def office(branch):
    return PerisaiOfficeFactory(branch=branch, code="KP-CLP-01", name="Kantor Perisai Cilacap Selatan")


@pytest.fixture
def agent(office):
    return AgentFactory(branch=office.branch, office=office, full_name="Siti Rahayu", code="AG-0042")


@pytest.fixture
def participant(branch):
    return ParticipantFactory(branch=branch, full_name="Budi Santoso", kpj_number="22012345678")


@pytest.fixture
def acquisition(agent, participant, rate):
    """Budi, enrolled on 15 March 2021 with JHT on a declared Rp 2.000.000: JKK 20.000 + JKM 6.800 + JHT 40.000."""
    return AcquisitionFactory(
        agent=agent,
        participant=participant,
        acquired_on=datetime.date(2021, 3, 15),
        declared_income=Decimal("2000000"),
        with_jht=True,
        monthly_contribution=Decimal("66800"),
    )


def proof(acquisition):
    return text_of(proof_of_enrolment_pdf(acquisition=acquisition, url=URL, issued_on=ISSUED))


def test_the_proof_is_one_a4_page_under_the_branchs_letterhead_with_its_number_and_signature(acquisition):
    pdf = proof_of_enrolment_pdf(acquisition=acquisition, url=URL, issued_on=ISSUED)

    assert len(pages(pdf)) == 1
    assert page_sizes_mm(pdf) == [(210.0, 297.0)]
    text = text_of(pdf)
    assert text.startswith("BPJS KETENAGAKERJAAN KANTOR CABANG CILACAP Jl. Jend. Sudirman No. 23, Cilacap")
    assert "BUKTI PENDAFTARAN PESERTA" in text
    assert f"Nomor: BP/CLP/2021/{acquisition.pk:06d}" in text
    assert "Cilacap, 20 Juni 2022 Kepala Kantor Cabang Cilacap Bambang Hermawan" in text
    assert "Halaman 1 dari 1" in text


def test_it_names_the_participant_with_the_nik_masked_and_the_kpj_number(acquisition, participant):
    text = proof(acquisition)

    assert "Nama : Budi Santoso" in text
    assert f"NIK : {participant.nik[:4]}\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022{participant.nik[-4:]}" in text
    assert participant.nik not in text
    assert "Nomor KPJ : 22012345678" in text
    assert "Pekerjaan : Petani" in text
    assert "Tanggal daftar : 15 Maret 2021" in text


def test_without_a_kpj_number_the_line_is_left_out(acquisition, participant):
    participant.kpj_number = None

    assert "KPJ" not in proof(acquisition)


def test_it_lists_the_programmes_income_and_the_contribution_with_its_breakdown(acquisition):
    text = proof(acquisition)

    assert "Program : Jaminan Kecelakaan Kerja (JKK), Jaminan Kematian (JKM) dan Jaminan Hari Tua (JHT)" in text
    assert "Penghasilan : Rp 2.000.000 per bulan" in text
    assert "Iuran per bulan : Rp 66.800" in text
    assert "JKK (1%) : Rp 20.000 JKM : Rp 6.800 JHT (2%) : Rp 40.000 Jumlah : Rp 66.800" in text


def test_without_jht_the_minimum_package_is_printed(agent, rate):
    minimum = AcquisitionFactory(agent=agent, declared_income=Decimal("1000000"), with_jht=False)

    text = proof(minimum)

    assert "Program : Jaminan Kecelakaan Kerja (JKK) dan Jaminan Kematian (JKM)" in text
    assert "JHT" not in text
    assert "JKK (1%) : Rp 10.000 JKM : Rp 6.800 Jumlah : Rp 16.800" in text


def test_a_breakdown_that_would_not_add_up_to_the_recorded_contribution_is_left_out(acquisition):
    Acquisition.objects.filter(pk=acquisition.pk).update(monthly_contribution=Decimal("70000"))
    acquisition.refresh_from_db()

    text = proof(acquisition)

    assert "Iuran per bulan : Rp 70.000" in text
    assert "Rincian iuran" not in text


def test_before_any_payment_it_says_none_is_recorded_yet(acquisition):
    assert "Iuran pertama: belum ada pembayaran yang tercatat." in proof(acquisition)


def test_the_first_payment_shows_its_month_date_amount_and_channel(acquisition):
    ContributionFactory(
        acquisition=acquisition, period=datetime.date(2021, 3, 1), paid_on=datetime.date(2021, 3, 15), amount=66800
    )
    ContributionFactory(
        acquisition=acquisition, period=datetime.date(2021, 4, 1), paid_on=datetime.date(2021, 4, 12), amount=66800
    )

    text = proof(acquisition)

    assert (
        "Iuran pertama: Bulan iuran : Maret 2021 Tanggal bayar : 15 Maret 2021 Jumlah : Rp 66.800 "
        "Cara bayar : Melalui agen"
    ) in text
    assert "April 2021" not in text


def test_one_payment_for_several_months_is_shown_as_one_payment(acquisition):
    for month in (3, 4, 5):
        ContributionFactory(
            acquisition=acquisition,
            period=datetime.date(2021, month, 1),
            paid_on=datetime.date(2021, 5, 20),
            amount=66800,
            channel=Contribution.Channel.BANK,
            channel_name="BRI",
            reference="TRX-0520-77",
            collected_by=None,
        )

    text = proof(acquisition)

    assert "Bulan iuran : Maret 2021 s.d. Mei 2021 (3 bulan)" in text
    assert "Tanggal bayar : 20 Mei 2021 Jumlah : Rp 200.400 Cara bayar : Bank (BRI) Nomor bukti : TRX-0520-77" in text


def test_it_names_the_agent_and_office_and_who_looks_after_the_worker_now(acquisition, office):
    colleague = AgentFactory(branch=office.branch, office=office, full_name="Dewi Lestari", code="AG-0077")
    text = proof(acquisition)

    assert "Agen Perisai : Siti Rahayu (AG-0042) Kantor Perisai : Kantor Perisai Cilacap Selatan (KP-CLP-01)" in text
    assert "Agen pendamping" not in text

    acquisition.caretaker = colleague
    assert "Agen pendamping : Dewi Lestari (AG-0077)" in proof(acquisition)


def test_a_lapsed_enrolment_says_since_when(acquisition):
    acquisition.status = Acquisition.Status.LAPSED
    acquisition.ended_on = datetime.date(2021, 9, 30)

    assert "Status : tidak aktif sejak 30 September 2021" in proof(acquisition)


def test_a_phone_reads_only_the_participants_staff_page_from_the_printed_qr_code(acquisition):
    pdf = proof_of_enrolment_pdf(acquisition=acquisition, url=URL, issued_on=ISSUED)

    assert qr_codes(pdf) == [URL]
    assert "pindai kode QR ini untuk membuka data peserta" in text_of(pdf)


def test_it_reads_the_same_in_indonesian_whatever_language_the_screens_are_in(acquisition):
    ContributionFactory(acquisition=acquisition, period=datetime.date(2021, 3, 1), paid_on=datetime.date(2021, 3, 15))

    with translation.override("en"):
        text = proof(acquisition)

    assert "Pekerjaan : Petani" in text
    assert "Iuran per bulan : Rp 66.800" in text
    assert "Cara bayar : Melalui agen" in text


def test_the_proof_passes_the_branchs_own_pdf_check(acquisition):
    pdf = proof_of_enrolment_pdf(acquisition=acquisition, url=URL, issued_on=ISSUED)

    check_pdf(SimpleUploadedFile("bukti.pdf", pdf, content_type="application/pdf"))
