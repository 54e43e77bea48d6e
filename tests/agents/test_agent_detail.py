"""An agent's page: profile, acquisitions by month (counted by the database), participants, the office's PKS."""

import datetime

import pytest
from django.urls import reverse

from perisai.privacy import mask_nik
from reports.track_record import agent_acquisitions_by_month
from tests.factories import AcquisitionFactory, AgentFactory, CooperationAgreementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(agent, **params):
    return reverse("agents:agent_detail", args=[agent.pk])


@pytest.fixture
def busy_agent(agent, rate):
    """Acquisitions in March 2021 (2), December 2021 (1) and June 2022 (3)."""
    for day in [(2021, 3, 5), (2021, 3, 20), (2021, 12, 1), (2022, 6, 2), (2022, 6, 15), (2022, 6, 30)]:
        AcquisitionFactory(agent=agent, rate=rate, acquired_on=datetime.date(*day))
    return agent


def test_shows_the_profile(staff_client, agent):
    page = staff_client.get(url(agent)).content.decode()

    assert agent.full_name in page
    assert mask_nik(agent.nik) in page and agent.nik not in page  # in full on request (tests/test_privacy_pages.py)
    assert agent.phone in page
    assert agent.office.name in page


def test_default_window_is_the_twelve_months_up_to_the_branchs_latest_acquisition(staff_client, busy_agent):
    response = staff_client.get(url(busy_agent))
    months = response.context["months"]

    assert [row.month for row in months][0] == datetime.date(2021, 7, 1)
    assert [row.month for row in months][-1] == datetime.date(2022, 6, 1)
    assert {row.month: row.acquisitions for row in months if row.acquisitions} == {
        datetime.date(2021, 12, 1): 1,
        datetime.date(2022, 6, 1): 3,
    }
    assert response.context["months_total"] == 4
    assert response.context["acquisitions_total"] == 6


def test_a_year_shows_january_to_december(staff_client, busy_agent):
    response = staff_client.get(url(busy_agent), {"year": 2021})
    months = response.context["months"]

    assert [row.month.month for row in months] == list(range(1, 13))
    assert [row.acquisitions for row in months] == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert response.context["years"] == [2022, 2021]
    assert "March 2021" in response.content.decode()


@pytest.mark.parametrize("year", ["1999", "abc", "2021-01"])
def test_a_year_without_acquisitions_or_nonsense_falls_back_to_the_default(staff_client, busy_agent, year):
    response = staff_client.get(url(busy_agent), {"year": year})

    assert response.status_code == 200
    assert response.context["year"] is None


def test_an_agent_without_acquisitions_gets_the_twelve_months_up_to_today(agent):
    months = agent_acquisitions_by_month(agent=agent, today=datetime.date(2024, 5, 17))

    assert months[0].month == datetime.date(2023, 6, 1)
    assert months[-1].month == datetime.date(2024, 5, 1)
    assert sum(row.acquisitions for row in months) == 0


def test_lists_participants_acquired_and_looked_after(staff_client, agent, rate):
    colleague = AgentFactory(branch=agent.branch, office=agent.office, full_name="Rekan Kerja")
    acquired = AcquisitionFactory(agent=agent, rate=rate)
    handed_over = AcquisitionFactory(agent=agent, caretaker=colleague, rate=rate)
    taken_over = AcquisitionFactory(agent=colleague, caretaker=agent, rate=rate)
    unrelated = AcquisitionFactory(agent=colleague, rate=rate)

    response = staff_client.get(url(agent))
    shown = {a.participant.full_name for a in response.context["participants"]}
    page = response.content.decode()

    assert shown == {
        acquired.participant.full_name,
        handed_over.participant.full_name,
        taken_over.participant.full_name,
    }
    assert unrelated.participant.full_name not in page
    assert "now looked after by Rekan Kerja" in page
    assert "acquired by Rekan Kerja" in page


def test_participants_are_paginated(staff_client, agent, rate):
    for _ in range(30):
        AcquisitionFactory(agent=agent, rate=rate)

    first = staff_client.get(url(agent))
    second = staff_client.get(url(agent), {"page": 2})

    assert len(first.context["participants"]) == 25
    assert len(second.context["participants"]) == 5


def test_shows_the_pks_of_the_agents_office(staff_client, agent, other_agreement):
    own = CooperationAgreementFactory(office=agent.office, number="PKS/OWN/001")

    page = staff_client.get(url(agent)).content.decode()

    assert own.number in page
    assert other_agreement.number not in page


def test_detail_query_count_is_fixed(staff_client, agent, rate, django_assert_max_num_queries):
    for _ in range(5):
        AcquisitionFactory(agent=agent, rate=rate)
    # 20 before the incentives work, plus the as-of month, terms and earnings (scheme + three grouped counts)
    # and the change history; none of them grows with the rows.
    with django_assert_max_num_queries(26) as few:
        staff_client.get(url(agent))
    for _ in range(20):
        AcquisitionFactory(agent=agent, rate=rate)
    CooperationAgreementFactory.create_batch(3, office=agent.office)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(url(agent))
