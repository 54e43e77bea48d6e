"""Every agent URL, tried with another agent's ids and by people who are not agents: 404, nothing changed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agents.models import User
from enrollment.models import Acquisition, Contribution, Participant
from tests.enrollment.field.builders import cared_acquisition, lapse, months_ago, this_month, worker_post
from tests.factories import AcquisitionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PAGES_WITHOUT_IDS = ["agent_home", "enrol", "my_participants", "my_performance"]


@pytest.fixture
def colleague_rows(other_agent, field_agent):
    """The colleague's participant, and one the first agent looked after until the colleague enrolled them again."""
    colleague = cared_acquisition(other_agent)
    handed = lapse(cared_acquisition(field_agent, months_back=10))
    again = AcquisitionFactory(agent=other_agent, participant=handed.participant, acquired_on=months_ago(1))
    return {"colleague": colleague, "handed": handed, "again": again}


def snapshot():
    """Everything an agent page could change."""
    return (
        list(Participant.objects.order_by("pk").values()),
        list(Acquisition.objects.order_by("pk").values()),
        list(Contribution.objects.order_by("pk").values()),
    )


def contribution_post():
    return {"period": f"{this_month():%Y-%m}", "amount": "16800", "paid_on": f"{timezone.localdate():%Y-%m-%d}"}


@pytest.mark.parametrize("which", ["colleague", "again"])
def test_another_agents_participant_page_is_a_404(agent_client, colleague_rows, which):
    participant = colleague_rows[which].participant
    response = agent_client.get(reverse("enrollment:my_participant_detail", args=[participant.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("which", ["colleague", "again", "handed"])
def test_recording_on_another_agents_acquisition_is_a_404_and_records_nothing(agent_client, colleague_rows, which):
    url = reverse("enrollment:contribution_record", args=[colleague_rows[which].pk])
    before = snapshot()

    assert agent_client.get(url).status_code == 404
    assert agent_client.post(url, contribution_post()).status_code == 404
    assert snapshot() == before


def test_enrolling_again_from_another_agents_participant_is_a_404(agent_client, colleague_rows):
    for which in ("colleague", "again"):
        response = agent_client.get(reverse("enrollment:enrol"), {"participant": colleague_rows[which].participant_id})
        assert response.status_code == 404


def test_unknown_ids_are_a_404(agent_client):
    assert agent_client.get(reverse("enrollment:my_participant_detail", args=[999999])).status_code == 404
    assert agent_client.get(reverse("enrollment:contribution_record", args=[999999])).status_code == 404


def test_read_only_pages_refuse_a_post_and_change_nothing(agent_client, colleague_rows):
    before = snapshot()
    participant = colleague_rows["colleague"].participant
    for url in [
        reverse("enrollment:agent_home"),
        reverse("enrollment:my_participants"),
        reverse("enrollment:my_performance"),
        reverse("enrollment:my_participant_detail", args=[participant.pk]),
    ]:
        assert agent_client.post(url, contribution_post()).status_code == 405
    assert snapshot() == before


def every_url(acquisition):
    return [
        *(reverse(f"enrollment:{name}") for name in PAGES_WITHOUT_IDS),
        reverse("enrollment:enrol_preview"),
        reverse("enrollment:my_participant_detail", args=[acquisition.participant_id]),
        reverse("enrollment:contribution_record", args=[acquisition.pk]),
    ]


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda branch: UserFactory(role=User.Role.STAFF, branch=branch), id="branch staff"),
        pytest.param(lambda branch: UserFactory(role=User.Role.HEAD, branch=branch), id="branch head"),
        pytest.param(lambda branch: UserFactory(role=User.Role.ADMIN, branch=None, is_superuser=True), id="admin"),
        pytest.param(lambda branch: UserFactory(role=User.Role.AGENT, branch=branch), id="agent without agent"),
    ],
)
def test_only_agents_have_these_pages(client, field_agent, make_user):
    acquisition = cared_acquisition(field_agent)
    client.force_login(make_user(field_agent.branch))
    before = snapshot()

    for url in every_url(acquisition):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**worker_post(), **contribution_post()}).status_code == 404, url
    assert snapshot() == before


def test_signed_out_visitors_are_sent_to_sign_in(client, field_agent):
    acquisition = cared_acquisition(field_agent)
    before = snapshot()
    for url in every_url(acquisition):
        for response in (client.get(url), client.post(url, {**worker_post(), **contribution_post()})):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login"))
    assert snapshot() == before
