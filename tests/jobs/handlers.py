"""Handlers only the tests run as jobs (a job names its handler by dotted path; a worker imports it)."""

import time

from jobs.models import Job
from jobs.services import JobFailed, Result
from web.jobs.kinds import import_confirm


def counted(*, job, progress):
    """Ten rows; on the way, what anyone reading the job's row sees (kept as the job's message)."""
    progress(3, 10)
    seen = Job.objects.values_list("rows_done", "rows_total").get(pk=job.pk)
    progress(10, 10)
    return Result(file=b"a,b\n1,2\n", file_name="numbers.csv", content_type="text/csv", message=f"seen {seen}")


def refused(*, job, progress):
    raise JobFailed("The branch has no participants in that month.")


def broken(*, job, progress):
    raise RuntimeError("a bug, with details the user must not read")


def import_then_hang(*, job, progress):
    """The real import confirmation, then (on the first attempt) a wait long enough to be killed in: the
    write has committed and the job is not yet done, the moment a retry must not write again."""
    result = import_confirm(job=job, progress=progress)
    if job.attempts == 1:
        time.sleep(120)
    return result
