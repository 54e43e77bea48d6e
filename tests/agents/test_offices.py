"""Perisai office pages: list with counts and current PKS, detail, create and edit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agents.models import Agent, BranchArea, PerisaiOffice
from agents.selectors import current_agreement
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    CooperationAgreementFactory,
    PerisaiOfficeFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("agents:office_list")


def years_from_today(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year + years) + datetime.timedelta(days=days)


def test_list_counts_agents_and_this_years_acquisitions_without_mixing_them(staff_client, office, rate, other_office):
    this_year = timezone.localdate().replace(month=1, day=1)
    busy = AgentFactory(branch=office.branch, office=office)
    AgentFactory(branch=office.branch, office=office)
    AgentFactory(
        branch=office.branch,
        office=office,
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2021, 1, 1),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )
    for _ in range(3):
        AcquisitionFactory(agent=busy, rate=rate, acquired_on=this_year)
    AcquisitionFactory(agent=busy, rate=rate, acquired_on=this_year.replace(year=this_year.year - 1))

    rows = list(staff_client.get(LIST).context["page_obj"])

    assert rows == [office]
    assert (rows[0].active_agents, rows[0].agents_total, rows[0].acquisitions_this_year) == (2, 3, 3)


def test_list_shows_the_current_pks_with_its_status(staff_client, office):
    CooperationAgreementFactory(
        office=office, number="PKS/OLD", starts_on=years_from_today(-2), ends_on=years_from_today(-1)
    )
    CooperationAgreementFactory(
        office=office, number="PKS/NOW", starts_on=years_from_today(-1, 1), ends_on=years_from_today(0, 30)
    )

    page = staff_client.get(LIST).content.decode()

    assert "PKS/NOW" in page and "PKS/OLD" not in page
    assert "text-bg-warning" in page and "Expiring" in page


def test_current_agreement_prefers_in_force_then_latest_expired_then_next():
    today = datetime.date(2022, 7, 1)
    expired = CooperationAgreementFactory.build(starts_on=datetime.date(2020, 7, 1), ends_on=datetime.date(2021, 6, 30))
    in_force = CooperationAgreementFactory.build(
        starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2022, 12, 31)
    )
    upcoming = CooperationAgreementFactory.build(
        starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31)
    )

    assert current_agreement([expired, in_force, upcoming], today) is in_force
    assert current_agreement([expired, upcoming], today) is expired
    assert current_agreement([upcoming], today) is upcoming
    assert current_agreement([], today) is None


def test_list_query_count_is_fixed(staff_client, branch, rate, django_assert_max_num_queries):
    def seed(count):
        for office in PerisaiOfficeFactory.create_batch(count, branch=branch):
            CooperationAgreementFactory.create_batch(2, office=office)
            AcquisitionFactory(agent=AgentFactory(branch=branch, office=office), rate=rate)

    seed(2)
    # 10 before the offices-under-minimum flag, plus its as-of month, terms, targets and monthly counts.
    with django_assert_max_num_queries(14) as few:
        staff_client.get(LIST)
    seed(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(LIST)


def test_detail_shows_agents_pks_history_and_acquisitions_by_year_and_month(staff_client, office, rate):
    agent = AgentFactory(branch=office.branch, office=office, full_name="Agen Satu")
    first = CooperationAgreementFactory(office=office, number="PKS/A/2021")
    CooperationAgreementFactory(
        office=office,
        number="PKS/A/2022",
        renews=first,
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    for day in [(2021, 2, 1), (2021, 2, 9), (2022, 11, 3)]:
        AcquisitionFactory(agent=agent, rate=rate, acquired_on=datetime.date(*day))

    response = staff_client.get(reverse("agents:office_detail", args=[office.pk]))
    page = response.content.decode()
    years = {row.year: (row.months, row.total) for row in response.context["years"]}

    assert "Agen Satu" in page and "PKS/A/2021" in page and "PKS/A/2022" in page
    assert years == {2022: ([0] * 10 + [1, 0], 1), 2021: ([0, 2] + [0] * 10, 2)}


def test_detail_query_count_is_fixed(staff_client, office, rate, django_assert_max_num_queries):
    def seed(count):
        for agent in AgentFactory.create_batch(count, branch=office.branch, office=office):
            AcquisitionFactory(agent=agent, rate=rate)
        CooperationAgreementFactory.create_batch(count, office=office)

    seed(1)
    with django_assert_max_num_queries(20) as few:
        staff_client.get(reverse("agents:office_detail", args=[office.pk]))
    seed(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("agents:office_detail", args=[office.pk]))


@pytest.fixture(autouse=True)
def branches_serve_cilacap(branch, other_branch):
    """The offices' areas are kecamatan of the regencies their branch serves."""
    for served in (branch, other_branch):
        BranchArea.objects.get_or_create(branch=served, regency="3301")


def office_data(**overrides):
    data = {
        "code": "CLP-05",
        "name": "Kantor Perisai Adipala",
        "area": "Adipala, Binangun",
        "address": "Jl. Raya Adipala 1",
        "contact_person": "Sri",
        "phone": "0812-1111-2222",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_an_offices_area_is_saved_in_official_names_and_a_place_outside_the_branch_is_refused(staff_client):
    staff_client.post(reverse("agents:office_create"), office_data(area="kec. adipala; BINANGUN,"))
    assert PerisaiOffice.objects.get(code="CLP-05").area == "Adipala, Binangun"

    response = staff_client.post(
        reverse("agents:office_create"), office_data(code="CLP-06", area="Adipala, Purwokerto")
    )
    assert response.context["form"].errors["area"] == [
        "Not a kecamatan of Kabupaten Cilacap: Purwokerto. Separate the kecamatan with commas."
    ]
    assert not PerisaiOffice.objects.filter(code="CLP-06").exists()


def test_staff_create_an_office_in_their_branch(staff_client, branch):
    response = staff_client.post(reverse("agents:office_create"), office_data(branch=999))

    office = PerisaiOffice.objects.get(code="CLP-05")
    assert response["Location"] == reverse("agents:office_detail", args=[office.pk])
    assert office.branch == branch


def test_national_admin_picks_the_branch_of_a_new_office(admin_client_national, other_branch):
    form = admin_client_national.get(reverse("agents:office_create")).context["form"]
    assert "branch" in form.fields

    admin_client_national.post(reverse("agents:office_create"), office_data(branch=other_branch.pk))

    assert PerisaiOffice.objects.get(code="CLP-05").branch == other_branch


def test_a_duplicate_code_is_refused_and_nothing_is_created(staff_client, office):
    response = staff_client.post(reverse("agents:office_create"), office_data(code=office.code))

    assert "code" in response.context["form"].errors
    assert PerisaiOffice.objects.count() == 1


def test_edit_changes_the_office_but_never_its_branch(staff_client, office, other_branch):
    branch = office.branch

    response = staff_client.post(
        reverse("agents:office_edit", args=[office.pk]),
        office_data(code=office.code, name="Nama Baru", branch=other_branch.pk, is_active=""),
    )

    office.refresh_from_db()
    assert response.status_code == 302
    assert (office.name, office.is_active, office.branch) == ("Nama Baru", False, branch)


def test_a_bad_phone_is_refused_and_nothing_changes(staff_client, office):
    before = PerisaiOffice.objects.values().get(pk=office.pk)

    response = staff_client.post(
        reverse("agents:office_edit", args=[office.pk]), office_data(code=office.code, phone="call me")
    )

    assert "phone" in response.context["form"].errors
    assert PerisaiOffice.objects.values().get(pk=office.pk) == before
