"""A write the server refuses comes back with one sentence and every error by field, in the request's
language, and nothing is saved: bad data, a duplicate NIK, a month already paid, a promise without a day."""

import uuid

import pytest
from django.utils import timezone

from enrollment.models import Acquisition, Contribution, Participant
from followup.models import ContactAttempt
from tests.api.conftest import ENROL, contacts_url, contributions_url, enrol_body, post_json
from tests.enrollment.field.builders import cared_acquisition, this_month
from tests.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_bad_enrolment_data_is_a_422_by_field_and_nothing_is_saved(agent_client):
    response = post_json(agent_client, ENROL, enrol_body(nik="12345", full_name="", birth_date=None, gender="X"))

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) >= {"nik", "full_name", "gender"}
    assert errors["full_name"] == ["This field is required."]
    assert response.json()["message"].startswith("NIK: ")
    assert not Participant.objects.exists()


def test_a_nik_that_disagrees_needs_the_confirmation_as_on_the_page(agent_client):
    body = enrol_body(gender="F")
    refused = post_json(agent_client, ENROL, body)
    assert refused.status_code == 422
    assert refused.json()["message"] == "The NIK encodes a man but a woman was entered."
    assert not Participant.objects.exists()
    assert post_json(agent_client, ENROL, {**body, "confirm_nik_mismatch": True}).status_code == 201


def test_a_worker_already_enrolled_by_another_agent_is_refused_with_the_pages_message(agent_client, other_agent):
    cared_acquisition(other_agent, participant__nik=enrol_body()["nik"])
    response = post_json(agent_client, ENROL, enrol_body())
    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("This worker is already enrolled: on ") and "by Budi Santoso" in message
    assert response.json()["errors"] == {"__all__": [message]}
    assert Acquisition.objects.count() == 1


def test_a_refused_key_is_not_spent_the_corrected_draft_saves_with_it(agent_client):
    key = uuid.uuid4()
    assert post_json(agent_client, ENROL, enrol_body(full_name=""), key=key).status_code == 422
    assert post_json(agent_client, ENROL, enrol_body(), key=key).status_code == 201


def test_a_contribution_of_the_wrong_amount_or_a_month_already_paid_is_refused(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent, monthly_contribution=16800)
    today = timezone.localdate()
    body = {"period": this_month().strftime("%Y-%m"), "amount": 20000, "paid_on": today.isoformat()}
    wrong = post_json(agent_client, contributions_url(acquisition), body)
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"amount": ["The monthly contribution for this participant is Rp\u00a016,800."]}

    ContributionFactory(acquisition=acquisition, period=this_month(), amount=16800)
    paid = post_json(agent_client, contributions_url(acquisition), {**body, "amount": 16800})
    assert paid.status_code == 422
    assert list(paid.json()["errors"]) == ["period"]
    assert Contribution.objects.count() == 1


def test_a_promise_without_a_day_is_refused(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent)
    response = post_json(agent_client, contacts_url(acquisition), {"outcome": "promised"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"promised_on": ["Give the day they promised to pay."]}
    assert not ContactAttempt.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b""])
def test_a_body_that_is_not_a_json_object_is_a_422(agent_client, body):
    response = agent_client.post(ENROL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 422
    assert response.json()["message"] == "Send the fields as one JSON object."


def test_messages_are_indonesian_unless_the_request_asks_for_english(client, field_agent):
    client.force_login(field_agent.user)
    indonesian = post_json(client, ENROL, enrol_body(full_name=""))
    english = post_json(client, ENROL, enrol_body(full_name=""), HTTP_ACCEPT_LANGUAGE="en")
    assert indonesian.json()["errors"]["full_name"] != english.json()["errors"]["full_name"]
    assert english.json()["errors"]["full_name"] == ["This field is required."]
    assert indonesian.json()["message"].startswith("Nama lengkap: ")
