"""The participant list: search, filters, sorting, pagination, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from enrollment.models import Acquisition, Occupation
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    ContributionFactory,
    ParticipantFactory,
    PerisaiOfficeFactory,
)

URL = reverse("enrollment:participant_list")


def _names(response):
    return [participant.full_name for participant in response.context["page"]]


def _acquired(agent, *, name, on=datetime.date(2022, 2, 10), **participant):
    return AcquisitionFactory(
        agent=agent, acquired_on=on, participant=ParticipantFactory(branch=agent.branch, full_name=name, **participant)
    )


def test_shows_the_branchs_participants_only(staff_client, agent):
    _acquired(agent, name="Siti Aminah")
    AcquisitionFactory(participant__full_name="Elsewhere Person")  # another branch
    response = staff_client.get(URL)
    assert _names(response) == ["Siti Aminah"]
    assert "Siti Aminah" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [("aminah", "Siti Aminah"), ("33010", None), ("0857-1234", "Budi Santoso"), ("085712", "Budi Santoso"),
     ("2201777", "Siti Aminah")],
)  # fmt: skip
def test_search_by_name_nik_phone_or_kpj(staff_client, agent, query, found):
    siti = _acquired(agent, name="Siti Aminah", phone="0812-0000-0001", kpj_number="22017770001").participant
    budi = _acquired(agent, name="Budi Santoso", phone="0857-1234-5678").participant
    names = _names(staff_client.get(URL, {"q": query}))
    assert names == ([found] if found else sorted([siti.full_name, budi.full_name], key=names.index))


def test_search_by_full_nik(staff_client, agent):
    siti = _acquired(agent, name="Siti Aminah").participant
    _acquired(agent, name="Budi Santoso")
    assert _names(staff_client.get(URL, {"q": siti.nik})) == ["Siti Aminah"]


def test_filter_by_office_and_agent(staff_client, branch, agent):
    other_office = PerisaiOfficeFactory(branch=branch)
    other_agent = AgentFactory(branch=branch, office=other_office)
    _acquired(agent, name="Di Kantor Satu")
    moved = _acquired(other_agent, name="Dirawat Agen Satu")
    Acquisition.objects.filter(pk=moved.pk).update(caretaker=agent)

    assert _names(staff_client.get(URL, {"office": other_office.pk})) == ["Dirawat Agen Satu"]
    assert _names(staff_client.get(URL, {"agent": agent.pk, "sort": "name"})) == ["Di Kantor Satu", "Dirawat Agen Satu"]


def test_filter_by_occupation_and_kecamatan(staff_client, agent):
    _acquired(agent, name="Nelayan Kroya", occupation=Occupation.FISHER, kecamatan="Kroya")
    _acquired(agent, name="Petani Kroya", occupation=Occupation.FARMER, kecamatan="Kroya")
    _acquired(agent, name="Nelayan Adipala", occupation=Occupation.FISHER, kecamatan="Adipala")
    assert _names(staff_client.get(URL, {"occupation": "fisher", "kecamatan": "Kroya"})) == ["Nelayan Kroya"]


def test_the_participants_whose_place_is_not_yet_coded_are_listed_to_be_chosen_again(staff_client, agent):
    _acquired(agent, name="Kode Ada", kecamatan="Kroya")
    _acquired(agent, name="Belum Berkode", kecamatan="Kroyaa", district="", village="")
    response = staff_client.get(URL, {"kecamatan": "-"})
    assert _names(response) == ["Belum Berkode"]
    assert "Not yet coded (choose the place again)" in response.content.decode()


def test_filter_acquired_between_two_dates(staff_client, agent):
    _acquired(agent, name="Januari", on=datetime.date(2022, 1, 20))
    _acquired(agent, name="Maret", on=datetime.date(2022, 3, 5))
    _acquired(agent, name="Juni", on=datetime.date(2022, 6, 30))
    response = staff_client.get(URL, {"acquired_from": "2022-02-01", "acquired_to": "2022-06-30"})
    assert _names(response) == ["Juni", "Maret"]


def test_dates_the_wrong_way_round_are_explained(staff_client, agent):
    response = staff_client.get(URL, {"acquired_from": "2022-06-01", "acquired_to": "2022-01-01"})
    assert "The end of the acquisition dates is before their start." in response.content.decode()


def test_paying_and_lapsed_as_of_a_month(staff_client, agent):
    paying = _acquired(agent, name="Rajin Bayar", on=datetime.date(2022, 1, 10))
    ContributionFactory(acquisition=paying, period=datetime.date(2022, 5, 1), paid_on=datetime.date(2022, 5, 3))
    late = _acquired(agent, name="Lama Tidak Bayar", on=datetime.date(2022, 1, 10))
    ContributionFactory(acquisition=late, period=datetime.date(2022, 2, 1), paid_on=datetime.date(2022, 2, 3))
    _acquired(agent, name="Belum Ada Di Juni", on=datetime.date(2022, 7, 2))

    assert _names(staff_client.get(URL, {"payment": "paying", "as_of": "2022-06"})) == ["Rajin Bayar"]
    assert _names(staff_client.get(URL, {"payment": "lapsed", "as_of": "2022-06"})) == ["Lama Tidak Bayar"]
    # As of March both paid within the three months that count.
    assert sorted(_names(staff_client.get(URL, {"payment": "paying", "as_of": "2022-03"}))) == [
        "Lama Tidak Bayar",
        "Rajin Bayar",
    ]


def test_as_of_defaults_to_the_latest_month_with_a_contribution(staff_client, agent):
    acquisition = _acquired(agent, name="Rajin Bayar", on=datetime.date(2022, 1, 10))
    ContributionFactory(acquisition=acquisition, period=datetime.date(2022, 6, 1), paid_on=datetime.date(2022, 6, 3))
    response = staff_client.get(URL, {"payment": "paying"})
    assert response.context["as_of"] == datetime.date(2022, 6, 1)
    assert _names(response) == ["Rajin Bayar"]
    assert "as of June 2022" in response.content.decode()
    assert "Paying" in response.content.decode()


def test_sorting(staff_client, agent):
    _acquired(agent, name="Budi", on=datetime.date(2022, 3, 1))
    _acquired(agent, name="Agus", on=datetime.date(2022, 1, 1))
    _acquired(agent, name="Citra", on=datetime.date(2022, 2, 1))
    assert _names(staff_client.get(URL)) == ["Budi", "Citra", "Agus"]  # latest acquisition first
    assert _names(staff_client.get(URL, {"sort": "name"})) == ["Agus", "Budi", "Citra"]
    assert _names(staff_client.get(URL, {"sort": "-name"})) == ["Citra", "Budi", "Agus"]
    assert _names(staff_client.get(URL, {"sort": "acquired"})) == ["Agus", "Citra", "Budi"]


def test_pagination_keeps_the_filters(staff_client, agent):
    for number in range(30):
        _acquired(agent, name=f"Peserta {number:02d}", occupation=Occupation.FISHER)
    first = staff_client.get(URL, {"occupation": "fisher", "sort": "name"})
    assert len(first.context["page"]) == 25
    assert "occupation=fisher&amp;sort=name&amp;page=2" in first.content.decode()
    second = staff_client.get(URL, {"occupation": "fisher", "sort": "name", "page": 2})
    assert _names(second) == [f"Peserta {number}" for number in range(25, 30)]


@pytest.mark.parametrize("participants", [5, 40])
def test_a_fixed_number_of_queries_whatever_the_rows(staff_client, agent, participants, django_assert_max_num_queries):
    other = AgentFactory(branch=agent.branch, office=agent.office)
    for number in range(participants):
        acquisition = _acquired(agent if number % 2 else other, name=f"Peserta {number}")
        ContributionFactory(
            acquisition=acquisition, period=datetime.date(2022, 3, 1), paid_on=datetime.date(2022, 3, 2)
        )
    # session, user and its two permission look-ups, kecamatan options, the latest month, the branch,
    # count, page, the page's acquisitions (with agents and offices), the page's payment standing,
    # office and agent options, and the session's save (three statements)
    with django_assert_max_num_queries(16):
        response = staff_client.get(URL, {"payment": "paying", "sort": "name"})
    assert response.status_code == 200


def test_another_branchs_agent_is_not_a_choice(staff_client, agent):
    stranger = AgentFactory(office=PerisaiOfficeFactory(branch=BranchFactory()))
    response = staff_client.get(URL, {"agent": stranger.pk})
    assert "agent" in response.context["form"].errors
