"""``python manage.py rebuild_report_rollups``: count the report rollups again from the raw rows.

Triggers keep them in step with every write; a rebuild is for after a bulk load made with triggers
off (``bench/generate.py``) or a restore from a dump taken without them.
"""

import time

from django.core.management.base import BaseCommand

from reports import rollups


class Command(BaseCommand):
    help = "Count the report rollups (acquisitions per month, participants standing) again from the raw rows."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rollups.rebuild()
        self.stdout.write(f"Report rollups rebuilt in {time.perf_counter() - started:.1f} s.")
