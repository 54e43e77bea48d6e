"""Activation as an agent, withdrawal, coming back, and the history of a candidate's way."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agents.models import Agent, User
from recruitment import services
from recruitment.models import Candidate, Seat
from tests.factories import AgentFactory, BranchFactory, PerisaiOfficeFactory, UserFactory
from tests.recruitment.services_builders import (
    HELD_ON,
    REGISTERED_ON,
    codes,
    enrol,
    invited,
    register,
    reload,
    scored,
    session_of,
    trained,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

JOINED_ON = datetime.date(2022, 7, 1)
TODAY = datetime.date(2022, 7, 4)


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch)


@pytest.fixture
def session(branch):
    return session_of(branch)


@pytest.fixture
def recruiter(office):
    return AgentFactory(branch=office.branch, office=office)


@pytest.fixture
def passed(branch, staff, session, recruiter):
    """A candidate recruited by an agent, passed at the session of 15 June, enrolled as a BPU participant."""
    candidate = register(branch, staff, recruited_by=recruiter)
    scored(candidate, session, 88)
    enrol(candidate)
    return reload(candidate)


def activate(candidate, office, **overrides):
    arguments = {"code": "CLP-A101", "joined_on": JOINED_ON, "today": TODAY, **overrides}
    return services.candidate_activate(candidate=candidate, office=office, **arguments)


def refused(call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


def nothing_was_activated(candidate, stage=Candidate.Stage.PASSED):
    candidate = reload(candidate)
    assert candidate.stage == stage and candidate.agent is None
    assert not Agent.objects.filter(nik=candidate.nik).exists()
    assert not User.objects.filter(username="clp-a101").exists()


# --- activation ----------------------------------------------------------------------------------


def test_passing_makes_the_agent_in_the_chosen_office_with_training_date_recruiter_and_declaration(
    passed, office, recruiter, staff
):
    agent, password = activate(passed, office, changed_by=staff)

    agent = Agent.objects.get(pk=agent.pk)
    assert (agent.office, agent.branch, agent.code, agent.status) == (
        office,
        office.branch,
        "CLP-A101",
        Agent.Status.ACTIVE,
    )
    assert (agent.nik, agent.full_name, agent.gender, agent.birth_date) == (
        passed.nik,
        passed.full_name,
        passed.gender,
        passed.birth_date,
    )
    assert (agent.phone, agent.kecamatan, agent.desa) == (passed.phone, passed.kecamatan, passed.desa)
    assert agent.joined_on == JOINED_ON
    assert agent.trained_on == HELD_ON
    assert agent.recruited_by == recruiter
    assert agent.declared_not_bpjs_employee_on == passed.declared_not_bpjs_employee_on == REGISTERED_ON
    candidate = reload(passed)
    assert candidate.stage == Candidate.Stage.ACTIVATED and candidate.agent == agent
    assert candidate.stage_changed_on == TODAY


def test_the_new_agent_signs_in_with_the_temporary_password_returned_once(passed, office):
    agent, password = activate(passed, office)

    user = Agent.objects.get(pk=agent.pk).user
    assert user.username == "clp-a101" and user.check_password(password)
    assert user.role == User.Role.AGENT and user.branch == office.branch and not user.is_staff


def test_without_a_login_the_agent_has_none_and_no_password_is_returned(passed, office):
    agent, password = activate(passed, office, create_login=False)

    assert password is None and Agent.objects.get(pk=agent.pk).user is None


def test_after_a_retake_the_training_date_is_that_of_the_session_passed(branch, staff, office):
    candidate = register(branch, staff)
    scored(candidate, session_of(branch), 30)
    retake = session_of(branch, held_on=datetime.date(2022, 6, 29))
    retake_seat = invited(candidate, retake)
    services.seat_attend(seat=retake_seat, attended=True, today=retake.held_on)
    services.result_record(seat=retake_seat, score=90, today=retake.held_on)
    enrol(candidate)

    agent, _password = activate(candidate, office)

    assert agent.trained_on == retake.held_on


@pytest.mark.parametrize("how_far", ["registered", "invited", "trained", "failed"])
def test_only_a_candidate_who_passed_is_activated(branch, staff, session, office, how_far):
    candidate = register(branch, staff)
    if how_far == "invited":
        invited(candidate, session)
    elif how_far == "trained":
        trained(candidate, session)
    elif how_far == "failed":
        scored(candidate, session, 10)
    enrol(candidate)

    error = refused(activate, candidate, office)

    assert codes(error) == {"not_passed"}
    nothing_was_activated(candidate, stage=how_far)


def test_an_activated_candidate_is_not_activated_twice(passed, office):
    activate(passed, office)

    error = refused(activate, passed, office, code="CLP-A102")

    assert codes(error) == {"already_activated"} and "CLP-A101" in error.messages[0]
    assert not Agent.objects.filter(code="CLP-A102").exists()


def test_activation_without_being_a_bpu_participant_is_refused(branch, staff, session, office):
    candidate = register(branch, staff)
    scored(candidate, session, 90)

    error = refused(activate, candidate, office)

    assert codes(error) == {"not_a_participant"} and "BPU participant" in error.messages[0]
    nothing_was_activated(candidate)


def test_a_lapsed_participant_is_enrolled_again_before_activation(branch, staff, session, office):
    candidate = register(branch, staff)
    scored(candidate, session, 90)
    enrol(candidate, lapsed=True)

    assert codes(refused(activate, candidate, office)) == {"not_a_participant"}
    nothing_was_activated(candidate)


def test_a_participant_who_moved_to_another_branch_is_not_this_branchs_participant(branch, staff, session, office):
    candidate = register(branch, staff)
    scored(candidate, session, 90)
    enrol(candidate, BranchFactory())

    assert codes(refused(activate, candidate, office)) == {"not_a_participant"}
    nothing_was_activated(candidate)


def test_an_office_of_another_branch_or_a_closed_one_is_refused(passed):
    theirs = PerisaiOfficeFactory(branch=BranchFactory())
    closed = PerisaiOfficeFactory(branch=passed.branch, is_active=False)

    assert codes(refused(activate, passed, theirs)) == {"office_elsewhere"}
    assert codes(refused(activate, passed, closed)) == {"office_closed"}
    nothing_was_activated(passed)


def test_an_agent_joins_on_or_after_the_training_and_not_in_the_future(passed, office):
    before = refused(activate, passed, office, joined_on=HELD_ON - datetime.timedelta(days=1))
    future = refused(activate, passed, office, joined_on=TODAY + datetime.timedelta(days=1))

    assert codes(before) == {"joined_before_training"} and "15 June 2022" in before.message_dict["joined_on"][0]
    assert codes(future) == {"joined_in_future"}
    nothing_was_activated(passed)
    assert activate(passed, office, joined_on=HELD_ON)[0].joined_on == HELD_ON


def test_an_agent_code_already_taken_changes_nothing(passed, office):
    AgentFactory(branch=office.branch, office=office, code="CLP-A101")

    error = refused(activate, passed, office)

    assert "code" in error.message_dict
    assert reload(passed).stage == Candidate.Stage.PASSED and reload(passed).agent is None
    assert not Agent.objects.filter(nik=passed.nik).exists()


def test_a_username_already_taken_leaves_no_agent_behind(passed, office):
    UserFactory(username="clp-a101", branch=office.branch)

    error = refused(activate, passed, office)

    assert "username" in error.message_dict
    assert reload(passed).stage == Candidate.Stage.PASSED
    assert not Agent.objects.filter(nik=passed.nik).exists()


def test_a_candidate_made_an_agent_meanwhile_on_the_agents_page_is_not_activated_again(passed, office):
    AgentFactory(
        branch=office.branch,
        office=office,
        nik=passed.nik,
        gender=passed.gender,
        birth_date=passed.birth_date,
        code="CLP-A900",
    )

    error = refused(activate, passed, office)

    assert codes(error) == {"already_an_agent"} and "CLP-A900" in error.messages[0]
    assert reload(passed).stage == Candidate.Stage.PASSED
    assert not Agent.objects.filter(code="CLP-A101").exists()


# --- withdrawal and coming back ------------------------------------------------------------------


def test_a_candidate_withdraws_with_a_reason_kept_on_the_candidate_and_in_the_history(branch, staff):
    candidate = register(branch, staff)
    day = datetime.date(2022, 6, 5)

    services.candidate_withdraw(candidate=candidate, reason="  Pindah ke Jakarta ", changed_by=staff, today=day)

    candidate = reload(candidate)
    assert candidate.stage == Candidate.Stage.WITHDRAWN and candidate.stage_changed_on == day
    assert candidate.withdrawal_reason == "Pindah ke Jakarta"
    latest = candidate.history.first()
    assert latest.history_change_reason == "Pindah ke Jakarta" and latest.history_user == staff


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 301])
def test_a_withdrawal_needs_a_reason_of_reasonable_length(branch, staff, reason):
    candidate = register(branch, staff)

    error = refused(services.candidate_withdraw, candidate=candidate, reason=reason)

    assert "reason" in error.message_dict
    assert reload(candidate).stage == Candidate.Stage.REGISTERED


def test_withdrawing_gives_up_a_seat_waiting_for_its_session_but_keeps_one_attended(branch, staff, session):
    waiting = register(branch, staff)
    invited(waiting, session)
    attended = register(branch, staff)
    attended_seat = trained(attended, session)

    services.candidate_withdraw(candidate=waiting, reason="Sakit", today=REGISTERED_ON)
    services.candidate_withdraw(candidate=attended, reason="Diterima kerja", today=HELD_ON)

    assert list(Seat.objects.filter(session=session)) == [attended_seat]


def test_an_activated_candidate_does_not_withdraw(passed, office):
    activate(passed, office)

    error = refused(services.candidate_withdraw, candidate=passed, reason="Berubah pikiran")

    assert codes(error) == {"already_activated"} and "deactivated" in error.messages[0]
    assert reload(passed).stage == Candidate.Stage.ACTIVATED


def test_withdrawing_twice_is_refused(branch, staff):
    candidate = register(branch, staff)
    services.candidate_withdraw(candidate=candidate, reason="Sakit")

    assert codes(refused(services.candidate_withdraw, candidate=candidate, reason="Lagi")) == {"withdrawn"}
    assert reload(candidate).withdrawal_reason == "Sakit"


def test_a_withdrawn_candidate_comes_back_where_their_seats_left_them(branch, staff, session):
    candidate = register(branch, staff)
    scored(candidate, session, 20)
    services.candidate_withdraw(candidate=candidate, reason="Sibuk panen", today=HELD_ON)

    services.candidate_reinstate(candidate=candidate, today=datetime.date(2022, 8, 1))

    candidate = reload(candidate)
    assert candidate.stage == Candidate.Stage.FAILED and candidate.withdrawal_reason == ""
    assert candidate.history.filter(stage=Candidate.Stage.WITHDRAWN, withdrawal_reason="Sibuk panen").exists()


def test_only_a_withdrawn_candidate_is_reinstated(branch, staff):
    candidate = register(branch, staff)

    assert codes(refused(services.candidate_reinstate, candidate=candidate)) == {"not_withdrawn"}


# --- the history ---------------------------------------------------------------------------------


def test_the_history_shows_the_way_from_registered_to_activated_with_who_moved_the_candidate(branch, session, office):
    registrar, trainer, head_of_network = (UserFactory(role=User.Role.STAFF, branch=branch) for _ in range(3))
    candidate = register(branch, registrar)
    seat = services.candidate_invite(candidate=candidate, session=session, today=REGISTERED_ON, changed_by=registrar)
    services.seat_attend(seat=seat, attended=True, today=HELD_ON, changed_by=trainer)
    services.result_record(seat=seat, score=77, today=HELD_ON, changed_by=trainer)
    enrol(candidate)
    activate(candidate, office, changed_by=head_of_network)

    way = [(row.stage, row.history_user) for row in candidate.history.order_by("history_date", "history_id")]

    assert way == [
        (Candidate.Stage.REGISTERED, registrar),
        (Candidate.Stage.INVITED, registrar),
        (Candidate.Stage.TRAINED, trainer),
        (Candidate.Stage.PASSED, trainer),
        (Candidate.Stage.ACTIVATED, head_of_network),
    ]
    dates = [row.stage_changed_on for row in candidate.history.order_by("history_date", "history_id")]
    assert dates == [REGISTERED_ON, REGISTERED_ON, HELD_ON, HELD_ON, TODAY]
