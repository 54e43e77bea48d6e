"""With ``PERISAI_TASKS_REDIS_URL`` set, jobs go through Redis (RQ) to workers on any machine: the same job,
on the real Redis server of this machine, run by an RQ worker."""

import os

import pytest
import redis
from django.urls import reverse

from jobs.models import Job

REDIS_URL = os.environ.get("PERISAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_queue(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"required in CI: Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}  # a database of Redis of the tests' own
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    yield
    django_rq.get_queue("default").empty()


def test_a_job_runs_through_redis_and_an_rq_worker(redis_queue, staff_client, settings):
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob
    from rq.worker import SimpleWorker

    settings.PERISAI_JOBS_ROWS_IN_REQUEST = 2
    response = staff_client.get(reverse("reports:participants_csv"), {"through": "2022-06"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert django_rq.get_queue("default").count == 1

    # What `manage.py jobs_worker` runs with Redis (rqworker), here without forking, in this process.
    django_rq.get_worker("default", worker_class=SimpleWorker, job_class=TaskJob).work(burst=True)

    job.refresh_from_db()
    assert (job.state, job.rows_done) == (Job.State.DONE, 3)
    download = staff_client.get(reverse("jobs:download", args=[job.pk]))
    assert "Siti Cilacap" in b"".join(download.streaming_content).decode("utf-8-sig")
