"""``notify_staff``: the day's e-mail to a branch's staff and head about PKS to renew and offices under their
minimum, through Django's mail backend (locmem here: ``mail.outbox``), once a day and only with news."""

import datetime
import os
import smtplib
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from agents.models import ProgrammeTerms, User
from followup.models import StaffNotice
from tests.factories import (
    AcquisitionTargetFactory,
    AgentFactory,
    BranchFactory,
    CooperationAgreementFactory,
    PerisaiOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_emails(settings):
    """The e-mails are written in the installation's language (LANGUAGE_CODE); these tests read them in English."""
    settings.LANGUAGE_CODE = "en"
TODAY = datetime.date(2022, 7, 11)
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def terms(db):
    """Offices warned after 2 months under their minimum, PKS at risk after 3."""
    return ProgrammeTerms.objects.create(
        name="Ketentuan Perisai",
        effective_from=datetime.date(2017, 1, 1),
        agent_at_risk_months=2,
        agent_inactive_months=3,
        reactivation_wait_months=6,
        office_warning_months=2,
        office_pks_loss_months=3,
    )


def office(branch, code, name, *, ends_on=None, active=True, target=None):
    """An office of ``branch`` with a PKS from 2021 to ``ends_on``, and a 2022 target when given."""
    made = PerisaiOfficeFactory(branch=branch, code=code, name=name, is_active=active)
    if ends_on:
        CooperationAgreementFactory(office=made, number=f"PKS/{code}/2021", ends_on=ends_on)
    if target:
        AcquisitionTargetFactory(year=2022, branch=branch, office=made, target=target)
    return made


@pytest.fixture
def cilacap(terms):
    """Cilacap's offices on 11 July 2022: one PKS ending in 40 days, one ended 11 days ago, one running on
    for a year (but its office under its minimum since January), and an inactive office with an old PKS."""
    branch = BranchFactory(code="CLP", name="Cilacap")
    BranchFactory(code="BMS", name="Banyumas")
    office(branch, "KP-KROYA", "Kantor Perisai Kroya", ends_on=datetime.date(2022, 8, 20))
    office(branch, "KP-MAJENANG", "Kantor Perisai Majenang", ends_on=datetime.date(2022, 6, 30))
    office(branch, "KP-KOTA", "Kantor Perisai Cilacap Kota", ends_on=datetime.date(2023, 6, 30), target=1200)
    office(branch, "KP-LAMA", "Kantor Perisai Lama", ends_on=datetime.date(2021, 12, 31), active=False)
    return branch


@pytest.fixture
def people(cilacap):
    """Who may get it: staff and the head of Cilacap with an address; and those who must not."""
    far = BranchFactory(code="BMY", name="Banyumas Barat")
    agent_user = UserFactory(role=User.Role.AGENT, branch=cilacap, email="agen@example.org")
    AgentFactory(branch=cilacap, office=PerisaiOfficeFactory(branch=cilacap), user=agent_user)
    return {
        "staff": UserFactory(role=User.Role.STAFF, branch=cilacap, username="rina", email="rina@example.org"),
        "head": UserFactory(role=User.Role.HEAD, branch=cilacap, username="hendra", email="hendra@example.org"),
        "no_address": UserFactory(role=User.Role.STAFF, branch=cilacap, username="tono", email=""),
        "left": UserFactory(
            role=User.Role.STAFF, branch=cilacap, username="lama", email="lama@example.org", is_active=False
        ),
        "far": UserFactory(role=User.Role.STAFF, branch=far, username="far", email="far@example.org"),
        "admin": UserFactory(role=User.Role.ADMIN, branch=None, username="admin", email="admin@example.org"),
    }


def run(*args, today="2022-07-11"):
    out = StringIO()
    call_command("notify_staff", *args, today=today, stdout=out)
    return out.getvalue()


def test_staff_and_the_head_each_get_one_email_with_the_pks_to_renew_and_the_offices_under_minimum(people):
    output = run("--branch", "CLP")

    assert sorted(message.to[0] for message in mail.outbox) == ["hendra@example.org", "rina@example.org"]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)
    body, subject = mail.outbox[0].body, mail.outbox[0].subject
    assert subject == "Perisai Cilacap: 2 PKS to renew, 1 office under its minimum"
    assert "Kantor Perisai Majenang (KP-MAJENANG), PKS/KP-MAJENANG/2021: ended 30 June 2022, 11 days ago" in body
    assert "Kantor Perisai Kroya (KP-KROYA), PKS/KP-KROYA/2021: ends 20 August 2022, in 40 days" in body
    assert "Kantor Perisai Cilacap Kota (KP-KOTA): 6 months running under the minimum of 100 a month" in body
    assert body.index("KP-MAJENANG") < body.index("KP-KROYA")  # the most urgent first
    assert "CLP: 2 PKS to renew, 1 offices under their minimum; e-mailed 2 staff." in output


