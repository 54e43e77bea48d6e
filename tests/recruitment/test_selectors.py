"""What each user reaches of recruitment, and what the lists show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents.models import User
from recruitment.models import Candidate, Seat
from recruitment.selectors import (
    candidate_is_participant,
    candidate_list,
    candidate_seats,
    candidates_for,
    session_list,
    session_roster,
    sessions_for,
)
from tests.factories import (
    AgentFactory,
    BranchFactory,
    CandidateFactory,
    SeatFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.recruitment.services_builders import enrol

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2022, 6, 15)


@pytest.fixture
def ours(branch):
    return branch


@pytest.fixture
def theirs(db):
    return BranchFactory(code="BMS", name="Banyumas")


def user_of(branch, role=User.Role.STAFF):
    return UserFactory(role=role, branch=branch)


def agent_with_login(branch):
    agent = AgentFactory(branch=branch)
    agent.user = user_of(branch, User.Role.AGENT)
    agent.save()
    return agent


# --- scope ---------------------------------------------------------------------------------------


def test_branch_users_see_their_branchs_candidates_and_sessions_not_another_branchs(ours, theirs):
    mine, other = CandidateFactory(branch=ours), CandidateFactory(branch=theirs)
    my_session, other_session = TrainingSessionFactory(branch=ours), TrainingSessionFactory(branch=theirs)

    for role in (User.Role.STAFF, User.Role.HEAD):
        user = user_of(ours, role)
        assert list(candidates_for(user=user)) == [mine]
        assert list(sessions_for(user=user)) == [my_session]
    assert other not in candidate_list(user=user_of(ours))
    assert other_session not in session_list(user=user_of(ours))


def test_a_national_administrator_sees_every_branch(ours, theirs):
    both = {CandidateFactory(branch=ours), CandidateFactory(branch=theirs)}
    sessions = {TrainingSessionFactory(branch=ours), TrainingSessionFactory(branch=theirs)}
    national = UserFactory(role=User.Role.ADMIN, branch=None)

    assert set(candidates_for(user=national)) == both
    assert set(sessions_for(user=national)) == sessions


def test_an_agent_sees_only_the_candidates_they_recruited_and_no_session(ours):
    agent = agent_with_login(ours)
    recruit = CandidateFactory(branch=ours, recruited_by=agent)
    CandidateFactory(branch=ours, recruited_by=AgentFactory(branch=ours))
    CandidateFactory(branch=ours)
    TrainingSessionFactory(branch=ours)

    assert list(candidates_for(user=agent.user)) == [recruit]
    assert list(candidate_list(user=agent.user)) == [recruit]
    assert not sessions_for(user=agent.user).exists()
    assert not session_list(user=agent.user).exists()


def test_someone_of_no_branch_and_not_national_sees_nothing(ours):
    CandidateFactory(branch=ours)
    TrainingSessionFactory(branch=ours)
    nobody = UserFactory.build(role=User.Role.STAFF, branch=None)

    assert not candidates_for(user=nobody).exists()
    assert not sessions_for(user=nobody).exists()


# --- the candidate list --------------------------------------------------------------------------


def test_the_list_filters_by_stage_session_and_recruiter(ours):
    staff = user_of(ours)
    recruiter = AgentFactory(branch=ours)
    registered = CandidateFactory(branch=ours, recruited_by=recruiter)
    seat = SeatFactory(session=TrainingSessionFactory(branch=ours))

    assert list(candidate_list(user=staff, stage=Candidate.Stage.INVITED)) == [seat.candidate]
    assert list(candidate_list(user=staff, stage=Candidate.Stage.REGISTERED)) == [registered]
    assert list(candidate_list(user=staff, session=seat.session)) == [seat.candidate]
    assert list(candidate_list(user=staff, recruiter=recruiter)) == [registered]


@pytest.mark.parametrize("typed", ["rahayu", "0812 2671", "62812-2671", "the NIK's first 14 digits"])
def test_the_list_finds_a_candidate_by_name_nik_or_phone_however_typed(ours, typed):
    wanted = CandidateFactory(
        branch=ours, full_name="Siti Rahayu", phone="+6281226714410", birth_date=datetime.date(1990, 1, 2)
    )
    CandidateFactory(
        branch=ours, full_name="Budi Santoso", phone="+6285700001111", birth_date=datetime.date(1985, 5, 5)
    )
    search = wanted.nik[:14] if typed.startswith("the NIK") else typed

    assert list(candidate_list(user=user_of(ours), search=search)) == [wanted]


def test_the_list_says_who_is_already_a_bpu_participant_of_the_branch(ours, theirs):
    enrolled, lapsed, elsewhere, not_yet = (CandidateFactory(branch=ours) for _ in range(4))
    enrol(enrolled)
    enrol(lapsed, lapsed=True)
    enrol(elsewhere, theirs)

    flags = {row.pk: row.is_participant for row in candidate_list(user=user_of(ours))}

    assert flags == {enrolled.pk: True, lapsed.pk: False, elsewhere.pk: False, not_yet.pk: False}
    assert [candidate_is_participant(c) for c in (enrolled, lapsed, elsewhere, not_yet)] == [True, False, False, False]


def test_the_list_costs_one_query_however_many_rows(ours):
    recruiter = AgentFactory(branch=ours)
    CandidateFactory.create_batch(5, branch=ours, recruited_by=recruiter)
    staff = user_of(ours)

    with CaptureQueriesContext(connection) as queries:
        rows = [
            (c.full_name, c.branch.name, c.recruited_by.code, c.agent, c.is_participant)
            for c in candidate_list(user=staff)
        ]

    assert len(rows) == 5 and len(queries) == 1


# --- sessions ------------------------------------------------------------------------------------


def test_the_session_list_counts_seats_attendance_and_passes(ours):
    session = TrainingSessionFactory(branch=ours, held_on=TODAY)
    SeatFactory(session=session)
    SeatFactory(session=session, attended=False, candidate__stage=Candidate.Stage.REGISTERED)
    SeatFactory(session=session, attended=True, candidate__stage=Candidate.Stage.TRAINED)
    SeatFactory(session=session, attended=True, score=90, passed=True, candidate__stage=Candidate.Stage.PASSED)
    SeatFactory(session=session, attended=True, score=40, passed=False, candidate__stage=Candidate.Stage.FAILED)
    empty = TrainingSessionFactory(branch=ours, held_on=TODAY)
    seats = Seat.objects.filter(session=session)

    rows = {row.pk: row for row in session_list(user=user_of(ours), today=TODAY)}

    counted = rows[session.pk]
    assert counted.seats_taken == seats.count()
    assert counted.attended_count == len([s for s in seats if s.attended])
    assert counted.passed_count == len([s for s in seats if s.passed])
    assert (rows[empty.pk].seats_taken, rows[empty.pk].attended_count, rows[empty.pk].passed_count) == (0, 0, 0)


def test_upcoming_sessions_are_today_and_later_soonest_first_past_ones_latest_first(ours):
    def on(days):
        return TrainingSessionFactory(branch=ours, held_on=TODAY + datetime.timedelta(days=days))

    next_month, today, next_week, last_week, last_month = on(30), on(0), on(7), on(-7), on(-30)
    staff = user_of(ours)

    assert list(session_list(user=staff, when="upcoming", today=TODAY)) == [today, next_week, next_month]
    assert list(session_list(user=staff, when="past", today=TODAY)) == [last_week, last_month]
    assert list(session_list(user=staff, today=TODAY)) == [next_month, next_week, today, last_week, last_month]


def test_the_roster_lists_the_sessions_seats_by_name_with_their_candidates(ours):
    session = TrainingSessionFactory(branch=ours)
    for name in ("Wati", "Agus", "Nur"):
        SeatFactory(session=session, candidate__full_name=name)
    SeatFactory(session=TrainingSessionFactory(branch=ours), candidate__full_name="Elsewhere")

    with CaptureQueriesContext(connection) as queries:
        names = [seat.candidate.full_name for seat in session_roster(session=session)]

    assert names == ["Agus", "Nur", "Wati"] and len(queries) == 1


def test_a_candidates_seats_come_newest_first_with_their_sessions(ours):
    candidate = CandidateFactory(branch=ours, stage=Candidate.Stage.INVITED)
    first = SeatFactory(
        candidate=candidate,
        session=TrainingSessionFactory(branch=ours, held_on=datetime.date(2022, 6, 15)),
        attended=True,
        score=40,
        passed=False,
    )
    retake = SeatFactory(
        candidate=candidate, session=TrainingSessionFactory(branch=ours, held_on=datetime.date(2022, 7, 20))
    )

    with CaptureQueriesContext(connection) as queries:
        rows = [(seat, seat.session.held_on) for seat in candidate_seats(candidate=candidate)]

    assert [seat for seat, _held_on in rows] == [retake, first] and len(queries) == 1
