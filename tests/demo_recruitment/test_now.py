"""Where the demo's recruitment stands on its today, the day its records end (a fixed day here): candidates
waiting for an invitation, a session coming with candidates invited, the last one held with attendance
taken and results partly entered; each candidate's stage where their seats left them, with the history
of how they got there; and the same story at every run."""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction
from django.utils import timezone

from agents.models import User
from demo.cilacap import DemoNow
from demo.recruitment import seed_recruitment
from recruitment.models import Candidate, Seat, TrainingSession
from recruitment.services import candidate_invite, result_record, seat_attend
from tests.demo_recruitment.conftest import DEMO_DAY

pytestmark = pytest.mark.django_db

Stage = Candidate.Stage
NOW = DemoNow(DEMO_DAY)
TODAY = NOW.records_end


def seats_in_order(candidate):
    return sorted(candidate.seats.all(), key=lambda seat: seat.session.held_on)


@pytest.fixture
def candidates(demo):
    return list(Candidate.objects.filter(branch=demo).select_related("agent").prefetch_related("seats__session"))


def test_nothing_has_happened_after_today(demo, candidates):
    for candidate in candidates:
        assert candidate.registered_on <= candidate.stage_changed_on <= TODAY
    seats = Seat.objects.filter(session__branch=demo)
    assert not seats.filter(invited_on__gt=TODAY).exists()
    assert not seats.filter(session__held_on__gt=TODAY, attended__isnull=False).exists()
    end_of_today = datetime.datetime.combine(
        TODAY + datetime.timedelta(days=1), datetime.time(), timezone.get_default_timezone()
    )
    for model in (Candidate, Seat, TrainingSession):
        assert not model.history.filter(history_date__gte=end_of_today).exists()


def test_candidates_registered_lately_wait_for_an_invitation(candidates):
    waiting = [candidate for candidate in candidates if candidate.stage == Stage.REGISTERED]
    assert waiting
    for candidate in waiting:
        assert not candidate.seats.all()
        assert TODAY - datetime.timedelta(weeks=4) <= candidate.registered_on <= TODAY


def test_a_session_is_coming_soon_with_candidates_invited(demo):
    coming = TrainingSession.objects.filter(branch=demo, held_on__gt=TODAY).order_by("held_on").first()
    assert coming is not None
    assert coming.held_on <= TODAY + datetime.timedelta(weeks=4)
    seats = list(coming.seats.select_related("candidate"))
    assert seats
    for seat in seats:
        assert seat.attended is None and seat.score is None
        assert seat.candidate.stage == Stage.INVITED
        assert seat.invited_on <= TODAY


def test_the_last_session_held_has_attendance_taken_and_results_partly_entered(demo):
    last = TrainingSession.objects.filter(branch=demo, held_on__lte=TODAY).order_by("-held_on").first()
    seats = list(last.seats.select_related("candidate"))
    assert seats and all(seat.attended is not None for seat in seats)
    scored = [seat for seat in seats if seat.score is not None]
    not_yet = [seat for seat in seats if seat.attended and seat.score is None]
    assert scored and not_yet
    assert all(seat.candidate.stage == Stage.TRAINED for seat in not_yet)
    assert all(seat.candidate.stage in (Stage.PASSED, Stage.FAILED) for seat in scored)


def test_each_candidates_stage_is_where_their_seats_left_them(candidates):
    """As ``recruitment.services`` moves a candidate: absences are left out, so a candidate absent from a
    session is back at registered, or failed after a retake."""
    for candidate in candidates:
        seats = seats_in_order(candidate)
        for seat in seats:
            assert candidate.registered_on < seat.invited_on < seat.session.held_on
        counted = [seat for seat in seats if seat.attended is not False]
        last = counted[-1] if counted else None
        if candidate.stage == Stage.REGISTERED:
            assert last is None
        elif candidate.stage == Stage.INVITED:
            assert last.attended is None and last.session.held_on > TODAY
        elif candidate.stage == Stage.TRAINED:
            assert last.attended is True and last.score is None
        elif candidate.stage in (Stage.PASSED, Stage.ACTIVATED):
            assert last.passed is True
            assert (candidate.agent_id is not None) == (candidate.stage == Stage.ACTIVATED)
        elif candidate.stage == Stage.FAILED:
            assert last.passed is False
        else:
            assert candidate.stage == Stage.WITHDRAWN and candidate.withdrawal_reason
            assert all(seat.attended is not None for seat in seats)  # a withdrawal gives up a waiting seat
        assert len([seat for seat in seats if seat.attended is None]) <= 1


