"""The agent list: search, filters, sorting, pagination and counts made by the database."""

import datetime

import pytest
from django.urls import reverse

from agents.models import Agent
from enrollment.models import Acquisition
from tests.factories import AcquisitionFactory, AgentFactory, PerisaiOfficeFactory

pytestmark = pytest.mark.django_db

URL = reverse("agents:agent_list")


def names(response):
    return [agent.full_name for agent in response.context["page_obj"]]


@pytest.fixture
def crew(branch, office, rate):
    """Three agents of the branch with 0, 1 and 3 acquisitions."""
    second_office = PerisaiOfficeFactory(branch=branch, name="Kantor Perisai Kroya")
    ayu = AgentFactory(
        branch=branch,
        office=office,
        full_name="Ayu Lestari",
        code="CLP-A001",
        phone="0812-2671-4410",
        joined_on=datetime.date(2020, 7, 1),
    )
    budi = AgentFactory(
        branch=branch,
        office=second_office,
        full_name="Budi Santoso",
        code="CLP-A002",
        phone="0857 4101 3326",
        joined_on=datetime.date(2021, 3, 1),
    )
    citra = AgentFactory(
        branch=branch,
        office=office,
        full_name="Citra Dewi",
        code="CLP-A003",
        phone="0821-3390-5718",
        joined_on=datetime.date(2022, 1, 5),
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2022, 6, 1),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )
    AcquisitionFactory(agent=budi, rate=rate)
    for _ in range(3):
        AcquisitionFactory(agent=citra, rate=rate)
    return {"ayu": ayu, "budi": budi, "citra": citra, "kroya": second_office}


def test_lists_the_branchs_agents_by_name_with_their_acquisition_counts(staff_client, crew, other_agent):
    response = staff_client.get(URL)

    assert names(response) == ["Ayu Lestari", "Budi Santoso", "Citra Dewi"]
    assert {a.full_name: a.acquisition_count for a in response.context["page_obj"]} == {
        "Ayu Lestari": 0,
        "Budi Santoso": 1,
        "Citra Dewi": 3,
    }
    assert other_agent.full_name not in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("budi", ["Budi Santoso"]),
        ("A003", ["Citra Dewi"]),
        ("clp-a00", ["Ayu Lestari", "Budi Santoso", "Citra Dewi"]),
        ("081226714410", ["Ayu Lestari"]),
        ("0857-4101", ["Budi Santoso"]),
        ("3390 5718", ["Citra Dewi"]),
    ],
    ids=["name", "code", "code-prefix", "phone-digits", "phone-dashes", "phone-spaces"],
)
def test_search_by_name_code_and_phone(staff_client, crew, query, expected):
    assert names(staff_client.get(URL, {"q": query})) == expected


def test_search_by_nik(staff_client, crew):
    assert names(staff_client.get(URL, {"q": crew["budi"].nik})) == ["Budi Santoso"]


def test_search_by_the_start_of_a_nik(staff_client, crew):
    found = names(staff_client.get(URL, {"q": crew["citra"].nik[:14]}))

    assert "Citra Dewi" in found


def test_filters_by_office_and_status(staff_client, crew):
    assert names(staff_client.get(URL, {"office": crew["kroya"].pk})) == ["Budi Santoso"]
    assert names(staff_client.get(URL, {"status": "inactive"})) == ["Citra Dewi"]
    assert names(staff_client.get(URL, {"status": "active", "office": crew["ayu"].office_id})) == ["Ayu Lestari"]


def test_another_branchs_office_as_filter_is_ignored(staff_client, crew, other_office):
    response = staff_client.get(URL, {"office": other_office.pk})

    assert response.status_code == 200
    assert names(response) == ["Ayu Lestari", "Budi Santoso", "Citra Dewi"]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("-name", ["Citra Dewi", "Budi Santoso", "Ayu Lestari"]),
        ("code", ["Ayu Lestari", "Budi Santoso", "Citra Dewi"]),
        ("-joined", ["Citra Dewi", "Budi Santoso", "Ayu Lestari"]),
        ("-acquisitions", ["Citra Dewi", "Budi Santoso", "Ayu Lestari"]),
        ("acquisitions", ["Ayu Lestari", "Budi Santoso", "Citra Dewi"]),
        ("password", ["Ayu Lestari", "Budi Santoso", "Citra Dewi"]),
    ],
)
def test_sorting(staff_client, crew, sort, expected):
    assert names(staff_client.get(URL, {"sort": sort})) == expected


def test_sorting_by_acquisitions_counts_every_one_credited_and_breaks_ties_by_name_then_code(
    staff_client, branch, office, rate
):
    """The counts are each agent's kept total: an agent whose only acquisition went to another agent counts 0,
    like one who never acquired anyone, and equal counts go by name, then code, whichever way the list runs."""
    agents = {
        code: AgentFactory(branch=branch, office=office, code=code, full_name=name)
        for code, name in [
            ("CLP-E2", "Eko Prasetyo"),
            ("CLP-D1", "Dewi Sartika"),
            ("CLP-E1", "Eko Prasetyo"),
            ("CLP-F1", "Fajar Nugroho"),
            ("CLP-B1", "Bayu Aji"),
            ("CLP-G1", "Gita Permata"),
        ]
    }
    for code in ("CLP-D1", "CLP-D1", "CLP-E1", "CLP-E1", "CLP-E2", "CLP-E2"):
        AcquisitionFactory(agent=agents[code], rate=rate)
    given = AcquisitionFactory(agent=agents["CLP-F1"], rate=rate)
    given.agent = agents["CLP-G1"]  # as the admin's form saves it
    given.save()

    def listed(sort):
        return [
            (agent.code, agent.acquisition_count) for agent in staff_client.get(URL, {"sort": sort}).context["page_obj"]
        ]

    most_first = [("CLP-D1", 2), ("CLP-E1", 2), ("CLP-E2", 2), ("CLP-G1", 1), ("CLP-B1", 0), ("CLP-F1", 0)]
    assert listed("-acquisitions") == most_first
    assert listed("acquisitions") == [("CLP-B1", 0), ("CLP-F1", 0), ("CLP-G1", 1), *most_first[:3]]
    assert {code: count for code, count in listed("name")} == {
        code: Acquisition.objects.filter(agent=agent).count() for code, agent in agents.items()
    }


def test_pages_of_25_keep_the_search_and_sort_in_their_links(staff_client, branch, office):
    AgentFactory.create_batch(30, branch=branch, office=office)

    response = staff_client.get(URL, {"status": "active", "sort": "code"})
    page = response.content.decode()

    assert len(response.context["page_obj"]) == 25
    assert "?status=active&amp;sort=code&amp;page=2" in page
    assert len(staff_client.get(URL, {"status": "active", "sort": "code", "page": 2}).context["page_obj"]) == 5


def test_a_page_number_out_of_range_shows_the_last_page(staff_client, crew):
    response = staff_client.get(URL, {"page": 99})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_the_query_count_does_not_grow_with_rows(staff_client, branch, office, rate, django_assert_max_num_queries):
    def seed(count):
        for agent in AgentFactory.create_batch(count, branch=branch, office=office):
            AcquisitionFactory(agent=agent, rate=rate)

    seed(3)
    # 10 before the activity column, plus its as-of month and programme terms (the status is in the same query).
    with django_assert_max_num_queries(12) as few:
        staff_client.get(URL, {"q": "a", "sort": "-acquisitions"})
    seed(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(URL, {"q": "a", "sort": "-acquisitions"})
