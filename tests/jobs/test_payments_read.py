"""A large payments file is read and matched by a worker, not in the request: the upload answers at once with
the job's progress page, and the finished job links to the preview."""

import pytest
from django.urls import reverse

from enrollment.models import Acquisition, PaymentImport, PaymentLine
from jobs.models import Job
from jobs.tasks import run_job
from tests.enrollment.payments.conftest import HEADER, csv_file, payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    """Every file counts as large (a real one would be hundreds of kilobytes)."""
    settings.PERISAI_JOBS_UPLOAD_BYTES_IN_REQUEST = 10


def upload(client, file):
    return client.post(reverse("payments:upload"), {"file": file})


def test_a_large_file_is_read_by_the_worker_and_the_finished_job_links_to_its_preview(
    staff_client, two_branches, large, results_storage
):
    acquisitions = list(Acquisition.objects.filter(branch=two_branches["CLP"]))
    response = upload(staff_client, csv_file([payment(acquisition) for acquisition in acquisitions]))

    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert not PaymentImport.objects.exists()  # nothing read in the request
    assert list(results_storage.rglob("pembayaran.csv")), "the upload is kept for the worker"

    run_job.call(str(job.pk))

    job.refresh_from_db()
    payment_import = PaymentImport.objects.get()
    assert (job.state, job.rows_done, job.rows_total) == (Job.State.DONE, 3, 3)
    assert job.link == reverse("payments:detail", args=[payment_import.pk])
    assert job.message == "3 rows read and matched: see what matched, then record the payments."
    assert payment_import.counts == {PaymentLine.Outcome.MATCHED: 3}
    assert (payment_import.branch, payment_import.uploaded_by) == (two_branches["CLP"], job.owner)
    assert not list(results_storage.rglob("pembayaran.csv")), "the upload is deleted once read"
    page = staff_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("payments:detail", args=[payment_import.pk]) in page


def test_a_small_file_is_still_read_in_the_request(staff_client, two_branches):
    acquisition = Acquisition.objects.filter(branch=two_branches["CLP"]).first()
    response = upload(staff_client, csv_file([payment(acquisition)]))
    assert response["Location"] == reverse("payments:detail", args=[PaymentImport.objects.get().pk])
    assert not Job.objects.exists()


def test_a_file_that_cannot_be_read_fails_the_job_with_the_reason_and_keeps_nothing(
    staff_client, two_branches, large, results_storage
):
    upload(staff_client, csv_file([["3301010101900001"]], header=HEADER[:1]))
    job = Job.objects.get()

    run_job.call(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "no “Period” column" in job.message  # the missing columns are named, as on the page
    assert not PaymentImport.objects.exists()
    assert not list(results_storage.rglob("pembayaran.csv"))


def test_a_second_attempt_after_the_first_saved_the_import_answers_with_it_and_reads_nothing_twice(
    staff_client, two_branches, large
):
    acquisition = Acquisition.objects.filter(branch=two_branches["CLP"]).first()
    upload(staff_client, csv_file([payment(acquisition)]))
    job = Job.objects.get()
    run_job.call(str(job.pk))
    first = PaymentImport.objects.get()
    # As if the worker had died between saving the import and marking the job done:
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, attempts=1, finished_at=None, link="", message="")

    run_job.call(str(job.pk))

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert list(PaymentImport.objects.all()) == [first]
    assert job.link == reverse("payments:detail", args=[first.pk])
