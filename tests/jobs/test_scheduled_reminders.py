"""The daily reminders can be shared by the pool of workers: one queued task per branch, each the command's
own run for that branch."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.factories import BranchFactory


@pytest.mark.django_db(transaction=True)
def test_send_reminders_in_background_queues_one_task_per_branch_and_a_worker_runs_them():
    BranchFactory(code="CLP"), BranchFactory(code="BMS")
    out = io.StringIO()

    call_command("send_reminders", "--in-background", "--today", "2026-12-07", stdout=out)

    assert "Queued the reminders of 2 branches" in out.getvalue()
    queued = DBTaskResult.objects.filter(task_path="followup.tasks.send_branch_reminders")
    assert sorted(task.args_kwargs["args"][0] for task in queued) == ["BMS", "CLP"]
    call_command("jobs_worker", burst=True, verbosity=0)
    assert set(queued.values_list("status", flat=True)) == {"SUCCESSFUL"}
