"""The same write sent twice at the same moment (two devices syncing one draft, a retry while the first
send is still running), on real PostgreSQL with real threads, each request through the whole stack:
both pass the key check, the unique ``client_key`` lets one insert, and the other reads the winner back
and answers with it. One row, two successful answers with the same id, never a 500 or a refusal."""

import threading
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from enrollment.models import Acquisition, Contribution, Participant
from enrollment.services import enrolment
from followup import services as followup_services
from followup.models import ContactAttempt
from tests.api.conftest import ENROL, contacts_url, contributions_url, enrol_body, post_json
from tests.enrollment.field.builders import cared_acquisition, this_month
from tests.races import needs_postgresql, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), needs_postgresql]

TIMEOUT = 20


def hold_after_first_key_check(monkeypatch, module):
    """``module.prior_write`` (the service's key check) waits, the first time in each thread, until both
    threads have checked: both find no write under the key and go on to insert."""
    real = module.prior_write
    checked = threading.Barrier(2)
    seen = threading.local()

    def check_then_wait(*args, **kwargs):
        found = real(*args, **kwargs)
        if not getattr(seen, "waited", False):
            seen.waited = True
            checked.wait(timeout=TIMEOUT)
        return found

    monkeypatch.setattr(module, "prior_write", check_then_wait)


def send_twice(agent, url, body):
    key = uuid.uuid4()
    clients = [Client(HTTP_ACCEPT_LANGUAGE="en") for _ in range(2)]
    for client in clients:
        client.force_login(agent.user)
    outcomes = race(
        *(lambda client=client: post_json(client, url, body, key=key) for client in clients), timeout=TIMEOUT
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    responses = [response for _, response in outcomes]
    assert sorted(response.status_code for response in responses) == [200, 201], [r.content for r in responses]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    return key


def test_one_enrolment_sent_twice_at_once_enrols_once(field_agent, monkeypatch):
    hold_after_first_key_check(monkeypatch, enrolment)
    key = send_twice(field_agent, ENROL, enrol_body())
    assert Acquisition.objects.get().client_key == key
    assert Participant.objects.count() == 1


def test_one_contribution_sent_twice_at_once_is_recorded_once(field_agent, monkeypatch):
    acquisition = cared_acquisition(field_agent, monthly_contribution=16800)
    hold_after_first_key_check(monkeypatch, enrolment)
    body = {"period": this_month().strftime("%Y-%m"), "amount": 16800, "paid_on": timezone.localdate().isoformat()}
    key = send_twice(field_agent, contributions_url(acquisition), body)
    assert Contribution.objects.get().client_key == key


def test_one_contact_sent_twice_at_once_is_logged_once(field_agent, monkeypatch):
    acquisition = cared_acquisition(field_agent)
    hold_after_first_key_check(monkeypatch, followup_services)
    key = send_twice(field_agent, contacts_url(acquisition), {"outcome": "reached"})
    assert ContactAttempt.objects.get().client_key == key
