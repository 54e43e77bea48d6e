"""The second factor: staff, heads and administrators give a code from an authenticator app after their
password (in production), set one up at their first sign-in, keep recovery codes for a lost phone, and
an administrator resets a lost factor with a record. Agents may opt in.

Codes are real TOTP codes computed from the device's secret (RFC 6238), as a phone would show them.
"""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agents.models import User
from tests.factories import DEFAULT_PASSWORD, AgentFactory, BranchFactory, PerisaiOfficeFactory, UserFactory
from web.account import factor

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CODE_ON_PAGE = re.compile(r"\b[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}\b")


@pytest.fixture
def production(settings):
    """The second factor as production has it (DEBUG off turns it on)."""
    settings.PERISAI_REQUIRE_TWO_FACTOR = True
    return settings


@pytest.fixture
def cilacap(db):
    return BranchFactory(code="CLP", name="Cilacap")


@pytest.fixture
def staff(cilacap):
    return UserFactory(username="staf", role=User.Role.STAFF, branch=cilacap, is_staff=True)


@pytest.fixture
def national_admin(db):
    return UserFactory(username="admin", role=User.Role.ADMIN, branch=None, is_staff=True)


@pytest.fixture
def field_agent(cilacap):
    user = UserFactory(username="agen1", role=User.Role.AGENT, branch=cilacap)
    AgentFactory(branch=cilacap, office=PerisaiOfficeFactory(branch=cilacap), user=user)
    return user


def english_client():
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def password_sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": DEFAULT_PASSWORD})


def code_of(device, steps_ahead=0):
    """The 6 digits the phone shows now (or ``steps_ahead`` 30-second steps later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def with_app(user):
    """``user`` with an authenticator app set up, and recovery codes (returned in plain text)."""
    device = TOTPDevice.objects.create(user=user, name=factor.APP_NAME, confirmed=True)
    return device, factor.recovery_codes_renew(user=user)


def verified_client(user, device):
    """A client signed in with ``user``'s password and a code from ``device``."""
    client = english_client()
    password_sign_in(client, user.username)
    response = client.post(reverse("account:verify"), {"code": code_of(device)})
    assert response.status_code == 302, response.content.decode()
    return client


# --- production requires it -------------------------------------------------------------------------


def test_staff_cannot_reach_any_page_with_a_password_alone(production, staff):
    client = english_client()
    response = password_sign_in(client, "staf")
    assert response.status_code == 302  # the password was right …
    home = client.get(reverse("home"))
    assert home.status_code == 302  # … but it opens nothing
    assert home.url == reverse("account:enrol") + "?next=%2F"
    assert client.get(reverse("agents:agent_list")).status_code == 302
    assert client.get(reverse("reports:index")).status_code == 302


def test_a_head_and_an_administrator_are_held_at_the_code_page_too(production, cilacap, national_admin):
    head = UserFactory(username="kepala", role=User.Role.HEAD, branch=cilacap)
    for user in (head, national_admin):
        with_app(user)
        client = english_client()
        password_sign_in(client, user.username)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account:verify"))


