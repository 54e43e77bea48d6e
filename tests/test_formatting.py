"""Shared formatting: numbers and Rupiah per language, and spreadsheet-safe text."""

from decimal import Decimal

import pytest
from django.utils import translation

from perisai.formatting import number, percent, rupiah
from perisai.spreadsheets import neutralise


@pytest.mark.parametrize(
    ("language", "count", "money", "share"),
    [("id", "5.628", "Rp\u00a016.800", "12,5%"), ("en", "5,628", "Rp\u00a016,800", "12.5%")],
)
def test_numbers_follow_the_language(language, count, money, share):
    with translation.override(language):
        assert number(5628) == count
        assert rupiah(Decimal("16800")) == money
        assert percent(12.5) == share


def test_missing_values_render_empty():
    assert number(None) == rupiah(None) == percent(None) == ""


@pytest.mark.parametrize("text", ["=1+1", "+62812", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Budi", "0812", 5628, None, Decimal("16800")])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


def test_sheet_names_are_valid_and_unique():
    from perisai.spreadsheets import sheet_name

    assert sheet_name("Laporan: Januari/Juni [2022]?", set()) == "Laporan  Januari Juni  2022"
    assert sheet_name("x" * 40, set()) == "x" * 31
    assert sheet_name("Ringkasan", {"ringkasan"}) == "Ringkasan (2)"
    assert sheet_name("y" * 31, {"y" * 31, "y" * 27 + " (2)"}) == "y" * 27 + " (3)"
