"""The username's rising delay: wrong passwords from many addresses still run into a limit, the right
password is refused too while the wait lasts, and nobody's guessing slows the owner down on a device the
owner signed in on before.

Behind nginx, each request here comes from the proxy with the client's address in X-Forwarded-For, as
production sees it (``tests/test_signin_addresses.py`` has both nginx lines).
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agents.models import User
from tests.factories import DEFAULT_PASSWORD, BranchFactory, UserFactory
from web.signin import devices
from web.signin.models import FailedSignIns
from web.signin.throttle import ANY_DEVICE, claim_attempt, record_failure, wait_after

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.PERISAI_PROXY_COUNT = 1


@pytest.fixture
def staff():
    return UserFactory(username="staf", role=User.Role.STAFF, branch=BranchFactory())


def sign_in(client, password, address, username="staf", url=None):
    """A sign-in through the proxy, by a browser that asks for English pages."""
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def guess_from_many_addresses(times, username="staf", start=1):
    """``times`` wrong passwords, each from a fresh address and a fresh browser (as a botnet would)."""
    return [sign_in(Client(), WRONG, f"203.0.113.{n}", username).status_code for n in range(start, start + times)]


def time_passes(seconds):
    """Move the username's clock: its last failure and its next allowed attempt ``seconds`` earlier."""
    for counted in FailedSignIns.objects.all():
        counted.last_failed_at -= datetime.timedelta(seconds=seconds)
        counted.next_attempt_at -= datetime.timedelta(seconds=seconds)
        counted.save()


def waiting_seconds():
    counted = FailedSignIns.objects.get(username="staf", device=ANY_DEVICE)
    return round((counted.next_attempt_at - counted.last_failed_at).total_seconds())


class TestGuessingFromManyAddresses:
    def test_ten_wrong_passwords_are_free_then_even_the_right_one_must_wait(self, staff, english):
        assert guess_from_many_addresses(10) == [200] * 10
        response = sign_in(Client(), DEFAULT_PASSWORD, "198.51.100.7")
        assert response.status_code == 429
        assert "Try again in 30 seconds." in response.content.decode()
        assert response["Retry-After"] == "30"
        assert not User.objects.get(pk=staff.pk).last_login

    def test_the_wait_doubles_with_each_further_failure_up_to_fifteen_minutes(self, staff):
        guess_from_many_addresses(10)
        waits = []
        for n in range(11, 19):
            time_passes(waiting_seconds())
            assert guess_from_many_addresses(1, start=n) == [200]
            waits.append(waiting_seconds())
        assert waits == [60, 120, 240, 480, 900, 900, 900, 900]

    def test_attempts_during_the_wait_neither_count_nor_lengthen_it(self, staff):
        guess_from_many_addresses(10)
        before = FailedSignIns.objects.get(username="staf")
        assert guess_from_many_addresses(20, start=11) == [429] * 20
        after = FailedSignIns.objects.get(username="staf")
        assert (after.failures, after.next_attempt_at) == (before.failures, before.next_attempt_at)
        assert not AccessAttempt.objects.filter(ip_address__in=[f"203.0.113.{n}" for n in range(11, 31)]).exists()

    def test_after_the_wait_the_right_password_signs_in_and_clears_the_count(self, staff):
        assert guess_from_many_addresses(12) == [200] * 10 + [429] * 2
        time_passes(30)
        assert sign_in(Client(), DEFAULT_PASSWORD, "198.51.100.7").status_code == 302
        assert not FailedSignIns.objects.filter(username="staf").exists()

    def test_the_count_is_forgotten_a_day_after_the_last_failure(self, staff):
        guess_from_many_addresses(10)
        time_passes(24 * 60 * 60 + 1)
        assert guess_from_many_addresses(1, start=50) == [200]
        assert FailedSignIns.objects.get(username="staf").failures == 1

    def test_a_username_nobody_has_is_treated_alike(self, db, english):
        assert guess_from_many_addresses(10, username="nobody") == [200] * 10
        assert sign_in(Client(), WRONG, "198.51.100.7", username="nobody").status_code == 429

    def test_the_admin_sign_in_is_held_by_the_same_wait(self, staff, english):
        staff.is_staff = True
        staff.save()
        guess_from_many_addresses(10)
        response = sign_in(Client(), DEFAULT_PASSWORD, "198.51.100.7", url=reverse("admin:login"))
        assert response.status_code == 429
        assert "Try again in 30 seconds." in response.content.decode()


