"""The reminders a branch can switch on: who gets one this month, queueing them, handing them to the
sending backend, and forgetting them after a while. ``manage.py send_reminders`` runs the three steps.

**Who** (``reminders_planned``), for each active agent of the branch with a login:

- each participant on the agent's follow-up list (``followup.selectors.follow_up_list``, the same
  rules as the agent's page: refusals and deaths are off the list, a promise to pay keeps them off
  until the promised day) who is *one month from lapsing* and has a phone number gets the branch's
  "late" text (``MessageTemplate``, the branch's own or the national one), filled for them by
  ``followup.messages`` (first name, months unpaid, amount, their agent's name and phone; never a NIK);
- the agent gets the "agent_list" text when their list holds ``LONG_LIST`` participants or more.

The list is the agent's, read through their login (``follow_up_list`` takes the agent's user); an agent
without a login has no follow-up list in Perisai and is skipped, counted in the result so the command
says how many. Agents who left are skipped too: staff move their participants to another agent first.

**Once a month**: a person gets at most one reminder a calendar month (``OutboxMessage.month``, unique
per acquisition and per agent in the schema); the plan leaves out who already has this month's, and the
insert ignores a row a concurrent run wrote first. Running the command daily therefore reaches a
participant the first day they are late and not waiting on a promise, once.

**Sending** (``outbox_dispatch``): this month's queued messages go to the backend one by one
(``followup.sending``); each ends *sent* or *failed* with the reason, and which backend handled it. A
failed message is not tried again (a timeout may still have been delivered): staff see it with its
error and the agent follows up by hand. After ``MAX_FAILURES_IN_A_ROW`` failures in a row the gateway
is taken to be down and the rest stay queued for the next run the same month. The outbox backend sends
nothing, so its messages stay queued: the outbox is the record staff read. A queued message of an
earlier month is never sent late.

**Forgetting** (``outbox_purge``): an outbox message holds a phone number and a text naming the person
and what they owe, so it is kept ``OUTBOX_KEPT_FOR`` (90 days) after it was queued and then deleted;
``send_reminders`` does it on every run (PRIVACY.md).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from agents.models import Agent
from followup.messages import agent_message, participant_message, templates_for
from followup.models import MessageTemplate, OutboxMessage
from followup.selectors import Urgency, follow_up_list
from followup.sending import SendFailed
from perisai.months import month_start
from perisai.roles import Role

LONG_LIST = 10
"""An agent whose follow-up list holds this many participants or more gets a reminder about it."""
OUTBOX_KEPT_FOR = datetime.timedelta(days=90)
MAX_FAILURES_IN_A_ROW = 5

Purpose = MessageTemplate.Purpose
Status = OutboxMessage.Status


@dataclass(frozen=True)
class PlannedMessage:
    """A reminder to queue: to a participant (``acquisition_id``) or to an agent (``agent_id``)."""

    purpose: str
    to: str
    text: str
    acquisition_id: int | None = None
    agent_id: int | None = None


@dataclass
class ReminderPlan:
    """What a run would queue for a branch and a month, and who it leaves out and why."""

    branch: object
    month: datetime.date
    messages: list = field(default_factory=list)
    already_this_month: int = 0
    late_without_phone: int = 0
    agents_without_login: int = 0
    missing_templates: list = field(default_factory=list)

    def count(self, purpose):
        return sum(1 for message in self.messages if message.purpose == purpose)


def reminders_planned(*, branch, today, long_list=None):
    """The ``ReminderPlan`` of ``branch`` on ``today`` (an agent's list is long at ``long_list``, by default
    ``LONG_LIST``): one query per agent with a login, and four more."""
    long_list = LONG_LIST if long_list is None else long_list
    month = month_start(today)
    plan = ReminderPlan(branch=branch, month=month)
    texts = templates_for(branch)
    plan.missing_templates = [purpose for purpose in (Purpose.LATE, Purpose.AGENT_LIST) if purpose not in texts]
    queued = OutboxMessage.objects.filter(branch=branch, month=month)
    participants_done = set(queued.filter(acquisition__isnull=False).values_list("acquisition_id", flat=True))
    agents_done = set(queued.filter(agent__isnull=False).values_list("agent_id", flat=True))
    agents = Agent.objects.filter(branch=branch, status=Agent.Status.ACTIVE).select_related("user").order_by("code")
    for agent in agents:
        if agent.user is None or agent.user.role != Role.AGENT:
            plan.agents_without_login += 1
            continue
        rows = follow_up_list(agent.user, today=today)
        for row in rows:
            if row.urgency != Urgency.LAPSING:
                continue
            if not row.phone:
                plan.late_without_phone += 1
            elif row.acquisition_id in participants_done:
                plan.already_this_month += 1
            elif Purpose.LATE in texts:
                plan.messages.append(
                    PlannedMessage(
                        purpose=Purpose.LATE,
                        to=row.phone,
                        text=participant_message(texts[Purpose.LATE], row=row, agent=agent),
                        acquisition_id=row.acquisition_id,
                    )
                )
        if len(rows) >= long_list and agent.phone:
            if agent.pk in agents_done:
                plan.already_this_month += 1
            elif Purpose.AGENT_LIST in texts:
                plan.messages.append(
                    PlannedMessage(
                        purpose=Purpose.AGENT_LIST,
                        to=agent.phone,
                        text=agent_message(texts[Purpose.AGENT_LIST], agent=agent, count=len(rows)),
                        agent_id=agent.pk,
                    )
                )
    return plan


def reminders_queue(*, plan):
    """Queue the messages of ``plan``; how many were queued (a person a concurrent run reached first is
    left out by the schema's one-a-month constraints)."""
    queued_at = timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                branch=plan.branch,
                purpose=message.purpose,
                acquisition_id=message.acquisition_id,
                agent_id=message.agent_id,
                to=message.to,
                text=message.text,
                month=plan.month,
                created_at=queued_at,
            )
            for message in plan.messages
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return OutboxMessage.objects.filter(branch=plan.branch, month=plan.month, created_at=queued_at).count()


