"""Phone numbers are written one way, +62 and the digits, however they were typed (``perisai.phones``)."""

import pytest
from django.core.exceptions import ValidationError

from perisai.phones import clean_phone, normalise_phone, searchable, whatsapp_number
from tests.factories import AgentFactory, ParticipantFactory


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "0812 3456 7890", "081234567890", "+62 812-3456-7890", "62 812 3456 7890",
     "+62 (812) 3456.7890", "81234567890", "+62 0812 3456 7890"],
)  # fmt: skip
def test_every_way_of_typing_a_mobile_number_gives_the_same_number(typed):
    assert normalise_phone(typed) == "+6281234567890"


def test_a_landline_keeps_its_area_code():
    assert normalise_phone("(0282) 534-567") == "+62282534567"


def test_another_countrys_number_keeps_its_code():
    assert normalise_phone("+60 12-345 6789") == "+60123456789"


def test_nothing_stays_nothing():
    assert normalise_phone("") == "" and normalise_phone(None) == "" and normalise_phone("  ") == ""


@pytest.mark.parametrize("typed", ["0812-ABCD-7890", "12345", "0000000000", "+62 12"])
def test_what_is_no_phone_number_is_refused_with_a_message(typed, english):
    with pytest.raises(ValueError):
        normalise_phone(typed)
    with pytest.raises(ValidationError, match="is not a phone number"):
        clean_phone(typed)


def test_whatsapp_takes_the_digits_without_the_plus():
    assert whatsapp_number("+6281234567890") == "6281234567890"
    assert whatsapp_number("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [ParticipantFactory, AgentFactory])
def test_a_participant_or_agent_checked_before_saving_keeps_the_number_in_its_one_form(factory):
    person = factory.build(phone="0857 2222 3333")
    person.full_clean(exclude=["branch", "office", "nik"])

    assert person.phone == "+6285722223333"


@pytest.mark.django_db
def test_a_number_that_is_no_number_is_an_error_on_the_phone_field():
    person = ParticipantFactory.build(phone="0812-000")

    with pytest.raises(ValidationError) as refused:
        person.clean()

    assert "phone" in refused.value.error_dict


@pytest.mark.parametrize("typed", ["0812-3456", "62812345", "8123456", "3456 7890"])
def test_part_of_a_number_typed_any_way_finds_the_stored_number(typed):
    digits = typed.replace("-", "").replace(" ", "")

    assert searchable(digits) in "+6281234567890"
