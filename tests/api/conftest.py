"""Fixtures for the JSON API: two agents of one branch with logins, a staff member, and clients that
speak JSON (the agent's session, or a bearer token)."""

import json
import uuid

import pytest
from django.urls import reverse

from tests.enrollment.field import conftest as agent_pages
from tests.enrollment.field.builders import worker_data
from web.signin.tokens import api_token_issue

ENROL = reverse("api:enrolments")

field_agent, other_agent = agent_pages.field_agent, agent_pages.other_agent  # the agent pages' two agents


def contributions_url(acquisition):
    return reverse("api:contributions", args=[acquisition.pk])


def contacts_url(acquisition):
    return reverse("api:contacts", args=[acquisition.pk])


def post_json(client, url, body, *, key=None, **headers):
    """POST ``body`` as JSON with a new ``Idempotency-Key`` (or ``key``; ``key=False`` sends none)."""
    if key is None:
        key = uuid.uuid4()
    if key is not False:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(key)
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def agent_client(client, field_agent):
    """The first agent signed in, reading English (``Accept-Language: en``)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(field_agent.user)
    return client


@pytest.fixture
def token(field_agent):
    return api_token_issue(user=field_agent.user, name="test")[1]


def enrol_body(**overrides):
    """What the enrol form takes, as JSON."""
    data = worker_data(**overrides)
    data["birth_date"] = data["birth_date"] and data["birth_date"].isoformat()
    data["declared_income"] = int(data["declared_income"])
    return data
