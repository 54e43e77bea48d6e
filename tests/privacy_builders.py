"""Builders for the personal-data tests: two branches with a person of every kind and a user of every role.

Cilacap is ours; Banyumas is someone else's. In Cilacap, agent Sari (with a login) looks after
participant Siti; her colleague Budi (with a login) looks after Joko. Banyumas has its own office,
agent, participant and staff member. Every participant has a phone number and a contribution.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from agents.models import Agent, Branch, User
from enrollment.models import Acquisition, Participant
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    ContributionFactory,
    ParticipantFactory,
    PerisaiOfficeFactory,
    UserFactory,
)


@dataclass
class World:
    branch: Branch
    other_branch: Branch
    agent: Agent
    colleague: Agent
    far_agent: Agent
    participant: Participant
    colleague_participant: Participant
    far_participant: Participant
    acquisition: Acquisition
    staff: User
    head: User
    admin: User
    far_staff: User


def _agent(office, *, username, full_name, phone):
    first, _, last = full_name.partition(" ")
    user = UserFactory(username=username, role=User.Role.AGENT, branch=office.branch, first_name=first, last_name=last)
    return AgentFactory(branch=office.branch, office=office, user=user, full_name=full_name, phone=phone)


def _participant(agent, *, full_name, phone):
    participant = ParticipantFactory(branch=agent.branch, full_name=full_name, phone=phone, kpj_number=None)
    acquisition = AcquisitionFactory(agent=agent, participant=participant, acquired_on=datetime.date(2021, 3, 15))
    ContributionFactory(acquisition=acquisition, period=datetime.date(2021, 4, 1))
    return acquisition


def build_world(rate):
    """The two branches; ``rate`` (the conftest fixture) must exist first."""
    branch = BranchFactory(code="CLP", name="Cilacap")
    other_branch = BranchFactory(code="BMS", name="Banyumas")
    office = PerisaiOfficeFactory(branch=branch)
    far_office = PerisaiOfficeFactory(branch=other_branch)
    agent = _agent(office, username="agen-sari", full_name="Sari Wulandari", phone="0812-1111-2222")
    colleague = _agent(office, username="agen-budi", full_name="Budi Santoso", phone="0812-3333-4444")
    far_agent = _agent(far_office, username="agen-far", full_name="Wati Banyumas", phone="0812-5555-6666")
    acquisition = _participant(agent, full_name="Siti Aminah", phone="0813-2468-1357")
    colleague_acquisition = _participant(colleague, full_name="Joko Susilo", phone="0813-9753-1864")
    far_acquisition = _participant(far_agent, full_name="Dewi Lestari", phone="0813-1122-3344")
    return World(
        branch=branch,
        other_branch=other_branch,
        agent=agent,
        colleague=colleague,
        far_agent=far_agent,
        participant=acquisition.participant,
        colleague_participant=colleague_acquisition.participant,
        far_participant=far_acquisition.participant,
        acquisition=acquisition,
        staff=UserFactory(role=User.Role.STAFF, branch=branch, first_name="Rina", last_name="Wulandari"),
        head=UserFactory(role=User.Role.HEAD, branch=branch, first_name="Hendra", last_name="Gunawan"),
        admin=UserFactory(role=User.Role.ADMIN, branch=None, first_name="Admin", last_name="Nasional"),
        far_staff=UserFactory(role=User.Role.STAFF, branch=other_branch, first_name="Staf", last_name="Banyumas"),
    )


def client_for(user):
    """A client signed in as ``user`` (anonymous for ``None``), reading the pages in English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client
