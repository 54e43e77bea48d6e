"""Fixtures shared by the whole suite. Rows come from ``tests.factories``; there are no fixture files."""

import pytest
from django.utils import translation

from tests.factories import (
    AgentFactory,
    BranchFactory,
    ContributionRateFactory,
    ParticipantFactory,
    PerisaiOfficeFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a slow hasher only costs time here (production keeps Django's default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Run the test in English, so assertions on messages hold whatever translations the project ships."""
    with translation.override("en"):
        yield


@pytest.fixture
def branch(db):
    return BranchFactory(code="CLP", name="Cilacap")


@pytest.fixture
def rate(db):
    """The BPU rate in force from 1 January 2021, open-ended."""
    return ContributionRateFactory()


@pytest.fixture
def office(branch):
    return PerisaiOfficeFactory(branch=branch)


@pytest.fixture
def agent(office):
    return AgentFactory(branch=office.branch, office=office)


@pytest.fixture
def participant(branch):
    return ParticipantFactory(branch=branch)
