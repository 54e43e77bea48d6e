"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

No browser is downloaded: Chromium comes from the system package (`apt-get install chromium`, which
`.ci/run` does). Locally, without it, these tests skip with a message; in CI they must run
(``PERISAI_REQUIRE_BROWSER=1`` turns the skip into a failure).
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


def _browser_missing_reason():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("PERISAI_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make between page
    # steps are still synchronous, so Django's async-safety guard is relaxed while the browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page; ``page.base_url`` is the live server."""
    context, page = _new_page(browser, DESKTOP)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 px wide page, as on an agent's phone."""
    context, page = _new_page(browser, PHONE)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def sign_in():
    """``sign_in(page, username, password)`` through the real login form."""

    def sign_in(page, username, password):
        page.goto(f"{page.base_url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state("networkidle")

    return sign_in
