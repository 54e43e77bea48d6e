"""The agent's ID card (``agents.cards.agent_card_pdf``), read as the person holding it would: the words on it,
the QR code a phone reads from the printed pixels, and the card's size measured on the page with a ruler."""

import datetime
import io

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from agents.cards import agent_card_pdf
from agents.documents import check_pdf
from agents.models import Agent
from perisai.privacy import mask_nik
from tests.documents.conftest import pages, text_of
from tests.documents.reading import page_sizes_mm, qr_codes
from tests.factories import AgentFactory, CooperationAgreementFactory, PerisaiOfficeFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2022, 6, 20)
URL = "https://perisai.bpjs.example/agents/42/"
A4 = (210.0, 297.0)
ID1 = (85.60, 53.98)


@pytest.fixture
def office(branch):
    return PerisaiOfficeFactory(branch=branch, code="KP-CLP-01", name="Kantor Perisai Cilacap Selatan")


@pytest.fixture
def agent(office):
    return AgentFactory(branch=office.branch, office=office, full_name="Siti Rahayu", code="AG-0042")


@pytest.fixture
def agreement(office):
    return CooperationAgreementFactory(
        office=office,
        number="PKS/012/KC-CLP/2022",
        signed_on=datetime.date(2021, 12, 20),
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )


def card(agent, issued_on=ISSUED):
    return agent_card_pdf(agent=agent, url=URL, issued_on=issued_on)


def test_the_card_names_the_agent_their_office_and_branch_and_runs_to_the_end_of_the_pks(agent, agreement):
    text = text_of(card(agent))

    assert "KARTU IDENTITAS AGEN PERISAI" in text
    assert "BPJS KETENAGAKERJAAN KANTOR CABANG CILACAP" in text
    assert "Siti Rahayu" in text
    assert "Kode agen AG-0042" in text
    assert "Kantor Perisai Kantor Perisai Cilacap Selatan" in text
    assert "Kantor cabang Kantor Cabang Cilacap" in text
    assert "Berlaku s.d. 31 Desember 2022" in text


def test_without_a_pks_in_force_the_card_runs_a_year_like_the_letter_of_assignment(agent):
    assert "Berlaku s.d. 19 Juni 2023" in text_of(card(agent))


def test_the_card_never_prints_the_nik_not_even_masked(agent, agreement):
    text = text_of(card(agent))

    assert agent.nik not in text
    assert mask_nik(agent.nik) not in text
    assert "NIK" not in text


def test_the_back_says_where_to_return_it_and_carries_the_cards_number_and_date(agent, agreement):
    text = text_of(card(agent))

    assert "mohon dikembalikan ke Kantor Cabang Cilacap Jl. Jend. Sudirman No. 23, Cilacap Telp. 0282-534567" in text
    assert f"No. KA/CLP/2022/{agent.pk:05d}" in text
    assert "Diterbitkan 20 Juni 2022" in text


def test_a_phone_reads_the_agents_staff_page_from_the_printed_qr_code_and_nothing_else(agent, agreement):
    assert qr_codes(card(agent)) == [URL]


def test_it_is_one_a4_sheet_that_says_how_to_print_cut_and_fold_it(agent, agreement):
    pdf = card(agent)

    assert len(pages(pdf)) == 1
    assert page_sizes_mm(pdf) == [A4]
    text = text_of(pdf)
    assert "Cetak pada ukuran sebenarnya (100%" in text
    assert "Gunting pada tanda potong, lipat pada garis putus-putus di tengah" in text


def test_front_and_back_measure_a_bank_card_each_on_the_printed_sheet(agent, agreement):
    width, height = _card_measured_mm(card(agent))

    assert width == pytest.approx(2 * ID1[0], abs=0.4)  # front and back side by side, joined at the fold
    assert height == pytest.approx(ID1[1], abs=0.4)


def test_a_very_long_name_is_set_smaller_and_cut_and_the_card_keeps_its_size(agent, agreement):
    agent.full_name = "Raden Ayu " + " ".join(["Sekarwangi Kusumaningrum"] * 5)
    agent.office.name = "Kantor Perisai Wilayah " + "Kecamatan Kesugihan dan Sekitarnya " * 3
    pdf = card(agent)

    assert len(pages(pdf)) == 1
    assert "Raden Ayu Sekarwangi" in text_of(pdf)
    assert "\u2026" in text_of(pdf)
    width, height = _card_measured_mm(pdf)
    assert width == pytest.approx(2 * ID1[0], abs=0.4)
    assert height == pytest.approx(ID1[1], abs=0.4)
    assert qr_codes(pdf) == [URL]


def test_an_agent_who_left_gets_no_card(agent):
    agent.status = Agent.Status.INACTIVE
    agent.left_on = datetime.date(2022, 5, 31)
    agent.deactivation_reason = Agent.DeactivationReason.RESIGNED

    with translation.override("en"), pytest.raises(ValueError, match="has left the programme"):
        card(agent)


def test_the_same_card_prints_to_the_same_bytes_and_passes_the_branchs_own_pdf_check(agent, agreement):
    pdf = card(agent)

    assert card(agent) == pdf
    check_pdf(SimpleUploadedFile("kartu.pdf", pdf, content_type="application/pdf"))


# --- measuring the printed card --------------------------------------------------------------------

DPI = 300
MM_PER_PIXEL = 25.4 / DPI


def _is_band(pixel):
    """The card's green band (#0b6b3a), allowing for the edge's anti-aliasing."""
    red, green, blue = pixel[:3]
    return green > red + 40 and green > blue + 20


def _card_measured_mm(pdf):
    """(width, height) of the printed card faces in mm: the width is the green band's run across both faces,
    the height from the band's top edge down to the card's bottom edge (its outline), measured just inside
    the card's left edge, where nothing else is printed."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    image = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    document.close()
    pixels = image.load()
    columns, rows = image.size
    band = [(x, y) for y in range(0, rows // 2, 2) for x in range(0, columns, 4) if _is_band(pixels[x, y])]
    top = min(y for _, y in band)
    middle = top + 10
    run = [x for x in range(columns) if _is_band(pixels[x, middle])]
    left, right = min(run), max(run)
    inside = left + 4  # a third of a millimetre inside the left edge
    y = top
    while _is_band(pixels[inside, y]):
        y += 1
    while sum(pixels[inside, y]) > 3 * 235:  # white down to the card's bottom edge
        y += 1
    return (right - left + 1) * MM_PER_PIXEL, (y - top + 1) * MM_PER_PIXEL