def test_an_activated_candidate_carries_the_agents_declaration_and_training_day(candidates):
    for candidate in candidates:
        if candidate.agent is not None:
            agent = candidate.agent
            assert candidate.declared_not_bpjs_employee_on == agent.declared_not_bpjs_employee_on
            passed = [seat for seat in candidate.seats.all() if seat.passed]
            assert [seat.session.held_on for seat in passed] == [agent.trained_on]


def test_each_candidates_history_tells_their_way_to_where_they_stand(candidates):
    history = defaultdict(list)
    for row in Candidate.history.order_by("history_date", "history_id"):
        history[row.id].append(row)
    for candidate in candidates:
        rows = history[candidate.pk]
        assert rows[0].history_type == "+" and rows[0].stage == Stage.REGISTERED
        assert timezone.localtime(rows[0].history_date).date() == candidate.registered_on
        assert all(row.history_type == "~" for row in rows[1:])
        last = rows[-1]
        assert (last.stage, last.stage_changed_on, last.agent_id, last.withdrawal_reason) == (
            candidate.stage,
            candidate.stage_changed_on,
            candidate.agent_id,
            candidate.withdrawal_reason,
        )
        for before, row in zip(rows, rows[1:], strict=False):
            assert row.stage != before.stage  # each row a change of stage
        for row in rows:
            assert timezone.localtime(row.history_date).date() == row.stage_changed_on
            assert (row.history_change_reason or "") == row.withdrawal_reason  # the reason, as the service keeps it
        if candidate.stage == Stage.ACTIVATED:
            stages = [row.stage for row in rows]
            way = [Stage.REGISTERED, Stage.INVITED, Stage.TRAINED, Stage.PASSED, Stage.ACTIVATED]
            assert stages[-4:] == way[1:] and stages[0] == way[0]


def test_each_seats_history_ends_as_the_seat_stands(demo):
    history = defaultdict(list)
    for row in Seat.history.order_by("history_date", "history_id"):
        history[row.id].append(row)
    for seat in Seat.objects.filter(session__branch=demo):
        rows = history[seat.pk]
        assert rows[0].history_type == "+" and rows[0].attended is None
        assert timezone.localtime(rows[0].history_date).date() == seat.invited_on
        assert (rows[-1].attended, rows[-1].score, rows[-1].passed) == (seat.attended, seat.score, seat.passed)


def snapshot(branch):
    return (
        list(
            TrainingSession.objects.filter(branch=branch)
            .order_by("held_on")
            .values_list("held_on", "starts_at", "place", "trainer", "capacity", "materials", "pass_mark")
        ),
        list(
            Candidate.objects.filter(branch=branch)
            .order_by("nik")
            .values_list(
                "nik",
                "full_name",
                "phone",
                "desa",
                "registered_on",
                "recruited_by__code",
                "stage",
                "stage_changed_on",
                "agent__code",
                "withdrawal_reason",
            )
        ),
        list(
            Seat.objects.filter(session__branch=branch)
            .order_by("candidate__nik", "session__held_on")
            .values_list("candidate__nik", "session__held_on", "invited_on", "attended", "score")
        ),
        Candidate.history.count(),
    )


def test_the_recruitment_story_is_the_same_at_every_run(demo):
    written = snapshot(demo)
    with transaction.atomic():
        for model in (Seat, Candidate, TrainingSession):
            model.objects.all().delete()
            model.history.all().delete()  # with the rows the deletion just added
        seed_recruitment(branch=demo, now=NOW)
        again = snapshot(demo)
        transaction.set_rollback(True)
    assert again == written


def test_the_story_carries_on_through_the_recruitment_services(demo):
    """On the demo's today a candidate waiting is invited to the coming session and a score still missing
    is recorded; on the day of the coming session its attendance is taken."""
    staff = User.objects.get(username="staf")
    coming = TrainingSession.objects.filter(branch=demo, held_on__gt=TODAY).order_by("held_on").first()
    waiting = Candidate.objects.filter(branch=demo, stage=Stage.REGISTERED).first()
    seat = candidate_invite(candidate=waiting, session=coming, today=TODAY, changed_by=staff)
    waiting.refresh_from_db()
    assert waiting.stage == Stage.INVITED

    unscored = Seat.objects.filter(session__branch=demo, attended=True, score__isnull=True).first()
    result_record(seat=unscored, score=unscored.session.pass_mark, today=TODAY, changed_by=staff)
    unscored.candidate.refresh_from_db()
    assert unscored.candidate.stage == Stage.PASSED

    seat_attend(seat=seat, attended=True, today=coming.held_on, changed_by=staff)
    waiting.refresh_from_db()
    assert waiting.stage == Stage.TRAINED
