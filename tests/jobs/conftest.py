"""Fixtures for the background jobs: users of two branches, a storage in a temporary folder, and a worker."""

import datetime

import pytest
from django.core.management import call_command

from agents.models import User
from tests.factories import AcquisitionFactory, AgentFactory, BranchFactory, ParticipantFactory, UserFactory


@pytest.fixture(autouse=True)
def results_storage(settings, tmp_path):
    """Result files in a folder of this test's own (through STORAGES, as production names it)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "jobs-test": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.PERISAI_JOBS_STORAGE = "jobs-test"
    return tmp_path


@pytest.fixture
def two_branches(rate):
    """Cilacap with three participants and Banyumas with one, whose names tell them apart."""
    cilacap, banyumas = BranchFactory(code="CLP", name="Cilacap"), BranchFactory(code="BMS", name="Banyumas")
    found = {}
    for branch, names in ((cilacap, ["Siti Cilacap", "Budi Cilacap", "Ani Cilacap"]), (banyumas, ["Joko Banyumas"])):
        agent = AgentFactory(branch=branch)
        for name in names:
            AcquisitionFactory(
                agent=agent,
                participant=ParticipantFactory(branch=branch, full_name=name),
                acquired_on=datetime.date(2022, 3, 15),
                rate=rate,
            )
        found[branch.code] = branch
    return found


@pytest.fixture
def staff(two_branches):
    return UserFactory(role=User.Role.STAFF, branch=two_branches["CLP"], username="rina")


@pytest.fixture
def staff_client(client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


@pytest.fixture
def work_through_queue(transactional_db):
    """``work()`` runs a real worker of the database queue (``jobs_worker --burst``: ``db_worker``) over what
    is queued. The test commits (``transactional_db``) so the queue is written as in production, when the
    request's transaction commits."""

    def work():
        call_command("jobs_worker", burst=True, verbosity=0)

    return work
