"""Long work runs as a job its starter can watch and download later; nobody else can reach it."""

import datetime
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agents.models import User
from jobs.models import Job
from jobs.services import job_create, job_start, jobs_purge, storage
from jobs.tasks import run_job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_short_participant_list_still_downloads_at_once(staff_client):
    response = staff_client.get(reverse("reports:participants_csv"), {"through": "2022-06"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert not Job.objects.exists()


def test_a_long_participant_list_is_made_by_the_worker_and_waits_under_my_downloads(
    work_through_queue, staff_client, settings
):
    settings.PERISAI_JOBS_ROWS_IN_REQUEST = 2
    response = staff_client.get(reverse("reports:participants_csv"), {"through": "2022-06", "branch": "BMS"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.State.QUEUED and job.task_id
    waiting = staff_client.get(reverse("jobs:detail", args=[job.pk]))
    assert "Waiting for a worker" in waiting.content.decode()

    work_through_queue()

    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_done, job.rows_total) == (Job.State.DONE, 1, 3, 3)
    page = staff_client.get(reverse("jobs:list")).content.decode()
    assert job.title in page and reverse("jobs:download", args=[job.pk]) in page
    download = staff_client.get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert download["Content-Type"].startswith("text/csv")
    # Run as the staff member: their own branch only, whatever branch the link asked for.
    assert {"Siti Cilacap", "Budi Cilacap", "Ani Cilacap"} <= set(re.findall(r"\w+ Cilacap", content))
    assert "Banyumas" not in content


def test_a_long_national_workbook_is_a_job_and_the_file_is_the_workbook(
    work_through_queue, two_branches, client, settings
):
    settings.PERISAI_JOBS_ROWS_IN_REQUEST = 3  # four acquisitions in all
    admin = UserFactory(role=User.Role.ADMIN, branch=None)
    client.force_login(admin)
    response = client.get(reverse("reports:workbook"), {"through": "2022-06"})
    job = Job.objects.get(owner=admin)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])

    work_through_queue()

    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.params["unit"] == "sheets" and job.rows_done == job.rows_total > 5
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an .xlsx (a zip)


def test_asking_twice_follows_the_job_already_running(staff_client, settings):
    settings.PERISAI_JOBS_ROWS_IN_REQUEST = 2
    first = staff_client.get(reverse("reports:participants_xlsx"), {"through": "2022-06"})
    second = staff_client.get(reverse("reports:participants_xlsx"), {"through": "2022-06"})

    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1


def test_the_progress_bar_shows_rows_done_and_time_left_and_refreshes_itself(staff, staff_client):
    job = job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted")
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        attempts=1,
        rows_done=7500,
        rows_total=10000,
        started_at=now - timedelta(seconds=30),
        heartbeat_at=now,
    )

    page = staff_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    fragment = staff_client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert '<progress class="w-100" max="10000" value="7500"' in page
    assert "7,500 of 10,000 rows done" in page and "(75%)" in page
    assert "About 10 seconds left" in page  # 7,500 rows in 30 s: 2,500 more in 10 s
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page  # without JavaScript
    assert 'hx-get="{}"'.format(reverse("jobs:detail", args=[job.pk])) in fragment  # with it
    assert "<html" not in fragment


def test_a_job_reports_its_rows_on_its_row_as_it_goes(staff):
    job = job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted")

    run_job.call(str(job.pk))

    job.refresh_from_db()
    assert job.message == "seen (3, 10)"  # read from the database mid-run, as the progress page does
    assert (job.state, job.rows_done, job.rows_total) == (Job.State.DONE, 10, 10)


def test_another_users_job_is_a_404_even_for_an_administrator(staff, client):
    job = job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted")
    run_job.call(str(job.pk))
    for other in (
        UserFactory(role=User.Role.STAFF, branch=staff.branch),
        UserFactory(role=User.Role.ADMIN, branch=None),
    ):
        client.force_login(other)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
        assert job.title not in client.get(reverse("jobs:list")).content.decode()


def test_a_failed_job_says_why_and_a_bug_says_only_that_it_failed(staff, staff_client):
    refused = job_create(owner=staff, title="Refused", handler="tests.jobs.handlers.refused")
    broken = job_create(owner=staff, title="Broken", handler="tests.jobs.handlers.broken")
    run_job.call(str(refused.pk))
    run_job.call(str(broken.pk))

    refused_page = staff_client.get(reverse("jobs:detail", args=[refused.pk])).content.decode()
    broken_page = staff_client.get(reverse("jobs:detail", args=[broken.pk])).content.decode()

    assert "The job failed." in refused_page and "The branch has no participants in that month." in refused_page
    assert "The job failed." in broken_page and "a bug" not in broken_page
    assert staff_client.get(reverse("jobs:download", args=[broken.pk])).status_code == 404


def test_a_finished_job_is_never_run_again(staff):
    job = job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted")
    run_job.call(str(job.pk))

    assert job_start(job_id=job.pk) is None
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_expired_results_and_their_files_are_deleted_by_the_sweep(staff, staff_client):
    job = job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted")
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert storage().exists(job.file) and job.expires_at > timezone.now() + timedelta(hours=71)

    assert jobs_purge(now=job.expires_at - timedelta(minutes=1)) == 0
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert staff_client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404  # past its time: gone
    call_command("jobs_sweep", stdout=open("/dev/null", "w"))

    assert not storage().exists(job.file) and not Job.objects.filter(pk=job.pk).exists()


def test_a_job_whose_worker_went_silent_is_started_once_more_then_given_up(staff, settings):
    settings.PERISAI_JOBS_STALE_SECONDS = 60
    job = job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    for attempt in (1, 2):
        Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=attempt, heartbeat_at=long_ago)
        call_command("jobs_sweep", stdout=open("/dev/null", "w"))
        job.refresh_from_db()
        assert job.state == (Job.State.QUEUED if attempt == 1 else Job.State.FAILED)

    assert "interrupted twice" in job.message or "dua kali" in job.message


def test_my_downloads_reads_as_many_queries_for_twelve_jobs_as_for_two(staff, staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse("jobs:list")).status_code == 200
        return len(captured)

    for _ in range(2):
        run_job.call(str(job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted").pk))
    with_two = queries()
    for _ in range(10):
        run_job.call(str(job_create(owner=staff, title="Peserta.csv", handler="tests.jobs.handlers.counted").pk))

    assert queries() == with_two <= 8
