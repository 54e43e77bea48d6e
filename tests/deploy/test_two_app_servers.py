"""Two app servers serve one signed-in user in turn, as two gunicorns behind one proxy do: nothing a
request leaves for the next one lives in a server's memory or on its own disk.

What a request leaves for the next, and where it is kept: the session (the database), the CSRF secret (a
cookie), a message shown after a redirect (a signed cookie, the session when it is too long), an
import between its preview and its confirmation (``ImportBatch`` rows), the sign-in delays and lockouts
(the database), files (the ``default`` and ``results`` storages, ``FILE_STORAGE``). Each request below
goes to the other server than the one before, with one cookie jar.
"""

import csv
import io

import pytest
from django.urls import reverse

from agents.models import User
from enrollment.models import ImportBatch, Participant
from tests.deploy.servers import Browser, database_url, path_of, start_servers, usable_password
from tests.enrollment.imports.conftest import HEADERS, person
from tests.factories import AgentFactory, BranchFactory, ContributionRateFactory, UserFactory

pytestmark = [pytest.mark.postgres]


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two app servers need one PostgreSQL database (DATABASE_URL=postgres://...)")
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    started = start_servers(2, tmp_path_factory.mktemp("servers"), DATABASE_URL=url)
    yield [server.port for server in started]
    for server in started:
        server.stop()


def one_row_csv(row):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS.values())
    writer.writerow(
        [value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else ("" if value is None else value)
         for value in (row.get(key) for key in HEADERS)]
    )  # fmt: skip
    return text.getvalue().encode()


@pytest.mark.django_db(transaction=True)
def test_one_user_served_by_two_servers_in_turn_signs_in_imports_reads_a_message_and_downloads(servers):
    first, second = servers
    branch = BranchFactory(code="CLP", name="Cilacap")
    ContributionRateFactory()
    agent = AgentFactory(branch=branch, full_name="Agen Satu")
    usable_password(UserFactory(username="rina", role=User.Role.STAFF, branch=branch))
    worker = person(full_name="Pekerja Dua Server")
    browser = Browser()

    browser.sign_in(first, "rina")  # the session is written by the first server
    upload_page = browser.get(second, reverse("enrollment:import_upload"))  # and read by the second
    assert upload_page.status == 200, "the second server did not know the session"

    uploaded = browser.post(
        first,  # the form came from the second server; its CSRF token is good on the first
        reverse("enrollment:import_upload"),
        {"csrfmiddlewaretoken": upload_page.form_token(), "agent": agent.pk},
        files={"file": ("peserta.csv", one_row_csv(worker), "text/csv")},
    )
    assert uploaded.status == 302, uploaded.text[-2000:]
    preview = browser.get(second, path_of(uploaded.location))  # the upload in progress is not the first's
    assert preview.status == 200
    assert "Import 1 enrollment" in preview.text
    batch = ImportBatch.objects.get()

    confirmed = browser.post(
        first, reverse("enrollment:import_confirm", args=[batch.pk]), {"csrfmiddlewaretoken": preview.form_token()}
    )
    assert confirmed.status == 302
    after = browser.get(second, path_of(confirmed.location))  # the message was left by the first server
    assert "1 enrollment imported." in after.messages()
    assert Participant.objects.get().full_name == "Pekerja Dua Server"

    download = browser.get(first, reverse("reports:participants_csv"))
    assert download.status == 200
    assert download.headers["Content-Type"].startswith("text/csv")
    assert "Pekerja Dua Server" in download.text
    again = browser.get(second, reverse("enrollment:import_preview", args=[batch.pk]))
    assert again.messages() == [], "a message is shown once, whichever server shows it"
