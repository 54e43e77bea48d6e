"""The enrol page: the contribution before saving, one tap to save, plain messages, nothing saved on error."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agents.models import BranchArea
from enrollment.models import Acquisition, Participant
from tests.enrollment.field.builders import WORKER_NIK, cared_acquisition, lapse, worker_post
from tests.factories import AcquisitionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ENROL = reverse("enrollment:enrol")


def test_the_form_shows_the_minimum_contribution_before_anything_is_typed(agent_client):
    response = agent_client.get(ENROL)
    assertContains(response, 'id="quote-total">Rp\u00a016,800<')
    assertContains(response, 'value="1,000,000"')
    assertContains(response, 'name="check"')


def test_the_kecamatan_and_desa_of_the_branchs_regencies_are_suggested(agent_client, field_agent):
    BranchArea.objects.create(branch=field_agent.branch, regency="3301")
    page = agent_client.get(ENROL)
    assertContains(page, '<option value="Kampung Laut" data-code="330124"></option>')
    assertContains(page, '<option value="Ujungalang" data-district="330124"></option>')
    assertContains(page, 'list="kecamatan-options"')
    assertContains(page, 'list="desa-options"')


def test_a_place_typed_another_way_is_saved_as_its_official_name_and_codes(agent_client):
    agent_client.post(ENROL, worker_post(kecamatan="kec. cilacap  selatan", desa="SIDA KAYA"))
    participant = Participant.objects.get()
    assert (participant.kecamatan, participant.district) == ("Cilacap Selatan", "330121")
    assert (participant.desa, participant.village) == ("Sidakaya", "3301211001")


def test_a_kecamatan_left_empty_is_the_niks_own(agent_client):
    agent_client.post(ENROL, worker_post(kecamatan="", desa=""))
    participant = Participant.objects.get()
    assert (participant.kecamatan, participant.district, participant.village) == ("Cilacap Selatan", "330121", "")


def test_a_place_outside_the_branchs_area_is_refused_on_its_field_and_nothing_is_saved(agent_client):
    response = agent_client.post(ENROL, worker_post(kecamatan="Kedungrejaa"))
    assert response.context["form"].errors["kecamatan"] == [
        "Kedungrejaa is not a kecamatan of Kabupaten Cilacap. Choose one from the list."
    ]
    response = agent_client.post(ENROL, worker_post(kecamatan="Kroya", desa="Sidakaya"))
    assert response.context["form"].errors["desa"] == [
        "Sidakaya is not a desa or kelurahan of Kroya. Choose one from the list."
    ]
    assert not Participant.objects.exists()


def test_check_shows_the_contribution_for_the_income_and_jht_and_saves_nothing(agent_client):
    data = {**worker_post(declared_income=2_000_000, with_jht=True), "check": "1"}
    del data["save"]

    response = agent_client.post(ENROL, data)

    assertContains(response, "Rp\u00a066,800")
    assertContains(response, 'value="Slamet Riyadi"')  # what was typed stays
    assertNotContains(response, "This field is required")
    assert not Participant.objects.exists()


def test_the_preview_partial_follows_income_and_jht(agent_client):
    response = agent_client.post(
        reverse("enrollment:enrol_preview"), {"declared_income": "Rp 3.000.000", "with_jht": "on"}
    )
    assertContains(response, "Rp\u00a096,800")
    assertContains(response, "JHT Rp\u00a060,000")
    assertNotContains(response, "<html")


def test_the_preview_explains_an_income_outside_the_rate(agent_client):
    response = agent_client.post(reverse("enrollment:enrol_preview"), {"declared_income": "500.000"})
    assertContains(response, "Declared income must be between Rp 1.000.000 and Rp 20.700.000.")


def test_saving_enrols_and_opens_the_participant(agent_client, field_agent):
    response = agent_client.post(ENROL, worker_post())

    acquisition = Acquisition.objects.get()
    assertRedirects(
        response,
        reverse("enrollment:my_participant_detail", args=[acquisition.participant_id]),
        fetch_redirect_response=False,
    )
    assert (acquisition.agent, acquisition.participant.nik) == (field_agent, WORKER_NIK)
    page = agent_client.get(response.url)
    assertContains(page, "Slamet Riyadi is enrolled. Monthly contribution: Rp\u00a016,800.")
    assert acquisition.history.get().history_user == field_agent.user


def test_a_nik_that_disagrees_with_birth_date_and_gender_needs_a_confirmation(agent_client):
    data = worker_post(birth_date=datetime.date(1991, 5, 17), gender="F")

    response = agent_client.post(ENROL, data)
    assertContains(response, "The NIK encodes birth date 17-05-90 but 17-05-1991 was entered.")
    assertContains(response, "The NIK encodes a man but a woman was entered.")
    assertContains(response, 'name="confirm_nik_mismatch"')
    assert not Participant.objects.exists()

    agent_client.post(ENROL, {**data, "confirm_nik_mismatch": "on"})
    assert Participant.objects.get().gender == "F"


def test_a_malformed_nik_says_what_is_wrong(agent_client):
    response = agent_client.post(ENROL, worker_post(nik="3301211705901x21"))
    assertContains(response, "NIK must contain digits only.")
    assert not Participant.objects.exists()


def test_another_agents_active_participant_gives_date_and_name_and_nothing_else(agent_client, other_agent):
    existing = AcquisitionFactory(
        agent=other_agent,
        acquired_on=datetime.date(2026, 2, 3),
        participant__nik=WORKER_NIK,
        participant__full_name="Wartini Rahayu",
        participant__phone="0857-1111-2222",
    )

    response = agent_client.post(ENROL, worker_post())

    assertContains(response, "This worker is already enrolled: on 3 February 2026 by Budi Santoso. Nothing was saved.")
    assertNotContains(response, "Wartini")
    assertNotContains(response, "0857-1111-2222")
    assertNotContains(response, reverse("enrollment:my_participant_detail", args=[existing.participant_id]))
    assert Acquisition.objects.count() == 1


def test_a_second_tap_on_save_points_to_the_worker_just_enrolled(agent_client):
    agent_client.post(ENROL, worker_post())
    response = agent_client.post(ENROL, worker_post())

    participant = Participant.objects.get()
    assertContains(response, "already enrolled")
    assertContains(response, reverse("enrollment:my_participant_detail", args=[participant.pk]))
    assert Acquisition.objects.count() == 1


def test_enrol_again_starts_from_the_lapsed_participant_on_record(agent_client, field_agent):
    old = lapse(cared_acquisition(field_agent, months_back=8, with_jht=True, declared_income=2_000_000))

    response = agent_client.get(ENROL, {"participant": old.participant_id})

    assertContains(response, f'value="{old.participant.nik}"')
    assertContains(response, f'value="{old.participant.full_name}"')
    assertContains(response, "Rp\u00a066,800")

    data = worker_post(nik=old.participant.nik, birth_date=old.participant.birth_date, gender=old.participant.gender)
    agent_client.post(ENROL, data)
    assert old.participant.acquisitions.filter(status=Acquisition.Status.ACTIVE).count() == 1
