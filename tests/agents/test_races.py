"""A save that loses a race for a unique value gets the form's message, not a server error.

The race is staged by letting the first validation miss the row that won (as it does when both
requests validate before either saves); the database constraint then decides.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agents import services
from agents.models import Agent, PerisaiOffice
from perisai.nik import Gender, build_nik
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

BIRTH_DATE = datetime.date(1990, 1, 2)
NIK = build_nik("330101", BIRTH_DATE, Gender.MALE, 42)


@pytest.fixture
def first_validation_misses(monkeypatch):
    def stage(model):
        real_full_clean = model.full_clean
        calls = []

        def full_clean(self, *args, **kwargs):
            calls.append(self)
            if len(calls) == 1:
                return None
            return real_full_clean(self, *args, **kwargs)

        monkeypatch.setattr(model, "full_clean", full_clean)

    return stage


def test_a_duplicate_nik_saved_at_the_same_moment_is_a_validation_error_on_nik(office, first_validation_misses):
    AgentFactory(branch=office.branch, office=office, nik=NIK, gender=Gender.MALE, birth_date=BIRTH_DATE)
    first_validation_misses(Agent)

    with pytest.raises(ValidationError) as caught:
        services.agent_create(
            office=office,
            code="CLP-A500",
            nik=NIK,
            full_name="Budi",
            gender=Gender.MALE,
            birth_date=BIRTH_DATE,
            phone="0812-0000-1111",
            kecamatan="Kroya",
            joined_on=datetime.date(2022, 1, 1),
            declared_not_bpjs_employee=True,
        )

    assert "nik" in caught.value.error_dict
    assert Agent.objects.filter(nik=NIK).count() == 1


def test_a_duplicate_office_code_saved_at_the_same_moment_is_a_validation_error(office, first_validation_misses):
    first_validation_misses(PerisaiOffice)

    with pytest.raises(ValidationError) as caught:
        services.office_create(branch=office.branch, code=office.code, name="Kembar")

    assert "code" in caught.value.error_dict
    assert PerisaiOffice.objects.filter(code=office.code).count() == 1


def test_the_page_shows_a_services_errors_on_the_fields_and_on_top(staff_client, office, monkeypatch):
    def lost_the_race(**fields):
        raise ValidationError({"nik": ["Agent with this NIK already exists."], "branch": ["Branch clash."]})

    monkeypatch.setattr(services, "agent_create", lost_the_race)
    data = {
        "full_name": "Budi",
        "code": "CLP-A500",
        "nik": NIK,
        "gender": Gender.MALE,
        "birth_date": BIRTH_DATE.isoformat(),
        "phone": "0812-0000-1111",
        "office": office.pk,
        "kecamatan": "Kroya",
        "joined_on": "2022-01-01",
        "declared_not_bpjs_employee": "on",
    }

    response = staff_client.post(reverse("agents:agent_create"), data)
    form = response.context["form"]

    assert response.status_code == 200
    assert form.errors["nik"] == ["Agent with this NIK already exists."]
    assert form.non_field_errors() == ["Branch clash."]
    assert not Agent.objects.exists()
