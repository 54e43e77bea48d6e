"""The certificate of a pembekalan (``recruitment.documents.certificate_pdf``): for a seat that passed only,
with the candidate, the session, the result, the branch's letterhead and head, a number of its own."""

import datetime
import re

import pytest

from agents.documents import check_pdf
from recruitment.documents import certificate_pdf
from tests.documents.conftest import pages, text_of
from tests.factories import SeatFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(branch):
    return TrainingSessionFactory(
        branch=branch,
        held_on=datetime.date(2022, 6, 15),
        starts_at=datetime.time(8, 30),
        place="Aula Kantor Cabang Cilacap",
        trainer="Agus Setiawan",
        materials="Program JKK, JKM dan JHT\nPendaftaran peserta BPU\n\nIuran dan cara membayarnya",
        pass_mark=70,
    )


def seat_with(session, *, score, passed, attended=True, **candidate):
    seat = SeatFactory(session=session, attended=attended, score=score, passed=passed, **candidate)
    seat.full_clean()
    return seat


@pytest.fixture
def passed(session):
    return seat_with(
        session,
        score=86,
        passed=True,
        candidate__full_name="Dewi Lestari",
        candidate__birth_date=datetime.date(1990, 6, 5),
    )


def test_the_certificate_names_the_candidate_the_session_and_the_result_on_one_page(passed, session, branch):
    pdf = certificate_pdf(seat=passed)

    assert len(pages(pdf)) == 1
    text = text_of(pdf)
    assert "SERTIFIKAT PEMBEKALAN" in text
    assert "Dewi Lestari" in text
    assert "5 Juni 1990" in text
    assert "Rabu, 15 Juni 2022, pukul 08.30" in text
    assert "Aula Kantor Cabang Cilacap" in text
    assert "Agus Setiawan" in text
    assert "Program JKK, JKM dan JHT" in text
    assert "Pendaftaran peserta BPU" in text
    assert "Iuran dan cara membayarnya" in text
    assert "86 (batas lulus 70)" in text
    assert "LULUS" in text


def test_the_certificate_shows_the_nik_masked_never_in_full(passed):
    nik = passed.candidate.nik

    text = text_of(certificate_pdf(seat=passed))

    assert f"{nik[:4]}{'•' * 8}{nik[-4:]}" in text
    assert nik not in text


def test_the_certificate_carries_the_branchs_letterhead_and_its_head_signs_on_the_day(passed):
    text = text_of(certificate_pdf(seat=passed))

    assert "BPJS KETENAGAKERJAAN" in text
    assert "KANTOR CABANG CILACAP" in text
    assert "Jl. Jend. Sudirman No. 23, Cilacap" in text
    assert "Telp. 0282-534567" in text
    assert "Cilacap, 15 Juni 2022" in text
    assert "Kepala Kantor Cabang Cilacap" in text
    assert "Bambang Hermawan" in text


def test_the_number_names_the_branch_the_year_and_the_seat_and_is_the_same_every_time(passed, session):
    expected = "SERT/CLP/2022/" + str(passed.pk).zfill(5)

    first, second = certificate_pdf(seat=passed), certificate_pdf(seat=passed)

    assert re.findall(r"SERT/\S+", text_of(first)) == [expected, expected]  # under the title, in the footer
    assert first == second


def test_two_seats_have_two_numbers(passed, session):
    other = seat_with(session, score=90, passed=True)

    numbers = {re.search(r"SERT/\S+", text_of(certificate_pdf(seat=seat))).group() for seat in (passed, other)}

    assert len(numbers) == 2


def test_a_seat_that_failed_gets_no_certificate(session):
    failed = seat_with(session, score=55, passed=False, candidate__full_name="Rudi Hartono")

    with pytest.raises(ValueError, match="Rudi Hartono"):
        certificate_pdf(seat=failed)


@pytest.mark.parametrize("attended", [None, False, True])
def test_a_seat_without_a_result_gets_no_certificate(session, attended):
    seat = seat_with(session, score=None, passed=None, attended=attended, candidate__full_name="Rina Susanti")

    with pytest.raises(ValueError, match="Rina Susanti"):
        certificate_pdf(seat=seat)


def test_a_branch_without_its_details_still_prints_leaving_the_lines_out(passed, branch):
    branch.address = branch.city = branch.phone = branch.head_name = ""
    branch.save()

    pdf = certificate_pdf(seat=passed)

    assert len(pages(pdf)) == 1
    text = text_of(pdf)
    assert "KANTOR CABANG CILACAP" in text
    assert "Telp." not in text
    assert "Sudirman" not in text
    assert "Cilacap, 15 Juni 2022" not in text
    assert "15 Juni 2022" in text
    assert "Kepala Kantor Cabang Cilacap" in text


def test_the_longest_list_of_materials_stays_on_one_page_with_the_signature(passed, session):
    line = "Materi pembekalan tentang program jaminan sosial"
    session.materials = "\n".join(f"{line} {n}" for n in range(1, 41))[:2000]
    session.full_clean()
    session.save()
    last = session.materials.splitlines()[-1]

    pdf = certificate_pdf(seat=passed)

    assert len(pages(pdf)) == 1
    text = text_of(pdf)
    assert last in text
    assert "Bambang Hermawan" in text


def test_a_session_without_materials_or_a_starting_time_still_prints(passed, session):
    session.materials = ""
    session.starts_at = None
    session.save()

    text = text_of(certificate_pdf(seat=passed))

    assert "Rabu, 15 Juni 2022" in text
    assert "pukul" not in text
    assert "materi pembekalan" not in text


def test_the_certificate_passes_the_branchs_own_check_for_a_harmless_pdf(passed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    check_pdf(SimpleUploadedFile("sertifikat.pdf", certificate_pdf(seat=passed), content_type="application/pdf"))
