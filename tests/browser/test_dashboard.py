"""The dashboard in Chromium: the demo's figures in Indonesian, then in English, on a laptop and a phone;
the demo, seeded today, lands on this year."""

import pytest
from django.utils import timezone

from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Acquisition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    seed_cilacap_demo()


def test_staff_land_on_this_year(demo, page, sign_in):
    this_year = timezone.localdate().year
    sign_in(page, "staf", DEMO_PASSWORD)

    assert page.text_content("#dashboard-period").strip().endswith(str(this_year))
    figure = int(page.text_content("#figure-year-to-date").strip().replace(".", ""))
    assert figure == Acquisition.objects.filter(acquired_on__year=this_year).count()


def test_staff_see_the_evaluation_figures_and_switch_to_english(demo, page, sign_in):
    sign_in(page, "staf", DEMO_PASSWORD)
    page.fill("#id_through", "2022-06")
    page.click("#selection-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert page.text_content("#dashboard-period").strip().endswith("Januari–Juni 2022")
    assert page.input_value("#id_through") == "2022-06"
    assert page.text_content("#figure-year-to-date").strip() == "2.336"
    assert page.text_content("#figure-previous-year").strip() == "5.628"
    assert page.text_content("#figure-pace-needed").strip() == "549"
    assert page.locator("svg.month-chart:visible rect.chart-bar-this").count() == 6

    page.click("#language-form button[value=en]")
    page.wait_for_load_state("networkidle")

    assert page.text_content("#dashboard-period").strip().endswith("January–June 2022")
    assert page.text_content("#figure-year-to-date").strip() == "2,336"
    assert page.text_content("#figure-previous-year").strip() == "5,628"


def test_choosing_an_office_and_an_earlier_month(demo, page, sign_in):
    sign_in(page, "staf", DEMO_PASSWORD)
    page.fill("#id_through", "2021-12")
    page.select_option("#id_office", "CLP-04")
    page.click("#selection-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "office=CLP-04" in page.url and "through=2021-12" in page.url
    assert page.text_content("h1").strip() == "Kantor Perisai Sidareja"
    assert page.text_content("#figure-pace-needed").strip() == "—"


def test_the_dashboard_fits_a_phone(demo, phone_page, sign_in):
    sign_in(phone_page, "staf", DEMO_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/?through=2022-06")
    assert phone_page.text_content("#figure-year-to-date").strip() == "2.336"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone_page.locator("svg.month-chart-compact").is_visible()
    assert not phone_page.locator("svg.month-chart:not(.month-chart-compact)").is_visible()
