"""Whose address a sign-in comes from behind nginx, with the exact headers each of nginx's two usual lines
sends: the lockout is then keyed on the real client, in both setups.

The proxy runs on the same machine: gunicorn sees every request from 127.0.0.1 (``REMOTE_ADDR``), and the
client's address only in ``X-Forwarded-For``:

- ``proxy_set_header X-Forwarded-For $remote_addr;`` sends ``X-Forwarded-For: <client>``;
- ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`` sends ``X-Forwarded-For:
  <whatever the client sent>, <client>``.
"""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from agents.models import User
from tests.factories import DEFAULT_PASSWORD, BranchFactory, UserFactory
from web.signin.addresses import client_address

PROXY = "127.0.0.1"
STAFF_AT_HOME = "198.51.100.7"
ATTACKER = "203.0.113.66"


def remote_addr_line(client):
    """What nginx sends with ``X-Forwarded-For $remote_addr`` (the README's block)."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client}


def proxy_add_line(client, *written_by_client):
    """What nginx sends with ``X-Forwarded-For $proxy_add_x_forwarded_for``: the client's own header, if
    any, and the address that connected to nginx appended."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ", ".join([*written_by_client, client])}


def address_of(headers):
    return client_address(RequestFactory().post(reverse("login"), **headers))


@pytest.fixture
def behind_nginx(settings):
    settings.PERISAI_PROXY_COUNT = 1  # production's default


class TestTheAddressIsTheOneNginxSaw:
    def test_with_remote_addr_it_is_the_header(self, behind_nginx):
        assert address_of(remote_addr_line(STAFF_AT_HOME)) == STAFF_AT_HOME

    def test_with_proxy_add_it_is_the_entry_nginx_appended(self, behind_nginx):
        assert address_of(proxy_add_line(ATTACKER, "10.9.8.7")) == ATTACKER
        assert address_of(proxy_add_line(ATTACKER, "1.1.1.1", "2.2.2.2")) == ATTACKER

    def test_with_proxy_add_and_no_header_from_the_client(self, behind_nginx):
        assert address_of(proxy_add_line(STAFF_AT_HOME)) == STAFF_AT_HOME

    def test_whatever_the_client_writes_to_the_left_never_counts(self, behind_nginx):
        assert address_of(proxy_add_line(ATTACKER, "not an address")) == ATTACKER
        assert address_of(proxy_add_line(ATTACKER, STAFF_AT_HOME)) == ATTACKER

    def test_ipv6_clients(self, behind_nginx):
        assert address_of(remote_addr_line("2001:db8::1")) == "2001:db8::1"
        assert address_of(proxy_add_line("2001:db8::1", "2001:db8::99")) == "2001:db8::1"

    def test_a_request_that_did_not_come_through_nginx_is_the_connection_itself(self, behind_nginx):
        assert address_of({"REMOTE_ADDR": PROXY}) == PROXY

    def test_two_proxies_in_a_row_count_two_entries_from_the_right(self, settings):
        settings.PERISAI_PROXY_COUNT = 2  # a load balancer (10.0.0.2) in front of nginx
        headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {STAFF_AT_HOME}, 10.0.0.2"}
        assert address_of(headers) == STAFF_AT_HOME

    def test_without_a_proxy_the_header_is_ignored(self, settings):
        settings.PERISAI_PROXY_COUNT = 0  # local use: runserver faces the browser
        assert address_of({"REMOTE_ADDR": STAFF_AT_HOME, "HTTP_X_FORWARDED_FOR": ATTACKER}) == STAFF_AT_HOME


@pytest.mark.django_db
class TestTheLockoutHoldsTheRealClient:
    @pytest.fixture
    def staff(self, behind_nginx):
        return UserFactory(username="staf", role=User.Role.STAFF, branch=BranchFactory())

    @staticmethod
    def sign_in(client, password, headers):
        return client.post(reverse("login"), {"username": "staf", "password": password}, **headers)

    def test_remote_addr_setup_five_failures_elsewhere_do_not_lock_the_owner_out(self, client, staff):
        for _ in range(5):
            self.sign_in(client, "wrong-password", remote_addr_line(ATTACKER))
        assert self.sign_in(client, "wrong-password", remote_addr_line(ATTACKER)).status_code == 429

        assert self.sign_in(client, DEFAULT_PASSWORD, remote_addr_line(STAFF_AT_HOME)).status_code == 302
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}

    def test_proxy_add_setup_inventing_addresses_does_not_escape_the_lockout(self, client, staff):
        statuses = [
            self.sign_in(client, "wrong-password", proxy_add_line(ATTACKER, f"10.0.0.{n}")).status_code
            for n in range(1, 9)
        ]
        assert statuses == [200] * 4 + [429] * 4
        assert self.sign_in(client, DEFAULT_PASSWORD, proxy_add_line(ATTACKER, "10.0.0.99")).status_code == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}

    def test_proxy_add_setup_the_owner_signs_in_from_home_all_the_same(self, client, staff):
        for n in range(1, 9):
            self.sign_in(client, "wrong-password", proxy_add_line(ATTACKER, STAFF_AT_HOME, f"10.0.0.{n}"))
        assert self.sign_in(client, DEFAULT_PASSWORD, proxy_add_line(STAFF_AT_HOME)).status_code == 302
