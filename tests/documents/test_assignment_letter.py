"""The letter of assignment (``agents.letters.assignment_letter_pdf``): for an active agent only, naming them
in full, what they are to do, until when (their office's PKS, else a year), signed by the branch head."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agents.documents import check_pdf
from agents.letters import assignment_letter_pdf
from agents.models import Agent
from tests.documents.conftest import pages, text_of
from tests.factories import AgentFactory, CooperationAgreementFactory, PerisaiOfficeFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2022, 6, 20)


@pytest.fixture
def office(branch):
    return PerisaiOfficeFactory(branch=branch, code="KP-CLP-01", name="Kantor Perisai Cilacap Selatan", area="Kroya")


@pytest.fixture
def agent(office):
    return AgentFactory(
        branch=office.branch,
        office=office,
        full_name="Siti Rahayu",
        code="AG-0042",
        joined_on=datetime.date(2021, 3, 1),
    )


@pytest.fixture
def agreement(office):
    return CooperationAgreementFactory(
        office=office,
        number="PKS/012/KC-CLP/2022",
        signed_on=datetime.date(2021, 12, 20),
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )


def letter(agent, issued_on=ISSUED):
    return text_of(assignment_letter_pdf(agent=agent, issued_on=issued_on))


def test_the_letter_names_the_agent_in_full_on_one_page(agent, agreement):
    pdf = assignment_letter_pdf(agent=agent, issued_on=ISSUED)

    assert len(pages(pdf)) == 1
    text = text_of(pdf)
    assert "SURAT TUGAS" in text
    assert "Siti Rahayu" in text
    assert agent.nik in text
    assert "AG-0042" in text
    assert "Kantor Perisai Cilacap Selatan (KP-CLP-01)" in text
    assert "Kroya" in text


def test_the_letter_says_what_the_agent_is_assigned_to_do(agent, agreement):
    text = letter(agent)

    assert "Agen Perisai (Penggerak Jaminan Sosial Indonesia)" in text
    assert "memberikan edukasi kepada pekerja bukan penerima upah (BPU)" in text
    assert "mendaftarkan pekerja BPU sebagai peserta BPJS Ketenagakerjaan" in text
    assert "mendampingi peserta agar membayar iuran" in text


def test_the_letter_runs_from_joining_to_the_end_of_the_offices_pks(agent, agreement):
    text = letter(agent)

    assert "berlaku sejak 1 Maret 2021 sampai dengan 31 Desember 2022" in text
    assert "PKS/012/KC-CLP/2022" in text


def test_the_letter_follows_the_pks_in_force_on_its_date_not_an_older_one(agent, agreement, office):
    CooperationAgreementFactory(office=office, starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2021, 12, 31))

    assert "sampai dengan 31 Desember 2022" in letter(agent)


def test_without_a_pks_the_letter_runs_a_year_from_its_date(agent):
    text = letter(agent)

    assert "berlaku sejak 1 Maret 2021 sampai dengan 19 Juni 2023" in text
    assert "Perjanjian Kerja Sama" not in text


def test_when_the_offices_pks_has_ended_the_letter_runs_a_year_from_its_date(agent, agreement):
    text = letter(agent, issued_on=datetime.date(2023, 2, 1))

    assert "sampai dengan 31 Januari 2024" in text
    assert agreement.number not in text


def test_the_letter_carries_the_letterhead_and_the_branch_head_signs_it(agent, agreement):
    text = letter(agent)

    assert "BPJS KETENAGAKERJAAN" in text
    assert "KANTOR CABANG CILACAP" in text
    assert "Jl. Jend. Sudirman No. 23, Cilacap" in text
    assert "Telp. 0282-534567" in text
    assert "Cilacap, 20 Juni 2022" in text
    assert "Kepala Kantor Cabang Cilacap" in text
    assert "Bambang Hermawan" in text


def test_the_number_is_the_same_for_the_agent_all_year_and_changes_with_the_year(agent, agreement):
    expected = "ST/CLP/2022/" + str(agent.pk).zfill(5)

    june = letter(agent, issued_on=datetime.date(2022, 6, 20))
    december = letter(agent, issued_on=datetime.date(2022, 12, 1))
    next_year = letter(agent, issued_on=datetime.date(2023, 1, 5))

    assert re.findall(r"ST/\S+", june) == [expected, expected]  # under the title, in the footer
    assert re.findall(r"ST/\S+", december) == [expected, expected]
    assert "ST/CLP/2023/" + str(agent.pk).zfill(5) in next_year


def test_the_same_letter_printed_twice_is_the_same_file(agent, agreement):
    assert assignment_letter_pdf(agent=agent, issued_on=ISSUED) == assignment_letter_pdf(agent=agent, issued_on=ISSUED)


def test_two_agents_have_two_numbers(agent, office):
    other = AgentFactory(branch=office.branch, office=office)

    numbers = {re.search(r"ST/\S+", letter(someone)).group() for someone in (agent, other)}

    assert len(numbers) == 2


def test_an_inactive_agent_gets_no_letter(agent):
    agent.status = Agent.Status.INACTIVE
    agent.left_on = datetime.date(2022, 5, 31)
    agent.deactivation_reason = Agent.DeactivationReason.RESIGNED
    agent.full_clean()
    agent.save()

    with pytest.raises(ValueError, match="Siti Rahayu"):
        assignment_letter_pdf(agent=agent, issued_on=ISSUED)


def test_without_the_offices_area_the_letter_names_where_the_agent_lives(agent, office):
    office.area = ""
    office.save()

    assert f"{agent.desa}, {agent.kecamatan}" in letter(agent)


def test_a_branch_without_its_details_still_prints_leaving_the_lines_out(agent, branch):
    branch.address = branch.city = branch.phone = branch.head_name = ""
    branch.save()

    pdf = assignment_letter_pdf(agent=agent, issued_on=ISSUED)

    assert len(pages(pdf)) == 1
    text = text_of(pdf)
    assert "KANTOR CABANG CILACAP" in text
    assert "Telp." not in text
    assert "Cilacap, 20 Juni 2022" not in text
    assert "20 Juni 2022" in text
    assert "(....." in text


def test_the_letter_is_dated_today_unless_told(agent, agreement):
    from django.utils import timezone

    today = timezone.localdate()

    text = text_of(assignment_letter_pdf(agent=agent))

    assert f"ST/CLP/{today.year}/" in text


def test_the_letter_passes_the_branchs_own_check_for_a_harmless_pdf(agent, agreement):
    pdf = assignment_letter_pdf(agent=agent, issued_on=ISSUED)

    check_pdf(SimpleUploadedFile("surat-tugas.pdf", pdf, content_type="application/pdf"))
