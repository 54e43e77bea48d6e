"""The agent's phone without a signal, in the real browser (Debian's Chromium through Playwright).

After one visit online the enrol page opens offline (the service worker's copy, saying from when it is);
an enrolment saved offline joins the visible queue and is sent once the signal returns, exactly once,
whether the agent taps "send now", reloads, or closed the tab in between; one the server refuses comes
back with its message and the draft to fix. Playwright's offline switch covers the service worker's own
requests too (checked here: the queued enrolment reaches nobody while offline). The byte budgets of the
enrol page (first visit under 100 KB, repeat visit under 20 KB) are summed from the network events of the
page and of its service worker. Screenshots at 360 px go to ``$PERISAI_SCREENSHOTS`` or the test's tmp dir.
"""

import datetime
import gzip
import logging
import os
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agents.models import BranchArea, User
from agents.scoping import Scope
from enrollment.models import Acquisition, Contribution, Participant
from followup.models import ContactAttempt
from perisai.nik import FEMALE, MALE, build_nik
from reports.acquisitions import yearly_totals
from reports.periods import Period
from tests.browser.conftest import PHONE
from tests.factories import DEFAULT_PASSWORD, AcquisitionFactory, AgentFactory, ParticipantFactory, UserFactory
from web.field.offline import account_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sends_at_once = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the queue sends its items at once: SQLite's shared in-memory test database locks whole tables between "
    "the test server's threads ('database table is locked'), which no installation's file database does; CI runs "
    "these on PostgreSQL",
)

logger = logging.getLogger(__name__)

BIRTH_DATE = datetime.date(1990, 3, 14)
QUEUE_DRAINED_WITHIN_MS = 30_000
FIRST_VISIT_BUDGET = 100 * 1024
REPEAT_VISIT_BUDGET = 20 * 1024

KEPT = """async (path) => {
  for (const name of await caches.keys()) {
    if (!name.startsWith("perisai-pages-")) continue;
    if (await (await caches.open(name)).match(location.origin + path)) return true;
  }
  return false;
}"""


