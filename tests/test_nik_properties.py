"""Property-based tests of the NIK validator: any input gets a ValidationError or a sound answer."""

import datetime

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from perisai import areas
from perisai.nik import FEMALE, MALE, build_nik, nik_mismatches, parse_nik

TODAY = datetime.date(2026, 11, 26)

# Real districts (perisai.areas), in force or retired: a NIK names one of them.
regions = st.sampled_from(sorted(code for code in areas._areas() if len(code) == 6))
birth_dates = st.dates(min_value=datetime.date(TODAY.year - 99, TODAY.month, TODAY.day) + datetime.timedelta(days=1),
                       max_value=TODAY)  # fmt: skip
genders = st.sampled_from([MALE, FEMALE])
serials = st.integers(1, 9999)


@given(st.text(max_size=40))
def test_any_text_is_refused_with_a_validation_error_or_parsed(text):
    try:
        info = parse_nik(text, today=TODAY)
    except ValidationError as error:
        assert error.code.startswith("nik_")
    else:
        assert len(text.strip()) == 16 and info.birth_date <= TODAY


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_sixteen_digits_parse_to_a_past_date_or_are_refused_with_a_reason(digits):
    try:
        info = parse_nik(digits, today=TODAY)
    except ValidationError as error:
        assert error.code in {"nik_province", "nik_region", "nik_district", "nik_birth_date", "nik_serial"}
    else:
        assert info.region_code == digits[:6]
        assert info.birth_date <= TODAY
        assert info.gender == (FEMALE if int(digits[6:8]) > 40 else MALE)


@given(regions, birth_dates, genders, serials)
def test_a_built_nik_parses_back_to_its_parts(region, birth_date, gender, serial):
    nik = build_nik(region, birth_date, gender, serial)
    info = parse_nik(nik, today=TODAY)
    assert (info.region_code, info.birth_date, info.gender, int(info.serial)) == (region, birth_date, gender, serial)


@given(regions, birth_dates, genders, serials, birth_dates, genders)
def test_mismatches_are_reported_exactly_when_the_data_disagree(region, born, gender, serial, entered, entered_gender):
    nik = build_nik(region, born, gender, serial)
    found = nik_mismatches(nik, birth_date=entered, gender=entered_gender)
    same_date = (born.day, born.month, born.year % 100) == (entered.day, entered.month, entered.year % 100)
    assert len(found) == (not same_date) + (gender != entered_gender)
