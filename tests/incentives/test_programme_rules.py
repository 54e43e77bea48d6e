"""Rules that follow from the April 2022 terms: a PKS runs a year at most (three before), and an office needs
5 active agents (3 before), flagged beside the offices under their monthly minimum."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from agents.models import CooperationAgreement, PerisaiOffice, ProgrammeTerms
from agents.services import agreement_create, agreement_renew, renewal_defaults
from agents.terms import agreement_limit
from incentives.activity import office_standings, offices_needing_attention
from incentives.workbooks import write_office_minimums
from tests.factories import AcquisitionFactory, AgentFactory, CooperationAgreementFactory, PerisaiOfficeFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AGENT_TERMS = {
    "agent_at_risk_months": 2,
    "agent_inactive_months": 3,
    "reactivation_wait_months": 6,
    "office_warning_months": 2,
    "office_pks_loss_months": 3,
}


@pytest.fixture
def terms_2017_and_2022(db):
    """The terms before April 2022 (a PKS up to 36 months, 3 agents an office) and since (12 months, 5)."""
    return (
        ProgrammeTerms.objects.create(
            name="Ketentuan Perisai",
            effective_from=D(2017, 1, 1),
            effective_to=D(2022, 3, 31),
            agreement_max_months=36,
            office_min_active_agents=3,
            **AGENT_TERMS,
        ),
        ProgrammeTerms.objects.create(
            name="Ketentuan New Perisai 2022",
            effective_from=D(2022, 4, 1),
            agreement_max_months=12,
            office_min_active_agents=5,
            **AGENT_TERMS,
        ),
    )


def create(office, starts_on, ends_on, number="PKS/KP/1"):
    return agreement_create(office=office, number=number, signed_on=starts_on, starts_on=starts_on, ends_on=ends_on)


# --- a PKS runs at most what the terms allow ----------------------------------------------------------


def test_a_pks_starting_after_april_2022_runs_a_year_at_most(office, terms_2017_and_2022, english):
    with pytest.raises(ValidationError) as refused:
        create(office, D(2022, 7, 1), D(2022, 7, 1).replace(year=2024) - datetime.timedelta(days=1))

    assert refused.value.message_dict["ends_on"] == [
        "Under the programme terms in force when it starts (Ketentuan New Perisai 2022) a PKS runs at most "
        "12 months: starting on 1 July 2022, it ends on 30 June 2023 at the latest."
    ]
    assert not CooperationAgreement.objects.exists()
    assert create(office, D(2022, 7, 1), D(2023, 6, 30)).ends_on == D(2023, 6, 30)
    assert create(office, D(2023, 7, 15), D(2024, 7, 14), number="PKS/KP/2").ends_on == D(2024, 7, 14)


def test_before_april_2022_a_pks_ran_up_to_three_years(office, terms_2017_and_2022):
    assert create(office, D(2021, 7, 1), D(2024, 6, 30)).pk
    with pytest.raises(ValidationError):
        create(office, D(2021, 7, 1), D(2024, 7, 1), number="PKS/KP/2")


def test_without_a_maximum_in_the_terms_any_length_is_taken(office):
    assert agreement_limit(D(2022, 7, 1)) is None
    assert create(office, D(2022, 7, 1), D(2025, 6, 30)).pk


def test_a_renewal_longer_than_the_terms_allow_is_refused_and_the_suggestion_keeps_within(office, terms_2017_and_2022):
    previous = CooperationAgreementFactory(office=office, starts_on=D(2020, 7, 1), ends_on=D(2022, 6, 30))

    defaults = renewal_defaults(previous, today=D(2022, 6, 15))
    with pytest.raises(ValidationError) as refused:
        agreement_renew(
            previous=previous,
            number="PKS/KP/2",
            signed_on=D(2022, 6, 15),
            starts_on=D(2022, 7, 1),
            ends_on=D(2024, 6, 30),
        )

    # The previous PKS ran two years; under the 2022 terms the next one is suggested for one.
    assert (defaults["starts_on"], defaults["ends_on"]) == (D(2022, 7, 1), D(2023, 6, 30))
    assert "ends_on" in refused.value.message_dict
    assert not hasattr(CooperationAgreement.objects.get(pk=previous.pk), "renewal")


def test_the_renewal_page_says_the_limit_and_refuses_a_longer_pks(staff_client, office, terms_2017_and_2022):
    previous = CooperationAgreementFactory(office=office, starts_on=D(2021, 7, 1), ends_on=D(2022, 6, 30))
    url = reverse("agents:agreement_renew", args=[previous.pk])

    form = staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "number": "PKS/KP/2022/2",
            "signed_on": "2022-06-20",
            "starts_on": "2022-07-01",
            "ends_on": "2024-06-30",
            "notes": "",
        },
    )

    assert "a PKS runs at most 12 months" in form
    assert response.status_code == 200
    assert "it ends on 30 June 2023 at the latest" in response.content.decode()
    assert CooperationAgreement.objects.count() == 1


def test_the_new_pks_page_refuses_a_longer_pks(staff_client, office, terms_2017_and_2022):
    response = staff_client.post(
        reverse("agents:agreement_create"),
        {
            "office": office.pk,
            "number": "PKS/KP/2022/1",
            "signed_on": "2022-08-20",
            "starts_on": "2022-09-01",
            "ends_on": "2023-09-01",
            "notes": "",
        },
    )

    assert response.status_code == 200
    assert "it ends on 31 August 2023 at the latest" in response.content.decode()
    assert not CooperationAgreement.objects.exists()


# --- an office needs 5 active agents ------------------------------------------------------------------


@pytest.fixture
def small_office(branch, terms_2017_and_2022):
    """An office with an active PKS and four agents in June 2022: three acquiring, one silent since January."""
    office = PerisaiOfficeFactory(branch=branch, code="KP-KECIL", name="Kantor Perisai Kecil")
    CooperationAgreementFactory(office=office, starts_on=D(2022, 1, 1), ends_on=D(2026, 12, 31))
    for day in (D(2022, 6, 3), D(2022, 5, 9), D(2022, 4, 20)):  # in June: active, active, at risk
        agent = AgentFactory(branch=branch, office=office, joined_on=D(2021, 1, 4))
        AcquisitionFactory(agent=agent, acquired_on=D(2022, 3, 10))
        AcquisitionFactory(agent=agent, acquired_on=day)
    silent = AgentFactory(branch=branch, office=office, joined_on=D(2021, 1, 4))
    AcquisitionFactory(agent=silent, acquired_on=D(2022, 1, 10))  # inactive by June
    return office


def test_an_office_with_fewer_active_agents_than_the_terms_ask_is_flagged(small_office):
    june = office_standings(offices=PerisaiOffice.objects.filter(pk=small_office.pk), month=D(2022, 6, 1))
    march = office_standings(offices=PerisaiOffice.objects.filter(pk=small_office.pk), month=D(2022, 3, 1))

    assert (june[small_office.pk].active_agents, june[small_office.pk].minimum_agents) == (3, 5)
    assert june[small_office.pk].short_of_agents and not june[small_office.pk].flagged
    # In March 2022 the terms asked for 3, and all four were active or at risk (the silent one since February).
    assert (march[small_office.pk].active_agents, march[small_office.pk].minimum_agents) == (4, 3)
    assert not march[small_office.pk].short_of_agents


def test_a_closed_office_is_not_asked_for_agents(small_office):
    small_office.is_active = False
    small_office.save()

    standings = office_standings(offices=PerisaiOffice.objects.filter(pk=small_office.pk), month=D(2022, 6, 1))

    assert small_office.pk not in standings or not standings[small_office.pk].short_of_agents


def test_the_dashboard_office_and_pks_pages_flag_it(staff_client, small_office):
    dashboard = staff_client.get("/", {"through": "2022-06"}).content.decode()
    offices = staff_client.get(reverse("agents:office_list")).content.decode()
    office = staff_client.get(reverse("agents:office_detail", args=[small_office.pk])).content.decode()
    agreement = small_office.agreements.get()
    pks = staff_client.get(reverse("agents:agreement_detail", args=[agreement.pk])).content.decode()
    pks_list = staff_client.get(reverse("agents:agreement_list")).content.decode()

    assert "Kantor Perisai Kecil" in dashboard and "3 of 5 active agents" in dashboard
    assert "3 of 5 active agents" in offices and "3 of 5 active agents" in office
    assert "3 active or at risk; the programme terms ask for 5" in office
    assert 'id="office-short-of-agents"' in pks and "the programme terms ask an office for 5" in pks
    assert "3 of 5 active agents" in pks_list


def test_the_flags_stand_side_by_side(branch, small_office):
    rows = offices_needing_attention(offices=PerisaiOffice.objects.filter(branch=branch), month=D(2022, 6, 1))

    assert [(row.office, row.standing.flagged, row.standing.short_of_agents) for row in rows] == [
        (small_office, False, True)
    ]


def test_the_workbook_lists_every_office_against_both_minimums(branch, small_office, english):
    busy = PerisaiOfficeFactory(branch=branch, code="KP-BESAR", name="Kantor Perisai Besar")
    for _ in range(5):
        AcquisitionFactory(agent=AgentFactory(branch=branch, office=busy), acquired_on=D(2022, 6, 1))
    book = Workbook()

    write_office_minimums(book.active, offices=PerisaiOffice.objects.filter(branch=branch), month=D(2022, 6, 1))

    rows = list(book.active.iter_rows(min_row=2, max_row=3, values_only=True))
    assert [(row[0], row[6], row[7], row[8]) for row in rows] == [("KP-KECIL", 3, 5, "Yes"), ("KP-BESAR", 5, 5, "No")]


def test_the_evaluation_workbook_carries_the_office_minimums(staff_client, small_office):
    response = staff_client.get(reverse("reports:workbook"), {"through": "2022-06"})

    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Office minimums"]
    assert [cell.value for cell in sheet[1]][6:] == ["Active agents", "Active agents needed", "Short of agents"]
    assert sheet.cell(row=2, column=1).value == "KP-KECIL" and sheet.cell(row=2, column=9).value == "Yes"


def test_the_standings_take_a_fixed_number_of_queries(branch, terms_2017_and_2022, django_assert_max_num_queries):
    def seed(count):
        for _ in range(count):
            office = PerisaiOfficeFactory(branch=branch)
            AcquisitionFactory(agent=AgentFactory(branch=branch, office=office), acquired_on=D(2022, 6, 2))

    seed(1)
    with django_assert_max_num_queries(4):  # the terms, the targets, the months, the active agents
        office_standings(offices=PerisaiOffice.objects.filter(branch=branch), month=D(2022, 6, 1))
    seed(8)
    with django_assert_max_num_queries(4):
        standings = office_standings(offices=PerisaiOffice.objects.filter(branch=branch), month=D(2022, 6, 1))
    assert {row.active_agents for row in standings.values()} == {1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_on_postgresql_two_programme_terms_in_force_in_one_month_are_refused(terms_2017_and_2022):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTerms.objects.create(name="Dobel", effective_from=D(2023, 1, 1), **AGENT_TERMS)