@pytest.fixture
def agent(office, rate):
    user = UserFactory(username="agen-tini", role=User.Role.AGENT, branch=office.branch)
    return AgentFactory(branch=office.branch, office=office, user=user, full_name="Tini Rahayu")


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="en-GB", service_workers="allow")
    context.base_url = live_server.url
    yield context
    context.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("PERISAI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_tab(context, path):
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url = context.base_url
    page.goto(context.base_url + path)
    return page


def online_once(context, sign_in, agent):
    """Sign in and open the enrol page with a signal, until the phone keeps a copy of it."""
    page = open_tab(context, "/accounts/login/")
    sign_in(page, agent.user.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + reverse("enrollment:enrol"))
    page.wait_for_function(KEPT, arg=reverse("enrollment:enrol"))
    return page


def fill_worker(page, nik, name, *, gender="M"):
    page.fill("#id_nik", nik)
    page.fill("#id_full_name", name)
    page.fill("#id_birth_date", BIRTH_DATE.isoformat())
    page.check(f"input[name=gender][value={gender}]")
    page.fill("#id_kecamatan", "Kroya")
    page.select_option("#id_occupation", "farmer")


@sends_at_once
def test_three_workers_enrolled_without_a_signal_are_sent_once_each_when_the_signal_returns(
    context, sign_in, agent, branch, rate, shots
):
    """The issue's village: three workers enrolled with no signal, a fourth already enrolled elsewhere; back
    in coverage the three are in the branch's figures once each, the fourth comes back to fix."""
    taken = AcquisitionFactory(  # enrolled and paying: enrolling her again is refused
        agent=agent,
        rate=rate,
        participant=ParticipantFactory(branch=branch, nik=build_nik("330105", BIRTH_DATE, FEMALE, 4242)),
    ).participant
    workers = {build_nik("330105", BIRTH_DATE, MALE, 4240 + number): name for number, name in
               ((1, "Warsito"), (3, "Darto"), (5, "Sukirman"))}  # fmt: skip
    page = online_once(context, sign_in, agent)

    context.set_offline(True)
    page.goto(page.base_url + reverse("enrollment:enrol"))  # the service worker's copy
    expect(page.locator(".offline-copy")).to_contain_text("No signal: this page as it was on")
    for waiting, (nik, name) in enumerate(workers.items(), start=1):
        fill_worker(page, nik, name)
        page.click("button[name=save]")
        expect(page.locator(".offline-count")).to_have_text(f"Waiting to send: {waiting}")
        assert page.input_value("#id_nik") == ""  # ready for the next worker
    fill_worker(page, taken.nik, "Sumiati", gender="F")
    page.click("button[name=save]")
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 4")
    page.screenshot(path=shots / "enrol-queue-360.png", full_page=True)
    page.click(".offline-send")  # still no signal: nothing leaves the phone
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 4")
    assert not Participant.objects.filter(nik__in=workers).exists()

    context.set_offline(False)  # the signal returns: the page sends the queue by itself
    for name in workers.values():
        expect(page.locator(".offline-notices")).to_contain_text(f"Sent: {name}.")
    refused = page.locator(".offline-refused")
    expect(refused).to_contain_text("Not accepted: Sumiati.")
    expect(page.locator(".offline-send")).to_be_hidden()
    page.screenshot(path=shots / "enrol-refused-360.png", full_page=True)
    assert Acquisition.objects.filter(participant__nik__in=workers, branch=branch).count() == 3
    this_year = timezone.localdate().year
    (figure,) = [row for row in yearly_totals(scope=Scope(branch=branch), period=Period(this_year, 12))
                 if row.year == this_year]  # fmt: skip
    assert figure.full_year == Acquisition.objects.filter(branch=branch, acquired_on__year=this_year).count()
    assert figure.full_year >= 3  # the branch's figures count each of them once
    nik = next(iter(workers))

    page.click(".offline-refused a")  # the draft comes back to fix
    expect(page.locator("#id_nik")).to_have_value(taken.nik)
    expect(page.locator("#id_full_name")).to_have_value("Sumiati")
    expect(page.locator(".offline-form-message .alert-danger")).to_be_visible()  # the server's reason
    page.reload()
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 0")
    assert Participant.objects.filter(nik=nik).count() == 1


def test_the_queue_outlives_a_reload_and_a_closed_tab_and_the_draft_too(context, sign_in, agent):
    nik = build_nik("330105", BIRTH_DATE, MALE, 4243)
    online_once(context, sign_in, agent).close()

    context.set_offline(True)
    page = open_tab(context, reverse("enrollment:enrol"))
    page.fill("#id_nik", nik)
    page.fill("#id_full_name", "Karsinah")
    page.wait_for_timeout(600)  # the draft is kept 300 ms after the last key
    page.close()  # the tab closed half-way

    page = open_tab(context, reverse("enrollment:enrol"))
    expect(page.locator("#id_full_name")).to_have_value("Karsinah")
    fill_worker(page, nik, "Karsinah")
    page.click("button[name=save]")
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 1")
    page.reload()
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 1")
    assert page.input_value("#id_full_name") == ""  # the saved draft is in the queue, not in the form
    page.close()
    assert not Participant.objects.filter(nik=nik).exists()

    context.set_offline(False)
    page = open_tab(context, reverse("enrollment:agent_home"))  # the next page load sends it
    expect(page.locator(".offline-notices")).to_contain_text("Sent: Karsinah.")
    page.reload()
    expect(page.locator(".offline-queue")).to_be_hidden()
    assert Participant.objects.filter(nik=nik).count() == 1


class CompressedStatic:
    """The live server's static files gzipped, as WhiteNoise serves them in production (its ``.gz`` copies
    made at ``collectstatic``); Django's test handler sends them uncompressed, which no phone would get."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not environ["PATH_INFO"].startswith("/static/") or "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.application(environ, start_response)
        answer = {}

        def keep(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None

        chunks = self.application(environ, keep)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        headers = [(name, value) for name, value in answer["headers"] if name.lower() != "content-length"]
        if answer["status"].startswith("200"):
            body = gzip.compress(body, compresslevel=9)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        start_response(answer["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


@pytest.fixture
def compressed_server(transactional_db, settings):
    """A second live server whose static files are compressed (``CompressedStatic``)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    thread = LiveServerThread("localhost", lambda app: CompressedStatic(StaticFilesHandler(app)), port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


class Transferred:
    """Bytes that crossed the network for a tab and its service worker: the page's CDP ``Network`` events
    (``loadingFinished.encodedDataLength``, headers included; a response the worker gave is left out there)
    and the worker's own requests, which Playwright reads from the worker's CDP session (a file the
    worker found in the HTTP cache counts 0)."""

    def __init__(self, context, page):
        self.rows = []
        self._urls, self._from_worker = {}, set()
        session = context.new_cdp_session(page)
        session.on(
            "Network.requestWillBeSent", lambda event: self._urls.update({event["requestId"]: event["request"]["url"]})
        )
        session.on("Network.responseReceived", self._response)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")
        context.on("requestfinished", self._worker_request)

    def _response(self, event):
        if event["response"].get("fromServiceWorker"):
            self._from_worker.add(event["requestId"])

    def _finished(self, event):
        if event["requestId"] not in self._from_worker:
            self.rows.append((self._urls.get(event["requestId"], ""), int(event["encodedDataLength"])))

    def _worker_request(self, request):
        if request.service_worker is not None:
            sizes = request.sizes()
            self.rows.append(("worker: " + request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def total(self):
        return sum(size for _, size in self.rows)

    def __str__(self):
        return ", ".join(f"{url.rsplit('/', 2)[-2:]}: {size}" for url, size in self.rows if size)


def test_the_enrol_page_weighs_under_100_kb_at_the_first_visit_and_under_20_kb_after(
    browser, compressed_server, sign_in, agent
):
    # A branch as it runs: serving Kabupaten Cilacap, so the page carries its 24 kecamatan and 284 desa to suggest.
    BranchArea.objects.create(branch=agent.branch, regency="3301")
    signing_in = browser.new_context(viewport=PHONE, locale="en-GB")
    page = signing_in.new_page()
    page.base_url = compressed_server
    sign_in(page, agent.user.username, DEFAULT_PASSWORD)
    state = signing_in.storage_state()
    signing_in.close()

    context = browser.new_context(viewport=PHONE, locale="en-GB", storage_state=state, service_workers="allow")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        transferred = Transferred(context, page)
        page.goto(compressed_server + reverse("enrollment:enrol"))
        page.wait_for_function(KEPT, arg=reverse("enrollment:enrol"))
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)  # the worker's own requests, reported a little later
        first, first_rows = transferred.total(), str(transferred)

        transferred.rows = []
        page.goto(compressed_server + reverse("enrollment:enrol"))
        page.wait_for_load_state("networkidle")
        repeat, repeat_rows = transferred.total(), str(transferred)
    finally:
        context.close()
    assert first < FIRST_VISIT_BUDGET, f"first visit: {first} bytes ({first_rows})"
    assert repeat < REPEAT_VISIT_BUDGET, f"repeat visit: {repeat} bytes ({repeat_rows})"
    logger.info("the enrol page: %d bytes at the first visit, %d at a repeat visit", first, repeat)


@sends_at_once
def test_a_payment_and_a_follow_up_outcome_saved_without_a_signal_are_sent_once(context, sign_in, agent, rate):
    acquisition = AcquisitionFactory(
        agent=agent, rate=rate, acquired_on=timezone.localdate() - datetime.timedelta(days=40),
        participant__full_name="Ratmini", participant__phone="081234560001",
    )  # fmt: skip
    payment = reverse("enrollment:contribution_record", args=[acquisition.pk])
    follow_up = reverse("enrollment:follow_up")
    page = online_once(context, sign_in, agent)
    for path in (payment, follow_up):
        page.goto(page.base_url + path)
        page.wait_for_function(KEPT, arg=path)

    context.set_offline(True)
    page.goto(page.base_url + payment)
    page.fill("#id_receipt_number", "KW-OFF-1")
    page.click("button[name=save]")
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 1")
    page.goto(page.base_url + follow_up)
    row = page.locator(f"#follow-up-{acquisition.pk}")
    row.locator("summary").click()
    row.locator("button[value=not_reached]").click()
    expect(row.locator(".offline-row-queued")).to_contain_text("Saved on this phone: contact with Ratmini.")
    expect(page.locator(".offline-count")).to_have_text("Waiting to send: 2")
    assert not Contribution.objects.exists() and not ContactAttempt.objects.exists()

    context.set_offline(False)
    # Sent when the signal returns: two requests to the test server, which a loaded machine may take a while to
    # answer (the wait is for the queue to empty, not a measure of speed).
    expect(page.locator(".offline-queue")).to_be_hidden(timeout=QUEUE_DRAINED_WITHIN_MS)
    contribution = Contribution.objects.get()
    assert (contribution.acquisition_id, contribution.receipt_number) == (acquisition.pk, "KW-OFF-1")
    assert ContactAttempt.objects.get().outcome == "not_reached"


def test_signing_out_wipes_the_phone_and_the_next_agent_never_sees_the_first_ones_pages(
    context, sign_in, agent, office
):
    page = online_once(context, sign_in, agent)
    assert page.evaluate("caches.keys()") != []
    page.evaluate("document.querySelector(\"form[action$='/accounts/logout/']\").requestSubmit()")
    page.wait_for_url("**/accounts/login/")
    page.wait_for_function("async () => (await caches.keys()).length === 0")  # Clear-Site-Data
    page.wait_for_function("async () => (await navigator.serviceWorker.getRegistrations()).length === 0")

    other = UserFactory(username="agen-yani", role=User.Role.AGENT, branch=office.branch)
    AgentFactory(branch=office.branch, office=office, user=other, full_name="Yani Lestari")
    sign_in(page, other.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + reverse("enrollment:enrol"))
    page.wait_for_function(KEPT, arg=reverse("enrollment:enrol"))
    kept = page.evaluate("async () => (await caches.keys()).filter((name) => name.startsWith('perisai-pages-'))")
    assert kept == [f"perisai-pages-{account_key(other)}"]
