"""Creating or resetting an agent's login: an agent account of the branch, a temporary password shown once."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from agents.models import Agent, User
from agents.services import agent_deactivate, agent_set_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creates_an_agent_account_named_after_the_code(agent):
    agent.code = "CLP-A077"
    agent.save()

    password = agent_set_login(agent=agent)

    user = Agent.objects.get(pk=agent.pk).user
    assert user.username == "clp-a077"
    assert (user.role, user.branch, user.is_staff, user.is_superuser) == (User.Role.AGENT, agent.branch, False, False)
    assert user.is_active
    assert user.check_password(password)
    assert authenticate(RequestFactory().post("/accounts/login/"), username="clp-a077", password=password) == user


def test_the_password_is_long_random_and_passes_the_validators(agent):
    password = agent_set_login(agent=agent)

    assert len(password) >= 12
    validate_password(password, Agent.objects.get(pk=agent.pk).user)
    assert password != agent_set_login(agent=agent)


def test_a_chosen_username_is_used(agent):
    agent_set_login(agent=agent, username="Sri.Kroya")

    assert Agent.objects.get(pk=agent.pk).user.username == "sri.kroya"


def test_reset_keeps_the_account_and_replaces_the_password(agent):
    first = agent_set_login(agent=agent)
    user_id = Agent.objects.get(pk=agent.pk).user_id

    second = agent_set_login(agent=Agent.objects.get(pk=agent.pk), username="ignored")

    user = User.objects.get(pk=user_id)
    assert User.objects.filter(role=User.Role.AGENT).count() == 1
    assert user.username != "ignored"
    assert user.check_password(second) and not user.check_password(first)


def test_a_taken_username_is_refused_and_nothing_is_created(agent):
    UserFactory(username="taken")

    with pytest.raises(ValidationError) as caught:
        agent_set_login(agent=agent, username="taken")

    assert "username" in caught.value.error_dict
    assert Agent.objects.get(pk=agent.pk).user is None
    assert not User.objects.filter(role=User.Role.AGENT).exists()


def test_an_inactive_agent_gets_no_login(agent):
    agent_deactivate(agent=agent, left_on=datetime.date(2021, 1, 1), reason=Agent.DeactivationReason.RESIGNED)

    with pytest.raises(ValidationError):
        agent_set_login(agent=agent)

    assert Agent.objects.get(pk=agent.pk).user is None


def test_a_staff_account_linked_to_an_agent_is_not_reset(agent, staff):
    agent.user = staff
    agent.save()

    with pytest.raises(ValidationError):
        agent_set_login(agent=agent)

    staff.refresh_from_db()
    assert staff.check_password("perisai-test-password")


# Through the pages.


def test_the_result_page_shows_the_password_once_and_is_not_cached(staff_client, agent):
    response = staff_client.post(reverse("agents:agent_login", args=[agent.pk]), {"username": ""})

    user = Agent.objects.get(pk=agent.pk).user
    password = response.context["password"]
    page = response.content.decode()
    assert response.status_code == 200
    assert password in page and user.username in page
    assert user.check_password(password)
    assert "no-store" in response["Cache-Control"]
    assert password not in staff_client.get(reverse("agents:agent_detail", args=[agent.pk])).content.decode()


def test_the_page_offers_a_reset_once_a_login_exists(staff_client, agent):
    agent_set_login(agent=agent)

    page = staff_client.get(reverse("agents:agent_login", args=[agent.pk])).content.decode()

    assert "Reset the password" in page
    assert 'name="username"' not in page


def test_a_bad_username_is_shown_and_nothing_is_created(staff_client, agent):
    response = staff_client.post(reverse("agents:agent_login", args=[agent.pk]), {"username": "no spaces allowed"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not User.objects.filter(role=User.Role.AGENT).exists()
