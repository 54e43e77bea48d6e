"""``manage.py jobs_worker [--burst]``: a worker for the background jobs, on whichever queue is set.

With the database queue (the default) it runs ``django_tasks_db``'s ``db_worker``; with Redis
(``PERISAI_TASKS_REDIS_URL``) RQ's ``rqworker`` on the ``default`` queue with the tasks' job class, so the
same command starts a worker on any machine. Before it starts, and every ``SWEEP_SECONDS`` while it runs, it
sweeps (``jobs_recover`` and ``jobs_purge``): a job whose worker died is queued once more and expired files
are deleted even where nothing else is scheduled. ``--burst`` works through what is queued, then exits.
"""

import logging
import threading

from django.core.management import BaseCommand, call_command
from django.db import connection
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from jobs.services import jobs_purge, jobs_recover

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60


def sweep():
    queued, deleted = jobs_recover(), jobs_purge()
    if queued or deleted:
        logger.info("Swept background jobs: %d queued again, %d expired deleted.", queued, deleted)


def sweep_every(seconds, stop):
    while not stop.wait(seconds):
        try:
            sweep()
        except Exception:  # a locked SQLite file or a restarting server: try again next time
            logger.exception("Sweeping background jobs failed")
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Run a worker for the background jobs (database queue, or Redis when PERISAI_TASKS_REDIS_URL is set)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *, burst, verbosity, **options):
        sweep()
        stop = threading.Event()
        if not burst:
            threading.Thread(target=sweep_every, args=(SWEEP_SECONDS, stop), daemon=True).start()
        try:
            if isinstance(task_backends["default"], DatabaseBackend):
                call_command("db_worker", reload=False, batch=burst, interval=1, verbosity=verbosity)
            else:
                call_command("rqworker", "default", job_class="django_tasks_rq.backend.Job", burst=burst)
        finally:
            stop.set()
