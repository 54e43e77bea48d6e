"""axe-core in Chromium on the signed-in pages: WCAG 2.x A and AA and axe's best practices, no violation.

Among what this holds: the navigation's text reads at least 4.5:1 on the Perisai green (``color-contrast``),
a table wider than the screen can be scrolled from the keyboard (``scrollable-region-focusable``), two
landmarks of a kind have different names (``landmark-unique``) and every piece of content sits in one
(``region``). Staff on a laptop, then an agent on a 360 px phone, the menu opened.

axe-core is vendored in ``vendor/axe.min.js`` (MPL-2.0, its notice at the top of the file) and run with
``page.evaluate``, which the pages' Content-Security-Policy does not apply to.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from agents.models import Agent
from demo.cilacap import DEMO_PASSWORD, seed_cilacap_demo
from enrollment.models import Participant
from recruitment.models import TrainingSession
from tests.factories import DEFAULT_PASSWORD, BranchFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(result => result.violations.map(
  v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", ")}`))"""


def violations(page):
    """What axe finds wrong on the page as it is now, one line per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN, TAGS)


def visit(page, url):
    page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    return violations(page)


def test_staff_and_agent_pages_have_no_accessibility_violations(page, phone_page, sign_in):
    seed_cilacap_demo()
    agent = Agent.objects.filter(user__username="agen1").get()
    participant = Participant.objects.filter(acquisitions__agent=agent).first()
    staff_pages = [
        reverse("home"),
        reverse("agents:agent_list"),
        reverse("agents:agent_detail", args=[agent.pk]),
        reverse("enrollment:participant_list"),
        reverse("enrollment:participant_detail", args=[participant.pk]),
        reverse("reports:report", args=["offices"]),
        reverse("reports:report", args=["recruitment"]),
        reverse("recruitment:session_detail", args=[TrainingSession.objects.first().pk]),
        reverse("incentives:index"),
    ]
    sign_in(page, "staf", DEMO_PASSWORD)
    found = {url: visit(page, url) for url in staff_pages}

    sign_in(phone_page, "agen1", DEMO_PASSWORD)
    for name in ["enrollment:follow_up", "enrollment:my_participants", "enrollment:my_performance"]:
        found[reverse(name)] = visit(phone_page, reverse(name))
    home = reverse("enrollment:agent_home")
    phone_page.goto(phone_page.base_url + home)
    phone_page.click(".navbar-toggler")  # the links are only drawn, and so only checked, with the menu open
    phone_page.wait_for_selector("#main-nav.show .nav-link", state="visible")
    found[f"{home} (menu open)"] = violations(phone_page)

    problems = [f"{url}: {line}" for url, lines in found.items() for line in lines]
    assert not problems, "\n".join(problems)


def test_the_navigation_reads_at_least_4_5_to_1_on_the_bar(page, sign_in):
    """The ratio computed here from the colours Chromium draws, independently of axe (WCAG 2's formula)."""
    UserFactory(username="staf", branch=BranchFactory())
    sign_in(page, "staf", DEFAULT_PASSWORD)
    texts = page.eval_on_selector_all(
        ".navbar .nav-link, .navbar .navbar-brand, #language-form button, #account-menu",
        "elements => elements.map(element => getComputedStyle(element).color)",
    )
    bar = page.eval_on_selector(".navbar", "bar => getComputedStyle(bar).backgroundColor")
    assert len(texts) > 5
    for text in texts:
        assert contrast(text, bar) >= 4.5, f"{text} on {bar}"


def contrast(foreground, background):
    """WCAG 2 contrast ratio of two CSS ``rgb()``/``rgba()`` colours, the foreground blended onto the background."""
    fg, bg = _rgba(foreground), _rgba(background)
    alpha = fg[3]
    blended = [f * alpha + b * (1 - alpha) for f, b in zip(fg[:3], bg[:3], strict=True)]
    lighter, darker = sorted((_luminance(blended), _luminance(bg[:3])), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _rgba(css):
    numbers = [float(part) for part in css[css.index("(") + 1 : -1].split(",")]
    return numbers if len(numbers) == 4 else [*numbers, 1.0]


def _luminance(rgb):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
