"""Deactivating an agent with a date and a reason (never deleting), and taking them back.

Since the incentives work every deactivation carries a reason (inactivity, fraud, resigned, other):
the calls below pass ``reason=RESIGNED`` where the reason does not matter to the test.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agents.models import Agent, User
from agents.services import agent_deactivate, agent_reactivate
from tests.factories import AcquisitionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2022, 7, 15)
RESIGNED = Agent.DeactivationReason.RESIGNED


@pytest.fixture
def agent_with_login(agent):
    agent.user = UserFactory(role=User.Role.AGENT, branch=agent.branch)
    agent.save()
    return agent


def test_deactivate_sets_status_and_date_and_disables_the_login(agent_with_login):
    agent_deactivate(agent=agent_with_login, left_on=datetime.date(2022, 6, 30), reason=RESIGNED, today=TODAY)

    agent = Agent.objects.select_related("user").get(pk=agent_with_login.pk)
    assert (agent.status, agent.left_on) == (Agent.Status.INACTIVE, datetime.date(2022, 6, 30))
    assert not agent.user.is_active


def test_acquisitions_stay_when_an_agent_leaves(agent, rate):
    AcquisitionFactory(agent=agent, rate=rate)

    agent_deactivate(agent=agent, left_on=datetime.date(2022, 6, 30), reason=RESIGNED, today=TODAY)

    assert agent.acquisitions.count() == 1


@pytest.mark.usefixtures("english")
def test_leaving_before_joining_is_refused(agent):
    with pytest.raises(ValidationError) as caught:
        agent_deactivate(
            agent=agent, left_on=agent.joined_on - datetime.timedelta(days=1), reason=RESIGNED, today=TODAY
        )

    assert "left_on" in caught.value.error_dict
    assert "cannot leave before joining" in str(caught.value)
    assert Agent.objects.get(pk=agent.pk).status == Agent.Status.ACTIVE


def test_leaving_on_the_day_of_joining_is_accepted(agent):
    agent_deactivate(agent=agent, left_on=agent.joined_on, reason=RESIGNED, today=TODAY)

    assert Agent.objects.get(pk=agent.pk).left_on == agent.joined_on


def test_leaving_in_the_future_is_refused(agent):
    with pytest.raises(ValidationError):
        agent_deactivate(agent=agent, left_on=TODAY + datetime.timedelta(days=1), reason=RESIGNED, today=TODAY)

    assert Agent.objects.get(pk=agent.pk).status == Agent.Status.ACTIVE


def test_deactivating_twice_is_refused(agent):
    agent_deactivate(agent=agent, left_on=datetime.date(2022, 6, 30), reason=RESIGNED, today=TODAY)

    with pytest.raises(ValidationError):
        agent_deactivate(agent=agent, left_on=datetime.date(2022, 7, 1), reason=RESIGNED, today=TODAY)

    assert Agent.objects.get(pk=agent.pk).left_on == datetime.date(2022, 6, 30)


def test_reactivate_clears_the_date_and_restores_the_login(agent_with_login):
    agent_deactivate(agent=agent_with_login, left_on=datetime.date(2022, 6, 30), reason=RESIGNED, today=TODAY)

    agent_reactivate(agent=Agent.objects.get(pk=agent_with_login.pk))

    agent = Agent.objects.select_related("user").get(pk=agent_with_login.pk)
    assert (agent.status, agent.left_on) == (Agent.Status.ACTIVE, None)
    assert agent.user.is_active


def test_reactivating_an_active_agent_is_refused(agent):
    with pytest.raises(ValidationError):
        agent_reactivate(agent=agent)


# Through the pages.


def test_deactivate_page_records_the_date(staff_client, agent):
    response = staff_client.post(
        reverse("agents:agent_deactivate", args=[agent.pk]), {"left_on": "2021-05-31", "reason": "resigned"}
    )

    agent.refresh_from_db()
    assert response.status_code == 302
    assert (agent.status, agent.left_on) == (Agent.Status.INACTIVE, datetime.date(2021, 5, 31))


def test_deactivate_page_shows_the_error_and_changes_nothing(staff_client, agent):
    response = staff_client.post(
        reverse("agents:agent_deactivate", args=[agent.pk]), {"left_on": "2019-01-01", "reason": "resigned"}
    )

    agent.refresh_from_db()
    assert response.status_code == 200
    assert "cannot leave before joining" in response.content.decode()
    assert agent.status == Agent.Status.ACTIVE


def test_deactivate_page_for_an_inactive_agent_sends_back_to_the_agent(staff_client, agent):
    agent_deactivate(agent=agent, left_on=datetime.date(2021, 5, 31), reason=RESIGNED)

    response = staff_client.get(reverse("agents:agent_deactivate", args=[agent.pk]))

    assert response["Location"] == reverse("agents:agent_detail", args=[agent.pk])


def test_reactivate_button_takes_the_agent_back(staff_client, agent):
    agent_deactivate(agent=agent, left_on=datetime.date(2021, 5, 31), reason=RESIGNED)
    page = staff_client.get(reverse("agents:agent_detail", args=[agent.pk])).content.decode()
    assert reverse("agents:agent_reactivate", args=[agent.pk]) in page

    response = staff_client.post(reverse("agents:agent_reactivate", args=[agent.pk]))

    agent.refresh_from_db()
    assert response.status_code == 302
    assert agent.status == Agent.Status.ACTIVE
