"""Every main page works under the strict Content-Security-Policy: no script or style is refused."""

import pytest
from django.urls import NoReverseMatch, reverse

from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = [
    "home",
    "agents:agent_list",
    "agents:office_list",
    "agents:agreement_list",
    "enrollment:participant_list",
    "enrollment:import_upload",
    "reports:index",
    "incentives:index",
]
AGENT_PAGES = ["enrollment:agent_home", "enrollment:enrol", "enrollment:my_participants", "enrollment:my_performance"]


def urls(names):
    found = []
    for name in names:
        try:
            found.append(reverse(name))
        except NoReverseMatch:
            continue
    return found


def watch_refusals(page):
    """A list that fills with every Content-Security-Policy refusal the page reports from now on."""
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def visit(page, paths):
    for path in paths:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")


def test_staff_pages_run_under_the_policy(page, sign_in):
    seed_cilacap_demo()
    sign_in(page, "staf", DEMO_PASSWORD)
    participant = Participant.objects.order_by("pk").first()
    refused = watch_refusals(page)
    visit(page, [*urls(STAFF_PAGES), reverse("enrollment:participant_detail", args=[participant.pk])])
    assert refused == []


def test_agent_pages_run_under_the_policy(phone_page, sign_in):
    seed_cilacap_demo()
    sign_in(phone_page, "agen1", DEMO_PASSWORD)
    paths = urls(AGENT_PAGES)
    assert len(paths) == len(AGENT_PAGES)
    refused = watch_refusals(phone_page)
    visit(phone_page, paths)
    phone_page.goto(phone_page.base_url + reverse("enrollment:enrol"))
    phone_page.fill("input[name=declared_income]", "2000000")
    phone_page.wait_for_load_state("networkidle")
    assert refused == []
