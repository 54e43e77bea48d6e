"""Fixtures for the agent's pages: two agents of one branch, each with a login."""

import pytest

from agents.models import User
from tests.factories import AgentFactory, UserFactory


def _agent_with_login(office, username, full_name):
    first, _, last = full_name.partition(" ")
    user = UserFactory(username=username, role=User.Role.AGENT, branch=office.branch, first_name=first, last_name=last)
    return AgentFactory(branch=office.branch, office=office, user=user, full_name=full_name)


@pytest.fixture
def field_agent(office, rate):
    """The agent using the pages (rate: the BPU rate is in force today)."""
    return _agent_with_login(office, "agen-sari", "Sari Wulandari")


@pytest.fixture
def other_agent(office, rate):
    """A colleague in the same office, whose participants the first agent must not reach."""
    return _agent_with_login(office, "agen-budi", "Budi Santoso")


@pytest.fixture
def agent_client(client, field_agent, settings):
    """The first agent, signed in, reading the pages in English (assertions match English messages)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(field_agent.user)
    return client
