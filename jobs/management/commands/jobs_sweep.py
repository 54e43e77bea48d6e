"""``manage.py jobs_sweep``: run every few minutes (README, "Background jobs").

Queues once more each job whose worker stopped (not heard of for ``PERISAI_JOBS_STALE_SECONDS``), fails
those already started twice, and deletes finished jobs and their files past ``PERISAI_JOBS_KEPT_HOURS``.
"""

from django.core.management import BaseCommand

from jobs.services import jobs_purge, jobs_recover


class Command(BaseCommand):
    help = "Queue again the background jobs whose worker stopped; delete results kept past their time."

    def handle(self, **options):
        queued = jobs_recover()
        deleted = jobs_purge()
        self.stdout.write(f"Queued again {queued} interrupted jobs; deleted {deleted} expired jobs and their files.")
