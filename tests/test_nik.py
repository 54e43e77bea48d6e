"""The NIK validator: a malformed NIK is refused with a reason; a mismatch with entered data is only reported."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from perisai import areas
from perisai.nik import FEMALE, MALE, nik_mismatches, parse_nik, validate_nik
from tests.factories import AgentFactory, ParticipantFactory

# Region 330101 (Central Java, Cilacap), born 15 May 1985, serial 0001; a woman's day is 15 + 40 = 55.
MAN_NIK = "3301011505850001"
WOMAN_NIK = "3301015505850002"
TODAY = datetime.date(2026, 11, 26)

pytestmark = pytest.mark.usefixtures("english")


def refusal(nik):
    """The ValidationError ``parse_nik`` raises for ``nik`` (the test fails if it raises none)."""
    with pytest.raises(ValidationError) as caught:
        parse_nik(nik, today=TODAY)
    return caught.value


def test_valid_male_nik_gives_region_birth_date_gender_and_serial():
    info = parse_nik(MAN_NIK, today=TODAY)

    assert info.region_code == "330101"
    assert info.birth_date == datetime.date(1985, 5, 15)
    assert info.gender == MALE
    assert info.serial == "0001"


def test_valid_female_nik_subtracts_40_from_the_day():
    info = parse_nik(WOMAN_NIK, today=TODAY)

    assert info.gender == FEMALE
    assert info.birth_date == datetime.date(1985, 5, 15)


def test_validate_nik_accepts_a_well_formed_nik():
    assert validate_nik(MAN_NIK) is None


@pytest.mark.parametrize("nik", ["330101150585000", "33010115058500011"], ids=["15-digits", "17-digits"])
def test_wrong_length_is_refused_with_the_digit_count(nik):
    error = refusal(nik)

    assert error.code == "nik_length"
    assert f"has {len(nik)}" in error.message


@pytest.mark.parametrize(
    "nik",
    ["33010115058500AB", "3301-11505850001", "٣٣٠١٠١١٥٠٥٨٥٠٠٠١", "３３０１０１１５０５８５０００１"],
    ids=["letters", "punctuation", "arabic-indic-digits", "fullwidth-digits"],
)
def test_anything_but_ascii_digits_is_refused(nik):
    assert refusal(nik).code == "nik_not_digits"


def test_unknown_province_code_is_refused_and_named():
    error = refusal("9901011505850001")

    assert error.code == "nik_province"
    assert "99" in error.message


@pytest.mark.parametrize("nik", ["3300011505850001", "3301001505850001"], ids=["regency-00", "district-00"])
def test_regency_or_district_00_is_refused(nik):
    assert refusal(nik).code == "nik_region"


@pytest.mark.parametrize("nik", ["3399011505850001", "3301991505850001", "9199011505850001"])
def test_a_district_that_never_existed_is_refused_and_named(nik):
    error = refusal(nik)

    assert error.code == "nik_district"
    assert nik[:6] in error.message


def test_a_district_retired_by_a_later_regulation_is_still_a_nik_district():
    """Makbon was 92.01.01 (Kabupaten Sorong, Papua Barat) until Papua Barat Daya took it as 96.01.xx."""
    assert parse_nik("9201011505850001", today=TODAY).region_code == "920101"
    assert areas.area("920101").retired
    assert areas.area(areas.area("920101").successor).name == "Makbon"


def test_a_district_of_a_papua_regency_renumbered_in_2022_is_accepted_though_no_data_names_it():
    """Merauke was regency 91.01 before it left for Papua Selatan (93.01); its old NIKs keep 9101xx."""
    assert areas.area("9101") is None
    assert parse_nik("9101011505850001", today=TODAY).region_code == "910101"
    assert refusal("9103991505850001").code == "nik_district"  # 91.03 Jayapura is still Papua's: 99 is not its


def test_the_area_codes_name_every_level_down_to_the_district():
    assert areas.area("33").name == "Jawa Tengah"
    assert areas.area("3301").name == "Kabupaten Cilacap"
    assert areas.district_label("330101") == "Kedungreja, Kabupaten Cilacap"
    assert len(areas.districts_of("3301")) == 24


@pytest.mark.parametrize(
    "nik, digits",
    [
        ("3301013102850001", "310285"),
        ("3301011513850001", "151385"),
        ("3301010005850001", "000585"),
        ("3301017205850001", "720585"),
    ],
    ids=["31-february", "month-13", "day-00", "female-day-72"],
)
def test_impossible_birth_date_is_refused_quoting_the_digits(nik, digits):
    error = refusal(nik)

    assert error.code == "nik_birth_date"
    assert digits in error.message


def test_serial_0000_is_refused():
    assert refusal("3301011505850000").code == "nik_serial"


@pytest.mark.parametrize(
    "nik, year",
    [("3301011505050001", 2005), ("3301011505850001", 1985), ("3301011505260001", 2026)],
    ids=["05-is-2005", "85-is-1985", "26-is-this-year"],
)
def test_two_digit_year_takes_the_latest_century_not_after_this_year(nik, year):
    assert parse_nik(nik, today=TODAY).birth_date.year == year


def test_mismatches_are_empty_when_birth_date_and_gender_agree():
    assert nik_mismatches(WOMAN_NIK, birth_date=datetime.date(1985, 5, 15), gender=FEMALE) == []


def test_mismatches_report_a_different_birth_date_with_both_dates():
    found = nik_mismatches(MAN_NIK, birth_date=datetime.date(1985, 5, 16), gender=MALE)

    assert len(found) == 1
    assert "15-05-85" in found[0]
    assert "16-05-1985" in found[0]


def test_mismatches_report_a_man_entered_for_a_womans_nik():
    found = nik_mismatches(WOMAN_NIK, birth_date=datetime.date(1985, 5, 15), gender=MALE)

    assert found == ["The NIK encodes a woman (day + 40) but a man was entered."]


def test_mismatches_report_a_woman_entered_for_a_mans_nik():
    found = nik_mismatches(MAN_NIK, birth_date=datetime.date(1985, 5, 15), gender=FEMALE)

    assert found == ["The NIK encodes a man but a woman was entered."]


def test_mismatches_ignore_the_century():
    assert nik_mismatches(MAN_NIK, birth_date=datetime.date(2085, 5, 15), gender=MALE) == []


def test_mismatches_leave_a_malformed_nik_to_the_validator():
    assert nik_mismatches("3301011505850000", birth_date=datetime.date(1990, 1, 1), gender=FEMALE) == []


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [ParticipantFactory, AgentFactory], ids=["participant", "agent"])
def test_model_full_clean_refuses_a_malformed_nik(factory):
    person = factory(nik="33010115058500AB")

    with pytest.raises(ValidationError) as caught:
        person.full_clean()

    assert [error.code for error in caught.value.error_dict["nik"]] == ["nik_not_digits"]


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [ParticipantFactory, AgentFactory], ids=["participant", "agent"])
def test_model_full_clean_accepts_a_factory_built_nik(factory):
    factory().full_clean()
