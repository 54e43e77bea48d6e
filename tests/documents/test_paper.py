"""The page every printed document shares (``perisai.paper``): Indonesian dates, the letterhead's lines,
what the base-14 fonts can draw, one page whatever the body holds."""

import datetime
import io

from pypdf import PdfReader

from perisai import paper
from tests.documents.conftest import pages, text_of


def a_document(*, letterhead=None, body=(), signature=None):
    return paper.Document(
        letterhead=letterhead or paper.Letterhead(office="Kantor Cabang Cilacap"),
        title="Surat Keterangan",
        number="SK/CLP/2022/00001",
        body=body,
        signature=signature or paper.Signature(day=datetime.date(2022, 6, 15), position="Kepala Kantor Cabang"),
    )


def test_a_date_is_written_in_indonesian_whatever_language_is_active(english):
    assert paper.indonesian_date(datetime.date(2022, 6, 15)) == "15 Juni 2022"
    assert paper.indonesian_date(datetime.date(2021, 1, 1)) == "1 Januari 2021"
    assert paper.indonesian_date(datetime.date(2022, 12, 31)) == "31 Desember 2022"
    assert paper.indonesian_date(datetime.date(2022, 6, 15), weekday=True) == "Rabu, 15 Juni 2022"
    assert paper.indonesian_date(datetime.date(2022, 6, 19), weekday=True) == "Minggu, 19 Juni 2022"


def test_the_letterhead_writes_the_city_after_the_address_once():
    assert paper.Letterhead(office="X", address="Jl. Sudirman 1", city="Cilacap").lines() == ["Jl. Sudirman 1, Cilacap"]
    assert paper.Letterhead(office="X", address="Jl. Sudirman 1, Cilacap", city="Cilacap").lines() == [
        "Jl. Sudirman 1, Cilacap"
    ]
    assert paper.Letterhead(office="X", city="Cilacap", phone="0282-1").lines() == ["Cilacap", "Telp. 0282-1"]
    assert paper.Letterhead(office="X").lines() == []


def test_a_character_the_fonts_cannot_draw_is_written_as_its_plain_letter():
    assert paper.printable("Şükrü Ağa") == "Sükrü Aga"  # ü is in the fonts, Ş and ğ are not
    assert paper.printable("Siti Nur’aini • é") == "Siti Nur’aini • é"
    assert paper.printable("Budi 中") == "Budi ?"


def test_a_name_with_markup_characters_prints_as_written():
    pdf = paper.render(a_document(body=(paper.Text("PT <Maju> & Sejahtera"), paper.Fields((("Nama", "A & B <C>"),)))))

    assert "PT <Maju> & Sejahtera" in text_of(pdf)
    assert "A & B <C>" in text_of(pdf)


def test_a_document_is_one_a4_portrait_page_with_its_number_and_page_in_the_footer():
    pdf = paper.render(a_document(body=(paper.Text("Isi surat."),)))

    (page,) = pages(pdf)
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = text_of(pdf)
    assert text.count("SK/CLP/2022/00001") == 2  # under the title and in the footer
    assert "Halaman 1 dari 1" in text
    assert "SURAT KETERANGAN" in text


def test_a_body_too_long_for_the_page_shrinks_onto_it_with_the_signature():
    items = tuple(f"Butir nomor {n} yang panjang sekali untuk mengisi halaman" for n in range(120))
    pdf = paper.render(
        a_document(
            body=(paper.Items(items),),
            signature=paper.Signature(day=datetime.date(2022, 6, 15), position="Kepala", name="Bambang Hermawan"),
        )
    )

    assert len(pages(pdf)) == 1
    text = text_of(pdf)
    assert "Butir nomor 119" in text
    assert "Bambang Hermawan" in text


def test_without_a_place_the_signature_is_dated_alone_and_without_a_name_it_leaves_a_line_to_sign():
    pdf = paper.render(a_document())

    text = text_of(pdf)
    assert "15 Juni 2022" in text
    assert ", 15 Juni 2022" not in text
    assert "(....." in text


def test_the_same_document_renders_to_the_same_bytes():
    assert paper.render(a_document()) == paper.render(a_document())


def test_the_file_says_what_it_is_in_its_properties():
    metadata = PdfReader(io.BytesIO(paper.render(a_document()))).metadata

    assert metadata.title == "Surat Keterangan SK/CLP/2022/00001"
    assert metadata.author == "BPJS Ketenagakerjaan Kantor Cabang Cilacap"
