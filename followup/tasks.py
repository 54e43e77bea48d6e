"""The daily reminders as tasks of the background queue (README, "Background jobs").

``manage.py send_reminders --in-background`` queues one task per branch instead of running them one after
another, so a national run is shared by the pool of workers; each task is the command's own run for one
branch (plan, queue once a month, hand to the backend, purge that branch's old outbox messages).
"""

from django.core.management import call_command
from django_tasks import task


@task()
def send_branch_reminders(branch_code, today):
    call_command("send_reminders", branch=branch_code, today=today)
