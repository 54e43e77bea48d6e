"""Sign-in protection: lockout by username and address, session expiry, deactivated accounts, CSP."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from agents.models import User
from tests.factories import DEFAULT_PASSWORD, BranchFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFICE_NAT = "203.0.113.10"
HOME = "198.51.100.7"


@pytest.fixture
def staff():
    return UserFactory(username="staf", role=User.Role.STAFF, branch=BranchFactory())


def sign_in(client, username, password, address=OFFICE_NAT):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address=OFFICE_NAT):
    """Sign in with a wrong password ``times`` times; the status of the last attempt."""
    return [sign_in(client, username, "wrong-password", address).status_code for _ in range(times)][-1]


def test_five_failures_lock_the_username_from_that_address(client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page is read as a user who chose English
    assert fail(client, "staf", 4) == 200
    assert fail(client, "staf", 1) == 429
    response = sign_in(client, "staf", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, staff):
    assert fail(client, "staf", 4) == 200
    assert sign_in(client, "staf", DEFAULT_PASSWORD).status_code == 302


def test_a_lockout_does_not_lock_out_colleagues_behind_the_same_address(client, staff):
    UserFactory(username="kepala", role=User.Role.HEAD, branch=staff.branch)
    fail(client, "staf", 5)
    assert sign_in(client, "kepala", DEFAULT_PASSWORD).status_code == 302


def test_a_lockout_applies_only_to_the_address_that_failed(client, staff):
    fail(client, "staf", 5)
    assert sign_in(client, "staf", DEFAULT_PASSWORD, address=HOME).status_code == 302


def test_success_resets_the_count(client, staff):
    fail(client, "staf", 4)
    assert sign_in(client, "staf", DEFAULT_PASSWORD).status_code == 302
    client.logout()
    fail(client, "staf", 4)
    assert sign_in(client, "staf", DEFAULT_PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, staff):
    fail(client, "staf", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, "staf", DEFAULT_PASSWORD).status_code == 302


def test_session_ends_after_thirty_idle_minutes(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    sign_in(client, "staf", DEFAULT_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_each_request_renews_the_session(client, staff):
    sign_in(client, "staf", DEFAULT_PASSWORD)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    client.get(reverse("home"))
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_a_deactivated_account_is_signed_out_at_once(client, staff):
    sign_in(client, "staf", DEFAULT_PASSWORD)
    User.objects.filter(pk=staff.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_pages_carry_a_strict_content_security_policy(client, staff):
    sign_in(client, "staf", DEFAULT_PASSWORD)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
