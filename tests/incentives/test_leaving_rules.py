"""Leaving with a reason, the six-month wait after inactivity, fraud for good, the history, BPJS employees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agents.models import Agent, ProgrammeTerms
from agents.services import agent_create, agent_deactivate, agent_reactivate
from enrollment.selectors.history import history_for
from perisai.nik import Gender, build_nik
from tests.factories import AgentFactory
from tests.incentives.builders import acquire

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LEFT_ON = datetime.date(2022, 3, 1)


def leave(agent, reason, note="", left_on=LEFT_ON):
    return agent_deactivate(agent=agent, left_on=left_on, reason=reason, note=note, today=datetime.date(2022, 12, 31))


def fresh(agent):
    return Agent.objects.get(pk=agent.pk)


@pytest.mark.parametrize(
    ("today", "allowed"),
    [
        (datetime.date(2022, 8, 30), False),  # 5 months and 29 days after 1 March
        (datetime.date(2022, 8, 31), False),  # 5 months and 30 days
        (datetime.date(2022, 9, 1), True),  # 6 months
    ],
    ids=["5-months-29-days", "5-months-30-days", "6-months"],
)
def test_after_inactivity_an_agent_returns_no_sooner_than_six_months(agent, terms, today, allowed):
    leave(agent, Agent.DeactivationReason.INACTIVITY)

    if allowed:
        agent_reactivate(agent=fresh(agent), today=today)
        assert fresh(agent).status == Agent.Status.ACTIVE
    else:
        with pytest.raises(ValidationError, match="from 1 September 2022 at the earliest"):
            agent_reactivate(agent=fresh(agent), today=today)
        assert (fresh(agent).status, fresh(agent).left_on) == (Agent.Status.INACTIVE, LEFT_ON)


def test_the_wait_ends_on_the_months_last_day_when_it_has_no_such_day(agent, terms):
    leave(agent, Agent.DeactivationReason.INACTIVITY, left_on=datetime.date(2022, 8, 31))

    with pytest.raises(ValidationError, match="28 February 2023"):
        agent_reactivate(agent=fresh(agent), today=datetime.date(2023, 2, 27))
    agent_reactivate(agent=fresh(agent), today=datetime.date(2023, 2, 28))


def test_the_wait_is_the_terms_in_force_when_the_agent_left(agent, terms):
    terms.reactivation_wait_months = 12
    terms.save()
    leave(agent, Agent.DeactivationReason.INACTIVITY)

    with pytest.raises(ValidationError, match="1 March 2023"):
        agent_reactivate(agent=fresh(agent), today=datetime.date(2022, 9, 1))


def test_a_fraud_removal_is_final(agent, terms):
    leave(agent, Agent.DeactivationReason.FRAUD, note="Iuran peserta tidak disetor")

    for today in (datetime.date(2022, 9, 1), datetime.date(2032, 1, 1)):
        with pytest.raises(ValidationError, match="removed for fraud cannot be reactivated"):
            agent_reactivate(agent=fresh(agent), today=today)
    assert fresh(agent).deactivation_reason == Agent.DeactivationReason.FRAUD


def test_a_resigned_agent_may_come_back_at_once(agent, terms):
    leave(agent, Agent.DeactivationReason.RESIGNED)

    agent_reactivate(agent=fresh(agent), today=LEFT_ON + datetime.timedelta(days=1))

    assert (fresh(agent).status, fresh(agent).deactivation_reason) == (Agent.Status.ACTIVE, "")


@pytest.mark.parametrize("reason", [Agent.DeactivationReason.FRAUD, Agent.DeactivationReason.OTHER])
def test_fraud_and_other_need_a_note(agent, reason):
    with pytest.raises(ValidationError) as refused:
        leave(agent, reason)

    assert "note" in refused.value.error_dict
    assert fresh(agent).status == Agent.Status.ACTIVE


def test_a_reason_is_required(agent):
    with pytest.raises(ValidationError) as refused:
        leave(agent, "")

    assert "reason" in refused.value.error_dict


def test_the_database_refuses_an_inactive_agent_without_a_reason(agent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agent.objects.filter(pk=agent.pk).update(status=Agent.Status.INACTIVE, left_on=LEFT_ON)


def test_every_change_is_kept_in_the_agents_history(agent, staff, terms):
    agent_deactivate(
        agent=agent,
        left_on=LEFT_ON,
        reason=Agent.DeactivationReason.RESIGNED,
        note="Pindah ke Jakarta",
        changed_by=staff,
        today=datetime.date(2022, 12, 31),
    )
    agent_reactivate(agent=fresh(agent), changed_by=staff, note="Kembali ke Cilacap", today=datetime.date(2022, 12, 1))

    entries = history_for(fresh(agent))
    assert [entry.reason for entry in entries[:2]] == ["Kembali ke Cilacap", "Pindah ke Jakarta"]
    left = {change.field: (change.old, change.new) for change in entries[1].changes}
    assert left["Reason for leaving"] == ("—", "Resigned")
    assert left["Left on"] == ("—", "1 March 2022")
    assert entries[0].who == staff.get_full_name()


# Through the pages.


def test_the_deactivate_page_records_the_reason_and_shows_it(staff_client, agent, terms):
    url = reverse("agents:agent_deactivate", args=[agent.pk])
    response = staff_client.post(url, {"left_on": "2022-03-01", "reason": "inactivity", "note": ""})

    assert response.status_code == 302
    agent = fresh(agent)
    assert (agent.status, agent.left_on, agent.deactivation_reason) == ("inactive", LEFT_ON, "inactivity")
    page = staff_client.get(reverse("agents:agent_detail", args=[agent.pk])).content.decode()
    assert "Left on 1 March 2022. Reason: No new participants (inactivity)." in page
    assert reverse("agents:agent_reactivate", args=[agent.pk]) in page  # six months have passed by now


def test_a_refused_reactivation_shows_why_and_changes_nothing(staff_client, agent, terms):
    leave(agent, Agent.DeactivationReason.FRAUD, note="Kwitansi palsu")

    page = staff_client.get(reverse("agents:agent_detail", args=[agent.pk])).content.decode()
    assert "removed for fraud cannot be reactivated" in page
    assert reverse("agents:agent_reactivate", args=[agent.pk]) not in page

    response = staff_client.post(reverse("agents:agent_reactivate", args=[agent.pk]), follow=True)

    assert "removed for fraud cannot be reactivated" in response.content.decode()
    assert fresh(agent).status == Agent.Status.INACTIVE


def test_a_fraud_deactivation_without_a_note_is_refused_on_the_page(staff_client, agent):
    url = reverse("agents:agent_deactivate", args=[agent.pk])
    response = staff_client.post(url, {"left_on": "2022-03-01", "reason": "fraud", "note": ""})

    assert response.status_code == 200
    assert "this reason needs a note" in response.content.decode()
    assert fresh(agent).status == Agent.Status.ACTIVE


def test_an_inactive_agent_is_offered_deactivation_for_inactivity(staff_client, office, terms):
    silent = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2021, 1, 1))
    acquire(silent, datetime.date(2022, 1, 5))
    acquire(AgentFactory(branch=office.branch, office=office), datetime.date(2022, 6, 5))

    page = staff_client.get(reverse("agents:agent_detail", args=[silent.pk])).content.decode()
    assert "Inactive since April 2022" in page
    form = staff_client.get(reverse("agents:agent_deactivate", args=[silent.pk]) + "?reason=inactivity")
    assert form.context["form"].initial["reason"] == "inactivity"


# Employees of BPJS Ketenagakerjaan may not be agents.

BIRTH_DATE = datetime.date(1990, 2, 3)


def new_agent_fields(office):
    return {
        "office": office,
        "code": "CLP-A777",
        "nik": build_nik("330101", BIRTH_DATE, Gender.MALE, 77),
        "full_name": "Teguh",
        "gender": Gender.MALE,
        "birth_date": BIRTH_DATE,
        "phone": "0812-7777-0000",
        "kecamatan": "Kroya",
        "joined_on": datetime.date(2022, 7, 1),
    }


def test_a_new_agent_needs_the_declaration(office):
    with pytest.raises(ValidationError) as refused:
        agent_create(declared_not_bpjs_employee=False, **new_agent_fields(office))

    assert "declared_not_bpjs_employee" in refused.value.error_dict
    assert not Agent.objects.filter(code="CLP-A777").exists()


def test_the_declaration_is_kept_with_its_date(office):
    agent = agent_create(declared_not_bpjs_employee=True, today=datetime.date(2022, 7, 1), **new_agent_fields(office))

    assert agent.declared_not_bpjs_employee_on == datetime.date(2022, 7, 1)


def test_the_add_form_refuses_without_the_box_ticked(staff_client, office):
    data = {**new_agent_fields(office), "office": office.pk}
    data = {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in data.items()}

    response = staff_client.post(reverse("agents:agent_create"), data)

    assert response.status_code == 200
    assert "declared_not_bpjs_employee" in response.context["form"].errors
    assert not Agent.objects.filter(code="CLP-A777").exists()


def test_an_agent_added_earlier_is_asked_on_the_edit_form(staff_client, agent):
    form = staff_client.get(reverse("agents:agent_edit", args=[agent.pk])).context["form"]
    assert "declared_not_bpjs_employee" in form.fields and not form.fields["declared_not_bpjs_employee"].required

    agent.declared_not_bpjs_employee_on = datetime.date(2022, 1, 1)
    agent.save()
    form = staff_client.get(reverse("agents:agent_edit", args=[agent.pk])).context["form"]
    assert "declared_not_bpjs_employee" not in form.fields


def test_terms_cannot_overlap(terms):
    overlapping = ProgrammeTerms(
        name="Tumpang tindih",
        effective_from=datetime.date(2022, 1, 1),
        agent_at_risk_months=2,
        agent_inactive_months=3,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
