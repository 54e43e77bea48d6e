"""Registering a candidate: one NIK, one person; the declaration; the recruiter; who registers for whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agents.models import Agent, User
from perisai.phones import normalise_phone
from recruitment import services
from recruitment.models import Candidate
from tests.factories import AgentFactory, BranchFactory, ParticipantFactory, UserFactory
from tests.recruitment.services_builders import REGISTERED_ON, codes, person, register, reload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch)


@pytest.fixture
def elsewhere(db):
    return BranchFactory(code="BMS", name="Banyumas")


def refused(call, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def test_a_registered_candidate_starts_registered_with_the_day_of_registration_and_of_the_declaration(branch, staff):
    data = person(phone="0812-2671-4410")

    candidate = services.candidate_register(
        branch=branch, registered_by=staff, declared_not_bpjs_employee=True, today=REGISTERED_ON, **data
    )

    candidate = reload(candidate)
    assert candidate.stage == Candidate.Stage.REGISTERED
    assert candidate.branch == branch and candidate.registered_by == staff
    assert candidate.nik == data["nik"] and candidate.full_name == data["full_name"]
    assert candidate.registered_on == candidate.stage_changed_on == REGISTERED_ON
    assert candidate.declared_not_bpjs_employee_on == REGISTERED_ON
    assert candidate.phone == normalise_phone("0812-2671-4410") == "+6281226714410"


def test_registration_is_the_first_row_of_the_history_under_who_registered(branch, staff):
    candidate = register(branch, staff)

    (row,) = candidate.history.all()
    assert row.history_type == "+" and row.history_user == staff and row.stage == Candidate.Stage.REGISTERED


def test_without_the_declaration_that_they_are_no_bpjs_employee_nothing_is_registered(branch, staff):
    error = refused(register, branch=branch, registered_by=staff, declared_not_bpjs_employee=False)

    assert "declared_not_bpjs_employee" in error.message_dict
    assert "employee" in error.message_dict["declared_not_bpjs_employee"][0]
    assert not Candidate.objects.exists()


def test_a_malformed_nik_is_refused_on_the_nik(branch, staff):
    error = refused(register, branch=branch, registered_by=staff, nik="3301051234")

    assert "16 digits" in error.message_dict["nik"][0]
    assert not Candidate.objects.exists()


def test_a_phone_that_is_no_number_is_refused_on_the_phone(branch, staff):
    error = refused(register, branch=branch, registered_by=staff, phone="call me")

    assert "phone" in error.message_dict
    assert not Candidate.objects.exists()


def test_a_nik_already_a_candidate_of_any_branch_is_refused_naming_the_branch(branch, staff, elsewhere):
    first = register(elsewhere)

    error = refused(register, branch=branch, registered_by=staff, nik=first.nik)

    assert codes(error) == {"already_a_candidate"}
    assert "Banyumas" in error.message_dict["nik"][0]
    assert Candidate.objects.count() == 1


def test_a_nik_of_an_active_agent_of_any_branch_is_refused_as_already_an_agent(branch, staff, elsewhere):
    agent = AgentFactory(branch=elsewhere)

    error = refused(register, branch=branch, registered_by=staff, nik=agent.nik)

    message = error.message_dict["nik"][0]
    assert "already an agent" in message and agent.code in message and "Banyumas" in message
    assert not Candidate.objects.exists()


def test_an_agent_who_left_comes_back_by_reactivation_not_as_a_candidate(branch, staff):
    agent = AgentFactory(
        branch=branch,
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2022, 1, 31),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )

    error = refused(register, branch=branch, registered_by=staff, nik=agent.nik)

    assert "reactivation" in error.message_dict["nik"][0]
    assert not Candidate.objects.exists()


def test_a_participant_of_another_branch_registers_there_not_here(branch, staff, elsewhere):
    participant = ParticipantFactory(branch=elsewhere)

    error = refused(register, branch=branch, registered_by=staff, nik=participant.nik)

    assert "participant of Banyumas" in error.message_dict["nik"][0]
    assert not Candidate.objects.exists()


def test_a_participant_of_the_branch_itself_registers(branch, staff):
    participant = ParticipantFactory(branch=branch)

    candidate = register(branch, staff, nik=participant.nik)

    assert candidate.nik == participant.nik


def test_the_recruiter_is_an_active_agent_of_the_same_branch(branch, staff, elsewhere):
    ours = AgentFactory(branch=branch)
    theirs = AgentFactory(branch=elsewhere)
    left = AgentFactory(
        branch=branch,
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2022, 1, 31),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )

    assert (
        "another branch"
        in refused(register, branch=branch, registered_by=staff, recruited_by=theirs).message_dict["recruited_by"][0]
    )
    assert (
        "no longer active"
        in refused(register, branch=branch, registered_by=staff, recruited_by=left).message_dict["recruited_by"][0]
    )
    assert not Candidate.objects.exists()
    assert register(branch, staff, recruited_by=ours).recruited_by == ours


def agent_login(agent):
    agent.user = UserFactory(role=User.Role.AGENT, branch=agent.branch)
    agent.save()
    return agent.user


def test_an_agent_registers_their_own_recruit(branch):
    agent = AgentFactory(branch=branch)

    candidate = register(branch, agent_login(agent))

    assert candidate.recruited_by == agent


def test_an_agent_cannot_register_someone_elses_recruit_nor_for_another_branch(branch, elsewhere):
    agent = AgentFactory(branch=branch)
    login = agent_login(agent)

    error = refused(register, branch=branch, registered_by=login, recruited_by=AgentFactory(branch=branch))
    assert "recruit themselves" in error.message_dict["recruited_by"][0]
    assert "own branch" in refused(register, branch=elsewhere, registered_by=login).messages[0]
    assert not Candidate.objects.exists()


def test_branch_staff_register_for_their_branch_and_a_national_administrator_for_any(branch, staff, elsewhere):
    assert "own branch" in refused(register, branch=elsewhere, registered_by=staff).messages[0]

    national = UserFactory(role=User.Role.ADMIN, branch=None)
    assert register(elsewhere, national).branch == elsewhere


def test_two_registrations_of_one_nik_at_once_the_unique_nik_decides_with_the_same_message(branch, staff, monkeypatch):
    """Staged as two requests that both checked before either saved: the first check misses the winner."""
    winner = register(branch, staff)
    checks = []
    real = services._nik_refusal

    def misses_the_winner_once(*args, **kwargs):
        checks.append(args)
        return None if len(checks) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "_nik_refusal", misses_the_winner_once)
    monkeypatch.setattr(Candidate, "full_clean", lambda self, *a, **k: None)

    error = refused(register, branch=branch, registered_by=staff, nik=winner.nik)

    assert "already registered as a candidate" in error.message_dict["nik"][0]
    assert Candidate.objects.count() == 1


# --- corrections -----------------------------------------------------------------------------------


def test_a_correction_changes_the_data_and_normalises_the_phone(branch, staff):
    candidate = register(branch, staff)

    services.candidate_update(candidate=candidate, full_name="Siti Rahayu Ningsih", phone="62 813 1111 2222")

    candidate = reload(candidate)
    assert candidate.full_name == "Siti Rahayu Ningsih"
    assert candidate.phone == "+6281311112222"


def test_a_corrected_nik_is_checked_like_a_new_one(branch, staff):
    candidate = register(branch, staff)
    original = candidate.nik
    agent = AgentFactory(branch=branch)

    error = refused(services.candidate_update, candidate=candidate, nik=agent.nik)

    assert "already an agent" in error.message_dict["nik"][0]
    assert reload(candidate).nik == original


def test_keeping_ones_own_nik_is_no_clash(branch, staff):
    candidate = register(branch, staff)

    services.candidate_update(candidate=candidate, nik=candidate.nik, kecamatan="Adipala", desa="Bunton")

    assert reload(candidate).kecamatan == "Adipala"


def test_a_new_recruiter_from_another_branch_is_refused(branch, staff):
    candidate = register(branch, staff)

    error = refused(services.candidate_update, candidate=candidate, recruited_by=AgentFactory(branch=BranchFactory()))

    assert "recruited_by" in error.message_dict
    assert reload(candidate).recruited_by is None


def test_a_withdrawn_candidate_is_not_corrected(branch, staff):
    candidate = register(branch, staff)
    services.candidate_withdraw(candidate=candidate, reason="Pindah ke Jakarta", today=REGISTERED_ON)

    error = refused(services.candidate_update, candidate=candidate, full_name="Someone Else")

    assert codes(error) == {"withdrawn"}
    assert reload(candidate).full_name == "Siti Rahayu"


def test_a_field_that_is_not_the_persons_is_a_programming_error(branch, staff):
    candidate = register(branch, staff)

    with pytest.raises(TypeError):
        services.candidate_update(candidate=candidate, stage=Candidate.Stage.PASSED)
