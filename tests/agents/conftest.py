"""Fixtures for the agent network screens: users of each role, another branch, signed-in clients."""

import pytest
from django.conf import settings
from django.test import Client

from agents.models import User
from tests.factories import (
    AgentFactory,
    BranchFactory,
    CooperationAgreementFactory,
    PerisaiOfficeFactory,
    UserFactory,
)


def signed_in(user):
    """A client signed in as ``user`` that asks for English pages, so assertions hold whatever is translated."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch)


@pytest.fixture
def head(branch):
    return UserFactory(role=User.Role.HEAD, branch=branch)


@pytest.fixture
def national_admin(db):
    return UserFactory(role=User.Role.ADMIN, branch=None)


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def head_client(head):
    return signed_in(head)


@pytest.fixture
def agent_client(agent):
    login = UserFactory(role=User.Role.AGENT, branch=agent.branch)
    agent.user = login
    agent.save()
    return signed_in(login)


@pytest.fixture
def admin_client_national(national_admin):
    return signed_in(national_admin)


@pytest.fixture
def agreement(office):
    return CooperationAgreementFactory(office=office)


@pytest.fixture
def other_branch(db):
    return BranchFactory(code="BMS", name="Banyumas")


@pytest.fixture
def other_office(other_branch):
    return PerisaiOfficeFactory(branch=other_branch)


@pytest.fixture
def other_agent(other_office):
    return AgentFactory(branch=other_office.branch, office=other_office)


@pytest.fixture
def other_agreement(other_office):
    return CooperationAgreementFactory(office=other_office)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded documents go to a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
