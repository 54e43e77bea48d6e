"""Fixtures for the recruitment pages: Cilacap (ours) with staff, its head, an agent with a login and a
colleague, and Banyumas (someone else's) with its own candidate and session. Clients read English."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from agents.models import User
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    CandidateFactory,
    ParticipantFactory,
    SeatFactory,
    TrainingSessionFactory,
    UserFactory,
)


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def agent_with_login(office, username, full_name):
    first, _, last = full_name.partition(" ")
    user = UserFactory(username=username, role=User.Role.AGENT, branch=office.branch, first_name=first, last_name=last)
    return AgentFactory(branch=office.branch, office=office, user=user, full_name=full_name)


def make_participant(candidate, agent):
    """Enrol ``candidate`` as a BPU participant of their branch (an active acquisition by ``agent``)."""
    participant = ParticipantFactory(
        branch=candidate.branch,
        nik=candidate.nik,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
    )
    return AcquisitionFactory(agent=agent, participant=participant, acquired_on=timezone.localdate()).participant


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch, first_name="Rina", last_name="Wulandari")


@pytest.fixture
def head(branch):
    return UserFactory(role=User.Role.HEAD, branch=branch)


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def head_client(head):
    return signed_in(head)


@pytest.fixture
def recruiter(office, rate):
    """Agent Sari, with a login: she recruits candidates on her phone."""
    return agent_with_login(office, "agen-sari", "Sari Wulandari")


@pytest.fixture
def colleague(office, rate):
    return agent_with_login(office, "agen-budi", "Budi Santoso")


@pytest.fixture
def recruiter_client(recruiter):
    return signed_in(recruiter.user)


@pytest.fixture
def other_branch(db):
    return BranchFactory(code="BMS", name="Banyumas")


@pytest.fixture
def far_staff_client(other_branch):
    return signed_in(UserFactory(role=User.Role.STAFF, branch=other_branch))


@pytest.fixture
def session(branch, today):
    """A pembekalan of our branch held today: open for invitations and for attendance."""
    return TrainingSessionFactory(branch=branch, held_on=today, place="Aula Kantor Cabang", capacity=10)


@pytest.fixture
def candidate(branch):
    return CandidateFactory(branch=branch, full_name="Dimas Prasetyo")


@pytest.fixture
def seat(session):
    """A candidate of our branch invited to today's session (attendance not yet taken)."""
    return SeatFactory(session=session, invited_on=session.held_on - datetime.timedelta(days=7))
