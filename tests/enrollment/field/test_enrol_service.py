"""``acquisition_enrol``: an agent enrols a worker; duplicates are refused, lapsed workers come back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agents.models import Agent
from enrollment.models import Acquisition, Participant
from enrollment.services import enrolment
from enrollment.services.enrolment import AlreadyEnrolled, acquisition_enrol
from tests.enrollment.field.builders import WORKER_NIK, lapse, worker_data
from tests.factories import AcquisitionFactory, ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_new_worker_is_enrolled_today_by_the_agent_at_the_rate_in_force(field_agent, rate):
    acquisition = acquisition_enrol(agent=field_agent, **worker_data())

    participant = acquisition.participant
    assert (participant.nik, participant.full_name, participant.branch) == (
        WORKER_NIK,
        "Slamet Riyadi",
        field_agent.branch,
    )
    assert acquisition.acquired_on == timezone.localdate()
    assert (acquisition.agent, acquisition.caretaker) == (field_agent, field_agent)
    assert (acquisition.branch, acquisition.office) == (field_agent.branch, field_agent.office)
    assert acquisition.status == Acquisition.Status.ACTIVE
    assert acquisition.rate == rate
    assert acquisition.monthly_contribution == Decimal(16_800)


def test_jht_adds_two_percent_of_the_declared_income(field_agent):
    acquisition = acquisition_enrol(agent=field_agent, **worker_data(declared_income=Decimal(2_000_000), with_jht=True))
    assert acquisition.monthly_contribution == Decimal(20_000 + 6_800 + 40_000)
    assert acquisition.with_jht


def test_an_enrolment_records_who_did_it_in_the_history(field_agent):
    acquisition = acquisition_enrol(agent=field_agent, **worker_data())

    participant_history = acquisition.participant.history.get()
    acquisition_history = acquisition.history.get()
    assert participant_history.history_type == acquisition_history.history_type == "+"
    assert participant_history.history_user == acquisition_history.history_user == field_agent.user


def test_a_worker_with_an_active_acquisition_is_refused_with_date_and_agent_only(field_agent, other_agent):
    existing = AcquisitionFactory(agent=other_agent, acquired_on=datetime.date(2026, 2, 3), participant__nik=WORKER_NIK)

    with pytest.raises(AlreadyEnrolled) as refused:
        acquisition_enrol(agent=field_agent, **worker_data(full_name="Someone Else", phone="0899-0000-1111"))

    assert refused.value.messages == [
        "This worker is already enrolled: on 3 February 2026 by Budi Santoso. Nothing was saved."
    ]
    assert refused.value.code == "already_enrolled"
    assert Acquisition.objects.count() == 1
    existing.participant.refresh_from_db()
    assert existing.participant.phone != "0899-0000-1111"


def test_a_lapsed_worker_is_acquired_again_and_counts_again(field_agent, other_agent):
    old = lapse(
        AcquisitionFactory(agent=other_agent, acquired_on=datetime.date(2021, 3, 1), participant__nik=WORKER_NIK),
        ended_on=datetime.date(2021, 9, 1),
    )
    old_name = old.participant.full_name

    again = acquisition_enrol(
        agent=field_agent, **worker_data(phone="0899-0000-1111", kecamatan="Kroya", desa="Bajing")
    )

    assert again.participant_id == old.participant_id
    assert Acquisition.objects.filter(participant=old.participant).count() == 2
    assert (again.agent, again.caretaker, again.status) == (field_agent, field_agent, Acquisition.Status.ACTIVE)
    participant = Participant.objects.get()
    assert (participant.phone, participant.kecamatan) == ("+6289900001111", "Kroya")
    assert participant.full_name == old_name  # identity data stays as registered
    assert participant.history.latest().history_user == field_agent.user


def test_a_lapsed_worker_of_another_branch_moves_to_the_agents_branch(field_agent):
    elsewhere = lapse(AcquisitionFactory(acquired_on=datetime.date(2021, 3, 1), participant__nik=WORKER_NIK))
    assert elsewhere.participant.branch != field_agent.branch

    again = acquisition_enrol(agent=field_agent, **worker_data())

    assert again.participant.branch == field_agent.branch
    elsewhere.refresh_from_db()
    assert elsewhere.branch != field_agent.branch  # the old acquisition keeps its branch for the reports


def test_an_income_outside_the_rate_is_refused_on_the_income(field_agent):
    with pytest.raises(ValidationError) as refused:
        acquisition_enrol(agent=field_agent, **worker_data(declared_income=Decimal(900_000)))
    assert "declared_income" in refused.value.error_dict
    assert "Rp 1.000.000 and Rp 20.700.000" in refused.value.error_dict["declared_income"][0].messages[0]
    assert not Participant.objects.exists()


def test_a_malformed_nik_is_refused(field_agent):
    with pytest.raises(ValidationError) as refused:
        acquisition_enrol(agent=field_agent, **worker_data(nik="12345"))
    assert "nik" in refused.value.error_dict
    assert not Participant.objects.exists()


def test_an_inactive_agent_cannot_enrol(field_agent):
    Agent.objects.filter(pk=field_agent.pk).update(
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2025, 1, 1),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )
    field_agent.refresh_from_db()
    with pytest.raises(ValidationError, match="Only an active agent"):
        acquisition_enrol(agent=field_agent, **worker_data())
    assert not Participant.objects.exists()


def test_an_enrolment_cannot_be_dated_in_the_future(field_agent):
    with pytest.raises(ValidationError, match="future"):
        acquisition_enrol(
            agent=field_agent, **worker_data(), acquired_on=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_the_database_decides_when_another_enrolment_slips_past_the_check(field_agent, other_agent, monkeypatch):
    """The race, played in one thread: the check sees nothing, then the unique constraint refuses."""
    AcquisitionFactory(agent=other_agent, acquired_on=datetime.date(2026, 2, 3), participant__nik=WORKER_NIK)
    real_lookup = enrolment._active_acquisition
    calls = []

    def check_sees_nothing_the_first_time(nik):
        calls.append(nik)
        return None if len(calls) == 1 else real_lookup(nik)

    monkeypatch.setattr(enrolment, "_active_acquisition", check_sees_nothing_the_first_time)

    with pytest.raises(AlreadyEnrolled, match="on 3 February 2026 by Budi Santoso"):
        acquisition_enrol(agent=field_agent, **worker_data())
    assert Acquisition.objects.count() == 1


def test_a_participant_without_any_acquisition_is_simply_enrolled(field_agent):
    """A participant row with no acquisition (left by an interrupted import, say) is acquired normally."""
    ParticipantFactory(nik=WORKER_NIK, branch=field_agent.branch)
    acquisition = acquisition_enrol(agent=field_agent, **worker_data())
    assert Participant.objects.count() == 1
    assert acquisition.participant.nik == WORKER_NIK
