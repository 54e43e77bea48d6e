"""Branch staff import the demo's sample payments file (last month's) in Chromium: upload, read the preview,
record.

Screenshots go to ``$PERISAI_SHOTS`` (default /tmp/shots/payments), for people to look at.
"""

import os
from pathlib import Path

import pytest

from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from demo.payments_sample import csv_bytes, sample_name, sample_rows
from enrollment.models import Contribution, PaymentImport, PaymentLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("PERISAI_SHOTS", "/tmp/shots/payments"))


def _shot(page, name, *, full_page=True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _figure(page, selector):
    return int(page.text_content(selector).strip().replace(".", "").replace(",", ""))


def test_staff_import_the_months_payments_file_and_record_the_matched_rows(page, phone_page, sign_in, tmp_path):
    seed_cilacap_demo()
    sample = tmp_path / sample_name()
    sample.write_bytes(csv_bytes(sample_rows()))
    sign_in(page, "staf", DEMO_PASSWORD)

    page.goto(f"{page.base_url}/payments/upload/")
    _shot(page, "upload")
    page.set_input_files("input[name=file]", str(sample))
    page.click("#payment-upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    payment_import = PaymentImport.objects.get()
    assert page.url.endswith(f"/payments/{payment_import.pk}/")
    assert _figure(page, "#rows-read") == payment_import.total
    assert _figure(page, "#rows-to-write") == payment_import.to_write > 0
    assert _figure(page, "#rows-follow-up") == payment_import.to_follow_up > 0
    assert not Contribution.objects.filter(payment_import=payment_import).exists()
    _shot(page, "preview")

    page.click("#outcome-filter a[href='?outcome=follow_up']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#payment-lines tbody tr").count() == min(50, payment_import.to_follow_up)
    _shot(page, "follow-up")

    page.click("#confirm-payments")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").count() >= 1
    recorded = Contribution.objects.filter(payment_import=payment_import)
    assert recorded.count() == payment_import.to_write + payment_import.count(PaymentLine.Outcome.CONFIRMS)
    _shot(page, "recorded")

    sign_in(phone_page, "staf", DEMO_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/payments/{payment_import.pk}/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.locator("#payment-lines").scroll_into_view_if_needed()
    _shot(phone_page, "recorded-phone", full_page=False)
