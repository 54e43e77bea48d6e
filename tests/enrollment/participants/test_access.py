"""Who sees the participant screens: staff and the head of the branch; another branch's participant is a
404 and nothing changes; agents get 404 everywhere; anonymous users sign in first."""

import pytest
from django.urls import reverse

from agents.models import User
from tests.factories import AcquisitionFactory, AgentFactory, BranchFactory, ParticipantFactory, UserFactory


@pytest.fixture
def elsewhere():
    return AcquisitionFactory(agent__branch=BranchFactory()).participant


def test_another_branchs_participant_is_a_404(staff_client, elsewhere):
    for name in ("participant_detail", "participant_edit"):
        assert staff_client.get(reverse(f"enrollment:{name}", args=[elsewhere.pk])).status_code == 404


def test_editing_another_branchs_participant_is_a_404_and_changes_nothing(staff_client, elsewhere):
    response = staff_client.post(
        reverse("enrollment:participant_edit", args=[elsewhere.pk]),
        {"full_name": "Dibajak", "reason": "x", "nik": elsewhere.nik},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.full_name != "Dibajak"


@pytest.mark.parametrize("name", ["participant_list", "participant_move"])
def test_agents_get_404_on_the_staff_pages(client, office, name):
    user = UserFactory(role=User.Role.AGENT, branch=office.branch)
    AgentFactory(branch=office.branch, office=office, user=user)
    client.force_login(user)
    assert client.get(reverse(f"enrollment:{name}")).status_code == 404


def test_agents_get_404_on_a_participant_even_their_own(client, office):
    user = UserFactory(role=User.Role.AGENT, branch=office.branch)
    own = AcquisitionFactory(agent=AgentFactory(branch=office.branch, office=office, user=user)).participant
    client.force_login(user)
    for name in ("participant_detail", "participant_edit"):
        assert client.get(reverse(f"enrollment:{name}", args=[own.pk])).status_code == 404


def test_the_head_reads_the_list_and_the_detail(head_client, branch):
    participant = ParticipantFactory(branch=branch)
    assert head_client.get(reverse("enrollment:participant_list")).status_code == 200
    assert head_client.get(reverse("enrollment:participant_detail", args=[participant.pk])).status_code == 200


def test_a_national_administrator_sees_every_branch(client, db):
    participant = AcquisitionFactory(agent__branch=BranchFactory()).participant
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None))
    assert client.get(reverse("enrollment:participant_detail", args=[participant.pk])).status_code == 200


def test_anonymous_users_sign_in_first(client, participant):
    for url in (
        reverse("enrollment:participant_list"),
        reverse("enrollment:participant_detail", args=[participant.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
