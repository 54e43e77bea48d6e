"""Many of the demo's candidates are BPU participants of the branch already, workers an agent enrolled who
now want to become agents: everyone who passed and waits for activation, and about half of each stage on
the way. Each is the participant (the same NIK and particulars), of working age, with an active, paying
acquisition, so someone trying the demo activates them through ``candidate_activate``; the rest of the
story, and the demo's figures, stay as they were."""

import pytest
from django.db import transaction

from agents.models import Agent, PerisaiOffice, User
from demo.cilacap import BRANCH_CODE, DemoNow
from demo.recruitment import seed_recruitment
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.paying import window_start
from recruitment.models import Candidate, Seat, TrainingSession
from recruitment.selectors import candidate_is_participant
from recruitment.services import candidate_activate
from tests.demo_recruitment.conftest import DEMO_DAY

pytestmark = pytest.mark.django_db

Stage = Candidate.Stage
NOW = DemoNow(DEMO_DAY)
TODAY = NOW.records_end
PARTICULARS = ("nik", "full_name", "gender", "birth_date", "phone", "kecamatan", "desa")
ON_THE_WAY = (Stage.REGISTERED, Stage.INVITED, Stage.TRAINED)


def participant_of(candidate):
    return Participant.objects.filter(nik=candidate.nik).first()


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def standing_acquisition(participant):
    return participant.acquisitions.order_by("-acquired_on", "-pk").first()


def next_agent_code():
    numbers = [int(code.rsplit("-A", 1)[1]) for code in Agent.objects.values_list("code", flat=True)]
    return f"{BRANCH_CODE}-A{max(numbers) + 1:03d}"


def test_everyone_who_passed_and_waits_for_activation_is_a_participant_of_the_branch(demo):
    waiting = list(Candidate.objects.filter(branch=demo, stage=Stage.PASSED))
    assert waiting
    for candidate in waiting:
        assert candidate_is_participant(candidate), candidate
        assert participant_of(candidate).branch_id == demo.pk


@pytest.mark.parametrize("stage", ON_THE_WAY)
def test_about_half_of_each_stage_on_the_way_is_a_participant(demo, stage):
    candidates = list(Candidate.objects.filter(branch=demo, stage=stage))
    participants = [candidate for candidate in candidates if candidate_is_participant(candidate)]
    assert len(candidates) > 1
    assert 0 < len(participants) < len(candidates)
    assert abs(len(participants) - len(candidates) / 2) <= 0.5


def test_a_candidate_who_is_a_participant_is_that_person_of_working_age_enrolled_and_paying(demo):
    agent_niks = set(Agent.objects.values_list("nik", flat=True))
    paying_since = window_start(TODAY)  # paid this month or the two before, or enrolled since: not lapsed
    checked = 0
    for candidate in Candidate.objects.filter(branch=demo).exclude(stage=Stage.ACTIVATED):
        participant = participant_of(candidate)
        if participant is None:
            continue
        checked += 1
        assert {name: getattr(candidate, name) for name in PARTICULARS} == {
            name: getattr(participant, name) for name in PARTICULARS
        }
        assert participant.branch_id == demo.pk
        assert candidate.nik not in agent_niks
        assert 20 <= age_on(candidate.birth_date, candidate.registered_on)
        assert age_on(candidate.birth_date, TODAY) <= 50
        standing = standing_acquisition(participant)
        assert standing.status == Acquisition.Status.ACTIVE
        assert standing.acquired_on <= candidate.registered_on  # a participant before they registered
        assert (
            standing.acquired_on >= paying_since
            or Contribution.objects.filter(acquisition=standing, period__gte=paying_since).exists()
        )
    assert checked >= Candidate.objects.filter(branch=demo, stage=Stage.PASSED).count()


def test_a_candidate_an_agent_recruited_is_a_worker_that_agent_enrolled(demo):
    recruited = [
        (candidate, participant_of(candidate))
        for candidate in Candidate.objects.filter(branch=demo, recruited_by__isnull=False, agent__isnull=True)
    ]
    enrolled = [(candidate, participant) for candidate, participant in recruited if participant is not None]
    assert enrolled
    for candidate, participant in enrolled:
        assert standing_acquisition(participant).agent_id == candidate.recruited_by_id, candidate


def test_the_scores_of_6_july_were_entered_down_the_list_in_name_order(demo):
    last = TrainingSession.objects.filter(branch=demo, held_on__lte=TODAY).order_by("-held_on").first()
    present = sorted(
        Seat.objects.filter(session=last, attended=True).select_related("candidate"),
        key=lambda seat: seat.candidate.full_name,
    )
    scored = [seat.score is not None for seat in present]
    assert True in scored and False in scored
    assert scored == sorted(scored, reverse=True)  # every score before the first name without one
    assert any(candidate_is_participant(seat.candidate) for seat in present if seat.score is None)


def test_everyone_who_passed_is_activated_through_the_service_on_the_demos_today(demo):
    staff = User.objects.get(username="staf")
    offices = list(PerisaiOffice.objects.filter(branch=demo, is_active=True).order_by("code"))
    waiting = list(Candidate.objects.filter(branch=demo, stage=Stage.PASSED).order_by("full_name"))
    assert offices and waiting
    for n, candidate in enumerate(waiting):
        office, code = offices[n % len(offices)], next_agent_code()
        agent, password = candidate_activate(
            candidate=candidate, office=office, code=code, joined_on=TODAY, today=TODAY, changed_by=staff
        )
        candidate.refresh_from_db()
        assert candidate.stage == Stage.ACTIVATED and candidate.agent == agent
        assert (agent.code, agent.office, agent.branch_id, agent.joined_on) == (code, office, demo.pk, TODAY)
        assert agent.status == Agent.Status.ACTIVE and password
        assert {name: getattr(agent, name) for name in PARTICULARS} == {
            name: getattr(candidate, name) for name in PARTICULARS
        }
        passed = candidate.seats.filter(passed=True).select_related("session").get()
        assert agent.trained_on == passed.session.held_on


def test_writing_the_recruitment_story_writes_no_participant_acquisition_or_contribution(demo):
    def counts():
        return [model.objects.count() for model in (Participant, Acquisition, Contribution)]

    with transaction.atomic():
        for model in (Seat, Candidate, TrainingSession):
            model.objects.all().delete()
        before = counts()
        seed_recruitment(branch=demo, now=NOW)
        assert Candidate.objects.filter(branch=demo, stage=Stage.PASSED).exists()
        after = counts()
        transaction.set_rollback(True)
    assert after == before
