"""Branch staff find a participant by NIK and import a small spreadsheet, in Chromium, on the demo data.

Screenshots of the pages go to ``$PERISAI_SHOTS`` (default /tmp/shots/participants) at desktop and
phone width, for people to look at.
"""

import datetime
import os
from pathlib import Path

import openpyxl
import pytest

from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Acquisition, Participant
from perisai.nik import MALE, build_nik
from perisai.privacy import mask_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("PERISAI_SHOTS", "/tmp/shots/participants"))


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _a_participant():
    acquisition = (
        Acquisition.objects.filter(status=Acquisition.Status.ACTIVE, contributions__isnull=False)
        .select_related("participant")
        .order_by("pk")
        .first()
    )
    return acquisition.participant


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_staff_search_a_participant_by_nik_and_open_their_page(request, width, sign_in):
    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    seed_cilacap_demo()
    participant = _a_participant()
    sign_in(page, "staf", DEMO_PASSWORD)

    page.goto(f"{page.base_url}/enrollment/participants/")
    _shot(page, f"list-{width}")
    page.fill("input[name=q]", participant.nik)
    page.locator("input[name=q]").press("Enter")
    page.wait_for_load_state("networkidle")
    links = page.locator("a.participant-link")
    assert links.count() == 1
    assert links.first.text_content().strip() == participant.full_name
    _shot(page, f"search-{width}")

    links.first.click()
    page.wait_for_load_state("networkidle")
    assert participant.full_name in page.text_content("h1")
    assert page.text_content("#participant-nik .nik-masked").strip() == mask_nik(participant.nik)  # perisai.privacy
    page.click("#participant-nik .nik-reveal-button")
    assert page.text_content("#participant-nik .nik-full").strip() == participant.nik  # swapped in, logged
    assert page.locator(".contribution-calendar .month-paid").count() >= 1
    _shot(page, f"detail-{width}")


def _small_workbook(path, agent_code):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama lengkap", "Tanggal lahir", "Jenis kelamin", "Kecamatan", "Pekerjaan",
                  "Penghasilan", "Tanggal akuisisi", "Kode agen"])  # fmt: skip
    for serial in range(1, 4):
        birth_date = datetime.date(1988, 4, serial)
        sheet.append([build_nik("330106", birth_date, MALE, 9000 + serial), f"Pekerja Kroya {serial}", birth_date,
                      "L", "Kroya", "Petani", 1000000, datetime.date(2022, 6, 20), agent_code])  # fmt: skip
    sheet.append(["3301061234", "NIK Salah", datetime.date(1990, 1, 1), "L", "Kroya", "Petani", 1000000,
                  datetime.date(2022, 6, 20), agent_code])  # fmt: skip
    workbook.save(path)
    return path


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_staff_upload_a_small_workbook_and_see_the_preview(request, width, sign_in, tmp_path):
    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    seed_cilacap_demo()
    agent = (  # working in June 2022, the rows' month, and still today
        Acquisition.objects.filter(acquired_on__gte=datetime.date(2022, 6, 1), agent__left_on=None)
        .filter(agent__joined_on__lte=datetime.date(2022, 6, 1))
        .first()
        .agent
    )
    sign_in(page, "staf", DEMO_PASSWORD)

    page.goto(f"{page.base_url}/enrollment/import/")
    _shot(page, f"upload-{width}")
    page.set_input_files("input[name=file]", str(_small_workbook(tmp_path / "peserta.xlsx", agent.code)))
    page.click("#import-upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "/enrollment/import/" in page.url
    assert page.text_content("#rows-read").strip() == "4"
    assert page.text_content("#rows-good").strip() == "3"
    assert page.text_content("#rows-bad").strip() == "1"
    errors = page.locator(".findings-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").first.text_content().strip() == "5"
    assert "16" in errors.first.text_content()
    assert page.locator("#confirm-import").count() == 0
    _shot(page, f"preview-{width}")
    assert not Participant.objects.filter(full_name__startswith="Pekerja Kroya").exists()
