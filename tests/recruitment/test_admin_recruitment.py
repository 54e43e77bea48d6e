"""Recruitment in the admin: national administrators read it and its history; nobody changes it there;
branch users do not reach it."""

import pytest
from django.test import Client
from django.urls import reverse

from agents.models import User
from recruitment import services
from recruitment.models import Candidate, Seat, TrainingSession
from tests.factories import UserFactory
from tests.recruitment.services_builders import HELD_ON, register, reload, scored, session_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MODELS = ("candidate", "trainingsession", "seat")


@pytest.fixture
def walked(branch):
    """A candidate who passed, with a session and a seat, each with some history."""
    staff = UserFactory(role=User.Role.STAFF, branch=branch)
    candidate = register(branch, staff)
    seat = scored(candidate, session_of(branch), 80)
    services.candidate_update(candidate=candidate, kecamatan="Adipala", desa="Bunton", changed_by=staff)
    return {"candidate": reload(candidate), "trainingsession": seat.session, "seat": seat}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def national():
    return signed_in(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True))


def url(model, view, *args):
    return reverse(f"admin:recruitment_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_a_national_administrator_reads_the_list_the_row_and_its_history(national, walked, model):
    row = walked[model]

    assert national.get(url(model, "changelist")).status_code == 200
    assert national.get(url(model, "change", row.pk)).status_code == 200
    history = national.get(url(model, "history", row.pk))
    assert history.status_code == 200
    version = type(row).history.filter(id=row.pk).earliest("history_date")
    assert national.get(url(model, "simple_history", row.pk, version.history_id)).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_nobody_adds_changes_or_deletes_recruitment_in_the_admin(national, walked, model):
    row = walked[model]

    assert national.get(url(model, "add")).status_code == 403
    assert national.post(url(model, "change", row.pk), {}).status_code == 403
    assert national.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()


def test_an_old_version_is_shown_but_never_reverted_to(national, walked):
    candidate = walked["candidate"]
    first = candidate.history.earliest("history_date")
    rows_before = candidate.history.count()

    page = national.get(url("candidate", "simple_history", candidate.pk, first.history_id))
    posted = national.post(
        url("candidate", "simple_history", candidate.pk, first.history_id), {"kecamatan": first.kecamatan}
    )

    assert b"Revert" not in page.content
    assert posted.status_code == 403
    assert reload(candidate).kecamatan == "Adipala" and reload(candidate).stage == Candidate.Stage.PASSED
    assert candidate.history.count() == rows_before


def test_the_nik_is_masked_on_the_candidates_pages(national, walked):
    candidate = walked["candidate"]
    first = candidate.history.earliest("history_date")

    for page in (
        url("candidate", "changelist"),
        url("candidate", "change", candidate.pk),
        url("candidate", "simple_history", candidate.pk, first.history_id),
    ):
        assert candidate.nik.encode() not in national.get(page).content, page


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.HEAD, User.Role.ADMIN])
def test_branch_users_do_not_reach_recruitment_in_the_admin(branch, walked, role):
    client = signed_in(UserFactory(role=role, branch=branch, is_staff=True))

    for model in MODELS:
        assert client.get(url(model, "changelist")).status_code == 403
        assert client.get(url(model, "change", walked[model].pk)).status_code == 403
        assert client.get(url(model, "history", walked[model].pk)).status_code == 403
    index = client.get(reverse("admin:index"))
    assert not [app for app in index.context["app_list"] if app["app_label"] == "recruitment"]


def test_the_sessions_page_shows_its_seats(national, walked):
    session = walked["trainingsession"]

    page = national.get(url("trainingsession", "change", session.pk))

    assert walked["candidate"].full_name in page.content.decode()
    assert TrainingSession.objects.get(pk=session.pk).held_on == HELD_ON
    assert Seat.objects.filter(session=session).count() == 1
