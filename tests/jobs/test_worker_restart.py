"""A job survives its worker's death: queued once more, run by another worker, and what it wrote is not
written twice. Real worker processes (``manage.py jobs_worker``) on the test database, one killed."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from enrollment.models import Acquisition, ImportBatch, Participant
from enrollment.services.imports import import_batch_create
from jobs.models import Job
from tests.enrollment.imports.conftest import csv_upload, person

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database only on PostgreSQL")
    database = connection.settings_dict
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def worker(*args):
    env = {**os.environ, "DATABASE_URL": database_url()}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_until(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_killed_worker_s_import_is_run_again_once_and_imports_once(client, settings, branch, agent, rate):
    from tests.factories import UserFactory

    url = database_url()
    assert url
    settings.PERISAI_JOBS_IMPORT_ROWS_IN_REQUEST = 2
    staff = UserFactory(branch=branch)
    rows = [person() for _ in range(5)]
    batch = import_batch_create(upload=csv_upload(rows), user=staff, agent=agent)
    client.force_login(staff)
    response = client.post(reverse("enrollment:import_confirm", args=[batch.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.state == Job.State.QUEUED
    # The real confirmation, then a wait to be killed in: written and committed, the job not yet done.
    Job.objects.filter(pk=job.pk).update(handler="tests.jobs.handlers.import_then_hang")

    first = worker()
    try:
        assert wait_until(lambda: Job.objects.filter(pk=job.pk, state="running", rows_done=5, rows_total=5).exists())
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.IMPORTED
        page = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "5 of 5 rows done" in page  # progress read by another process while the worker runs
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()

    settings.PERISAI_JOBS_STALE_SECONDS = 1
    time.sleep(1.5)
    client.get(reverse("jobs:detail", args=[job.pk]))  # its owner looks: the silent job is queued once more
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    second = worker("--burst")
    assert second.wait(timeout=120) == 0, second.stderr.read().decode()

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    niks = [row["nik"] for row in rows]
    assert Participant.objects.filter(nik__in=niks).count() == 5
    assert Acquisition.objects.filter(participant__nik__in=niks).count() == 5
