"""Writes on a job: make and queue it, start it in a worker, report progress, finish or fail it, start a job
whose worker died once more, and delete results past their time.

Never twice: a worker starts a job under its row lock, and only from "waiting" (or "running" with no word
from its worker for ``PERISAI_JOBS_STALE_SECONDS``); each start counts an attempt, and only the attempt that
holds the job may finish it. A job whose worker died is queued once more by ``jobs_recover`` (run by
``manage.py jobs_sweep``, and whenever its owner looks at it); after ``MAX_ATTEMPTS`` it fails with a
message. What the work writes must itself be safe to run again: the import confirmations decide under the
batch's row lock, in one transaction, whether the batch is still pending, and a file result is saved under
the job's own name, replacing what an interrupted attempt left.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.models import Job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
"""A job is started at most twice: once, and once more if its worker died (a restart, a crash)."""


class JobFailed(Exception):
    """Raised by a handler with a message for the job's owner (in the job's language)."""


@dataclass
class Result:
    """What a handler returns: a file (bytes, a path or a binary file) with the name it downloads as, and/or a
    message and a link for the owner (e.g. back to the import it confirmed)."""

    file: object = None
    file_name: str = ""
    content_type: str = "application/octet-stream"
    message: str = ""
    link: str = ""


def storage():
    """Where result files live: the storage named by ``PERISAI_JOBS_STORAGE`` (Django's ``STORAGES``), so a
    shared store (S3-style) serves every app server."""
    return storages[settings.PERISAI_JOBS_STORAGE]


def kept_for():
    return timedelta(hours=settings.PERISAI_JOBS_KEPT_HOURS)


def stale_after():
    return timedelta(seconds=settings.PERISAI_JOBS_STALE_SECONDS)


def job_create(*, owner, title, handler, params=None, language=None):
    """A new waiting job for ``owner``, queued when the current transaction commits."""
    job = Job.objects.create(
        owner=owner,
        title=title[:255],
        handler=handler,
        params=params or {},
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: job_enqueue(job=job))
    return job


def job_enqueue(*, job):
    """Hand ``job`` to the queue (the task backend of ``TASKS``) and remember the queue's id for it."""
    from jobs.tasks import run_job  # the task module imports this one

    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]


def job_start(*, job_id, now=None):
    """Claim the job for this worker: the job, now running, or None when it is not this worker's to run
    (finished, or running with a live worker). A job started ``MAX_ATTEMPTS`` times already fails."""
    now = now or timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.state == Job.State.RUNNING and job.heartbeat_at and job.heartbeat_at > now - stale_after():
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, now=now)
            return None
        job.attempts += 1
        job.state = Job.State.RUNNING
        job.started_at = job.heartbeat_at = now
        job.rows_done = 0
        job.save(update_fields=["attempts", "state", "started_at", "heartbeat_at", "rows_done"])
    return job


class Progress:
    """The callback a handler passes to the domain: ``progress(done, total=None)`` rows. It writes the job's
    row at most once every ``every`` seconds (and at the last row), which is also the worker's heartbeat.

    Inside a transaction (an import's one write) the figure becomes visible when the transaction commits;
    the heartbeat is generous enough (``PERISAI_JOBS_STALE_SECONDS``) for the bounded writes done that way.
    """

    def __init__(self, job, *, every=1.0):
        self.job = job
        self.every = every
        self.written_at = None

    def __call__(self, done, total=None):
        if total is not None:
            self.job.rows_total = total
        total = self.job.rows_total
        done = min(done, total) if total is not None else done
        self.job.rows_done = done
        clock = time.monotonic()
        last = total is not None and done >= total
        if self.written_at is not None and clock - self.written_at < self.every and not last:
            return
        self.written_at = clock
        self.job.heartbeat_at = timezone.now()
        Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts, state=Job.State.RUNNING).update(
            rows_done=done, rows_total=total, heartbeat_at=self.job.heartbeat_at
        )


def job_finish(*, job, result, now=None):
    """Keep the result of ``job`` (this attempt's) and mark it done; False when another attempt holds it."""
    now = now or timezone.now()
    result = result or Result()
    name = ""
    if result.file is not None:
        name = _save(job, result.file)
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, attempts=job.attempts, state=Job.State.RUNNING).update(
            state=Job.State.DONE,
            finished_at=now,
            heartbeat_at=now,
            rows_done=job.rows_total if job.rows_total is not None else job.rows_done,
            file=name,
            file_name=result.file_name[:255],
            content_type=result.content_type[:100] if name else "",
            message=result.message,
            link=result.link[:255],
            expires_at=now + kept_for(),
        )
    return bool(updated)


def _save(job, content):
    """Save ``content`` as the job's one result file, replacing what an interrupted attempt saved."""
    store = storage()
    name = f"jobs/{job.pk}/result"
    if store.exists(name):
        store.delete(name)
    if isinstance(content, bytes):
        return store.save(name, ContentFile(content))
    if isinstance(content, (str, Path)):
        with open(content, "rb") as handle:
            return store.save(name, File(handle))
    content.seek(0)
    return store.save(name, File(content))


def job_fail(*, job, message, now=None):
    """Mark this attempt's ``job`` failed with ``message`` for its owner."""
    now = now or timezone.now()
    Job.objects.filter(pk=job.pk, attempts=job.attempts, state=Job.State.RUNNING).update(
        state=Job.State.FAILED, finished_at=now, message=message, expires_at=now + kept_for()
    )


def _fail(job, *, now):
    with translation.override(job.language):
        job.message = _("The job was interrupted twice and was stopped. Start it again.")
    job.state = Job.State.FAILED
    job.finished_at = now
    job.expires_at = now + kept_for()
    job.save(update_fields=["state", "finished_at", "message", "expires_at"])


def job_interrupted(*, job):
    """The worker was told to stop mid-job: leave it for ``jobs_recover`` to start once more at once."""
    Job.objects.filter(pk=job.pk, attempts=job.attempts, state=Job.State.RUNNING).update(heartbeat_at=None)


def stale_jobs(*, now=None):
    """Running jobs whose worker has not been heard of for ``PERISAI_JOBS_STALE_SECONDS`` (or stopped)."""
    now = now or timezone.now()
    return Job.objects.filter(state=Job.State.RUNNING).exclude(heartbeat_at__gt=now - stale_after())


def jobs_recover(*, jobs=None, now=None):
    """Queue once more each stale job (of ``jobs``, default all) started fewer than ``MAX_ATTEMPTS`` times;
    fail the others. How many were queued again."""
    now = now or timezone.now()
    queued = 0
    candidates = stale_jobs(now=now) if jobs is None else jobs
    for job_id in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            job = stale_jobs(now=now).select_for_update().filter(pk=job_id).first()
            if job is None:
                continue
            if job.attempts >= MAX_ATTEMPTS:
                _fail(job, now=now)
                continue
            _release_task(job)
            job.state = Job.State.QUEUED
            job.heartbeat_at = None
            job.save(update_fields=["state", "heartbeat_at"])
            transaction.on_commit(lambda job=job: job_enqueue(job=job))
            queued += 1
    if queued:
        logger.warning("Queued %d background job(s) again after their worker stopped.", queued)
    return queued


def _release_task(job):
    """Mark the dead worker's task failed in the database queue, so it does not read as running forever."""
    if not job.task_id:
        return
    try:
        from django_tasks import task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database queue is always installed
        return
    if isinstance(task_backends["default"], DatabaseBackend):
        DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now(), exception_class_path="jobs.services.WorkerStopped"
        )


def jobs_purge(*, now=None):
    """Delete finished jobs past their time, and their files (the result, and an upload left by a job that
    failed before it read it: ``web.jobs.kinds.payments_read``); how many."""
    now = now or timezone.now()
    store = storage()
    expired = list(Job.objects.filter(expires_at__lt=now).exclude(state__in=[Job.State.QUEUED, Job.State.RUNNING]))
    for job in expired:
        for name in (job.file, (job.params or {}).get("upload")):  # its result, and a file it was given to read
            if name and store.exists(name):
                store.delete(name)
    Job.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)
