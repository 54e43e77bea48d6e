"""Change history: who created and changed a record, when, and each field's old and new value."""

import pytest
from django.template.loader import render_to_string

from agents.models import User
from enrollment.models import Contribution, Occupation
from enrollment.selectors.history import history_for
from enrollment.services.enrolment import acquisition_enrol, contribution_record
from tests.enrollment.field.builders import this_month, worker_data
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def enrolled(field_agent):
    return acquisition_enrol(agent=field_agent, **worker_data())


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch, first_name="Rina", last_name="Wulandari")


def change(instance, user, **values):
    for field, value in values.items():
        setattr(instance, field, value)
    instance._history_user = user
    instance.save()


def test_enrolling_is_recorded_as_created_by_the_agent(enrolled):
    entries = history_for(enrolled.participant, enrolled.participant.acquisitions.all())

    assert [(entry.subject, entry.action, entry.who) for entry in entries] == [
        (f"Acquisition {enrolled.acquired_on:%-d %B %Y}", "created", "Sari Wulandari"),
        ("Participant", "created", "Sari Wulandari"),
    ]
    assert all(entry.changes == [] for entry in entries)


def test_a_change_lists_each_field_with_old_and_new_values(enrolled, staff):
    participant = enrolled.participant
    change(participant, staff, phone="0813-0000-0000", occupation=Occupation.FARMER)

    latest = history_for(participant, full_phone=True)[0]  # as staff see it; masked by default (perisai.privacy)

    assert (latest.action, latest.who) == ("changed", "Rina Wulandari")
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("Occupation", "Fisher", "Farmer"),
        ("Phone", "+6281234567890", "0813-0000-0000"),
    ]


def test_the_reason_given_for_a_change_is_shown(enrolled, staff):
    participant = enrolled.participant
    participant._change_reason = "Typo in the phone number"
    change(participant, staff, phone="0813-0000-0000")

    entries = history_for(participant)
    assert entries[0].reason == "Typo in the phone number"
    html = render_to_string("enrollment/includes/history.html", {"history": entries})
    assert "Reason: Typo in the phone number" in html


def test_a_moved_participant_shows_the_agents_by_name(enrolled, other_agent, staff):
    change(enrolled, staff, caretaker=other_agent)

    latest = history_for(enrolled)[0]

    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("Looked after by", str(enrolled.agent), str(other_agent))
    ]


def test_saving_without_a_change_adds_no_entry(enrolled, staff):
    change(enrolled.participant, staff)
    assert len(history_for(enrolled.participant)) == 1


def test_several_records_come_newest_first_in_a_few_queries(
    enrolled, field_agent, staff, django_assert_max_num_queries
):
    contribution_record(
        acquisition=enrolled,
        agent=field_agent,
        period=this_month(),
        amount=enrolled.monthly_contribution,
        paid_on=enrolled.acquired_on,
    )
    change(enrolled.participant, staff, desa="Tambakreja")
    change(enrolled, staff, with_jht=True)
    participant = enrolled.participant

    with django_assert_max_num_queries(4):
        entries = history_for(
            participant,
            participant.acquisitions.all(),
            Contribution.objects.filter(acquisition__participant=participant),
        )

    assert len(entries) == 5
    assert [entry.when for entry in entries] == sorted((entry.when for entry in entries), reverse=True)
    assert entries[0].changes[0].field == "With JHT (old-age savings)"
    assert (entries[0].changes[0].old, entries[0].changes[0].new) == ("No", "Yes")
    assert any(entry.subject == f"Contribution {this_month():%B %Y}" for entry in entries)


def test_the_include_shows_who_when_and_what_changed(enrolled, staff):
    change(enrolled.participant, staff, phone="0813-0000-0000")

    entries = history_for(enrolled.participant, full_phone=True)  # as staff see it
    html = render_to_string("enrollment/includes/history.html", {"history": entries})

    assert "Rina Wulandari" in html
    assert "Sari Wulandari" in html
    assert "<del>+6281234567890</del> → <ins>0813-0000-0000</ins>" in html


def test_the_include_says_when_there_is_nothing(db):
    assert "No changes recorded." in render_to_string("enrollment/includes/history.html", {"history": []})
