"""Adding and editing an agent through the pages: NIK checks, office choices, duplicates, nothing changed on error."""

import datetime

import pytest
from django.urls import reverse

from agents.models import Agent
from perisai.nik import Gender, build_nik
from tests.factories import PerisaiOfficeFactory

pytestmark = pytest.mark.django_db

BIRTH_DATE = datetime.date(1985, 4, 12)
NIK = build_nik("330101", BIRTH_DATE, Gender.FEMALE, 17)


def form_data(office, **overrides):
    data = {
        "full_name": "Sri Wahyuni",
        "code": "CLP-A900",
        "nik": NIK,
        "gender": Gender.FEMALE,
        "birth_date": BIRTH_DATE.isoformat(),
        "phone": "0857-4101-3326",
        "office": office.pk,
        "kecamatan": "Kroya",
        "desa": "Bajing",
        "joined_on": "2022-07-01",
        "trained_on": "2022-06-08",
        "declared_not_bpjs_employee": "on",
    }
    data.update(overrides)
    return data


def test_create_form_offers_only_the_branchs_active_offices(staff_client, office, other_office, branch):
    closed = PerisaiOfficeFactory(branch=branch, is_active=False)

    choices = set(staff_client.get(reverse("agents:agent_create")).context["form"].fields["office"].queryset)

    assert choices == {office}
    assert other_office not in choices and closed not in choices


def test_staff_add_an_agent_of_their_branch(staff_client, office):
    response = staff_client.post(reverse("agents:agent_create"), form_data(office))

    agent = Agent.objects.get(code="CLP-A900")
    assert response.status_code == 302
    assert response["Location"] == reverse("agents:agent_detail", args=[agent.pk])
    assert agent.branch == office.branch
    assert agent.status == Agent.Status.ACTIVE
    assert agent.left_on is None and agent.user is None


def test_another_branchs_office_is_refused(staff_client, office, other_office):
    response = staff_client.post(reverse("agents:agent_create"), form_data(other_office))

    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert not Agent.objects.exists()


def test_a_malformed_nik_is_refused_with_the_reason(staff_client, office):
    response = staff_client.post(reverse("agents:agent_create"), form_data(office, nik="3301ABC"))

    assert "NIK must contain digits only." in response.context["form"].errors["nik"]
    assert not Agent.objects.exists()


def test_a_nik_that_disagrees_asks_for_confirmation_then_saves(staff_client, office):
    data = form_data(office, gender=Gender.MALE)

    first = staff_client.post(reverse("agents:agent_create"), data)
    page = first.content.decode()

    assert first.status_code == 200
    assert "The NIK encodes a woman (day + 40) but a man was entered." in page
    assert 'name="confirm_nik_mismatch"' in page
    assert not Agent.objects.exists()

    second = staff_client.post(reverse("agents:agent_create"), {**data, "confirm_nik_mismatch": "on"})

    assert second.status_code == 302
    assert Agent.objects.get().gender == Gender.MALE


def test_the_confirmation_box_is_hidden_while_the_nik_agrees(staff_client):
    assert 'name="confirm_nik_mismatch"' not in staff_client.get(reverse("agents:agent_create")).content.decode()


def test_duplicate_nik_and_code_are_refused(staff_client, office, agent):
    response = staff_client.post(reverse("agents:agent_create"), form_data(office, nik=agent.nik, code=agent.code))
    errors = response.context["form"].errors

    assert "nik" in errors and "code" in errors
    assert Agent.objects.count() == 1


def test_edit_changes_the_agent(staff_client, agent, branch):
    new_office = PerisaiOfficeFactory(branch=branch)
    data = form_data(
        new_office,
        code=agent.code,
        nik=agent.nik,
        gender=agent.gender,
        birth_date=agent.birth_date.isoformat(),
        full_name="Nama Baru",
    )

    response = staff_client.post(reverse("agents:agent_edit", args=[agent.pk]), data)

    agent.refresh_from_db()
    assert response.status_code == 302
    assert (agent.full_name, agent.office) == ("Nama Baru", new_office)


def test_edit_keeps_the_agents_closed_office_among_the_choices(staff_client, agent):
    agent.office.is_active = False
    agent.office.save()

    form = staff_client.get(reverse("agents:agent_edit", args=[agent.pk])).context["form"]

    assert agent.office in form.fields["office"].queryset


def test_a_bad_edit_changes_nothing_and_keeps_the_saved_name_in_the_heading(staff_client, agent):
    before = Agent.objects.values().get(pk=agent.pk)
    data = form_data(agent.office, code=agent.code, nik="12", full_name="Tidak Tersimpan")

    response = staff_client.post(reverse("agents:agent_edit", args=[agent.pk]), data)

    assert response.status_code == 200
    assert Agent.objects.values().get(pk=agent.pk) == before
    assert f"Edit {agent.full_name}" in response.content.decode()


def test_national_admin_picks_the_branch_through_the_office(admin_client_national, other_office):
    response = admin_client_national.post(reverse("agents:agent_create"), form_data(other_office))

    assert response.status_code == 302
    assert Agent.objects.get().branch == other_office.branch


def test_leaving_date_and_status_are_not_edited_here(staff_client, agent):
    data = form_data(
        agent.office,
        code=agent.code,
        nik=agent.nik,
        gender=agent.gender,
        birth_date=agent.birth_date.isoformat(),
        status="inactive",
        left_on="2021-01-01",
    )

    staff_client.post(reverse("agents:agent_edit", args=[agent.pk]), data)

    agent.refresh_from_db()
    assert (agent.status, agent.left_on) == (Agent.Status.ACTIVE, None)


def test_an_agent_cannot_be_moved_to_another_branchs_office(staff_client, agent, other_office):
    data = form_data(
        other_office, code=agent.code, nik=agent.nik, gender=agent.gender, birth_date=agent.birth_date.isoformat()
    )

    response = staff_client.post(reverse("agents:agent_edit", args=[agent.pk]), data)

    agent.refresh_from_db()
    assert "office" in response.context["form"].errors
    assert agent.office != other_office


def test_there_is_no_page_that_deletes_anything():
    from web.network import urls

    assert not [pattern.name for pattern in urls.urlpatterns if "delete" in pattern.name]
