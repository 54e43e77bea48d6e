"""Personal data in Chromium: "Show NIK" swaps the full NIK in (htmx) under the Content-Security-Policy
and is logged; the branch head reads the log; an agent shows a participant's NIK on a phone.

Screenshots go to ``$PERISAI_SHOTS`` (default /tmp/shots/privacy) at desktop and phone width.
"""

import os
from pathlib import Path

import pytest

from agents.models import User
from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Acquisition, NikDisclosure
from perisai.privacy import mask_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("PERISAI_SHOTS", "/tmp/shots/privacy"))


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _watch_refusals(page):
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def _reveal(page, container):
    assert page.text_content(f"{container} .nik-masked").strip().count("•") == 8
    page.click(f"{container} .nik-reveal-button")
    return page.text_content(f"{container} .nik-full").strip()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_staff_show_a_participants_nik_and_the_head_reads_who_did(request, width, sign_in, browser, live_server):
    page = request.getfixturevalue("page" if width == "desktop" else "phone_page")
    seed_cilacap_demo()
    participant = Acquisition.objects.select_related("participant").order_by("pk").first().participant
    sign_in(page, "staf", DEMO_PASSWORD)
    refused = _watch_refusals(page)

    page.goto(f"{page.base_url}/enrollment/participants/{participant.pk}/")
    _shot(page, f"participant-masked-{width}")
    assert _reveal(page, "#participant-nik") == participant.nik
    _shot(page, f"participant-revealed-{width}")
    disclosure = NikDisclosure.objects.get()
    assert (disclosure.viewer.username, disclosure.participant) == ("staf", participant)
    assert refused == []

    head = browser.new_context(viewport=page.viewport_size, locale="id-ID").new_page()
    head.base_url = live_server.url
    sign_in(head, "kepala", DEMO_PASSWORD)
    head.goto(f"{head.base_url}/enrollment/nik-log/")
    assert participant.full_name in head.text_content("#disclosures")
    assert mask_nik(participant.nik) in head.text_content("#disclosures")
    assert head.locator("#recent-viewers li").count() == 1
    if width == "phone":
        assert head.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(head, f"log-{width}")
    head.context.close()


def test_an_agent_shows_their_participants_nik_on_a_phone(phone_page, sign_in):
    seed_cilacap_demo()
    agent = User.objects.get(username="agen1").agent
    acquisition = Acquisition.objects.filter(caretaker=agent).select_related("participant").order_by("pk").first()
    sign_in(phone_page, "agen1", DEMO_PASSWORD)
    refused = _watch_refusals(phone_page)

    phone_page.goto(f"{phone_page.base_url}/enrollment/field/participants/{acquisition.participant_id}/")
    _shot(phone_page, "field-masked-phone")
    assert _reveal(phone_page, "#participant-nik") == acquisition.participant.nik
    _shot(phone_page, "field-revealed-phone")
    assert NikDisclosure.objects.get().reason == NikDisclosure.Reason.FIELD_PAGE
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert refused == []


def test_without_javascript_show_nik_opens_a_page_with_the_nik(browser, live_server, sign_in):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    seed_cilacap_demo()
    agent = User.objects.get(username="agen1").agent
    participant = Acquisition.objects.filter(caretaker=agent).order_by("pk").first().participant
    sign_in(page, "staf", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/agents/{agent.pk}/")
    page.click("#agent-nik .nik-reveal-button")
    page.wait_for_load_state("networkidle")
    assert page.text_content(".nik-full").strip() == agent.nik
    _shot(page, "agent-revealed-no-javascript")
    assert NikDisclosure.objects.get().agent == agent
    assert participant.nik not in page.content()
    context.close()
