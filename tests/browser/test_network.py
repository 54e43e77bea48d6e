"""The demo staff member manages the agent network in Chromium: adds an agent, renews a PKS, uses a phone."""

import datetime

import pytest

from agents.models import Agent, CooperationAgreement
from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from perisai.nik import Gender, build_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH_DATE = datetime.date(1991, 8, 17)


@pytest.fixture
def demo(db):
    seed_cilacap_demo()


def unused_nik():
    taken = set(Agent.objects.values_list("nik", flat=True))
    return next(
        nik
        for serial in range(9999, 0, -1)
        if (nik := build_nik("330106", BIRTH_DATE, Gender.FEMALE, serial)) not in taken
    )


def test_staff_add_an_agent_and_find_it_in_the_list(demo, page, sign_in):
    sign_in(page, "staf", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/agents/")
    page.click("a[href='/agents/new/']")

    page.fill("input[name=full_name]", "Ratna Kusumawati")
    page.fill("input[name=code]", "CLP-A901")
    page.fill("input[name=nik]", unused_nik())
    page.select_option("select[name=gender]", Gender.FEMALE)
    page.fill("input[name=birth_date]", BIRTH_DATE.isoformat())
    page.fill("input[name=phone]", "0857-1234-5678")
    page.select_option("select[name=office]", label="Kantor Perisai Kroya")
    page.fill("input[name=kecamatan]", "Kroya")
    page.fill("input[name=joined_on]", "2022-07-04")
    page.check("input[name=declared_not_bpjs_employee]")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "Ratna Kusumawati" in page.text_content("h1")
    page.goto(f"{page.base_url}/agents/")
    page.fill("input[name=q]", "ratna kusuma")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "Ratna Kusumawati" in rows.first.text_content()
    assert "CLP-A901" in rows.first.text_content()


def test_staff_renew_a_pks_and_see_the_new_agreement_with_its_dates(demo, page, sign_in):
    previous = CooperationAgreement.objects.get(number="PKS/CLP-02/2026/007")  # the year 2026
    sign_in(page, "staf", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/agents/pks/")
    page.click(f"a[href='/agents/pks/{previous.pk}/']")
    page.click(f"a[href='/agents/pks/{previous.pk}/renew/']")

    # A year again: the programme terms since April 2022 allow a PKS of one year at most.
    assert page.input_value("input[name=number]") == "PKS/CLP-02/2027/008"
    assert page.input_value("input[name=starts_on]") == "2027-01-01"
    assert page.input_value("input[name=ends_on]") == "2027-12-31"
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    renewal = CooperationAgreement.objects.get(renews=previous)
    assert page.url.rstrip("/").endswith(f"/agents/pks/{renewal.pk}")
    assert "PKS/CLP-02/2027/008" in page.text_content("h1")
    assert page.text_content("#agreement-starts").strip() == "1 Januari 2027"
    assert page.text_content("#agreement-ends").strip() == "31 Desember 2027"
    assert "PKS/CLP-02/2026/007" in page.text_content(".renewal-chain")


def test_the_agent_list_fits_a_360_px_phone(demo, phone_page, sign_in):
    sign_in(phone_page, "staf", DEMO_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/agents/")

    assert phone_page.locator("table tbody tr").count() == 25
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
