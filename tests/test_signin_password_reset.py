"""A forgotten password is reset by a person, never by e-mail: the sign-in page says who, branch staff set
an agent's, a national administrator sets anyone else's, and the person then chooses their own."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agents.models import User
from tests.factories import DEFAULT_PASSWORD
from tests.privacy_builders import build_world, client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kantor-Cilacap-baru-77"


@pytest.fixture
def world(rate):
    world = build_world(rate)
    world.staff.email = "rina@example.go.id"
    world.staff.save()
    world.admin.is_staff = True
    world.admin.save()
    return world


def signs_in(username, password):
    response = client_for(None).post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


class TestForgotYourPassword:
    def test_the_sign_in_page_links_to_who_resets_it(self, client, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(reverse("login")).content.decode()
        assert f'href="{reverse("password_reset")}"' in page
        help_page = client.get(reverse("password_reset"))
        assert help_page.status_code == 200
        text = help_page.content.decode()
        assert "Ask the branch staff" in text
        assert "Ask a national administrator" in text
        assert "<form" not in text.split('id="who-resets"')[1].split("</dl>")[0]

    def test_no_e_mail_goes_out_whatever_is_posted(self, client, world):
        response = client.post(reverse("password_reset"), {"email": world.staff.email})
        assert response.status_code == 405
        assert mail.outbox == []

    def test_the_pages_of_a_reset_by_e_mail_are_not_served(self, client, world):
        uid = urlsafe_base64_encode(force_bytes(world.staff.pk))
        token = default_token_generator.make_token(world.staff)
        for url in (
            reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
            reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": "set-password"}),
            reverse("password_reset_done"),
            reverse("password_reset_complete"),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 404
        assert signs_in(world.staff.username, DEFAULT_PASSWORD)


class TestAPersonSetsANewPassword:
    def test_branch_staff_set_an_agents_temporary_password(self, world, english):
        page = client_for(world.staff).post(reverse("agents:agent_login", args=[world.agent.pk]), {"username": ""})
        temporary = re.search(r'id="agent-password">([^<]+)<', page.content.decode()).group(1)
        assert signs_in(world.agent.user.username, temporary)
        assert not signs_in(world.agent.user.username, DEFAULT_PASSWORD)

    def test_a_national_administrator_sets_a_staff_members_password_in_the_administration(self, world):
        staff_session = client_for(world.staff)
        url = reverse("admin:auth_user_password_change", args=[world.staff.pk])
        response = client_for(world.admin).post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert signs_in(world.staff.username, NEW_PASSWORD)
        assert not signs_in(world.staff.username, DEFAULT_PASSWORD)
        assert staff_session.get(reverse("home")).status_code == 302  # their open session ended

    def test_a_branch_user_sets_nobody_elses_password_there(self, world):
        url = reverse("admin:auth_user_password_change", args=[world.head.pk])
        world.staff.is_staff = True
        world.staff.save()
        response = client_for(world.staff).post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code in (302, 403, 404)
        assert not User.objects.get(pk=world.head.pk).check_password(NEW_PASSWORD)

    def test_then_the_person_chooses_their_own(self, world, english):
        client = client_for(world.staff)
        page = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("password_change")}"' in page
        form = client.get(reverse("password_change"))
        assert "Choose your own password" in form.content.decode()
        response = client.post(
            reverse("password_change"),
            {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200
        assert signs_in(world.staff.username, NEW_PASSWORD)
