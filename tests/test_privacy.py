"""The rules of perisai.privacy: the masks, and who may see a full NIK or phone number."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from agents.models import User
from enrollment.models import Acquisition
from enrollment.privacy import may_export_personal_data, may_read_nik_log, may_reveal_nik
from perisai.privacy import (
    columns_for,
    mask_nik,
    mask_phone,
    may_see_phone,
    phone_for,
    table_for,
)
from reports.catalogue import TEXT, Column, Table
from tests.factories import AcquisitionFactory, UserFactory
from tests.privacy_builders import build_world


def test_a_nik_keeps_its_first_and_last_four_digits():
    assert mask_nik("3301234567890001") == "3301••••••••0001"


def test_a_phone_number_keeps_its_first_and_last_four_digits_without_its_dashes():
    assert mask_phone("0812-3456-7890") == "0812••••7890"
    assert mask_phone("0812 3456 789") == "0812••••6789"
    assert mask_phone("+62 812-3456-7890") == "+6281••••7890"


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_masks_to_nothing(value):
    assert mask_nik(value) == "" and mask_phone(value) == ""


def test_short_values_are_hidden_entirely():
    assert mask_nik("3301") == "••••" and mask_phone("1234567") == "•••••••"


@given(st.from_regex(r"[0-9]{16}", fullmatch=True))
def test_a_masked_nik_never_shows_the_birth_date_digits(nik):
    masked = mask_nik(nik)
    assert len(masked) == 16 and masked[4:12] == "•" * 8 and masked[:4] == nik[:4] and masked[12:] == nik[12:]


@given(st.from_regex(r"\+?0?8[0-9]{2}[ -]?[0-9]{3,4}[ -]?[0-9]{3,5}", fullmatch=True))
def test_a_masked_phone_shows_at_most_eight_digits(phone):
    masked = mask_phone(phone)
    assert sum(character.isdigit() for character in masked) <= 8
    assert "••••" in masked


@pytest.fixture
def world(rate):
    return build_world(rate)


def test_staff_the_head_and_administrators_may_reveal_any_nik_they_reach(world):
    for user in (world.staff, world.head, world.admin):
        assert may_reveal_nik(user, world.participant)
        assert may_reveal_nik(user, world.agent)


def test_an_agent_may_reveal_only_the_nik_of_a_participant_they_look_after(world):
    user = world.agent.user
    assert may_reveal_nik(user, world.participant)
    assert not may_reveal_nik(user, world.colleague_participant)
    assert not may_reveal_nik(user, world.agent)  # not even their own record: agent pages are not theirs
    assert not may_reveal_nik(user, world.colleague)


def test_an_agent_who_no_longer_looks_after_a_participant_may_not_reveal_their_nik(world):
    Acquisition.objects.filter(pk=world.acquisition.pk).update(
        status=Acquisition.Status.LAPSED, ended_on=datetime.date(2021, 12, 31)
    )
    AcquisitionFactory(agent=world.colleague, participant=world.participant, acquired_on=datetime.date(2022, 1, 10))
    assert not may_reveal_nik(world.agent.user, world.participant)
    assert may_reveal_nik(world.colleague.user, world.participant)


def test_nobody_signed_out_or_disabled_may_reveal(world):
    assert not may_reveal_nik(AnonymousUser(), world.participant)
    assert not may_reveal_nik(None, world.participant)
    world.staff.is_active = False
    assert not may_reveal_nik(world.staff, world.participant)


def test_phone_numbers_are_for_those_who_call_people(world):
    assert may_see_phone(world.staff) and may_see_phone(world.agent.user)
    assert not may_see_phone(world.head)
    assert not may_see_phone(world.admin)
    assert not may_see_phone(AnonymousUser()) and not may_see_phone(None)
    assert phone_for(world.staff, "0812-3456-7890") == "0812-3456-7890"
    assert phone_for(world.head, "0812-3456-7890") == "0812••••7890"


def test_the_log_is_for_the_head_and_administrators_the_export_for_staff_and_administrators(world):
    assert [may_read_nik_log(u) for u in (world.staff, world.head, world.admin, world.agent.user)] == [
        False,
        True,
        True,
        False,
    ]
    assert [may_export_personal_data(u) for u in (world.staff, world.head, world.admin, world.agent.user)] == [
        True,
        False,
        True,
        False,
    ]
    assert not may_read_nik_log(AnonymousUser()) and not may_export_personal_data(AnonymousUser())


def test_report_columns_reading_a_phone_field_are_masked_for_those_who_may_not_see_it(db):
    columns = [
        Column("name", "Name", TEXT),
        Column("phone", "Agent phone", TEXT),
        Column("participant__phone", "Phone", TEXT),
        Column("telephone_count", "Count"),
    ]
    row = {"name": "Ani", "phone": "0812-1111-2222", "participant__phone": "0813-3333-4444", "telephone_count": 2}
    table = Table("Lapsed", columns, [row])
    head = UserFactory(role=User.Role.HEAD)

    assert table_for(head, table).values(table.rows[0])[:3] == ["Ani", "0812••••2222", "0813••••4444"]
    assert table_for(UserFactory(role=User.Role.STAFF), table).values(table.rows[0])[:3] == [
        "Ani",
        "0812-1111-2222",
        "0813-3333-4444",
    ]
    assert columns_for(None, columns)[3] is columns[3]
    assert [column.label for column in columns_for(head, columns)] == [column.label for column in columns]


def test_the_template_filters(world):
    rendered = Template(
        "{% load privacy %}{{ nik|masked_nik }} {{ phone|phone_for:head }} {{ phone|phone_for:staff }}"
    ).render(Context({"nik": "3301234567890001", "phone": "0812-3456-7890", "head": world.head, "staff": world.staff}))
    assert rendered == "3301••••••••0001 0812••••7890 0812-3456-7890"


def test_a_participant_reads_with_a_masked_nik_wherever_it_is_printed(world):
    assert str(world.participant) == f"Siti Aminah ({mask_nik(world.participant.nik)})"
    assert world.participant.nik not in str(world.acquisition.participant)
