"""Retention: ``purge_expired`` deletes what the rules in enrollment.services.retention (and PRIVACY.md) say,
and nothing else."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone

from agents.models import Agent, User
from enrollment.models import (
    Acquisition,
    Contribution,
    ImportBatch,
    NikDisclosure,
    Participant,
    PaymentImport,
    PaymentLine,
)
from enrollment.services.retention import expired_data_purge, records_cutoff
from tests.factories import AcquisitionFactory, AgentFactory, ContributionFactory, UserFactory
from tests.privacy_builders import build_world

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2033, 6, 15, 9, 0))  # eleven years after the world's 2022 lapses


@pytest.fixture
def world(rate):
    return build_world(rate)


def _lapse(acquisition, on):
    Acquisition.objects.filter(pk=acquisition.pk).update(status=Acquisition.Status.LAPSED, ended_on=on)


def _disclose(world, *, at):
    return NikDisclosure.objects.create(
        viewer=world.staff,
        branch=world.branch,
        participant=world.participant,
        reason="participant_page",
        disclosed_at=at,
    )


def test_the_records_cutoff_is_ten_years_back_even_from_29_february():
    assert records_cutoff(datetime.date(2033, 6, 15)) == datetime.date(2023, 6, 15)
    assert records_cutoff(datetime.date(2032, 2, 29)) == datetime.date(2022, 2, 28)


def test_the_nik_view_log_is_kept_two_years(world):
    old = _disclose(world, at=NOW - datetime.timedelta(days=731))
    recent = _disclose(world, at=NOW - datetime.timedelta(days=700))

    purged = expired_data_purge(now=NOW)

    assert purged.disclosures == 1
    assert list(NikDisclosure.objects.all()) == [recent]
    assert not NikDisclosure.objects.filter(pk=old.pk).exists()


def test_sign_in_records_are_kept_a_year(world):
    machine = {"user_agent": "x", "ip_address": "10.0.0.1", "username": "staf", "http_accept": "*/*", "path_info": "/"}
    old = AccessLog.objects.create(**machine)
    failed = AccessFailureLog.objects.create(**machine)
    recent = AccessLog.objects.create(**machine)
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=NOW - datetime.timedelta(days=366))
    AccessFailureLog.objects.filter(pk=failed.pk).update(attempt_time=NOW - datetime.timedelta(days=400))
    AccessLog.objects.filter(pk=recent.pk).update(attempt_time=NOW - datetime.timedelta(days=300))

    assert expired_data_purge(now=NOW).sign_in_records == 2
    assert list(AccessLog.objects.all()) == [recent] and not AccessFailureLog.objects.exists()


def test_unconfirmed_uploads_go_after_a_day(world):
    stale = ImportBatch.objects.create(branch=world.branch, uploaded_by=world.staff, file_name="old.xlsx")
    ImportBatch.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    fresh = ImportBatch.objects.create(branch=world.branch, uploaded_by=world.staff, file_name="new.xlsx")

    assert expired_data_purge().import_batches == 1
    assert list(ImportBatch.objects.all()) == [fresh]


def test_a_participant_lapsed_over_ten_years_goes_with_everything_about_them(world):
    participant = world.participant
    _lapse(world.acquisition, datetime.date(2022, 6, 1))
    _disclose(world, at=NOW - datetime.timedelta(days=10))
    acquisition_ids = list(participant.acquisitions.values_list("pk", flat=True))

    purged = expired_data_purge(now=NOW)

    assert purged.participants == 1
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert not Acquisition.objects.filter(pk__in=acquisition_ids).exists()
    assert not Contribution.objects.filter(acquisition__in=acquisition_ids).exists()
    assert not Participant.history.filter(id=participant.pk).exists()
    assert not Acquisition.history.filter(id__in=acquisition_ids).exists()
    assert not Contribution.history.filter(acquisition_id__in=acquisition_ids).exists()
    assert not NikDisclosure.objects.filter(participant_id=participant.pk).exists()
    # Everyone else stays: enrolled, or (Joko) lapsed too recently.
    assert set(Participant.objects.values_list("full_name", flat=True)) == {"Joko Susilo", "Dewi Lestari"}
    assert Participant.history.filter(id=world.colleague_participant.pk).exists()


def test_a_participant_lapsed_under_ten_years_ago_or_enrolled_again_stays(world):
    _lapse(world.acquisition, datetime.date(2023, 7, 1))  # under ten years before NOW
    old = AcquisitionFactory(agent=world.colleague, acquired_on=datetime.date(2010, 1, 1))
    _lapse(old, datetime.date(2011, 1, 1))
    AcquisitionFactory(agent=world.colleague, participant=old.participant, acquired_on=datetime.date(2031, 1, 1))

    assert expired_data_purge(now=NOW).participants == 0
    assert Participant.objects.filter(pk__in=[world.participant.pk, old.participant.pk]).count() == 2


def test_an_agent_who_left_over_ten_years_ago_goes_once_no_kept_record_names_them(world):
    departed_login = UserFactory(role=User.Role.AGENT, branch=world.branch, is_active=False)
    departed = AgentFactory(
        branch=world.branch,
        office=world.agent.office,
        user=departed_login,
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2022, 1, 31),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )
    their_acquisition = AcquisitionFactory(agent=departed, acquired_on=datetime.date(2021, 2, 1))
    _lapse(their_acquisition, datetime.date(2021, 8, 1))
    ContributionFactory(acquisition=their_acquisition)
    named = AgentFactory(
        branch=world.branch,
        office=world.agent.office,
        status=Agent.Status.INACTIVE,
        left_on=datetime.date(2022, 1, 31),
        deactivation_reason=Agent.DeactivationReason.RESIGNED,
    )
    kept_acquisition = AcquisitionFactory(agent=named, acquired_on=datetime.date(2021, 2, 1))
    Acquisition.objects.filter(pk=kept_acquisition.pk).update(caretaker=world.agent)  # still enrolled

    purged = expired_data_purge(now=NOW)

    # The departed agent's only participant went first (lapsed in 2021), so nothing names them any more.
    assert (purged.agents, purged.logins) == (1, 1)
    assert not Agent.objects.filter(pk=departed.pk).exists()
    assert not Agent.history.filter(id=departed.pk).exists()
    assert not User.objects.filter(pk=departed_login.pk).exists()
    assert Agent.objects.filter(pk=named.pk).exists()  # an enrolled participant's acquisition names them
    assert Agent.objects.filter(pk__in=[world.agent.pk, world.colleague.pk, world.far_agent.pk]).count() == 3


def test_a_dry_run_counts_and_deletes_nothing(world):
    _lapse(world.acquisition, datetime.date(2022, 6, 1))
    _disclose(world, at=NOW - datetime.timedelta(days=800))

    purged = expired_data_purge(now=NOW, dry_run=True)

    assert (purged.participants, purged.disclosures) == (1, 1)
    assert Participant.objects.filter(pk=world.participant.pk).exists()
    assert NikDisclosure.objects.count() == 1


def test_the_command_says_what_it_deleted(world, capsys):
    call_command("purge_expired", "--dry-run")
    assert capsys.readouterr().out.startswith("Would delete: 0 NIK view log entries, 0 sign-in records, 0 unconfirmed")
    _disclose(world, at=timezone.now() - datetime.timedelta(days=1000))
    call_command("purge_expired")
    assert "Deleted: 1 NIK view log entries" in capsys.readouterr().out
    assert not NikDisclosure.objects.exists()


def _payments_file(world, *, imported_at, status=PaymentImport.Status.IMPORTED):
    payment_import = PaymentImport.objects.create(
        branch=world.branch,
        uploaded_by=world.staff,
        file_name="juli.csv",
        file_sha256="0" * 64,
        status=status,
        imported_at=imported_at if status == PaymentImport.Status.IMPORTED else None,
    )
    PaymentLine.objects.create(
        payment_import=payment_import, row=2, outcome=PaymentLine.Outcome.UNKNOWN_PARTICIPANT, nik="3301019901900009"
    )
    return payment_import


def test_the_rows_of_an_imported_payments_file_are_kept_a_year_and_the_file_stays_listed(world):
    old = _payments_file(world, imported_at=NOW - datetime.timedelta(days=366))
    recent = _payments_file(world, imported_at=NOW - datetime.timedelta(days=300))

    purged = expired_data_purge(now=NOW)

    assert purged.payment_rows == 1
    assert not old.lines.exists() and recent.lines.count() == 1
    assert set(PaymentImport.objects.all()) == {old, recent}


def test_an_unconfirmed_payments_file_goes_after_a_day_with_its_rows(world):
    stale = _payments_file(world, imported_at=None, status=PaymentImport.Status.PENDING)
    PaymentImport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))

    assert expired_data_purge().payment_files == 1
    assert not PaymentImport.objects.exists() and not PaymentLine.objects.exists()
