"""Who may open the network pages: sign-in, role permissions (head reads only), branch scope (404)."""

import datetime

import pytest
from django.urls import reverse

from agents.models import Agent, CooperationAgreement, PerisaiOffice

pytestmark = pytest.mark.django_db

LIST_URLS = ["agents:agent_list", "agents:office_list", "agents:agreement_list"]
CREATE_URLS = ["agents:agent_create", "agents:office_create", "agents:agreement_create"]
# (url name, which object's id, method)
READ_BY_ID = [
    ("agents:agent_detail", "agent"),
    ("agents:office_detail", "office"),
    ("agents:agreement_detail", "agreement"),
    ("agents:agreement_document", "agreement"),
]
WRITE_BY_ID = [
    ("agents:agent_edit", "agent"),
    ("agents:agent_deactivate", "agent"),
    ("agents:agent_reactivate", "agent"),
    ("agents:agent_login", "agent"),
    ("agents:office_edit", "office"),
    ("agents:agreement_renew", "agreement"),
    ("agents:agreement_upload", "agreement"),
]


@pytest.fixture
def objects(agent, agreement):
    return {"agent": agent, "office": agent.office, "agreement": agreement}


@pytest.fixture
def other_objects(other_agent, other_agreement):
    return {"agent": other_agent, "office": other_agent.office, "agreement": other_agreement}


def _snapshot():
    return (
        list(Agent.objects.order_by("pk").values()),
        list(PerisaiOffice.objects.order_by("pk").values()),
        list(CooperationAgreement.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("name", LIST_URLS + CREATE_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", LIST_URLS + CREATE_URLS)
def test_an_agent_account_gets_403_on_staff_pages(agent_client, name):
    assert agent_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name, kind", READ_BY_ID + WRITE_BY_ID)
def test_an_agent_account_gets_403_on_pages_with_an_id(agent_client, objects, name, kind):
    assert agent_client.get(reverse(name, args=[objects[kind].pk])).status_code == 403


@pytest.mark.parametrize("name", LIST_URLS)
def test_head_reads_the_lists(head_client, name):
    assert head_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name, kind", [item for item in READ_BY_ID if item[0] != "agents:agreement_document"])
def test_head_reads_the_detail_pages(head_client, objects, name, kind):
    assert head_client.get(reverse(name, args=[objects[kind].pk])).status_code == 200


@pytest.mark.parametrize("name", CREATE_URLS)
def test_head_may_not_create(head_client, name):
    before = _snapshot()

    assert head_client.get(reverse(name)).status_code == 403
    assert head_client.post(reverse(name), {"code": "X", "number": "X", "full_name": "X"}).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("name, kind", WRITE_BY_ID)
def test_head_may_not_write(head_client, objects, name, kind):
    before = _snapshot()

    response = head_client.post(reverse(name, args=[objects[kind].pk]), {"left_on": "2021-01-01"})

    assert response.status_code == 403
    assert _snapshot() == before


def test_head_sees_no_write_buttons(head_client, agent):
    page = head_client.get(reverse("agents:agent_detail", args=[agent.pk])).content.decode()

    assert reverse("agents:agent_edit", args=[agent.pk]) not in page
    assert reverse("agents:agent_login", args=[agent.pk]) not in page
    assert reverse("agents:agent_create") not in head_client.get(reverse("agents:agent_list")).content.decode()


@pytest.mark.parametrize("name, kind", READ_BY_ID + WRITE_BY_ID)
def test_another_branchs_id_is_404_and_changes_nothing(staff_client, objects, other_objects, name, kind):
    before = _snapshot()
    url = reverse(name, args=[other_objects[kind].pk])

    assert staff_client.get(url).status_code in (404, 405)
    assert staff_client.post(url, {"left_on": "2021-01-01", "number": "PKS/X", "username": "x"}).status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("name, kind", READ_BY_ID)
def test_another_branchs_id_is_404_for_the_head_too(head_client, other_objects, name, kind):
    assert head_client.get(reverse(name, args=[other_objects[kind].pk])).status_code == 404


def test_a_national_administrator_reads_every_branch(admin_client_national, objects, other_objects):
    for kind_objects in (objects, other_objects):
        for name, kind in READ_BY_ID[:3]:
            assert admin_client_national.get(reverse(name, args=[kind_objects[kind].pk])).status_code == 200


def test_reactivate_answers_only_post(staff_client, agent):
    agent.status, agent.left_on = Agent.Status.INACTIVE, datetime.date(2021, 1, 1)
    agent.deactivation_reason = Agent.DeactivationReason.RESIGNED
    agent.save()

    assert staff_client.get(reverse("agents:agent_reactivate", args=[agent.pk])).status_code == 405
