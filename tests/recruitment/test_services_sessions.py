"""Training sessions and invitations: capacity, the branch's own sessions, one session at a time, retakes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from agents.models import User
from recruitment import services
from recruitment.models import Candidate, Seat, TrainingSession
from tests.factories import AgentFactory, BranchFactory, CandidateFactory, SeatFactory, UserFactory
from tests.recruitment.services_builders import (
    HELD_ON,
    REGISTERED_ON,
    codes,
    invited,
    register,
    reload,
    scored,
    session_of,
    trained,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch)


@pytest.fixture
def session(branch):
    return session_of(branch)


@pytest.fixture
def candidate(branch, staff):
    return register(branch, staff)


def refused(call, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


# --- sessions ------------------------------------------------------------------------------------


def test_a_session_is_created_with_what_the_branch_plans(branch, staff):
    session = services.session_create(
        branch=branch,
        created_by=staff,
        held_on=HELD_ON,
        starts_at=datetime.time(9, 0),
        place="Aula Kantor Cabang Cilacap",
        trainer="Bidang Kepesertaan",
        capacity=25,
        materials="JKK, JKM\nPendaftaran BPU",
        pass_mark=75,
    )

    session = reload(session)
    assert (session.branch, session.held_on, session.capacity, session.pass_mark) == (branch, HELD_ON, 25, 75)
    assert session.created_by == staff
    assert session.history.get().history_user == staff


@pytest.mark.parametrize(("field", "value"), [("capacity", 0), ("capacity", 501), ("pass_mark", 101)])
def test_a_session_out_of_range_is_refused(branch, field, value):
    data = {"held_on": HELD_ON, "place": "Aula", "trainer": "Bidang Kepesertaan", "capacity": 20, field: value}

    error = refused(services.session_create, branch=branch, **data)

    assert field in error.message_dict
    assert not TrainingSession.objects.exists()


def test_the_capacity_never_goes_below_the_seats_taken(session):
    SeatFactory.create_batch(3, session=session)

    error = refused(services.session_update, session=session, capacity=2)

    assert codes(error) == {"capacity_below_seats"} and "3 seats" in error.message_dict["capacity"][0]
    assert reload(session).capacity == 30
    assert services.session_update(session=session, capacity=3).capacity == 3


def test_the_pass_mark_is_fixed_once_a_result_is_recorded(session, candidate):
    services.session_update(session=session, pass_mark=80)
    scored(candidate, session, 90)

    error = refused(services.session_update, session=session, pass_mark=60)

    assert codes(error) == {"pass_mark_fixed"}
    assert reload(session).pass_mark == 80
    assert services.session_update(session=session, pass_mark=80, place="Aula Baru").place == "Aula Baru"


def test_the_date_is_fixed_once_attendance_is_taken(session, candidate):
    later = HELD_ON + datetime.timedelta(days=7)
    services.session_update(session=session, held_on=later)
    trained(candidate, session)

    error = refused(services.session_update, session=session, held_on=HELD_ON)

    assert codes(error) == {"date_fixed"}
    assert reload(session).held_on == later


def test_a_session_change_of_a_field_it_has_not_is_a_programming_error(session):
    with pytest.raises(TypeError):
        services.session_update(session=session, branch=BranchFactory())


# --- invitations ---------------------------------------------------------------------------------


def test_an_invitation_gives_a_seat_and_moves_the_candidate_to_invited(candidate, session):
    day = datetime.date(2022, 6, 3)

    seat = services.candidate_invite(candidate=candidate, session=session, today=day)

    seat, candidate = reload(seat, candidate)
    assert (seat.session, seat.candidate, seat.invited_on) == (session, candidate, day)
    assert seat.attended is None and seat.score is None
    assert candidate.stage == Candidate.Stage.INVITED and candidate.stage_changed_on == day


def test_a_session_of_another_branch_is_refused(candidate):
    theirs = session_of(BranchFactory())

    assert codes(refused(invited, candidate=candidate, session=theirs)) == {"other_branch"}
    assert reload(candidate).stage == Candidate.Stage.REGISTERED
    assert not Seat.objects.exists()


def test_a_session_already_held_takes_no_one_but_the_day_itself_still_does(branch, candidate, staff):
    session = session_of(branch)
    day_after = HELD_ON + datetime.timedelta(days=1)

    error = refused(services.candidate_invite, candidate=candidate, session=session, today=day_after)
    assert codes(error) == {"session_held"}
    assert not Seat.objects.exists()

    services.candidate_invite(candidate=candidate, session=session, today=HELD_ON)
    assert reload(candidate).stage == Candidate.Stage.INVITED


def test_a_full_session_refuses_another_invitation(branch, staff):
    session = session_of(branch, capacity=2)
    first, second, third = (register(branch, staff) for _ in range(3))
    invited(first, session)
    invited(second, session)

    error = refused(invited, candidate=third, session=session)

    assert codes(error) == {"session_full"} and "2 seats" in error.messages[0]
    assert Seat.objects.filter(session=session).count() == 2
    assert reload(third).stage == Candidate.Stage.REGISTERED


def test_an_absent_candidates_seat_still_counts_against_the_capacity(branch, staff):
    session = session_of(branch, capacity=1)
    absent = register(branch, staff)
    services.seat_attend(seat=invited(absent, session), attended=False, today=HELD_ON)

    assert codes(
        refused(services.candidate_invite, candidate=register(branch, staff), session=session, today=HELD_ON)
    ) == {"session_full"}


def test_a_candidate_waits_for_one_session_at_a_time(branch, candidate):
    first = session_of(branch)
    invited(candidate, first)

    error = refused(invited, candidate=candidate, session=session_of(branch, held_on=datetime.date(2022, 7, 1)))

    assert codes(error) == {"already_invited"} and "15 June 2022" in error.messages[0]
    assert Seat.objects.filter(candidate=candidate).count() == 1


def test_the_schema_keeps_one_open_seat_per_candidate(branch, candidate):
    SeatFactory(candidate=candidate, session=session_of(branch))

    with pytest.raises(IntegrityError):
        SeatFactory(candidate=candidate, session=session_of(branch))


def test_a_candidate_waiting_for_the_result_is_not_invited_again(branch, candidate, session):
    trained(candidate, session)

    error = refused(invited, candidate=candidate, session=session_of(branch))

    assert codes(error) == {"waiting_for_result"}


@pytest.mark.parametrize(
    ("score", "stage", "allowed"), [(90, Candidate.Stage.PASSED, False), (40, Candidate.Stage.FAILED, True)]
)
def test_a_failed_candidate_retakes_and_one_who_passed_does_not(branch, candidate, session, score, stage, allowed):
    first_seat = scored(candidate, session, score)
    retake = session_of(branch, held_on=datetime.date(2022, 7, 20))
    assert reload(candidate).stage == stage

    if allowed:
        seat = invited(candidate, retake)
        assert reload(candidate).stage == Candidate.Stage.INVITED
        assert set(Seat.objects.filter(candidate=candidate)) == {first_seat, seat}
    else:
        assert codes(refused(invited, candidate=candidate, session=retake)) == {"already_passed"}
        assert list(Seat.objects.filter(candidate=candidate)) == [first_seat]


def test_an_absent_candidate_is_invited_to_another_session_but_not_again_to_the_same(branch, candidate, session):
    services.seat_attend(seat=invited(candidate, session), attended=False, today=HELD_ON)

    error = refused(services.candidate_invite, candidate=candidate, session=session, today=HELD_ON)
    assert codes(error) == {"seat_in_session"}

    invited(candidate, session_of(branch, held_on=datetime.date(2022, 7, 20)))
    assert reload(candidate).stage == Candidate.Stage.INVITED


@pytest.mark.parametrize("stage", [Candidate.Stage.ACTIVATED, Candidate.Stage.WITHDRAWN])
def test_a_closed_candidacy_is_not_invited(branch, session, stage):
    if stage == Candidate.Stage.ACTIVATED:
        candidate = CandidateFactory(branch=branch, stage=stage, agent=AgentFactory(branch=branch))
    else:
        candidate = CandidateFactory(branch=branch, stage=stage, withdrawal_reason="Pindah")

    assert codes(refused(invited, candidate=candidate, session=session)) == {
        "already_activated" if stage == Candidate.Stage.ACTIVATED else "withdrawn"
    }
    assert not Seat.objects.exists()


# --- cancelling an invitation --------------------------------------------------------------------


def test_a_cancelled_invitation_frees_the_seat_and_the_candidate_is_registered_again(candidate, session):
    seat = invited(candidate, session)
    seat_id = seat.pk
    day = datetime.date(2022, 6, 10)

    services.seat_cancel(seat=seat, today=day)

    candidate = reload(candidate)
    assert not Seat.objects.exists()
    assert candidate.stage == Candidate.Stage.REGISTERED and candidate.stage_changed_on == day
    assert Seat.history.filter(id=seat_id, history_type="-").exists()


def test_a_cancelled_retake_leaves_the_candidate_failed_with_the_earlier_seat(branch, candidate, session):
    failed_seat = scored(candidate, session, 10)
    retake = invited(candidate, session_of(branch, held_on=datetime.date(2022, 7, 20)))

    services.seat_cancel(seat=retake, today=REGISTERED_ON)

    assert reload(candidate).stage == Candidate.Stage.FAILED
    assert list(Seat.objects.filter(candidate=candidate)) == [failed_seat]


def test_an_invitation_is_not_cancelled_once_attendance_is_taken(candidate, session):
    seat = trained(candidate, session)

    assert codes(refused(services.seat_cancel, seat=seat, today=HELD_ON)) == {"attendance_taken"}
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert reload(candidate).stage == Candidate.Stage.TRAINED


def test_a_seat_cancelled_twice_says_it_is_gone(candidate, session):
    seat = invited(candidate, session)
    stale = Seat.objects.get(pk=seat.pk)
    services.seat_cancel(seat=seat)

    assert codes(refused(services.seat_cancel, seat=stale)) == {"seat_gone"}
