"""How cells are read: the spellings staff use for genders, yes/no, amounts, dates and occupations."""

import datetime
from decimal import Decimal

import pytest

from enrollment.importing.columns import (
    CellError,
    check_formula,
    match_header,
    read_date,
    read_gender,
    read_occupation,
    read_rupiah,
    read_yes_no,
)
from enrollment.importing.reader import SpreadsheetError


@pytest.mark.parametrize(
    ("text", "gender"),
    [("L", "M"), ("p", "F"), ("M", "M"), ("F", "F"), ("Laki-laki", "M"), ("PEREMPUAN", "F"), ("Male", "M")],
)
def test_genders(text, gender):
    assert read_gender(text) == gender


@pytest.mark.parametrize(
    ("value", "answer"), [("Ya", True), ("y", True), ("Tidak", False), ("N", False), (None, False), (True, True)]
)
def test_yes_no(value, answer):
    assert read_yes_no(value) is answer


@pytest.mark.parametrize(
    "value", [1000000, "1000000", "1.000.000", "1,000,000", "Rp 1.000.000", "Rp1.000.000,00", "Rp 1.000.000,-"]
)
def test_amounts(value):
    assert read_rupiah(value) == Decimal(1_000_000)


@pytest.mark.parametrize("value", ["1,5 juta", "1.000,5", 1000000.5, "1.000.000,000"])
def test_amounts_that_are_not_whole_rupiah(value):
    with pytest.raises(CellError):
        read_rupiah(value)


@pytest.mark.parametrize("value", ["15-03-1985", "15/03/1985", "15.3.1985", "1985-03-15"])
def test_dates(value):
    assert read_date(value) == datetime.date(1985, 3, 15)


@pytest.mark.parametrize("value", ["03/15/85", "15 Maret 1985", "30-02-1985", 31096])
def test_not_dates(value, english):
    with pytest.raises(CellError, match="is not a date"):
        read_date(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("farmer", "farmer"), ("Petani", "farmer"), ("Trader / street vendor", "trader"), ("ojek", "driver")],
)
def test_occupations_by_code_label_or_common_word(value, code):
    assert read_occupation(value) == code


def test_a_formula_is_refused(english):
    with pytest.raises(CellError, match="formula"):
        check_formula("=SUM(A1:A3)")


def test_headers_match_in_either_language_or_by_key():
    header = ["nik", "Nama Lengkap", "tanggal lahir", "Jenis Kelamin", "kecamatan", "Pekerjaan", "penghasilan",
              "Tanggal akuisisi", "ignored"]  # fmt: skip
    assert set(match_header(header, agent_chosen=True)) == {
        "nik", "full_name", "birth_date", "gender", "kecamatan", "occupation", "declared_income", "acquired_on"
    }  # fmt: skip


def test_missing_headers_raise_every_problem_at_once(english):
    with pytest.raises(SpreadsheetError) as raised:
        match_header(["NIK"], agent_chosen=False)
    assert len(raised.value.args) == 8
