"""A session's absolute lifetime (12 hours from signing in, however busy), and nothing a signed-in user
is sent being stored by a browser or proxy."""

import time

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD
from tests.privacy_builders import build_world, client_for
from web.signin.sessions import SIGNED_IN_AT

pytestmark = pytest.mark.django_db

TWELVE_HOURS = 12 * 60 * 60


@pytest.fixture
def world(rate):
    return build_world(rate)


def signed_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def started(client, seconds_ago):
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - seconds_ago
    session.save()


class TestTheSessionsAbsoluteLifetime:
    def test_is_twelve_hours(self, settings):
        assert settings.SESSION_ABSOLUTE_SECONDS == TWELVE_HOURS

    def test_a_session_in_use_for_eleven_hours_goes_on(self, client, world):
        signed_in(client, world.staff)
        started(client, 11 * 60 * 60)
        assert client.get(reverse("home")).status_code == 200

    def test_a_busy_session_ends_twelve_hours_after_signing_in(self, client, world):
        signed_in(client, world.staff)
        started(client, TWELVE_HOURS + 1)
        response = client.get(reverse("enrollment:participant_list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("home")).status_code == 302

    def test_signing_in_again_starts_a_new_twelve_hours(self, client, world):
        signed_in(client, world.staff)
        started(client, TWELVE_HOURS + 1)
        client.get(reverse("home"))
        signed_in(client, world.staff)
        assert client.get(reverse("home")).status_code == 200

    def test_a_signed_in_session_that_does_not_say_when_it_began_is_ended(self, client, world):
        signed_in(client, world.staff)
        session = client.session
        del session[SIGNED_IN_AT]
        session.save()
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_it_holds_in_the_admin_too(self, client, world):
        world.admin.is_staff = True
        world.admin.save()
        signed_in(client, world.admin)
        started(client, TWELVE_HOURS + 1)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "login" in response.url


PERSONAL_PAGES = {
    "participant list": lambda w: reverse("enrollment:participant_list"),
    "participant detail": lambda w: reverse("enrollment:participant_detail", args=[w.participant.pk]),
    "agent detail": lambda w: reverse("agents:agent_detail", args=[w.agent.pk]),
    "participant list, CSV": lambda w: reverse("reports:participants_csv") + "?year=2022&through=6",
    "participant list, Excel": lambda w: reverse("reports:participants_xlsx") + "?year=2022&through=6",
    "evaluation workbook": lambda w: reverse("reports:workbook") + "?year=2022&through=6",
    "dashboard": lambda w: reverse("home"),
}


class TestNothingASignedInUserSeesIsStored:
    @pytest.mark.parametrize("page", PERSONAL_PAGES)
    def test_staff_pages_and_files(self, world, page):
        response = client_for(world.staff).get(PERSONAL_PAGES[page](world))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_the_agents_phone_pages(self, world):
        response = client_for(world.agent.user).get(reverse("enrollment:my_participants"))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]

    def test_the_administration(self, world):
        world.admin.is_staff = True
        world.admin.save()
        response = client_for(world.admin).get(reverse("admin:agents_agent_changelist"))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
