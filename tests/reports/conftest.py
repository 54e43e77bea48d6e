"""Fixtures for the report tests: small hand-built data with known answers, and the Cilacap demo."""

import datetime

import pytest
from django.db import transaction

from agents.models import Agent
from agents.scoping import Scope
from demo.cilacap import seed_cilacap_demo
from enrollment.models import Acquisition
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    ContributionFactory,
    ParticipantFactory,
    PerisaiOfficeFactory,
)


def acquire(agent, on, *, participant=None, lapsed_on=None, caretaker=None, office=None, **fields):
    """An acquisition by ``agent`` on ``on`` credited to the agent's branch and (current) office."""
    return AcquisitionFactory(
        agent=agent,
        caretaker=caretaker or agent,
        office=office or agent.office,
        participant=participant or ParticipantFactory(branch=agent.branch),
        acquired_on=on,
        status=Acquisition.Status.LAPSED if lapsed_on else Acquisition.Status.ACTIVE,
        ended_on=lapsed_on,
        **fields,
    )


def pay(acquisition, *months):
    """Contributions for ``months`` given as (year, month) pairs."""
    return [
        ContributionFactory(
            acquisition=acquisition,
            period=datetime.date(year, month, 1),
            paid_on=datetime.date(year, month, 5),
        )
        for year, month in months
    ]


@pytest.fixture
def cilacap(rate):
    """A branch with two offices, the first with two agents, the second with one."""
    branch = BranchFactory(code="CLP", name="Cilacap")
    north, south = PerisaiOfficeFactory(branch=branch, code="CLP-N"), PerisaiOfficeFactory(branch=branch, code="CLP-S")
    return {
        "branch": branch,
        "north": north,
        "south": south,
        "ani": AgentFactory(
            branch=branch, office=north, code="ANI", full_name="Ani", joined_on=datetime.date(2020, 1, 6)
        ),
        "budi": AgentFactory(
            branch=branch, office=north, code="BUDI", full_name="Budi", joined_on=datetime.date(2020, 1, 6)
        ),
        "citra": AgentFactory(
            branch=branch, office=south, code="CITRA", full_name="Citra", joined_on=datetime.date(2020, 1, 6)
        ),
        "scope": Scope(branch=branch),
    }


@pytest.fixture
def banyumas(rate):
    """Another branch, with an office, an agent and an acquisition in every year the tests use."""
    branch = BranchFactory(code="BMS", name="Banyumas")
    office = PerisaiOfficeFactory(branch=branch, code="BMS-1")
    agent = AgentFactory(branch=branch, office=office, code="BMS-A1", joined_on=datetime.date(2020, 1, 6))
    for day in (datetime.date(2021, 3, 3), datetime.date(2022, 3, 3), datetime.date(2022, 6, 30)):
        pay(acquire(agent, day), (day.year, day.month))
    return {"branch": branch, "office": office, "agent": agent, "scope": Scope(branch=branch)}


def leave(agent, on):
    Agent.objects.filter(pk=agent.pk).update(
        status=Agent.Status.INACTIVE, left_on=on, deactivation_reason=Agent.DeactivationReason.RESIGNED
    )
    agent.refresh_from_db()
    return agent


@pytest.fixture
def in_english(client, settings):
    """The test client asks for English pages, as a user who chose English would."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Cilacap demo, seeded once for a test module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_cilacap_demo()
            yield
            transaction.set_rollback(True)