class TestTheOwnerIsNeverHeldUpOnTheirOwnDevice:
    @pytest.fixture
    def own_phone(self, staff):
        """The staff member's phone: signed in on it once before, then signed out."""
        phone = Client()
        assert sign_in(phone, DEFAULT_PASSWORD, "198.51.100.7").status_code == 302
        assert devices.COOKIE in phone.cookies
        phone.post(reverse("logout"))
        return phone

    def test_however_many_guess_elsewhere(self, own_phone):
        assert guess_from_many_addresses(25).count(429) == 15
        assert sign_in(own_phone, DEFAULT_PASSWORD, "198.51.100.7").status_code == 302

    def test_even_from_the_same_office_address_the_guesser_uses(self, own_phone):
        office = "203.0.113.10"
        assert [sign_in(Client(), WRONG, office).status_code for _ in range(6)][-1] == 429  # axes: that address
        assert sign_in(own_phone, DEFAULT_PASSWORD, office).status_code == 302

    def test_their_own_wrong_passwords_there_have_their_own_limit(self, own_phone, english):
        assert [sign_in(own_phone, WRONG, "198.51.100.7").status_code for _ in range(5)] == [200] * 5
        response = sign_in(own_phone, DEFAULT_PASSWORD, "198.51.100.7")
        assert response.status_code == 429
        assert "Try again in 30 seconds." in response.content.decode()

    def test_a_forged_or_other_users_device_cookie_counts_as_an_unknown_device(self, own_phone, staff):
        other = UserFactory(username="kepala", role=User.Role.HEAD, branch=staff.branch)
        guess_from_many_addresses(10, username="kepala")
        assert sign_in(own_phone, DEFAULT_PASSWORD, "198.51.100.7", username=other.username).status_code == 429

        forged = Client()
        forged.cookies[devices.COOKIE] = own_phone.cookies[devices.COOKIE].value[:-2] + "xx"
        guess_from_many_addresses(10)
        assert sign_in(forged, DEFAULT_PASSWORD, "198.51.100.7").status_code == 429


class TestTheCountItself:
    def test_the_schedule(self):
        assert [wait_after(n).total_seconds() for n in range(9, 17)] == [0, 30, 60, 120, 240, 480, 900, 900]
        assert wait_after(10_000).total_seconds() == 900
        assert [wait_after(n, device="phone").total_seconds() for n in (4, 5, 6)] == [0, 30, 60]

    def test_once_the_wait_is_over_one_attempt_takes_the_slot_and_a_parallel_one_waits(self, db):
        now = timezone.now()
        for _ in range(10):
            record_failure(username="staf", device=ANY_DEVICE, now=now)
        later = now + datetime.timedelta(seconds=30)
        assert claim_attempt(username="staf", device=ANY_DEVICE, now=later) is None
        assert claim_attempt(username="staf", device=ANY_DEVICE, now=later) == datetime.timedelta(seconds=60)


class TestAnAdministratorLiftsAWait:
    def test_a_national_administrator_sees_it_and_deletes_it(self, staff):
        guess_from_many_addresses(10)
        admin = UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)
        client = Client()
        client.force_login(admin)
        counted = FailedSignIns.objects.get(username="staf")
        listing = client.get(reverse("admin:web_signin_failedsignins_changelist"))
        assert listing.status_code == 200 and "staf" in listing.content.decode()
        client.post(reverse("admin:web_signin_failedsignins_delete", args=[counted.pk]), {"post": "yes"})
        assert not FailedSignIns.objects.exists()
        assert sign_in(Client(), DEFAULT_PASSWORD, "198.51.100.7").status_code == 302

    def test_staff_and_branch_administrators_do_not_see_it(self, staff):
        guess_from_many_addresses(10)
        branch_admin = UserFactory(role=User.Role.ADMIN, branch=staff.branch, is_staff=True)
        for user in (branch_admin, staff):
            user.is_staff = True
            user.save()
            client = Client()
            client.force_login(user)
            assert client.get(reverse("admin:web_signin_failedsignins_changelist")).status_code == 403
