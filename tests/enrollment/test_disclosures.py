"""A full NIK is shown only on request, and every showing is in the NIK view log the branch head reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from enrollment.models import NikDisclosure
from perisai.privacy import mask_nik
from tests.factories import UserFactory
from tests.privacy_builders import build_world, client_for

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(rate):
    return build_world(rate)


def _reveal(user, name, pk, **headers):
    return client_for(user).post(reverse(name, args=[pk]), **headers)


# --- showing a full NIK --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "head", "admin"])
def test_show_nik_on_a_participant_page_answers_the_nik_and_logs_it(world, role):
    user = getattr(world, role)
    response = _reveal(user, "enrollment:participant_nik", world.participant.pk, **HTMX)

    assert response.status_code == 200
    assert world.participant.nik in response.content.decode()
    assert "<html" not in response.content.decode()  # the fragment htmx swaps in
    assert "no-store" in response["Cache-Control"]
    disclosure = NikDisclosure.objects.get()
    assert (disclosure.viewer, disclosure.participant, disclosure.agent, disclosure.branch) == (
        user,
        world.participant,
        None,
        world.branch,
    )
    assert disclosure.reason == NikDisclosure.Reason.PARTICIPANT_PAGE
    assert timezone.now() - disclosure.disclosed_at < datetime.timedelta(minutes=1)


def test_without_javascript_show_nik_answers_a_page_with_a_way_back(world):
    response = _reveal(world.staff, "enrollment:participant_nik", world.participant.pk)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert world.participant.nik in page
    assert reverse("enrollment:participant_detail", args=[world.participant.pk]) in page


def test_every_showing_is_logged_again(world):
    for _ in range(3):
        _reveal(world.staff, "enrollment:participant_nik", world.participant.pk, **HTMX)
    assert NikDisclosure.objects.filter(viewer=world.staff, participant=world.participant).count() == 3


def test_show_nik_on_an_agent_page_logs_the_agent(world):
    response = _reveal(world.head, "agents:agent_nik", world.agent.pk, **HTMX)
    assert world.agent.nik in response.content.decode()
    disclosure = NikDisclosure.objects.get()
    assert (disclosure.agent, disclosure.participant, disclosure.reason) == (
        world.agent,
        None,
        NikDisclosure.Reason.AGENT_PAGE,
    )


def test_an_agent_shows_the_nik_of_a_participant_they_look_after(world):
    response = _reveal(world.agent.user, "enrollment:my_participant_nik", world.participant.pk, **HTMX)
    assert world.participant.nik in response.content.decode()
    assert NikDisclosure.objects.get().reason == NikDisclosure.Reason.FIELD_PAGE


@pytest.mark.parametrize(
    ("who", "name", "subject"),
    [
        ("agent", "enrollment:my_participant_nik", "colleague_participant"),  # a colleague's participant
        ("agent", "enrollment:my_participant_nik", "far_participant"),
        ("agent", "enrollment:participant_nik", "participant"),  # staff pages do not exist for agents
        ("far_staff", "enrollment:participant_nik", "participant"),  # another branch
        ("far_staff", "agents:agent_nik", "agent"),
        ("staff", "enrollment:participant_nik", "far_participant"),
        ("staff", "enrollment:my_participant_nik", "participant"),  # agent pages do not exist for staff
    ],
)
def test_a_nik_out_of_reach_is_a_404_and_logs_nothing(world, who, name, subject):
    user = world.agent.user if who == "agent" else getattr(world, who)
    response = _reveal(user, name, getattr(world, subject).pk, **HTMX)
    assert response.status_code == 404
    assert not NikDisclosure.objects.exists()


def test_agents_may_not_show_agents_niks(world):
    assert _reveal(world.agent.user, "agents:agent_nik", world.agent.pk).status_code == 403
    assert not NikDisclosure.objects.exists()


def test_show_nik_takes_only_a_post(world):
    client = client_for(world.staff)
    assert client.get(reverse("enrollment:participant_nik", args=[world.participant.pk])).status_code == 405
    assert not NikDisclosure.objects.exists()


def test_signed_out_show_nik_goes_to_the_sign_in_page(world):
    response = _reveal(None, "enrollment:participant_nik", world.participant.pk)
    assert response.status_code == 302 and reverse("login") in response.url
    assert not NikDisclosure.objects.exists()


def test_show_nik_checks_the_csrf_token(world):
    client = client_for(world.staff)
    client.handler.enforce_csrf_checks = True
    assert client.post(reverse("enrollment:participant_nik", args=[world.participant.pk])).status_code == 403
    assert not NikDisclosure.objects.exists()


# --- forms that hold a full NIK ------------------------------------------------------------------


def test_opening_a_participants_edit_form_logs_the_nik_it_holds(world):
    response = client_for(world.staff).get(reverse("enrollment:participant_edit", args=[world.participant.pk]))
    assert f'value="{world.participant.nik}"' in response.content.decode()
    assert NikDisclosure.objects.get().reason == NikDisclosure.Reason.EDIT_FORM


def test_opening_an_agents_edit_form_logs_the_nik_it_holds(world):
    response = client_for(world.staff).get(reverse("agents:agent_edit", args=[world.agent.pk]))
    assert f'value="{world.agent.nik}"' in response.content.decode()
    disclosure = NikDisclosure.objects.get()
    assert (disclosure.agent, disclosure.reason) == (world.agent, NikDisclosure.Reason.EDIT_FORM)


def test_enrolling_a_participant_again_logs_the_nik_the_form_starts_with(world):
    response = client_for(world.agent.user).get(reverse("enrollment:enrol"), {"participant": world.participant.pk})
    assert f'value="{world.participant.nik}"' in response.content.decode()
    assert NikDisclosure.objects.get().reason == NikDisclosure.Reason.ENROL_AGAIN


# --- the NIK view log ----------------------------------------------------------------------------

LOG = "enrollment:nik_disclosure_list"


def _disclose(viewer, subject, *, days_ago=0):
    field = "participant" if subject._meta.model_name == "participant" else "agent"
    return NikDisclosure.objects.create(
        viewer=viewer,
        branch_id=subject.branch_id,
        reason=NikDisclosure.Reason.PARTICIPANT_PAGE if field == "participant" else NikDisclosure.Reason.AGENT_PAGE,
        disclosed_at=timezone.now() - datetime.timedelta(days=days_ago),
        **{field: subject},
    )


def test_the_head_reads_who_saw_whose_nik_in_their_branch(world):
    _disclose(world.staff, world.participant)
    _disclose(world.staff, world.agent)
    _disclose(world.far_staff, world.far_participant)

    response = client_for(world.head).get(reverse(LOG))

    assert response.status_code == 200
    page = response.content.decode()
    assert [d.subject for d in response.context["page_obj"]] == [world.agent, world.participant]
    assert "Rina Wulandari" in page and "Siti Aminah" in page and "Sari Wulandari" in page
    assert mask_nik(world.participant.nik) in page and world.participant.nik not in page
    assert "Dewi Lestari" not in page and "Staf Banyumas" not in page
    assert response.context["recent"] == [
        {"viewer": world.staff.pk, "name": "Rina Wulandari", "role": "Branch staff", "count": 2}
    ]


def test_a_national_administrator_reads_every_branchs_log(world):
    _disclose(world.staff, world.participant)
    _disclose(world.far_staff, world.far_participant)
    response = client_for(world.admin).get(reverse(LOG))
    assert {d.branch for d in response.context["page_obj"]} == {world.branch, world.other_branch}
    assert "Banyumas" in response.content.decode()


def test_the_log_narrows_to_one_person(world):
    _disclose(world.staff, world.participant)
    _disclose(world.agent.user, world.participant)
    response = client_for(world.head).get(reverse(LOG), {"viewer": world.agent.user.pk})
    assert [d.viewer for d in response.context["page_obj"]] == [world.agent.user]
    other_branch = client_for(world.head).get(reverse(LOG), {"viewer": world.far_staff.pk})
    assert list(other_branch.context["page_obj"]) == []


def test_the_tally_counts_only_the_last_thirty_days(world):
    _disclose(world.staff, world.participant, days_ago=31)
    _disclose(world.agent.user, world.participant, days_ago=2)
    response = client_for(world.head).get(reverse(LOG))
    assert [row["name"] for row in response.context["recent"]] == ["Sari Wulandari"]
    assert len(response.context["page_obj"]) == 2


def test_the_log_is_paginated_with_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(60):
        _disclose(world.staff, world.participant)
        _disclose(world.colleague.user, world.colleague)
    client = client_for(world.head)
    # session, user, count, page (people joined), the tally; the session saved (three statements)
    with django_assert_max_num_queries(8):
        first = client.get(reverse(LOG))
    with django_assert_max_num_queries(8):
        second = client.get(reverse(LOG), {"page": 3})
    assert len(first.context["page_obj"]) == 50 and len(second.context["page_obj"]) == 20
    assert "Page 1 of 3" in first.content.decode()


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("agent", 404), ("far_staff", 403)])
def test_staff_and_agents_do_not_read_the_log(world, who, status):
    _disclose(world.staff, world.participant)
    user = world.agent.user if who == "agent" else getattr(world, who)
    assert client_for(user).get(reverse(LOG)).status_code == status


def test_signed_out_the_log_goes_to_the_sign_in_page(world):
    response = client_for(None).get(reverse(LOG))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_participant_list_links_the_log_for_the_head_only(world):
    url = reverse(LOG)
    assert url in client_for(world.head).get(reverse("enrollment:participant_list")).content.decode()
    assert url not in client_for(world.staff).get(reverse("enrollment:participant_list")).content.decode()


def test_a_disclosure_is_about_one_person(world):
    disclosure = NikDisclosure(viewer=world.staff, branch=world.branch, reason=NikDisclosure.Reason.EDIT_FORM)
    with pytest.raises(ValidationError):
        disclosure.full_clean()
    disclosure.participant, disclosure.agent = world.participant, world.agent
    with pytest.raises(ValidationError):
        disclosure.full_clean()


def test_a_user_who_saw_niks_cannot_be_deleted_out_of_the_log(world):
    viewer = UserFactory(branch=world.branch)
    _disclose(viewer, world.participant)
    with pytest.raises(ProtectedError):
        viewer.delete()
