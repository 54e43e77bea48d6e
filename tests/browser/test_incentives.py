"""Incentives in Chromium: staff open the March 2022 sheet of the demo on a laptop and on a phone.

Screenshots go to ``$PERISAI_SHOTS`` (default /tmp/shots/incentives) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from django.db.models import Sum

from agents.models import Agent
from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Contribution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("PERISAI_SHOTS", "/tmp/shots/incentives"))


@pytest.fixture
def demo():
    seed_cilacap_demo()


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_staff_open_the_march_2022_sheet_and_see_the_total_row(demo, page, sign_in):
    sign_in(page, "staf", DEMO_PASSWORD)
    page.click("#menu-performance")
    page.click("nav a[href='/incentives/']")
    page.fill("input[name=month]", "2022-03")
    page.click("#month-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "month=2022-03" in page.url
    assert "Maret 2022" in page.text_content("h1")
    total_row = page.locator("#incentive-total")
    assert total_row.is_visible()
    paid = Contribution.objects.filter(paid_on__year=2022, paid_on__month=3).aggregate(amount=Sum("amount"))["amount"]
    assert f"Rp\xa0{paid:,.0f}".replace(",", ".") in total_row.text_content()
    assert page.locator("#incentive-sheet tbody tr").count() == 72
    shoot(page, "sheet-2022-03-1366")

    page.click("#incentive-sheet a:text('Muhamad Purnomo')")
    page.wait_for_load_state("networkidle")
    assert "Maret 2022" in page.text_content("h1")
    assert page.locator("#statement-lines tbody tr").count() == 382
    shoot(page, "statement-CLP-A021-2022-03-1366")


def test_the_sheet_fits_a_phone(demo, phone_page, sign_in):
    sign_in(phone_page, "staf", DEMO_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/incentives/?month=2022-03")

    assert phone_page.locator("#incentive-total").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(phone_page, "sheet-2022-03-360")

    agent = Agent.objects.get(code="CLP-A021")
    phone_page.goto(f"{phone_page.base_url}/incentives/agents/{agent.pk}/?month=2021-02")
    assert "Rp\xa0500.000" in phone_page.text_content("#statement-bonus")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(phone_page, "statement-CLP-A021-2021-02-360")


def test_the_agents_own_statement_on_a_phone(demo, phone_page, sign_in):
    sign_in(phone_page, "agen1", DEMO_PASSWORD)
    agent = Agent.objects.get(user__username="agen1")
    phone_page.goto(f"{phone_page.base_url}/incentives/agents/{agent.pk}/?month=2022-06")

    assert "Juni 2022" in phone_page.text_content("h1")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    response = phone_page.goto(f"{phone_page.base_url}/incentives/")
    assert response.status == 404


def test_the_june_2022_statement_shows_the_new_terms_on_a_phone(demo, phone_page, sign_in):
    sign_in(phone_page, "agen1", DEMO_PASSWORD)
    agent = Agent.objects.get(user__username="agen1")
    phone_page.goto(f"{phone_page.base_url}/incentives/agents/{agent.pk}/?month=2022-06")

    # 34 first enrolments in June: 2 with three programmes and 32 with two.
    assert "Rp\xa0350.000" in phone_page.text_content("#statement-acquisition-fee")
    assert phone_page.locator("#statement-acquisitions tbody tr").count() == 35
    assert "15,0%" in phone_page.text_content("#statement-lines tbody tr >> nth=0")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(phone_page, "statement-CLP-A021-2022-06-360")
