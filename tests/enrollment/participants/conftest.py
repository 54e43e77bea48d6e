"""Fixtures for the staff participant screens: a signed-in staff member and branch head, in English."""

import pytest
from django.test import Client

from agents.models import User
from tests.factories import UserFactory


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch, first_name="Rina", last_name="Wulandari")


@pytest.fixture
def staff_client(client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


@pytest.fixture
def head_client(branch, settings):
    """The branch head, signed in on a client of their own (a test may use both)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory(role=User.Role.HEAD, branch=branch))
    return client
