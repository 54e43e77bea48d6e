"""The reads: the contribution quote (the enrol page's preview) and the agent's participants with their
paying state (as "My participants" shows them), paginated, in a bounded number of queries, NIK masked."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enrollment.paying import PaymentStatus
from tests.enrollment.field.builders import cared_acquisition, lapse, this_month
from tests.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

QUOTE = reverse("api:quote")
PARTICIPANTS = reverse("api:participants")


def test_the_quote_is_the_enrol_pages_preview(agent_client):
    response = agent_client.get(QUOTE, {"declared_income": "2000000", "with_jht": "true"})
    assert response.status_code == 200
    body = response.json()
    assert (body["jkk"], body["jkm"], body["jht"], body["total"]) == (20000, 6800, 40000, 66800)
    assert body["declared_income"] == 2000000 and body["with_jht"] is True
    assert agent_client.get(QUOTE, {"declared_income": "Rp 1.000.000"}).json()["total"] == 16800


@pytest.mark.parametrize(
    "income, message",
    [
        ("500000", "Declared income must be between Rp 1.000.000 and Rp 20.700.000."),
        ("lots", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_a_bad_income_is_a_422_on_its_field(agent_client, income, message):
    response = agent_client.get(QUOTE, {"declared_income": income})
    assert response.status_code == 422
    assert response.json()["errors"] == {"declared_income": [message]}


def test_my_participants_have_their_paying_state_and_a_masked_nik(agent_client, field_agent):
    paid = cared_acquisition(field_agent, participant__full_name="Ani", monthly_contribution=16800)
    ContributionFactory(acquisition=paid, period=this_month(), amount=16800)
    lapsed = lapse(cared_acquisition(field_agent, months_back=8, participant__full_name="Budi"))

    body = agent_client.get(PARTICIPANTS).json()

    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1 and body["next"] is None
    first, second = body["results"]
    assert (first["full_name"], first["status"], first["status_label"]) == ("Ani", "paid", "Paid this month")
    assert first["last_paid"] == this_month().strftime("%Y-%m") and first["monthly_contribution"] == 16800
    assert first["nik"] == paid.participant.nik[:4] + "\u2022" * 8 + paid.participant.nik[-4:]
    assert paid.participant.nik not in agent_client.get(PARTICIPANTS).content.decode()
    assert (second["acquisition_id"], second["status"]) == (lapsed.pk, PaymentStatus.LAPSED)
    assert first["url"] == reverse("enrollment:my_participant_detail", args=[paid.participant_id])


def test_participants_filter_by_state_and_name_and_refuse_an_unknown_state(agent_client, field_agent):
    cared_acquisition(field_agent, participant__full_name="Ani", acquired_on=timezone.localdate())
    lapse(cared_acquisition(field_agent, months_back=8, participant__full_name="Budi"))
    assert [row["full_name"] for row in agent_client.get(PARTICIPANTS, {"status": "lapsed"}).json()["results"]] == [
        "Budi"
    ]
    assert [row["full_name"] for row in agent_client.get(PARTICIPANTS, {"q": "an"}).json()["results"]] == ["Ani"]
    refused = agent_client.get(PARTICIPANTS, {"status": "gone"})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["status"]


def test_participants_come_25_a_page_in_a_bounded_number_of_queries(
    agent_client, field_agent, django_assert_max_num_queries
):
    for number in range(3):
        cared_acquisition(field_agent, participant__full_name=f"Peserta {number:02}")
    with django_assert_max_num_queries(8) as few:
        agent_client.get(PARTICIPANTS)
    for number in range(3, 30):
        cared_acquisition(field_agent, participant__full_name=f"Peserta {number:02}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = agent_client.get(PARTICIPANTS).json()

    assert (first["count"], first["pages"], first["next"], len(first["results"])) == (30, 2, 2, 25)
    second = agent_client.get(PARTICIPANTS, {"page": 2}).json()
    assert (second["previous"], len(second["results"])) == (1, 5)
    assert agent_client.get(PARTICIPANTS, {"page": 3}).status_code == 422
    assert agent_client.get(PARTICIPANTS, {"page": "x"}).status_code == 422
