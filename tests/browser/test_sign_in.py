"""Signing in through the real login page in Chromium."""

import pytest

from agents.models import User
from tests.factories import BranchFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_signs_in_and_lands_on_the_branch_page(page, sign_in):
    UserFactory(
        username="staf", password="rahasia-kantor-1", role=User.Role.STAFF, branch=BranchFactory(name="Cilacap")
    )
    sign_in(page, "staf", "rahasia-kantor-1")
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert "Cilacap" in page.text_content("h1")


def test_wrong_password_keeps_the_user_on_the_login_page(page, sign_in):
    UserFactory(username="staf", password="rahasia-kantor-1", role=User.Role.STAFF, branch=BranchFactory())
    sign_in(page, "staf", "salah")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert, .invalid-feedback, .errorlist").count() >= 1
