"""Report reads go to the streaming replica; writes, and the reads that follow a user's own write, stay on
the primary (``perisai.replica``, ``web.replica``).

The app runs under gunicorn with ``DATABASE_REPLICA_URL`` naming a real standby of the test database.
Replay on the standby is paused to make the lag visible: a participant written meanwhile is on the
primary only, so whether a page shows them says which database it read.
"""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from agents.models import Agent, User
from enrollment.models import ImportBatch, Participant
from perisai.replica import PRIMARY, REPLICA, ReplicaRouter, replica_reads
from tests.deploy.servers import Browser, database_url, path_of, start_servers, usable_password
from tests.deploy.test_two_app_servers import one_row_csv
from tests.enrollment.imports.conftest import person
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    ContributionRateFactory,
    UserFactory,
)
from web import replica as middleware

PIN_SECONDS = 2
PARTICIPANTS_CSV = reverse("reports:participants_csv")
PARTICIPANT_LIST = reverse("enrollment:participant_list")


@pytest.fixture(scope="module")
def server(replica, tmp_path_factory):
    settings_dict = connection.settings_dict
    (started,) = start_servers(
        1,
        tmp_path_factory.mktemp("replica-server"),
        DATABASE_URL=database_url(settings_dict),
        DATABASE_REPLICA_URL=database_url(settings_dict, port=replica.port),
        DATABASE_REPLICA_PIN_SECONDS=str(PIN_SECONDS),
    )
    yield started.port
    started.stop()


def import_one(browser, port, row):
    page = browser.get(port, reverse("enrollment:import_upload"))
    agent = Agent.objects.get()
    uploaded = browser.post(
        port,
        reverse("enrollment:import_upload"),
        {"csrfmiddlewaretoken": page.form_token(), "agent": agent.pk},
        files={"file": ("peserta.csv", one_row_csv(row), "text/csv")},
    )
    preview = browser.get(port, path_of(uploaded.location))
    confirmed = browser.post(
        port,
        reverse("enrollment:import_confirm", args=[ImportBatch.objects.latest("pk").pk]),
        {"csrfmiddlewaretoken": preview.form_token()},
    )
    assert confirmed.status == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reports_read_the_replica_and_a_writer_reads_their_own_write_on_the_primary(replica, server):
    branch = BranchFactory(code="CLP", name="Cilacap")
    rate = ContributionRateFactory()
    agent = AgentFactory(branch=branch)
    AcquisitionFactory(agent=agent, rate=rate, participant__full_name="Peserta Sebelumnya")
    usable_password(UserFactory(username="rina", role=User.Role.STAFF, branch=branch))
    usable_password(UserFactory(username="budi", role=User.Role.STAFF, branch=branch))
    reader, writer = Browser(), Browser()
    reader.sign_in(server, "rina")
    writer.sign_in(server, "budi")
    replica.caught_up()
    time.sleep(PIN_SECONDS + 0.2)  # signing in is a write: both read the primary for the pin's seconds

    replica.pause()
    try:
        AcquisitionFactory(agent=agent, rate=rate, participant__full_name="Ditulis Orang Lain")  # primary only

        report = reader.get(server, PARTICIPANTS_CSV).text  # a streamed download, read ahead in a thread
        assert "Peserta Sebelumnya" in report
        assert "Ditulis Orang Lain" not in report, "the report did not read the (lagging) replica"
        assert "Ditulis Orang Lain" in reader.get(server, PARTICIPANT_LIST).text, "a page that is not a report"

        import_one(writer, server, person(full_name="Ditulis Budi Sendiri"))
        own = writer.get(server, PARTICIPANTS_CSV).text
        assert "Ditulis Budi Sendiri" in own, "the writer did not see their own write"
        assert "Ditulis Budi Sendiri" not in reader.get(server, PARTICIPANTS_CSV).text

        time.sleep(PIN_SECONDS + 0.2)
        assert "Ditulis Budi Sendiri" not in writer.get(server, PARTICIPANTS_CSV).text, "the pin did not end"
    finally:
        replica.resume()

    replica.caught_up()
    report = reader.get(server, PARTICIPANTS_CSV).text
    assert "Ditulis Orang Lain" in report
    assert "Ditulis Budi Sendiri" in report

    replica.stop()  # a replica that does not answer sends the reports to the primary
    down = reader.get(server, PARTICIPANTS_CSV)
    assert down.status == 200
    assert "Ditulis Budi Sendiri" in down.text


