"""Who may import: branch staff of the batch's branch. Another branch's batch is a 404 and nothing changes."""

from datetime import date

import pytest
from django.urls import reverse

from agents.models import User
from enrollment.models import ImportBatch, Participant
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import AgentFactory, BranchFactory, PerisaiOfficeFactory, UserFactory


@pytest.fixture
def batch(upload):
    return upload(xlsx_upload([person(), person()])).context["batch"]


def _other_branch_staff_client(client):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=BranchFactory()))
    return client


def test_another_branchs_batch_is_a_404_and_is_not_imported(batch, client):
    other = _other_branch_staff_client(client)
    assert other.get(reverse("enrollment:import_preview", args=[batch.pk])).status_code == 404
    assert other.post(reverse("enrollment:import_confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert Participant.objects.count() == 0


def test_the_agent_select_offers_only_active_agents_of_the_branch(staff_client, agent, office):
    AgentFactory(office=PerisaiOfficeFactory(branch=BranchFactory()))
    AgentFactory(
        branch=office.branch, office=office, status="inactive", left_on=date(2022, 1, 1), deactivation_reason="resigned"
    )
    response = staff_client.get(reverse("enrollment:import_upload"))
    assert list(response.context["form"].fields["agent"].queryset) == [agent]


def test_an_agent_of_another_branch_cannot_be_posted(staff_client, rate):
    stranger = AgentFactory(office=PerisaiOfficeFactory(branch=BranchFactory()))
    response = staff_client.post(
        reverse("enrollment:import_upload"), {"agent": stranger.pk, "file": xlsx_upload([person()])}
    )
    assert "agent" in response.context["form"].errors
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("name", ["import_upload", "import_template"])
def test_agents_get_404(client, office, name):
    user = UserFactory(role=User.Role.AGENT, branch=office.branch)
    AgentFactory(branch=office.branch, office=office, user=user)
    client.force_login(user)
    assert client.get(reverse(f"enrollment:{name}")).status_code == 404


def test_agents_get_404_on_a_batch(batch, client, office):
    user = UserFactory(role=User.Role.AGENT, branch=office.branch)
    client.force_login(user)
    assert client.get(reverse("enrollment:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("enrollment:import_confirm", args=[batch.pk])).status_code == 404
    assert Participant.objects.count() == 0


def test_the_branch_head_reads_but_cannot_import(batch, client, branch, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory(role=User.Role.HEAD, branch=branch))
    page = client.get(reverse("enrollment:import_upload"))
    assert page.status_code == 200
    assert "Only branch staff can import enrollments." in page.content.decode()
    assert client.post(reverse("enrollment:import_upload"), {"file": xlsx_upload([person()])}).status_code == 403
    assert client.post(reverse("enrollment:import_confirm", args=[batch.pk])).status_code == 403
    assert Participant.objects.count() == 0


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("enrollment:import_upload"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_upload_still_checks_the_csrf_token(staff, agent, rate):
    """The upload view sets its own upload handler, so it runs the CSRF check itself: it must still run."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("enrollment:import_upload"), {"agent": agent.pk, "file": xlsx_upload([person()])})
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0