@dataclass(frozen=True)
class Dispatched:
    """What became of this month's queued messages: ``left_queued`` stay in the outbox (no gateway, or the
    gateway failing ``MAX_FAILURES_IN_A_ROW`` times in a row, which ``stopped`` says)."""

    sent: int
    failed: int
    left_queued: int
    stopped: bool = False


def outbox_dispatch(*, backend, today, branch=None):
    """Hand this month's queued messages (of ``branch``, or every branch) to ``backend``, oldest first.

    Each message is locked while it is sent (``skip_locked`` on PostgreSQL), so two runs at once never
    send one message twice.
    """
    queued = OutboxMessage.objects.filter(status=Status.QUEUED, month=month_start(today))
    if branch is not None:
        queued = queued.filter(branch=branch)
    if not backend.delivers:
        return Dispatched(sent=0, failed=0, left_queued=queued.count())
    sent = failed = in_a_row = 0
    stopped = False
    for pk in list(queued.order_by("created_at", "pk").values_list("pk", flat=True)):
        if in_a_row >= MAX_FAILURES_IN_A_ROW:
            stopped = True
            break
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, status=Status.QUEUED)
            message = message.first()
            if message is None:
                continue
            try:
                backend.send(message)
            except SendFailed as failure:
                message.status, message.error = Status.FAILED, failure.reason
                failed += 1
                in_a_row += 1
            else:
                message.status, message.error, message.sent_at = Status.SENT, "", timezone.now()
                sent += 1
                in_a_row = 0
            message.backend = backend.name
            message.save(update_fields=["status", "error", "sent_at", "backend"])
    return Dispatched(sent=sent, failed=failed, left_queued=queued.count(), stopped=stopped)


def outbox_purge(*, now=None, branch=None, dry_run=False):
    """Delete outbox messages queued more than ``OUTBOX_KEPT_FOR`` before ``now`` (of ``branch``, or every
    branch); how many were (or, with ``dry_run``, would be) deleted."""
    expired = OutboxMessage.objects.filter(created_at__lt=(now or timezone.now()) - OUTBOX_KEPT_FOR)
    if branch is not None:
        expired = expired.filter(branch=branch)
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted
