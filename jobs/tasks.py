"""The one task on the queue: run a ``Job`` by its id (``jobs.services`` says how it is never run twice)."""

import logging

from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from jobs.services import JobFailed, Progress, job_fail, job_finish, job_interrupted, job_start

logger = logging.getLogger(__name__)


@task()
def run_job(job_id):
    job = job_start(job_id=job_id)
    if job is None:
        return None
    progress = Progress(job)
    with translation.override(job.language):
        try:
            handler = import_string(job.handler)
            result = handler(job=job, progress=progress)
        except JobFailed as failure:
            job_fail(job=job, message=str(failure))
            return "failed"
        except Exception:
            logger.exception("Background job %s (%s) failed", job.pk, job.handler)
            job_fail(job=job, message=_("The job failed. Nothing was changed; try again later."))
            return "failed"
        except BaseException:  # the worker is stopping: start it once more (jobs_recover)
            job_interrupted(job=job)
            raise
        job_finish(job=job, result=result)
    return "done"
