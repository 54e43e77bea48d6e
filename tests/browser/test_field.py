"""An agent on a 360 px phone enrols a worker and records their first payment, in the real browser.

The demo agent ``agen1`` signs in, opens "Enrol a worker", sees the contribution before saving (and
watch it follow the income through htmx), saves, and records the month's payment. No page scrolls
sideways. The time the flow takes is logged, not asserted (the bar is "under a minute" by a person).
Screenshots at 360 and 1366 px go to ``$PERISAI_SCREENSHOTS`` when set, else to the test's tmp dir.
"""

import datetime
import logging
import os
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Contribution, Participant
from perisai.nik import MALE, build_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

logger = logging.getLogger(__name__)

BIRTH_DATE = datetime.date(1988, 8, 21)
NIK = build_nik("330121", BIRTH_DATE, MALE, 9931)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("PERISAI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def assert_no_sideways_scroll(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width} px wide in a {viewport} px viewport"


def test_an_agent_enrols_a_worker_and_records_a_payment_on_a_phone(phone_page, page, sign_in, shots):
    seed_cilacap_demo()
    assert not Participant.objects.filter(nik=NIK).exists()
    phone = phone_page

    sign_in(phone, "agen1", DEMO_PASSWORD)
    assert phone.url == phone.base_url + reverse("enrollment:agent_home")  # an agent lands on their own page
    assert_no_sideways_scroll(phone)
    phone.screenshot(path=shots / "agent-home-360.png", full_page=True)

    started = time.monotonic()
    phone.click(f".field-page a[href='{reverse('enrollment:enrol')}']")
    phone.fill("#id_nik", NIK)
    phone.fill("#id_full_name", "Tarsono Wibowo")
    phone.fill("#id_birth_date", BIRTH_DATE.isoformat())
    phone.check("input[name=gender][value=M]")
    phone.fill("#id_phone", "0812-2671-9931")
    phone.fill("#id_kecamatan", "Cilacap Selatan")
    phone.fill("#id_desa", "Sidakaya")
    phone.select_option("#id_occupation", "fisher")
    assert phone.text_content("#quote-total") == "Rp\u00a016.800"

    phone.fill("#id_declared_income", "2.000.000")
    expect(phone.locator("#quote-total")).to_contain_text("26.800")
    phone.fill("#id_declared_income", "1.000.000")
    expect(phone.locator("#quote-total")).to_contain_text("16.800")
    assert phone.is_hidden("button[name=check]")  # htmx does the checking
    assert_no_sideways_scroll(phone)
    phone.screenshot(path=shots / "enrol-360.png", full_page=True)

    phone.click("button[name=save]")
    phone.wait_for_url(re.compile(r"/field/participants/\d+/$"))
    assert "Tarsono Wibowo" in phone.text_content(".alert-success")
    assert "Rp\u00a016.800" in phone.text_content(".alert-success")
    assert_no_sideways_scroll(phone)

    phone.click("a[href*='/contribution/']")
    phone.fill("#id_receipt_number", "KW-2026-000001")
    assert_no_sideways_scroll(phone)
    phone.screenshot(path=shots / "record-payment-360.png", full_page=True)
    phone.click("button[name=save]")
    phone.wait_for_url(re.compile(r"/field/participants/\d+/$"))
    elapsed = time.monotonic() - started
    logger.info("agen1 enrolled a worker and recorded a payment in %.1f s on a 360 px page", elapsed)

    assert "Rp\u00a016.800" in phone.text_content(".alert-success")
    assert "KW-2026-000001" in phone.text_content("table.contributions")
    assert_no_sideways_scroll(phone)
    phone.screenshot(path=shots / "participant-360.png", full_page=True)
    contribution = Contribution.objects.get(acquisition__participant__nik=NIK)
    assert (contribution.collected_by.code, contribution.amount) == ("CLP-A021", 16800)

    for name in ("my_participants", "my_performance"):
        phone.goto(phone.base_url + reverse(f"enrollment:{name}"))
        assert_no_sideways_scroll(phone)
        phone.screenshot(path=shots / f"{name.replace('_', '-')}-360.png", full_page=True)

    sign_in(page, "agen1", DEMO_PASSWORD)
    for name, url in [
        ("agent-home", reverse("enrollment:agent_home")),
        ("enrol", reverse("enrollment:enrol")),
        ("participant", reverse("enrollment:my_participant_detail", args=[contribution.acquisition.participant_id])),
        ("my-participants", reverse("enrollment:my_participants")),
        ("my-performance", reverse("enrollment:my_performance")),
    ]:
        page.goto(page.base_url + url)
        assert_no_sideways_scroll(page)
        page.screenshot(path=shots / f"{name}-1366.png", full_page=True)


def test_the_contribution_follows_the_income_alone_and_says_when_it_is_out_of_date(phone_page, sign_in):
    """The quote updates while the worker's other fields are still empty (htmx would hold back a request
    from the form while a required field is empty), and without a signal it says the amount is old."""
    seed_cilacap_demo()
    phone = phone_page
    sign_in(phone, "agen1", DEMO_PASSWORD)
    phone.goto(phone.base_url + reverse("enrollment:enrol"))
    assert phone.input_value("#id_nik") == ""

    phone.fill("#id_declared_income", "2.000.000")
    expect(phone.locator("#quote-total")).to_contain_text("26.800")
    phone.check("#id_with_jht")
    expect(phone.locator("#quote-total")).to_contain_text("66.800")
    assert phone.locator("#quote-stale").count() == 0

    phone.context.set_offline(True)
    try:
        phone.fill("#id_declared_income", "3.000.000")
        expect(phone.locator("#quote-stale")).to_be_visible()
        assert "66.800" in phone.text_content("#quote-total")  # still the old amount, now said to be out of date
    finally:
        phone.context.set_offline(False)
    phone.fill("#id_declared_income", "1.000.000")
    expect(phone.locator("#quote-total")).to_contain_text("36.800")
    assert phone.locator("#quote-stale").count() == 0