def test_the_django_admin_needs_the_second_factor(production, staff):
    device, _codes = with_app(staff)
    client = english_client()
    client.post(reverse("admin:login"), {"username": "staf", "password": DEFAULT_PASSWORD})  # the admin's own sign-in
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url == reverse("account:verify") + "?next=%2Fadmin%2F"
    assert client.get(reverse("admin:agents_agent_changelist")).status_code == 302

    client.post(reverse("account:verify"), {"code": code_of(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_owing_the_code_can_still_sign_out_and_switch_language(production, staff):
    client = english_client()
    password_sign_in(client, "staf")
    assert client.post(reverse("set_language"), {"language": "id", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_production_settings_turn_it_on_and_the_demo_settings_leave_it_optional():
    def setting_with(debug):
        environment = {
            **os.environ,
            "DEBUG": debug,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "perisai.example.go.id",
        }
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        environment.pop("PERISAI_REQUIRE_TWO_FACTOR", None)
        code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); "
        code += "from django.conf import settings; print(settings.PERISAI_REQUIRE_TWO_FACTOR)"
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert setting_with("false") == "True"
    assert setting_with("true") == "False"


def test_check_deploy_warns_when_production_runs_without_it(settings):
    from web.account.checks import second_factor_required_in_production

    settings.DEBUG = False
    settings.PERISAI_REQUIRE_TWO_FACTOR = False
    assert [warning.id for warning in second_factor_required_in_production(None)] == ["perisai.W001"]
    settings.PERISAI_REQUIRE_TWO_FACTOR = True
    assert second_factor_required_in_production(None) == []


# --- set-up on first sign-in -------------------------------------------------------------------------


def test_first_sign_in_sets_up_the_app_and_shows_recovery_codes_once(production, staff):
    client = english_client()
    password_sign_in(client, "staf")
    page = client.get(reverse("account:enrol"), {"next": "/agents/"})
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn on the server
    secret = base64.b32encode(device.bin_key).decode()
    assert re.search(r'id="enrol-secret">([A-Z2-7 ]+)<', html)[1].replace(" ", "") == secret
    assert "no-store" in page["Cache-Control"]

    wrong = client.post(reverse("account:enrol"), {"code": "000000", "next": "/agents/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    device.throttle_reset()  # the wrong code made the next one wait a second
    done = client.post(reverse("account:enrol"), {"code": code_of(device), "next": "/agents/"})
    assert done.status_code == 302 and done.url == reverse("account:recovery_codes") + "?next=%2Fagents%2F"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    shown = client.get(done.url)
    codes = CODE_ON_PAGE.findall(shown.content.decode())
    assert len(set(codes)) == 10
    assert 'href="/agents/"' in shown.content.decode()
    assert client.get(done.url).status_code == 302  # shown once: a reload shows them no more
    assert client.get(reverse("agents:agent_list")).status_code == 200


def test_the_set_up_page_shows_the_same_secret_until_it_is_confirmed(production, staff):
    client = english_client()
    password_sign_in(client, "staf")
    client.get(reverse("account:enrol"))
    client.get(reverse("account:enrol"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_someone_with_an_app_cannot_set_up_another_with_a_password_alone(production, staff):
    """Else a stolen password would replace the owner's app with the thief's."""
    device, _codes = with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    response = client.get(reverse("account:enrol"))
    assert response.status_code == 302 and response.url.startswith(reverse("account:verify"))
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


def test_moving_to_a_new_phone_replaces_the_app(production, staff):
    old, _codes = with_app(staff)
    client = verified_client(staff, old)
    client.get(reverse("account:enrol"))
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(reverse("account:enrol"), {"code": code_of(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=staff)) == [TOTPDevice.objects.get(pk=new.pk)]
    assert client.get(reverse("home")).status_code == 200


# --- the code after the password ---------------------------------------------------------------------


def test_a_code_from_the_app_opens_the_page_asked_for(production, staff):
    device, _codes = with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    held = client.get(reverse("agents:agent_list"))
    assert held.url == reverse("account:verify") + "?next=%2Fagents%2F"
    assert "no-store" in client.get(held.url)["Cache-Control"]

    key_before = client.session.session_key
    response = client.post(reverse("account:verify"), {"code": code_of(device), "next": "/agents/"})
    assert response.status_code == 302 and response.url == "/agents/"
    assert client.session.session_key != key_before  # a new session key once the factor is given
    assert client.get(reverse("agents:agent_list")).status_code == 200


def test_a_wrong_code_opens_nothing(production, staff):
    with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    response = client.post(reverse("account:verify"), {"code": "123456"})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_code_is_accepted_once(production, staff):
    device, _codes = with_app(staff)
    code = code_of(device)
    verified_client_code = english_client()
    password_sign_in(verified_client_code, "staf")
    assert verified_client_code.post(reverse("account:verify"), {"code": code}).status_code == 302

    eavesdropper = english_client()
    password_sign_in(eavesdropper, "staf")
    assert eavesdropper.post(reverse("account:verify"), {"code": code}).status_code == 200
    assert eavesdropper.get(reverse("home")).status_code == 302


def test_wrong_codes_make_the_next_one_wait(production, staff):
    device, _codes = with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    client.post(reverse("account:verify"), {"code": "000000"})
    client.post(reverse("account:verify"), {"code": "000001"})  # too soon: refused without counting
    response = client.post(reverse("account:verify"), {"code": code_of(device)})  # right, but still too soon
    assert response.status_code == 200
    assert "Too many wrong codes. Try again in" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1


def test_next_never_leads_off_the_site(production, staff):
    device, _codes = with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    response = client.post(reverse("account:verify"), {"code": code_of(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


# --- recovery codes ----------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(production, staff):
    _device, codes = with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    response = client.post(reverse("account:verify"), {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert response.status_code == 200
    assert "9 are left" in response.content.decode()
    assert client.get(reverse("home")).status_code == 200

    again = english_client()
    password_sign_in(again, "staf")
    assert again.post(reverse("account:verify"), {"code": codes[0]}).status_code == 200
    assert again.get(reverse("home")).status_code == 302


def test_recovery_codes_are_stored_hashed(staff):
    _device, codes = with_app(staff)
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {factor.normalise_code(code) for code in codes}
    assert not stored & set(codes)


def test_new_recovery_codes_replace_the_old_and_keep_the_session(production, staff):
    _device, old_codes = with_app(staff)
    client = english_client()
    password_sign_in(client, "staf")
    client.post(reverse("account:verify"), {"code": old_codes[0]})  # signed in with a recovery code

    response = client.post(reverse("account:recovery_codes"))
    assert response.status_code == 302
    new_codes = CODE_ON_PAGE.findall(client.get(response.url).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert client.get(reverse("home")).status_code == 200  # the session stays verified

    other = english_client()
    password_sign_in(other, "staf")
    assert other.post(reverse("account:verify"), {"code": old_codes[1]}).status_code == 200  # old: refused
    StaticDevice.objects.filter(user=staff).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert other.post(reverse("account:verify"), {"code": new_codes[0]}).status_code == 302


# --- agents ------------------------------------------------------------------------------------------


def test_agents_sign_in_with_their_password_alone(production, field_agent):
    client = english_client()
    password_sign_in(client, "agen1")
    assert client.get(reverse("enrollment:my_participants")).status_code == 200


def test_an_agent_who_opted_in_is_asked_for_the_code_and_may_turn_it_off(production, field_agent):
    client = english_client()
    password_sign_in(client, "agen1")
    assert client.get(reverse("account:security")).status_code == 200
    client.get(reverse("account:enrol"))
    device = TOTPDevice.objects.get(user=field_agent)
    assert client.post(reverse("account:enrol"), {"code": code_of(device)}).status_code == 302

    later = english_client()
    password_sign_in(later, "agen1")
    held = later.get(reverse("enrollment:my_participants"))
    assert held.status_code == 302 and held.url.startswith(reverse("account:verify"))
    later.post(reverse("account:verify"), {"code": code_of(device, steps_ahead=1)})
    assert later.get(reverse("enrollment:my_participants")).status_code == 200

    assert later.post(reverse("account:turn_off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=field_agent).exists()
    assert not StaticDevice.objects.filter(user=field_agent).exists()
    after = english_client()
    password_sign_in(after, "agen1")
    assert after.get(reverse("enrollment:my_participants")).status_code == 200


def test_staff_cannot_turn_it_off(production, staff):
    device, _codes = with_app(staff)
    client = verified_client(staff, device)
    assert client.post(reverse("account:turn_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_with_the_demo_settings_staff_sign_in_with_the_password_unless_they_set_up_a_factor(settings, staff):
    settings.PERISAI_REQUIRE_TWO_FACTOR = False
    client = english_client()
    password_sign_in(client, "staf")
    assert client.get(reverse("home")).status_code == 200
    device, _codes = with_app(staff)
    later = english_client()
    password_sign_in(later, "staf")
    assert later.get(reverse("home")).status_code == 302
    later.post(reverse("account:verify"), {"code": code_of(device)})
    assert later.get(reverse("home")).status_code == 200


def test_an_ordinary_request_pays_no_query_for_the_second_factor(settings, staff):
    settings.PERISAI_REQUIRE_TWO_FACTOR = False
    client = english_client()
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [query["sql"] for query in queries.captured_queries if "otp_" in query["sql"]]


# --- an administrator's reset ------------------------------------------------------------------------


def test_an_administrator_resets_a_lost_factor_with_a_record(production, staff, national_admin):
    lost, _codes = with_app(staff)
    admin_device, _admin_codes = with_app(national_admin)
    client = verified_client(national_admin, admin_device)
    listing = client.get(reverse("account:user_list"), {"q": "staf"})
    assert reverse("account:reset", args=[staff.pk]) in listing.content.decode()

    response = client.post(reverse("account:reset", args=[staff.pk]), {"reason": "Phone stolen, confirmed by phone"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    record = LogEntry.objects.get(object_id=str(staff.pk))
    assert record.user == national_admin  # who, whom (object_id), when (action_time), why:
    assert record.change_message == "Second factor reset: Phone stolen, confirmed by phone"
    page = client.get(reverse("account:reset", args=[staff.pk])).content.decode()
    assert "Phone stolen, confirmed by phone" in page and "admin" in page

    staff_client = english_client()
    password_sign_in(staff_client, "staf")
    response = staff_client.get(reverse("home"))
    assert response.url.startswith(reverse("account:enrol"))  # they set up a new app


def test_a_reset_without_a_reason_changes_nothing(production, staff, national_admin):
    with_app(staff)
    admin_device, _codes = with_app(national_admin)
    client = verified_client(national_admin, admin_device)
    response = client.post(reverse("account:reset", args=[staff.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=staff).exists()
    assert not LogEntry.objects.exists()


def test_an_administrator_cannot_reset_their_own_factor_from_a_page(production, national_admin):
    admin_device, _codes = with_app(national_admin)
    client = verified_client(national_admin, admin_device)
    response = client.post(reverse("account:reset", args=[national_admin.pk]), {"reason": "mine"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=national_admin).exists()


def test_only_national_administrators_reset(production, cilacap, staff):
    colleague = UserFactory(role=User.Role.STAFF, branch=cilacap)
    with_app(colleague)
    branch_admin = UserFactory(role=User.Role.ADMIN, branch=cilacap)
    head = UserFactory(role=User.Role.HEAD, branch=cilacap)
    for user in (staff, head, branch_admin):
        device, _codes = with_app(user)
        client = verified_client(user, device)
        reset = reverse("account:reset", args=[colleague.pk])
        assert client.get(reset).status_code == 404
        assert client.post(reset, {"reason": "x"}).status_code == 404
        assert client.get(reverse("account:user_list")).status_code == 404
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert not LogEntry.objects.exists()


def test_the_server_operator_resets_the_last_administrators_factor(national_admin):
    with_app(national_admin)
    call_command("reset_second_factor", "admin", "--by", "admin", "--reason", "Only admin lost phone")
    assert not TOTPDevice.objects.filter(user=national_admin).exists()
    record = LogEntry.objects.get()
    assert record.change_message == "Second factor reset: Only admin lost phone (at the server)"
    with pytest.raises(CommandError, match="no second factor"):
        call_command("reset_second_factor", "admin", "--by", "admin", "--reason", "again")


def test_the_accounts_list_takes_a_fixed_number_of_queries(production, national_admin, django_assert_max_num_queries):
    admin_device, _codes = with_app(national_admin)
    client = verified_client(national_admin, admin_device)
    for _ in range(3):
        with_app(UserFactory())
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("account:user_list")).status_code == 200
    for _ in range(12):
        with_app(UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("account:user_list")).status_code == 200


def test_the_admin_offers_no_page_that_edits_a_factor_without_a_record():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