def test_by_default_the_email_is_in_indonesian(people, settings):
    settings.LANGUAGE_CODE = "id"

    run("--branch", "CLP")

    assert mail.outbox[0].subject == "Perisai Cilacap: 2 PKS perlu diperpanjang, 1 kantor di bawah minimumnya"
    assert "berakhir 30 Juni 2022, 11 hari yang lalu" in mail.outbox[0].body


def test_a_pks_that_runs_on_and_an_inactive_office_are_not_mentioned(people):
    run("--branch", "CLP")

    body = mail.outbox[0].body
    assert "PKS/KP-KOTA/2021" not in body
    assert "KP-LAMA" not in body


def test_a_branch_with_nothing_to_say_gets_no_email_and_nothing_is_recorded(people):
    output = run("--branch", "BMY")

    assert mail.outbox == []
    assert not StaffNotice.objects.exists()
    assert "BMY: 0 PKS to renew, 0 offices under their minimum; nothing sent (nothing to say)." in output


def test_the_same_day_twice_sends_once_and_the_next_day_again(people):
    run("--branch", "CLP")
    output = run("--branch", "CLP")
    assert len(mail.outbox) == 2
    assert "nothing sent (already sent today)" in output

    run("--branch", "CLP", today="2022-07-12")

    assert len(mail.outbox) == 4
    assert list(StaffNotice.objects.values_list("day", "recipients")) == [
        (datetime.date(2022, 7, 12), 2),
        (TODAY, 2),
    ]


def test_the_database_keeps_one_notice_a_branch_a_day(cilacap):
    StaffNotice.objects.create(branch=cilacap, day=TODAY, recipients=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffNotice.objects.create(branch=cilacap, day=TODAY, recipients=1)


def test_a_branch_without_staff_addresses_is_said_and_not_recorded(cilacap):
    output = run("--branch", "CLP")

    assert mail.outbox == [] and not StaffNotice.objects.exists()
    assert "nothing sent (no staff or head with an e-mail address)" in output


def test_a_failure_to_send_records_nothing_so_the_next_run_tries_again(people, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPException):
        run("--branch", "CLP")
    assert not StaffNotice.objects.exists()

    monkeypatch.undo()
    run("--branch", "CLP")
    assert len(mail.outbox) == 2


def test_a_dry_run_sends_and_records_nothing(people):
    output = run("--branch", "CLP", "--dry-run")

    assert mail.outbox == [] and not StaffNotice.objects.exists()
    assert "would e-mail 2 staff" in output


def test_without_branch_every_branch_is_run(people):
    output = run()

    assert [line.split(":")[0] for line in output.splitlines()] == ["BMS", "BMY", "CLP"]
    assert len(mail.outbox) == 2


def test_an_unknown_branch_is_refused_with_a_message(cilacap):
    with pytest.raises(CommandError, match="Unknown branch 'XYZ'"):
        run("--branch", "XYZ")


def email_backend(**env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(SECRET_KEY="x" * 50, ALLOWED_HOSTS="perisai.example.go.id", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
         "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.split()


def test_emails_go_to_the_console_in_development_and_by_smtp_in_production():
    assert email_backend(DEBUG="true")[0] == "django.core.mail.backends.console.EmailBackend"
    assert email_backend(DEBUG="false", EMAIL_HOST="smtp.example.go.id", EMAIL_PORT="587") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.go.id",
        "587",
    ]
