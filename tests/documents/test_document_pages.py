"""The agent's ID card and the proof of enrolment as downloads: who gets them, from which page, what the QR
code printed on them opens when a phone reads it, and how many queries printing one costs.

Cilacap is ours, Banyumas someone else's (``tests.privacy_builders``): agent Sari looks after Siti, her
colleague Budi looks after Joko."""

import datetime

import pytest
from django.urls import reverse

from agents.models import Agent
from tests.documents.conftest import text_of
from tests.documents.reading import qr_codes
from tests.factories import ContributionFactory, CooperationAgreementFactory
from tests.privacy_builders import build_world, client_for

pytestmark = pytest.mark.django_db

REQUEST_QUERIES = 7
"""What any signed-in page costs here: the session and the user, the user's permissions (two), and the
session saved back (a savepoint, the update, its release)."""
CARD_QUERIES = REQUEST_QUERIES + 2
"""The agent with branch and office, and the office's PKS: whatever the office's history."""
PROOF_QUERIES = REQUEST_QUERIES + 2
"""The acquisition with everything it prints and the day of its first payment (one query), and that day's
contributions: whatever the number of contributions."""


@pytest.fixture
def world(rate):
    return build_world(rate)


def _pdf_attachment(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    return response.content


# --- the agent's ID card ----------------------------------------------------------------------------


def test_staff_download_the_card_from_the_agents_page_and_its_qr_code_opens_that_page(world):
    staff = client_for(world.staff)
    card_url = reverse("agents:agent_card", args=[world.agent.pk])
    agent_page = reverse("agents:agent_detail", args=[world.agent.pk])

    assert f'href="{card_url}"' in staff.get(agent_page).content.decode()
    response = staff.get(card_url)

    pdf = _pdf_attachment(response)
    assert world.agent.code in response["Content-Disposition"]
    assert "Sari Wulandari" in text_of(pdf)
    (scanned,) = qr_codes(pdf)
    assert scanned == f"http://testserver{agent_page}"
    assert staff.get(scanned).status_code == 200


def test_the_cards_qr_code_opens_nothing_without_a_sign_in_and_nothing_for_the_agent_themselves(world):
    scanned = qr_codes(client_for(world.staff).get(reverse("agents:agent_card", args=[world.agent.pk])).content)[0]

    anonymous = client_for(None).get(scanned)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert client_for(world.agent.user).get(scanned).status_code in (403, 404)


def test_the_branch_head_downloads_the_card_too(world):
    _pdf_attachment(client_for(world.head).get(reverse("agents:agent_card", args=[world.agent.pk])))


def test_no_card_of_another_branchs_agent_and_none_for_an_agent(world):
    assert client_for(world.staff).get(reverse("agents:agent_card", args=[world.far_agent.pk])).status_code == 404
    assert client_for(world.far_staff).get(reverse("agents:agent_card", args=[world.agent.pk])).status_code == 404
    assert client_for(world.agent.user).get(reverse("agents:agent_card", args=[world.agent.pk])).status_code == 404


def test_an_agent_who_left_gets_no_card_and_staff_are_told_why_on_the_agents_page(world):
    Agent.objects.filter(pk=world.colleague.pk).update(
        status=Agent.Status.INACTIVE, left_on=datetime.date(2022, 5, 31), deactivation_reason="resigned"
    )
    staff = client_for(world.staff)
    agent_page = reverse("agents:agent_detail", args=[world.colleague.pk])

    assert reverse("agents:agent_card", args=[world.colleague.pk]) not in staff.get(agent_page).content.decode()
    response = staff.get(reverse("agents:agent_card", args=[world.colleague.pk]), follow=True)

    assert response.redirect_chain == [(agent_page, 302)]
    assert "Budi Santoso has left the programme; an ID card is only for agents in the network." in (
        response.content.decode()
    )


def test_printing_a_card_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for year in range(2019, 2023):
        CooperationAgreementFactory(
            office=world.agent.office, starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31)
        )
    staff = client_for(world.staff)
    card_url = reverse("agents:agent_card", args=[world.agent.pk])
    staff.get(card_url)  # the session is warm, as in use

    with django_assert_max_num_queries(CARD_QUERIES):
        _pdf_attachment(staff.get(card_url))


# --- the proof of enrolment -------------------------------------------------------------------------


def test_staff_download_the_proof_from_the_participants_page_and_its_qr_code_opens_that_page(world):
    staff = client_for(world.staff)
    proof_url = reverse("enrollment:acquisition_proof", args=[world.acquisition.pk])
    participant_page = reverse("enrollment:participant_detail", args=[world.participant.pk])

    assert f'href="{proof_url}"' in staff.get(participant_page).content.decode()
    pdf = _pdf_attachment(staff.get(proof_url))

    text = text_of(pdf)
    assert "BUKTI PENDAFTARAN PESERTA" in text
    assert "Siti Aminah" in text
    assert world.participant.nik not in text
    (scanned,) = qr_codes(pdf)
    assert scanned == f"http://testserver{participant_page}"
    assert staff.get(scanned).status_code == 200


def test_the_proofs_qr_code_asks_for_a_sign_in_and_carries_no_personal_data(world):
    pdf = client_for(world.staff).get(reverse("enrollment:acquisition_proof", args=[world.acquisition.pk])).content
    (scanned,) = qr_codes(pdf)

    assert world.participant.full_name not in scanned
    assert world.participant.nik[-4:] not in scanned.rsplit("/participants/", 1)[0]
    anonymous = client_for(None).get(scanned)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_the_agent_who_looks_after_the_worker_downloads_the_proof_from_their_own_page(world):
    sari = client_for(world.agent.user)
    proof_url = reverse("enrollment:acquisition_proof", args=[world.acquisition.pk])

    page = sari.get(reverse("enrollment:my_participant_detail", args=[world.participant.pk]))
    assert f'href="{proof_url}"' in page.content.decode()
    assert "Siti Aminah" in text_of(_pdf_attachment(sari.get(proof_url)))


def test_no_one_else_finds_the_proof(world):
    proof_url = reverse("enrollment:acquisition_proof", args=[world.acquisition.pk])

    assert client_for(world.colleague.user).get(proof_url).status_code == 404  # a colleague agent
    assert client_for(world.far_agent.user).get(proof_url).status_code == 404
    assert client_for(world.far_staff).get(proof_url).status_code == 404  # another branch's staff
    anonymous = client_for(None).get(proof_url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_the_branch_head_downloads_the_proof_too(world):
    _pdf_attachment(client_for(world.head).get(reverse("enrollment:acquisition_proof", args=[world.acquisition.pk])))


def test_printing_a_proof_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for month in range(5, 13):
        ContributionFactory(
            acquisition=world.acquisition, period=datetime.date(2021, month, 1), paid_on=datetime.date(2021, month, 10)
        )
    proof_url = reverse("enrollment:acquisition_proof", args=[world.acquisition.pk])
    for client in (client_for(world.staff), client_for(world.agent.user)):
        client.get(proof_url)  # the session is warm, as in use

        with django_assert_max_num_queries(PROOF_QUERIES):
            _pdf_attachment(client.get(proof_url))
