"""Setting up the second factor at the first sign-in, in Chromium: the QR code shows under the strict
Content-Security-Policy, the secret typed into an "app" gives the code, and the recovery codes follow."""

import base64

import pytest
from django_otp.oath import totp

from agents.models import User
from tests.factories import BranchFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_set_up_the_app_at_their_first_sign_in(page, sign_in, settings):
    settings.PERISAI_REQUIRE_TWO_FACTOR = True
    UserFactory(
        username="staf", password="rahasia-kantor-1", role=User.Role.STAFF, branch=BranchFactory(name="Cilacap")
    )
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    sign_in(page, "staf", "rahasia-kantor-1")
    assert "/accounts/security/set-up/" in page.url
    assert page.eval_on_selector("#enrol-qr", "image => image.complete && image.naturalWidth > 0")

    secret = page.text_content("#enrol-secret").replace(" ", "")
    page.fill("input[name=code]", f"{totp(base64.b32decode(secret)):06d}")  # what the phone would show
    page.click("#enrol-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#recovery-codes li").count() == 10

    page.click("a.btn-primary")  # kept them; on to the page they were going to
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert "Cilacap" in page.text_content("h1")
    assert refused == []
