"""A participant's page: personal data, acquisitions, contributions month by month, change history."""

import datetime

from django.urls import reverse

from enrollment.models import Acquisition
from enrollment.services.participants import participant_update
from perisai.privacy import mask_nik
from tests.factories import AcquisitionFactory, AgentFactory, ContributionFactory, ParticipantFactory


def _page(client, participant):
    response = client.get(reverse("enrollment:participant_detail", args=[participant.pk]))
    assert response.status_code == 200
    return response


def test_shows_personal_data_and_acquisitions(staff_client, agent):
    participant = ParticipantFactory(
        branch=agent.branch, full_name="Siti Aminah", kecamatan="Kroya", kpj_number="22011112222"
    )
    AcquisitionFactory(
        agent=agent,
        participant=participant,
        acquired_on=datetime.date(2021, 3, 15),
        status=Acquisition.Status.LAPSED,
        ended_on=datetime.date(2021, 9, 30),
    )
    again = AcquisitionFactory(agent=agent, participant=participant, acquired_on=datetime.date(2022, 2, 1))

    page = _page(staff_client, participant).content.decode()

    for text in ("Siti Aminah", mask_nik(participant.nik), "Kroya", "22011112222", "15 March 2021",
                 "Lapsed on 30 September 2021", "1 February 2022", agent.full_name, agent.office.name,
                 "Rp\u00a016,800"):  # fmt: skip
        assert text in page
    assert page.index("1 February 2022") < page.index("15 March 2021")  # newest first
    assert again.caretaker == agent


def test_contributions_by_month(staff_client, agent):
    acquisition = AcquisitionFactory(agent=agent, acquired_on=datetime.date(2022, 1, 10))
    for month in (1, 2, 4):
        ContributionFactory(
            acquisition=acquisition, period=datetime.date(2022, month, 1), paid_on=datetime.date(2022, month, 5)
        )

    response = _page(staff_client, acquisition.participant)

    ((shown, calendar),) = response.context["acquisitions"]
    states = [cell.state for cell in calendar[0].months]
    assert states == ["paid", "paid", "unpaid", "paid"] + ["none"] * 8  # the data runs through April
    assert "3 contributions recorded" in response.content.decode()


def test_the_change_history_shows_who_changed_what_and_why(staff_client, staff, agent):
    acquisition = AcquisitionFactory(agent=agent)
    participant = acquisition.participant
    participant_update(
        participant=participant, changed_by=staff, reason="Nomor HP baru dari peserta", phone="0857-0000-1111"
    )

    page = _page(staff_client, participant).content.decode()

    assert "History" in page
    assert "Rina Wulandari" in page
    assert "+6285700001111" in page  # stored as entered, in its one form (perisai.phones)
    assert "Nomor HP baru dari peserta" in page


def test_a_moved_participant_shows_who_looks_after_them(staff_client, agent):
    successor = AgentFactory(branch=agent.branch, office=agent.office, full_name="Penerus Agen")
    acquisition = AcquisitionFactory(agent=agent)
    Acquisition.objects.filter(pk=acquisition.pk).update(caretaker=successor)
    page = _page(staff_client, acquisition.participant).content.decode()
    assert "Penerus Agen" in page
    assert agent.full_name in page


def test_staff_see_the_edit_button_the_head_does_not(staff_client, head_client, agent):
    participant = AcquisitionFactory(agent=agent).participant
    edit = reverse("enrollment:participant_edit", args=[participant.pk])
    assert edit in _page(staff_client, participant).content.decode()
    assert edit not in _page(head_client, participant).content.decode()
