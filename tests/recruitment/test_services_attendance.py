"""Attendance at the door and the test results: never before the session's day, results only for those who
attended, the pass mark of the session, corrections while they still mean something."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agents.models import User
from recruitment import services
from recruitment.models import Candidate, Seat
from tests.factories import UserFactory
from tests.recruitment.services_builders import HELD_ON, codes, invited, register, reload, scored, session_of, trained

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DAY_BEFORE = HELD_ON - datetime.timedelta(days=1)
RETAKE_ON = datetime.date(2022, 7, 20)


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


# --- one tap at the door -------------------------------------------------------------------------


def test_present_at_the_door_makes_the_candidate_trained(candidate, session):
    seat = invited(candidate, session)

    services.seat_attend(seat=seat, attended=True, today=HELD_ON)

    seat, candidate = reload(seat, candidate)
    assert seat.attended is True
    assert candidate.stage == Candidate.Stage.TRAINED and candidate.stage_changed_on == HELD_ON


def test_attendance_is_not_taken_before_the_sessions_day(candidate, session):
    seat = invited(candidate, session)

    error = refused(services.seat_attend, seat=seat, attended=True, today=DAY_BEFORE)

    assert codes(error) == {"too_early"} and "15 June 2022" in error.messages[0]
    assert reload(seat).attended is None
    assert reload(candidate).stage == Candidate.Stage.INVITED


def test_absent_sends_the_candidate_back_to_registered(candidate, session):
    seat = invited(candidate, session)

    services.seat_attend(seat=seat, attended=False, today=HELD_ON)

    assert reload(seat).attended is False
    assert reload(candidate).stage == Candidate.Stage.REGISTERED


def test_absent_at_a_retake_leaves_the_candidate_failed(branch, candidate, session):
    scored(candidate, session, 20)
    retake = invited(candidate, session_of(branch, held_on=RETAKE_ON))

    services.seat_attend(seat=retake, attended=False, today=RETAKE_ON)

    assert reload(candidate).stage == Candidate.Stage.FAILED


def test_a_wrong_tap_is_corrected_until_a_result_is_recorded(candidate, session):
    seat = trained(candidate, session)

    services.seat_attend(seat=seat, attended=False, today=HELD_ON)
    assert reload(candidate).stage == Candidate.Stage.REGISTERED

    services.seat_attend(seat=seat, attended=True, today=HELD_ON)
    assert reload(candidate).stage == Candidate.Stage.TRAINED

    services.result_record(seat=seat, score=80, today=HELD_ON)
    assert codes(refused(services.seat_attend, seat=seat, attended=False, today=HELD_ON)) == {"result_recorded"}
    assert reload(seat).attended is True
    assert reload(candidate).stage == Candidate.Stage.PASSED


def test_an_absence_is_no_longer_corrected_once_the_candidate_is_invited_elsewhere(branch, candidate, session):
    seat = invited(candidate, session)
    services.seat_attend(seat=seat, attended=False, today=HELD_ON)
    invited(candidate, session_of(branch, held_on=RETAKE_ON))

    error = refused(services.seat_attend, seat=seat, attended=True, today=HELD_ON)

    assert codes(error) == {"later_seat"}
    assert reload(seat).attended is False
    assert reload(candidate).stage == Candidate.Stage.INVITED


def test_the_same_tap_twice_writes_no_second_history_row(candidate, session):
    seat = trained(candidate, session)
    rows = candidate.history.count()

    services.seat_attend(seat=seat, attended=True, today=HELD_ON)

    assert candidate.history.count() == rows


# --- the whole list at once ----------------------------------------------------------------------


def test_the_attendance_list_marks_the_ticked_present_and_every_other_seat_absent(branch, staff, session):
    came, stayed_home = register(branch, staff), register(branch, staff)
    came_seat, home_seat = invited(came, session), invited(stayed_home, session)

    changed = services.attendance_record(session=session, present=[str(came_seat.pk)], today=HELD_ON)

    assert {seat.pk for seat in changed} == {came_seat.pk, home_seat.pk}
    assert (reload(came_seat).attended, reload(home_seat).attended) == (True, False)
    assert reload(came).stage == Candidate.Stage.TRAINED
    assert reload(stayed_home).stage == Candidate.Stage.REGISTERED


def test_the_attendance_list_saved_again_changes_nothing(branch, staff, session):
    seat = invited(register(branch, staff), session)
    services.attendance_record(session=session, present=[seat.pk], today=HELD_ON)

    assert services.attendance_record(session=session, present=[seat.pk], today=HELD_ON) == []


def test_a_seat_of_another_session_in_the_list_refuses_the_whole_list(branch, staff, session):
    ours = invited(register(branch, staff), session)
    other = invited(register(branch, staff), session_of(branch, held_on=RETAKE_ON))

    error = refused(services.attendance_record, session=session, present=[ours.pk, other.pk], today=HELD_ON)

    assert codes(error) == {"other_session"}
    assert reload(ours).attended is None and reload(other).attended is None


def test_the_attendance_list_is_not_taken_before_the_day(branch, staff, session):
    seat = invited(register(branch, staff), session)

    assert codes(refused(services.attendance_record, session=session, present=[seat.pk], today=DAY_BEFORE)) == {
        "too_early"
    }
    assert reload(seat).attended is None


def test_unticking_someone_with_a_result_refuses_the_whole_list(branch, staff, session):
    scored_seat = scored(register(branch, staff), session, 85)
    waiting = invited(register(branch, staff), session)

    error = refused(services.attendance_record, session=session, present=[waiting.pk], today=HELD_ON)

    assert codes(error) == {"result_recorded"}
    assert reload(waiting).attended is None
    assert reload(scored_seat).attended is True


# --- results -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pass_mark", "score", "passed"), [(70, 70, True), (70, 69, False), (80, 75, False)])
def test_a_score_at_the_sessions_pass_mark_or_above_passes(branch, candidate, pass_mark, score, passed):
    session = session_of(branch, pass_mark=pass_mark)
    seat = trained(candidate, session)

    services.result_record(seat=seat, score=score, today=HELD_ON)

    seat, candidate = reload(seat, candidate)
    assert (seat.score, seat.passed) == (score, passed)
    assert candidate.stage == (Candidate.Stage.PASSED if passed else Candidate.Stage.FAILED)
    assert candidate.stage_changed_on == HELD_ON


def test_a_result_for_someone_who_did_not_attend_is_refused(candidate, session):
    seat = invited(candidate, session)
    services.seat_attend(seat=seat, attended=False, today=HELD_ON)

    error = refused(services.result_record, seat=seat, score=90, today=HELD_ON)

    assert codes(error) == {"did_not_attend"} and "did not attend" in error.messages[0]
    assert reload(seat).score is None
    assert reload(candidate).stage == Candidate.Stage.REGISTERED


def test_a_result_before_attendance_is_taken_is_refused(candidate, session):
    seat = invited(candidate, session)

    assert codes(refused(services.result_record, seat=seat, score=90, today=HELD_ON)) == {"attendance_not_taken"}
    assert reload(seat).score is None


@pytest.mark.parametrize("score", [101, -1, "abc", 75.5, True, None])
def test_a_score_outside_0_to_100_or_not_whole_is_refused_on_the_score(candidate, session, score):
    seat = trained(candidate, session)

    error = refused(services.result_record, seat=seat, score=score, today=HELD_ON)

    assert "score" in error.message_dict
    assert reload(seat).score is None
    assert reload(candidate).stage == Candidate.Stage.TRAINED


def test_a_score_typed_in_a_form_is_read_as_a_number(candidate, session):
    seat = trained(candidate, session)

    services.result_record(seat=seat, score="85", today=HELD_ON)

    assert reload(seat).score == 85


def test_a_mistyped_score_is_corrected_and_the_stage_follows(candidate, session):
    seat = scored(candidate, session, 45)
    assert reload(candidate).stage == Candidate.Stage.FAILED

    services.result_record(seat=seat, score=75, today=HELD_ON)

    assert (reload(seat).passed, reload(candidate).stage) == (True, Candidate.Stage.PASSED)


def test_a_failed_result_is_not_rewritten_once_the_candidate_is_at_a_retake(branch, candidate, session):
    seat = scored(candidate, session, 45)
    invited(candidate, session_of(branch, held_on=RETAKE_ON))

    assert codes(refused(services.result_record, seat=seat, score=90, today=HELD_ON)) == {"later_seat"}
    assert reload(seat).score == 45


def test_a_candidate_who_withdrew_after_training_gets_no_result(candidate, session):
    seat = trained(candidate, session)
    services.candidate_withdraw(candidate=candidate, reason="Diterima kerja di pabrik", today=HELD_ON)

    assert codes(refused(services.result_record, seat=seat, score=90, today=HELD_ON)) == {"withdrawn"}
    assert reload(seat).score is None
    assert Seat.objects.filter(pk=seat.pk, attended=True).exists()
