"""Staff move the participants of an agent who left to another agent; the acquisitions keep their agent."""

import datetime

from django.urls import reverse

from enrollment.models import Acquisition
from tests.factories import AcquisitionFactory, AgentFactory, BranchFactory, PerisaiOfficeFactory

URL = reverse("enrollment:participant_move")


def _left(office):
    return AgentFactory(
        branch=office.branch,
        office=office,
        status="inactive",
        left_on=datetime.date(2022, 5, 31),
        deactivation_reason="resigned",
        full_name="Agen Pergi",
    )


def test_every_active_participant_moves_and_the_acquiring_agent_keeps_the_credit(staff_client, staff, office, agent):
    leaver = _left(office)
    active = [AcquisitionFactory(agent=leaver, acquired_on=datetime.date(2021, 5, 1)) for _ in range(3)]
    lapsed = AcquisitionFactory(agent=leaver, status=Acquisition.Status.LAPSED, ended_on=datetime.date(2021, 12, 31))
    credited_before = list(Acquisition.objects.values_list("pk", "agent", "office", "branch").order_by("pk"))

    response = staff_client.post(
        URL, {"from_agent": leaver.pk, "to_agent": agent.pk, "reason": "Agen berhenti"}, follow=True
    )

    assert "3 participants now looked after by" in response.content.decode()
    for acquisition in active:
        acquisition.refresh_from_db()
        assert (acquisition.caretaker, acquisition.agent) == (agent, leaver)
        record = acquisition.history.first()
        assert (record.history_type, record.caretaker_id, record.history_user) == ("~", agent.pk, staff)
        assert record.history_change_reason == "Agen berhenti"
    lapsed.refresh_from_db()
    assert lapsed.caretaker == leaver
    # The reports count acquisitions by agent, office and branch: none of those moved.
    assert list(Acquisition.objects.values_list("pk", "agent", "office", "branch").order_by("pk")) == credited_before


def test_an_agent_with_nobody_to_move(staff_client, office, agent):
    leaver = _left(office)
    response = staff_client.post(URL, {"from_agent": leaver.pk, "to_agent": agent.pk, "reason": "Agen berhenti"})
    assert "looks after no active participants; nothing was moved." in response.content.decode()


def test_the_target_must_be_active(staff_client, office):
    leaver, also_left = _left(office), _left(office)
    AcquisitionFactory(agent=leaver)
    response = staff_client.post(URL, {"from_agent": leaver.pk, "to_agent": also_left.pk, "reason": "x"})
    assert "to_agent" in response.context["form"].errors
    assert Acquisition.objects.get(agent=leaver).caretaker == leaver


def test_agents_of_another_branch_cannot_be_chosen(staff_client, office, agent):
    stranger = AgentFactory(office=PerisaiOfficeFactory(branch=BranchFactory()))
    moving = AcquisitionFactory(agent=stranger)
    response = staff_client.post(URL, {"from_agent": stranger.pk, "to_agent": agent.pk, "reason": "x"})
    assert "from_agent" in response.context["form"].errors
    moving.refresh_from_db()
    assert moving.caretaker == stranger


def test_the_same_agent_twice(staff_client, agent):
    AcquisitionFactory(agent=agent)
    response = staff_client.post(URL, {"from_agent": agent.pk, "to_agent": agent.pk, "reason": "x"})
    assert "Choose two different agents." in response.content.decode()


def test_the_form_lists_who_left_first_with_their_participants(staff_client, office, agent):
    leaver = _left(office)
    AcquisitionFactory(agent=leaver)
    response = staff_client.get(URL, {"from_agent": leaver.pk})
    page = response.content.decode()
    assert "Agen Pergi" in page
    assert "left 31 May 2022" in page
    assert "1 active participants" in page
    assert list(response.context["form"].fields["from_agent"].queryset)[0] == leaver


def test_the_head_may_not_move(head_client, office, agent):
    leaver = _left(office)
    moving = AcquisitionFactory(agent=leaver)
    assert head_client.post(URL, {"from_agent": leaver.pk, "to_agent": agent.pk, "reason": "x"}).status_code == 403
    moving.refresh_from_db()
    assert moving.caretaker == leaver
