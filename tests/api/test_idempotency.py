"""A write sent again with its key is recorded once: a retry, a double tap or a second device syncing
the same draft gets the first write's answer; the key from another account or for another kind of
write is refused (409) and writes nothing."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment.client_keys import ClientKeyReused
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.services.enrolment import acquisition_enrol
from followup.models import ContactAttempt
from followup.services import contact_record
from tests.api.conftest import ENROL, contacts_url, contributions_url, enrol_body, post_json
from tests.enrollment.field.builders import cared_acquisition, this_month, worker_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def acquisition(field_agent):
    return cared_acquisition(field_agent, monthly_contribution=16800)


def contribution_body():
    return {"period": this_month().strftime("%Y-%m"), "amount": 16800, "paid_on": timezone.localdate().isoformat()}


def test_an_enrolment_sent_twice_with_its_key_enrols_once_and_answers_the_same(agent_client, field_agent):
    key = uuid.uuid4()
    first = post_json(agent_client, ENROL, enrol_body(), key=key)
    again = post_json(agent_client, ENROL, enrol_body(), key=key)

    assert (first.status_code, again.status_code) == (201, 200)
    acquisition = Acquisition.objects.get()
    assert acquisition.client_key == key
    assert first.json() == {
        "id": acquisition.pk,
        "participant_id": acquisition.participant_id,
        "full_name": "Slamet Riyadi",
        "monthly_contribution": 16800,
        "message": "Slamet Riyadi is enrolled. Monthly contribution: Rp\u00a016,800.",
        "url": reverse("enrollment:my_participant_detail", args=[acquisition.participant_id]),
        "replayed": False,
    }
    assert again.json() == {**first.json(), "replayed": True}


def test_a_new_key_for_the_same_worker_is_the_duplicate_nik_refusal(agent_client):
    post_json(agent_client, ENROL, enrol_body())
    second = post_json(agent_client, ENROL, enrol_body())
    assert second.status_code == 422
    assert "This worker is already enrolled" in second.json()["message"]
    assert Acquisition.objects.count() == 1


def test_a_contribution_sent_twice_is_recorded_once(agent_client, acquisition):
    key = uuid.uuid4()
    first = post_json(agent_client, contributions_url(acquisition), contribution_body(), key=key)
    again = post_json(agent_client, contributions_url(acquisition), contribution_body(), key=key)
    assert (first.status_code, again.status_code) == (201, 200), first.content
    contribution = Contribution.objects.get()
    assert first.json()["id"] == again.json()["id"] == contribution.pk
    assert first.json()["message"].startswith("Contribution for ") and again.json()["replayed"] is True


def test_a_contact_sent_twice_is_logged_once(agent_client, acquisition):
    key = uuid.uuid4()
    first = post_json(agent_client, contacts_url(acquisition), {"outcome": "reached"}, key=key)
    again = post_json(agent_client, contacts_url(acquisition), {"outcome": "reached"}, key=key)
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert ContactAttempt.objects.get().pk == first.json()["id"] == again.json()["id"]
    assert first.json()["message"] == "Logged: Reached."


@pytest.mark.parametrize("key", [False, "", "not-a-uuid", "1234"])
def test_a_write_without_a_uuid_key_is_a_422_and_writes_nothing(agent_client, acquisition, key):
    for url, body in [
        (ENROL, enrol_body()),
        (contributions_url(acquisition), contribution_body()),
        (contacts_url(acquisition), {"outcome": "reached"}),
    ]:
        response = post_json(agent_client, url, body, key=key)
        assert response.status_code == 422
        assert "Idempotency-Key" in response.json()["message"]
    assert not Participant.objects.exclude(pk=acquisition.participant_id).exists()
    assert not Contribution.objects.exists() and not ContactAttempt.objects.exists()


def test_a_key_used_for_another_kind_of_write_is_a_409_and_writes_nothing(agent_client, acquisition):
    key = uuid.uuid4()
    assert post_json(agent_client, contacts_url(acquisition), {"outcome": "reached"}, key=key).status_code == 201

    for url, body in [(ENROL, enrol_body()), (contributions_url(acquisition), contribution_body())]:
        response = post_json(agent_client, url, body, key=key)
        assert response.status_code == 409
        assert (
            response.json()["message"] == "This request's key was already used for another record. Nothing was saved."
        )
    assert Acquisition.objects.count() == 1 and not Contribution.objects.exists()


def test_a_key_another_agent_used_is_a_409_and_tells_nothing_of_their_write(agent_client, other_agent):
    key = uuid.uuid4()
    acquisition_enrol(agent=other_agent, **worker_data(), client_key=key)

    response = post_json(agent_client, ENROL, enrol_body(nik="3301215705900002", full_name="Lain"), key=key)

    assert response.status_code == 409
    assert "Slamet" not in response.content.decode()
    assert Acquisition.objects.count() == 1


def test_the_services_refuse_a_key_across_apps(field_agent, acquisition):
    """An enrolment's service (below followup) still knows a contact's keys: followup registers them."""
    key = uuid.uuid4()
    contact_record(acquisition=acquisition, user=field_agent.user, outcome="reached", client_key=key)
    with pytest.raises(ClientKeyReused):
        acquisition_enrol(agent=field_agent, **worker_data(), client_key=key)
    assert Acquisition.objects.count() == 1
