"""A change made in the admin keeps the same reasons and history as the app's pages."""

import datetime

import pytest
from django.urls import reverse

from agents.models import Agent, User
from enrollment.models import Participant
from enrollment.selectors.history import history_for
from tests.admin_pages import posted_back
from tests.factories import AcquisitionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_admin():
    return UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)


@pytest.fixture
def participant(rate):
    return AcquisitionFactory(rate=rate, participant__full_name="Siti Aminah").participant


def change_url(participant):
    return reverse("admin:enrollment_participant_change", args=[participant.pk])


def test_a_participant_changed_in_the_admin_needs_a_reason(client, national_admin, participant):
    client.force_login(national_admin)
    data = {**posted_back(client.get(change_url(participant))), "full_name": "Siti Aminah Rahayu"}
    versions = participant.history.count()

    response = client.post(change_url(participant), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["reason"]
    assert Participant.objects.get(pk=participant.pk).full_name == "Siti Aminah"
    assert participant.history.count() == versions


def test_the_reason_and_who_gave_it_go_into_the_participants_history(client, national_admin, participant):
    client.force_login(national_admin)
    data = {
        **posted_back(client.get(change_url(participant))),
        "full_name": "Siti Aminah Rahayu",
        "reason": "Nama sesuai KTP",
    }

    response = client.post(change_url(participant), data)

    assert response.status_code == 302
    latest = participant.history.latest()
    assert latest.full_name == "Siti Aminah Rahayu"
    assert latest.history_change_reason == "Nama sesuai KTP"
    assert latest.history_user == national_admin
    shown = history_for(Participant.objects.filter(pk=participant.pk))
    assert any(entry.reason == "Nama sesuai KTP" for entry in shown)


def test_saving_the_admin_page_unchanged_writes_no_history(client, national_admin, participant):
    client.force_login(national_admin)
    data = {**posted_back(client.get(change_url(participant))), "reason": "Periksa saja"}
    versions = participant.history.count()

    assert client.post(change_url(participant), data).status_code == 302
    assert participant.history.count() == versions


def test_a_birth_date_that_disagrees_with_the_nik_needs_the_confirmation_box(client, national_admin, participant):
    client.force_login(national_admin)
    other_day = participant.birth_date + datetime.timedelta(days=1)
    data = {
        **posted_back(client.get(change_url(participant))),
        "birth_date": other_day.isoformat(),
        "reason": "Tanggal lahir sesuai KTP",
    }

    refused = client.post(change_url(participant), data)
    confirmed = client.post(change_url(participant), {**data, "confirm_nik_mismatch": "on"})

    assert refused.status_code == 200 and refused.context["adminform"].form.non_field_errors()
    assert confirmed.status_code == 302
    assert Participant.objects.get(pk=participant.pk).birth_date == other_day


def test_the_admin_does_not_move_a_participant_to_another_branch(client, national_admin, participant):
    client.force_login(national_admin)
    form = client.get(change_url(participant)).context["adminform"].form
    assert "branch" not in form.fields
    assert "reason" in form.fields


def test_adding_a_participant_in_the_admin_asks_no_reason(client, national_admin):
    client.force_login(national_admin)
    form = client.get(reverse("admin:enrollment_participant_add")).context["adminform"].form
    assert "reason" not in form.fields and "nik" in form.fields


def test_an_agent_leaves_on_the_agents_page_not_in_the_admin(client, national_admin, participant):
    """The page asks why and stops the agent's login; the admin would do neither."""
    agent = participant.acquisitions.get().agent
    client.force_login(national_admin)
    url = reverse("admin:agents_agent_change", args=[agent.pk])
    form = client.get(url).context["adminform"].form
    assert not {"status", "left_on", "deactivation_reason"} & set(form.fields)

    data = {
        **posted_back(client.get(url)),
        "status": "inactive",
        "left_on": datetime.date(2022, 1, 31).isoformat(),
        "deactivation_reason": "resigned",
    }
    client.post(url, data)

    agent.refresh_from_db()
    assert agent.status == Agent.Status.ACTIVE and agent.left_on is None