@pytest.fixture
def as_if_a_replica(monkeypatch):
    monkeypatch.setattr("perisai.replica.replica_configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_the_block_and_until_it_writes(as_if_a_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Participant) == PRIMARY
    with replica_reads() as block:
        assert router.db_for_read(Participant) == REPLICA
        assert router.db_for_read(Session) == PRIMARY, "a session written a moment ago must be found"
        router.db_for_write(Session)  # the session saved at the end of every request is not the report's write
        assert router.db_for_read(Participant) == REPLICA
        assert router.db_for_write(ImportBatch) == PRIMARY
        assert block.wrote
        assert router.db_for_read(Participant) == PRIMARY, "after its own write the block reads the primary"
    assert router.allow_migrate(REPLICA, "enrollment") is False
    assert router.allow_migrate(PRIMARY, "enrollment") is True


@pytest.mark.django_db
def test_a_transaction_reads_the_primary_even_in_a_report(as_if_a_replica):
    with replica_reads(), transaction.atomic():
        assert ReplicaRouter().db_for_read(Participant) == PRIMARY


def test_without_a_replica_url_there_is_no_replica_router_or_middleware(settings):
    assert "replica" not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert "web.replica.ReplicaReadsMiddleware" not in settings.MIDDLEWARE
    with replica_reads():
        assert ReplicaRouter().db_for_read(User) == PRIMARY


def test_a_post_pins_the_browser_to_the_primary_and_a_forged_pin_does_not(settings):
    requests = RequestFactory()
    response = middleware.ReplicaReadsMiddleware(lambda request: _ok())(requests.post("/agents/"))
    cookie = response.cookies[middleware.PIN_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == settings.DATABASE_REPLICA_PIN_SECONDS
    signed = requests.get("/reports/", HTTP_COOKIE=f"{middleware.PIN_COOKIE}={cookie.value}")
    assert middleware.pinned_to_primary(signed)
    assert not middleware.pinned_to_primary(requests.get("/reports/", HTTP_COOKIE=f"{middleware.PIN_COOKIE}=1"))
    assert middleware.PIN_COOKIE not in middleware.ReplicaReadsMiddleware(lambda r: _ok())(requests.get("/")).cookies


def _ok():
    return HttpResponse("ok")


def test_a_report_request_reads_the_replica_and_one_that_writes_pins_the_browser(as_if_a_replica, monkeypatch):
    monkeypatch.setattr(middleware, "replica_answers", lambda: True)
    router, reads = ReplicaRouter(), []

    def report(request, write):
        reads.append(router.db_for_read(Participant))
        if write:
            router.db_for_write(ImportBatch)  # as a report page that starts a background job does
            reads.append(router.db_for_read(Participant))
        return _ok()

    def served(write):
        request = RequestFactory().get(reverse("reports:index"))
        request.resolver_match = resolve(request.path_info)
        view = middleware.ReplicaReadsMiddleware(
            lambda request: view.process_view(request, report, (), {}) or report(request, write)
        )
        return view(request)

    assert middleware.PIN_COOKIE not in served(write=False).cookies
    assert reads == [REPLICA]
    assert middleware.PIN_COOKIE in served(write=True).cookies
    assert reads == [REPLICA, REPLICA, PRIMARY]
    assert router.db_for_read(Participant) == PRIMARY, "after the request, reads are the primary's again"
