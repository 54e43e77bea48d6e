"""Each agent's all-time acquisitions (``reports.rollups.AgentTotal``, what the agents lists show and sort by)
follow every write that changes whose acquisitions they are, through the services people use: an enrolment,
an import, an acquisition given to another agent, the purge that deletes expired records. A lapse or a
caretaker moved changes no total. The figures' version changes with them, and the migration that brought
them counted the acquisitions already made."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agents.models import User
from enrollment.models import Acquisition
from enrollment.services.enrolment import acquisition_enrol
from enrollment.services.imports import import_batch_confirm, import_batch_create
from enrollment.services.participants import participants_move
from enrollment.services.retention import participants_purge
from perisai.nik import MALE, build_nik
from reports import freshness, track_record
from reports.rollups import AgentTotal
from tests.enrollment.field.builders import worker_data
from tests.enrollment.imports.conftest import person, workbook_bytes
from tests.factories import UserFactory
from tests.reports.conftest import acquire

pytestmark = pytest.mark.django_db


def total(agent):
    """The agent's kept total (no row: never acquired anyone), beside the count of their acquisitions."""
    kept = AgentTotal.objects.filter(agent=agent).values_list("acquisitions", flat=True).first()
    return kept, Acquisition.objects.filter(agent=agent).count()


def enrol(agent, number, on=datetime.date(2022, 6, 10)):
    """A worker enrolled by ``agent`` through the service the enrol form calls."""
    nik = build_nik("330121", datetime.date(1990, 5, 17), MALE, 6000 + number)
    return acquisition_enrol(agent=agent, **worker_data(nik=nik, acquired_on=on))


def test_an_agent_who_never_acquired_anyone_has_no_total_and_lists_as_zero(cilacap):
    ani = cilacap["ani"]
    assert total(ani) == (None, 0)
    [listed] = track_record.with_acquisition_count(type(ani).objects.filter(pk=ani.pk))
    assert listed.acquisition_count == 0
    assert track_record.agent_acquisitions_total(agent=ani) == 0


def test_each_enrolment_adds_one_to_its_agent(cilacap):
    ani, budi = cilacap["ani"], cilacap["budi"]
    enrol(ani, 1)
    assert total(ani) == (1, 1)
    enrol(ani, 2)
    enrol(budi, 3)
    assert total(ani) == (2, 2)
    assert total(budi) == (1, 1)


def test_an_import_adds_each_agents_rows(cilacap):
    ani, budi = cilacap["ani"], cilacap["budi"]
    acquire(ani, datetime.date(2021, 4, 1))
    staff = UserFactory(role=User.Role.STAFF, branch=cilacap["branch"])
    rows = [person(agent_code=agent.code) for agent in (ani, budi, budi, ani, budi)]
    upload = SimpleUploadedFile("peserta.xlsx", workbook_bytes(rows))
    batch = import_batch_create(upload=upload, user=staff)
    assert batch.result["valid"] == 5

    import_batch_confirm(batch=batch, user=staff)

    assert total(ani) == (3, 3)
    assert total(budi) == (3, 3)


def test_an_acquisition_given_to_another_agent_moves_between_their_totals(cilacap):
    """As the admin's form saves it: the whole row written, the agent changed (with the office it follows)."""
    ani, citra = cilacap["ani"], cilacap["citra"]
    first, second = acquire(ani, datetime.date(2022, 1, 3)), acquire(ani, datetime.date(2022, 2, 3))

    first.agent, first.office = citra, citra.office
    first.save()
    assert total(ani) == (1, 1)
    assert total(citra) == (1, 1)

    Acquisition.objects.filter(pk=second.pk).update(agent=citra)
    assert total(ani) == (0, 0)  # kept as 0, read as 0 like an agent with no row
    assert total(citra) == (2, 2)


def test_a_lapse_and_a_caretaker_moved_change_no_total(cilacap):
    ani, budi = cilacap["ani"], cilacap["budi"]
    acquired = [acquire(ani, datetime.date(2022, 3, day)) for day in (1, 2)]
    Acquisition.objects.filter(pk=acquired[0].pk).update(
        status=Acquisition.Status.LAPSED, ended_on=datetime.date(2022, 9, 1)
    )
    participants_move(from_agent=ani, to_agent=budi, moved_by=UserFactory(role=User.Role.ADMIN), reason="Pindah")

    assert Acquisition.objects.filter(caretaker=budi).count() == 1
    assert total(ani) == (2, 2)
    assert total(budi) == (None, 0)


def test_the_purge_of_expired_records_takes_their_acquisitions_out(cilacap):
    ani = cilacap["ani"]
    acquire(ani, datetime.date(2010, 5, 3), lapsed_on=datetime.date(2011, 1, 31))
    acquire(ani, datetime.date(2010, 6, 3), lapsed_on=datetime.date(2011, 2, 28))
    acquire(ani, datetime.date(2022, 6, 3))
    assert total(ani) == (3, 3)

    assert participants_purge(today=datetime.date(2022, 7, 1)) == 2

    assert total(ani) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_the_figures_version_changes_with_the_totals(cilacap):
    """The totals are written in the statement that writes the acquisition, which changes the version when it
    commits: a cached figure is never older than the totals."""
    ani = cilacap["ani"]
    before = freshness.figures_version()

    enrol(ani, 1)

    assert total(ani) == (1, 1)
    assert freshness.figures_version() not in (None, before)


# --- the migration -----------------------------------------------------------------------------------

BEFORE = [("reports", "0009_payments_speed")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def latest():
    """Every app's last migration: going back to ``BEFORE`` also unapplies the reports migrations after 0010."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_acquisitions_made_before_it_then_its_triggers_keep_them(cilacap):
    ani, budi = cilacap["ani"], cilacap["budi"]
    migrate(BEFORE)
    try:
        for day in (3, 4, 5):
            acquire(ani, datetime.date(2022, 1, day))
        acquire(budi, datetime.date(2022, 2, 1))
    finally:
        migrate(latest())

    assert total(ani) == (3, 3)
    assert total(budi) == (1, 1)
    acquire(budi, datetime.date(2022, 3, 1))
    assert total(budi) == (2, 2)
