"""Every agent of the demo came through a pembekalan: an activated candidate with the agent's own
particulars, whose passing seat is at the session held on the day the agent was trained; around them,
others who failed, missed the session or withdrew; and the demo's figures stay as the story tells them."""

import datetime
from collections import Counter

import pytest
from django.db.models import Count

from agents.models import Agent, CooperationAgreement
from demo.cilacap import TRAINING_BATCHES
from enrollment.models import Acquisition, Participant
from perisai.nik import nik_mismatches, validate_nik
from recruitment.models import Candidate, Seat, TrainingSession

pytestmark = pytest.mark.django_db

JUNE_2022_END = datetime.date(2022, 6, 30)  # the agents trained to then are the history's batches

Stage = Candidate.Stage
PARTICULARS = ("nik", "full_name", "gender", "birth_date", "phone", "kecamatan", "desa")
PASS_MARK = 70


@pytest.fixture
def agents(demo):
    return list(Agent.objects.filter(branch=demo).select_related("candidacy").order_by("code"))


def seats_in_order(candidate):
    return list(candidate.seats.select_related("session").order_by("session__held_on"))


def test_every_agent_is_an_activated_candidate_with_the_agents_own_particulars(demo, agents):
    assert agents
    for agent in agents:
        candidate = agent.candidacy
        assert candidate.branch_id == demo.pk
        assert candidate.stage == Stage.ACTIVATED
        assert {name: getattr(candidate, name) for name in PARTICULARS} == {
            name: getattr(agent, name) for name in PARTICULARS
        }
        assert candidate.recruited_by_id == agent.recruited_by_id
        assert candidate.stage_changed_on == agent.joined_on
    assert Candidate.objects.filter(stage=Stage.ACTIVATED).count() == len(agents)


def test_each_agent_passed_at_the_session_held_on_the_day_they_were_trained(agents):
    for agent in agents:
        seats = seats_in_order(agent.candidacy)
        passing = [seat for seat in seats if seat.passed]
        assert len(passing) == 1, agent.code
        seat = passing[0]
        assert seat.session.held_on == agent.trained_on
        assert seat.attended is True
        assert seat.score >= seat.session.pass_mark
        assert seat is seats[-1]  # nothing after the session that made them an agent
        first_session = seats[0].session.held_on
        weeks_before = (first_session - agent.candidacy.registered_on).days / 7
        assert 2 <= weeks_before <= 10, (agent.code, weeks_before)  # registered a few weeks before


def test_a_few_agents_passed_at_a_retake_after_failing_or_missing_a_session(agents):
    retook = [agent for agent in agents if len(seats_in_order(agent.candidacy)) > 1]
    assert 1 < len(retook) < len(agents) / 4
    for agent in retook:
        earlier = seats_in_order(agent.candidacy)[:-1]
        assert all(seat.passed is not True for seat in earlier)
        assert all(seat.session.held_on < agent.trained_on for seat in earlier)


def test_each_day_agents_were_trained_is_one_session_with_a_pass_mark_of_70(demo, agents):
    trained_days = {agent.trained_on for agent in agents}
    assert trained_days >= {day for day, _count in TRAINING_BATCHES}
    for day in trained_days - {day for day, _count in TRAINING_BATCHES}:  # every quarter since: a Wednesday
        assert day > JUNE_2022_END and day.month in (2, 5, 8, 11) and day.weekday() == 2 and 8 <= day.day <= 14
    sessions = TrainingSession.objects.filter(branch=demo)
    held = Counter(sessions.values_list("held_on", flat=True))
    assert all(held[day] == 1 for day in trained_days)
    for session in sessions:
        assert session.pass_mark == PASS_MARK
        assert session.place and session.trainer and session.materials and session.starts_at


def test_no_session_is_over_capacity(demo):
    sessions = TrainingSession.objects.filter(branch=demo).annotate(taken=Count("seats"))
    assert sessions.filter(taken__gt=0).exists()
    for session in sessions:
        assert session.taken <= session.capacity, session


def test_every_seat_with_a_score_attended_and_passed_as_the_pass_mark_says(demo):
    scored = Seat.objects.filter(session__branch=demo, score__isnull=False).select_related("session")
    assert scored.exists()
    for seat in scored:
        assert seat.attended is True
        assert seat.passed == (seat.score >= seat.session.pass_mark)
    assert not Seat.objects.filter(score__isnull=True, passed__isnull=False).exists()


def test_candidates_niks_are_valid_and_each_is_the_agents_the_participants_or_their_own(demo):
    candidates = list(Candidate.objects.filter(branch=demo).select_related("agent"))
    niks = [candidate.nik for candidate in candidates]
    assert len(set(niks)) == len(niks)
    agent_niks = set(Agent.objects.values_list("nik", flat=True))
    participants = {participant.nik: participant for participant in Participant.objects.all()}
    for candidate in candidates:
        validate_nik(candidate.nik)
        assert nik_mismatches(candidate.nik, birth_date=candidate.birth_date, gender=candidate.gender) == []
        if candidate.nik in agent_niks:
            assert candidate.agent is not None and candidate.agent.nik == candidate.nik
        if candidate.nik in participants:  # the same person: see test_participants_already
            participant = participants[candidate.nik]
            assert participant.branch_id == demo.pk
            assert participant.full_name == candidate.full_name


def test_around_the_agents_others_failed_missed_the_session_retook_it_or_withdrew(demo):
    others = Seat.objects.filter(session__branch=demo, candidate__agent__isnull=True)
    assert others.filter(passed=False).exists()
    assert others.filter(attended=False).exists()
    sessions_with_others = others.values("session").distinct().count()
    agents_days = {agent.trained_on for agent in Agent.objects.filter(branch=demo)}
    assert sessions_with_others >= len(agents_days)  # every session the agents came from had others too

    withdrawn = Candidate.objects.filter(branch=demo, stage=Stage.WITHDRAWN)
    assert withdrawn.exists()
    assert not withdrawn.filter(withdrawal_reason="").exists()
    assert withdrawn.filter(seats__attended=False).exists()  # withdrew after missing the session
    assert withdrawn.filter(seats__passed=True).exists()  # passed, then withdrew
    assert withdrawn.filter(seats__isnull=True).exists()  # withdrew before being invited

    retook = (
        Candidate.objects.filter(branch=demo, agent__isnull=True).annotate(taken=Count("seats")).filter(taken__gt=1)
    )
    assert retook.exists()
    waiting_after_a_retake = [
        candidate
        for candidate in retook.filter(stage=Stage.PASSED)
        if [seat.passed for seat in seats_in_order(candidate)][-2:] in ([False, True], [None, True])
    ]
    assert waiting_after_a_retake  # passed a retake, not yet activated


def test_the_story_figures_stay_as_they_were(demo, agents):
    acquisitions = Acquisition.objects.filter(branch=demo)
    assert acquisitions.filter(acquired_on__year=2021).count() == 5628
    january_to_june = (datetime.date(2022, 1, 1), datetime.date(2022, 6, 30))
    assert acquisitions.filter(acquired_on__range=january_to_june).count() == 2336
    extended_mid_2022 = CooperationAgreement.objects.filter(
        office__branch=demo, starts_on=datetime.date(2022, 7, 1), renews__isnull=False
    )
    assert extended_mid_2022.values("office").distinct().count() == 4
    trained_by_june_2022 = Counter(agent.trained_on for agent in agents if agent.trained_on <= JUNE_2022_END)
    assert trained_by_june_2022 == Counter(dict(TRAINING_BATCHES))
