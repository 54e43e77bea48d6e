"""``send_reminders``: who gets a reminder, once a month, how the backend's answer is recorded, and the
outbox forgotten after 90 days. The day is fixed (11 July 2022, ``tests.followup.builders``)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from followup.models import MessageTemplate, OutboxMessage
from followup.reminders import (
    MAX_FAILURES_IN_A_ROW,
    Dispatched,
    outbox_dispatch,
    outbox_purge,
    reminders_planned,
    reminders_queue,
)
from followup.sending import MessageBackend, SendFailed
from tests.factories import AgentFactory, ContributionFactory
from tests.followup.builders import JULY, TODAY, build_reminder_world, more_late_participants
from tests.followup.fake_gateway import fake_gateway

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
AMOUNT = "Rp\u00a033.600"  # two months at the minimum package, as rupiah() writes it


@pytest.fixture
def world(rate):
    return build_reminder_world()


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("send_reminders", *args, today=options.pop("today", TODAY.isoformat()), stdout=out, stderr=err,
                 **options)  # fmt: skip
    return out.getvalue() + err.getvalue()


def queued_to(world):
    """Who has a message in the outbox: participants by first name, agents by name."""
    names = []
    for message in OutboxMessage.objects.select_related("acquisition__participant", "agent").order_by("pk"):
        person = message.acquisition.participant.full_name.split()[0] if message.acquisition else None
        names.append(person or message.agent.full_name)
    return sorted(names)


class FailingBackend(MessageBackend):
    name = "failing"

    def __init__(self):
        self.tried = []

    def send(self, message):
        self.tried.append(message.pk)
        raise SendFailed("the gateway answered HTTP 503 Service Unavailable")


# --- who -----------------------------------------------------------------------------------------


def test_participants_one_month_from_lapsing_with_a_phone_get_the_late_reminder(world):
    run("--branch", "CLP")

    assert queued_to(world) == ["Ani", "Indah"]
    assert set(OutboxMessage.objects.values_list("purpose", "branch__code", "month")) == {("late", "CLP", JULY)}


def test_the_text_is_the_national_late_template_filled_for_the_participant(world):
    run("--branch", "CLP")

    message = OutboxMessage.objects.get(acquisition=world["Ani"])
    assert message.to == "+6281311110001"
    assert message.text.startswith(f"Halo Ani, iuran BPJS Ketenagakerjaan Anda untuk Juni dan Juli 2022 ({AMOUNT})")
    assert message.text.endswith("– Sari Wulandari, Agen Perisai (+6281211112222)")


def test_the_branchs_own_wording_wins_over_the_national_one(world):
    MessageTemplate.objects.create(branch=world.branch, purpose="late", text="{nama}: {bulan}, {jumlah}. {agen}")

    run("--branch", "CLP")

    text = OutboxMessage.objects.get(acquisition=world["Ani"]).text
    assert text == f"Ani: Juni dan Juli 2022, {AMOUNT}. Sari Wulandari"


def test_a_message_never_carries_the_participants_nik(world):
    MessageTemplate.objects.create(branch=world.branch, purpose="late", text="{nama} {bulan} {jumlah} {agen} {hp_agen}")

    run("--branch", "CLP")

    for message in OutboxMessage.objects.select_related("acquisition__participant"):
        assert message.acquisition.participant.nik not in message.text
        assert message.acquisition.participant.nik[-8:] not in message.text


def test_refusals_and_promises_for_a_later_day_get_no_reminder_and_a_promise_due_today_does(world):
    run("--branch", "CLP")

    assert "Gita" not in queued_to(world)  # refused
    assert "Hadi" not in queued_to(world)  # promised for 20 July
    assert "Indah" in queued_to(world)  # promised for today, and not paid


def test_due_and_paid_participants_get_nothing(world):
    run("--branch", "CLP")

    assert not {"Budi", "Citra"} & set(queued_to(world))


def test_the_late_without_a_phone_and_the_agents_without_a_login_are_counted_not_messaged(world):
    output = run("--branch", "CLP")

    assert not {"Fitri", "Kartika"} & set(queued_to(world))
    assert "1 late without a phone number" in output
    assert "1 active agents without a login not covered" in output


def test_an_agent_who_left_is_skipped(world):
    world.agent.status, world.agent.left_on, world.agent.deactivation_reason = "inactive", TODAY, "resigned"
    world.agent.save()

    run("--branch", "CLP")

    assert queued_to(world) == []


def test_an_agent_with_a_long_list_gets_the_agent_list_reminder_with_the_count(world):
    more_late_participants(world.agent, 6)  # her list: Ani, Indah, Fitri, Budi and these 6

    run("--branch", "CLP")

    message = OutboxMessage.objects.get(agent=world.agent)
    assert (message.purpose, message.to) == ("agent_list", "+6281211112222")
    assert message.text.startswith("Halo Sari Wulandari, hari ini 10 peserta Anda perlu dihubungi")


def test_an_agent_one_short_of_a_long_list_gets_nothing(world):
    more_late_participants(world.agent, 5)

    run("--branch", "CLP")

    assert not OutboxMessage.objects.filter(agent__isnull=False).exists()


def test_without_branch_every_branch_gets_its_reminders_and_with_one_only_that_branch(world):
    run("--branch", "BMS")
    assert queued_to(world) == ["Lina"]

    run()
    assert queued_to(world) == ["Ani", "Indah", "Lina"]
    assert OutboxMessage.objects.get(acquisition=world["Lina"]).branch == world.other_branch


def test_a_branch_without_any_late_template_queues_no_late_reminder_and_says_so(world):
    MessageTemplate.objects.filter(purpose="late").delete()

    output = run("--branch", "CLP")

    assert queued_to(world) == []
    assert "no 'late' message template" in output


# --- once a month ------------------------------------------------------------------------------------


def test_running_twice_the_same_month_queues_nothing_new(world):
    more_late_participants(world.agent, 6)
    run("--branch", "CLP")
    first = OutboxMessage.objects.count()

    output = run("--branch", "CLP", today="2022-07-12")

    assert first == 9 and OutboxMessage.objects.count() == first
    assert "queued 0 reminders" in output and "9 already had this month's" in output


def test_a_promise_that_passed_unpaid_brings_the_reminder_on_a_later_run_of_the_month(world):
    run("--branch", "CLP")

    run("--branch", "CLP", today="2022-07-20")  # Hadi promised to pay by today, and has not

    assert queued_to(world) == ["Ani", "Hadi", "Indah"]


def test_next_month_brings_the_reminders_of_next_month(world):
    run("--branch", "CLP")
    ContributionFactory(acquisition=world["Ani"], period=datetime.date(2022, 6, 1), paid_on=datetime.date(2022, 7, 20))

    run("--branch", "CLP", today="2022-08-02")

    august = OutboxMessage.objects.filter(month=datetime.date(2022, 8, 1))
    # Ani paid June late and is one month from lapsing again; Budi, due in July, is now; Indah has lapsed
    assert sorted(message.acquisition.participant.full_name for message in august) == ["Ani Lestari", "Budi Santoso"]


def test_the_database_refuses_a_second_reminder_to_one_participant_in_a_month(world):
    run("--branch", "CLP")
    first = OutboxMessage.objects.get(acquisition=world["Ani"])

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(branch=world.branch, purpose="late", acquisition=world["Ani"], to=first.to,
                                     text="again", month=JULY)  # fmt: skip


def test_the_database_refuses_a_second_reminder_to_one_agent_in_a_month(world):
    OutboxMessage.objects.create(branch=world.branch, purpose="agent_list", agent=world.agent, to="+62812", text="1",
                                 month=JULY)  # fmt: skip

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(branch=world.branch, purpose="agent_list", agent=world.agent, to="+62812",
                                     text="2", month=JULY)  # fmt: skip


def test_a_run_that_lost_the_race_queues_only_what_the_other_left(world):
    plan = reminders_planned(branch=world.branch, today=TODAY)
    OutboxMessage.objects.create(branch=world.branch, purpose="late", acquisition=world["Ani"], to="+6281311110001",
                                 text="queued by another run", month=JULY)  # fmt: skip

    assert reminders_queue(plan=plan) == 1
    assert OutboxMessage.objects.get(acquisition=world["Ani"]).text == "queued by another run"


def test_planning_costs_one_query_per_agent_with_a_login(world, django_assert_num_queries):
    for n in range(3):
        AgentFactory(branch=world.branch, office=world.agent.office, full_name=f"Tanpa Login {n}")

    with django_assert_num_queries(5):  # the templates, this month's messages (two), the agents; Sari's list
        reminders_planned(branch=world.branch, today=TODAY)


# --- sending -------------------------------------------------------------------------------------------


def test_without_a_gateway_the_messages_stay_queued_in_the_outbox_for_staff(world):
    output = run("--branch", "CLP")

    assert set(OutboxMessage.objects.values_list("status", "backend", "sent_at")) == {(Status.QUEUED, "", None)}
    assert "2 messages in the outbox for staff (no gateway" in output


def test_with_the_gateway_switched_on_each_message_is_sent_or_failed_with_its_reason(world, settings):
    settings.PERISAI_MESSAGE_BACKEND = "followup.sending.HttpGatewayBackend"
    settings.PERISAI_SMS_GATEWAY_TOKEN = "token"
    with fake_gateway(answers=[200, 500]) as gateway:
        settings.PERISAI_SMS_GATEWAY_URL = gateway.url
        output = run("--branch", "CLP")

    assert sorted(request.body["to"] for request in gateway.requests) == ["+6281311110001", "+6281311110002"]
    sent, failed = OutboxMessage.objects.order_by("created_at", "pk")
    assert (sent.status, sent.backend, sent.error) == (Status.SENT, "http", "")
    assert sent.sent_at is not None
    assert (failed.status, failed.backend, failed.sent_at) == (Status.FAILED, "http", None)
    assert failed.error == "the gateway answered HTTP 500 Internal Server Error"
    assert "sent 1, failed 1, still queued 0" in output


def test_a_failed_message_is_not_tried_again(world):
    reminders_queue(plan=reminders_planned(branch=world.branch, today=TODAY))
    outbox_dispatch(backend=FailingBackend(), today=TODAY, branch=world.branch)
    again = FailingBackend()

    assert outbox_dispatch(backend=again, today=TODAY, branch=world.branch) == Dispatched(0, 0, 0)
    assert again.tried == []


def test_after_failures_in_a_row_the_rest_stay_queued_for_the_next_run(world):
    more_late_participants(world.agent, MAX_FAILURES_IN_A_ROW + 2)
    reminders_queue(plan=reminders_planned(branch=world.branch, today=TODAY, long_list=100))
    backend = FailingBackend()

    dispatched = outbox_dispatch(backend=backend, today=TODAY, branch=world.branch)

    assert dispatched == Dispatched(sent=0, failed=MAX_FAILURES_IN_A_ROW, left_queued=4, stopped=True)
    assert len(backend.tried) == MAX_FAILURES_IN_A_ROW


def test_a_message_queued_in_an_earlier_month_is_never_sent_late(world):
    OutboxMessage.objects.create(branch=world.branch, purpose="late", acquisition=world["Budi"], to="+6281311110005",
                                 text="June's reminder", month=datetime.date(2022, 6, 1))  # fmt: skip
    backend = FailingBackend()

    outbox_dispatch(backend=backend, today=TODAY, branch=world.branch)

    assert backend.tried == []
    assert OutboxMessage.objects.get(acquisition=world["Budi"]).status == Status.QUEUED


def test_a_misconfigured_gateway_stops_the_command_before_anything_is_queued(world, settings):
    settings.PERISAI_MESSAGE_BACKEND = "followup.sending.HttpGatewayBackend"
    settings.PERISAI_SMS_GATEWAY_URL = ""

    with pytest.raises(CommandError, match="PERISAI_SMS_GATEWAY_URL"):
        run("--branch", "CLP")
    assert not OutboxMessage.objects.exists()


# --- dry run, retention, mistakes ------------------------------------------------------------------------


def test_a_dry_run_says_what_it_would_queue_and_changes_nothing(world):
    old = OutboxMessage.objects.create(branch=world.branch, purpose="late", acquisition=world["Budi"], to="+62813",
                                       text="old", month=datetime.date(2022, 3, 1))  # fmt: skip
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=91))

    output = run("--branch", "CLP", "--dry-run")

    assert "would queue 2 reminders" in output and "Would delete 1 outbox messages" in output
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [old.pk]


def test_outbox_messages_are_deleted_90_days_after_they_were_queued(world):
    def queued(days_ago, acquisition):
        message = OutboxMessage.objects.create(branch=world.branch, purpose="late", acquisition=acquisition,
                                               to="+62813", text="x", month=datetime.date(2022, 3, 1))  # fmt: skip
        queued_at = timezone.now() - datetime.timedelta(days=days_ago)
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=queued_at)
        return message

    expired, kept = queued(90.01, world["Budi"]), queued(89.9, world["Citra"])

    output = run("--branch", "CLP")

    assert not OutboxMessage.objects.filter(pk=expired.pk).exists()
    assert OutboxMessage.objects.filter(pk=kept.pk).exists()
    assert "Deleted 1 outbox messages queued more than 90 days ago" in output


def test_the_purge_of_one_branch_leaves_another_branchs_outbox(world):
    message = OutboxMessage.objects.create(branch=world.other_branch, purpose="late", acquisition=world["Lina"],
                                           to="+62813", text="x", month=datetime.date(2022, 3, 1))  # fmt: skip
    later = timezone.now() + datetime.timedelta(days=100)

    assert outbox_purge(now=later, branch=world.branch) == 0
    assert outbox_purge(now=later) == 1
    assert not OutboxMessage.objects.filter(pk=message.pk).exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--branch", "XYZ"], "Unknown branch 'XYZ'. Branch codes: BMS, CLP."),
        (["--today", "11-07-2022"], "--today must be a date written YYYY-MM-DD"),
    ],
)
def test_an_unknown_branch_or_a_bad_date_is_refused_with_a_message(world, args, said):
    with pytest.raises(CommandError, match=said.replace(".", r"\.")):
        call_command("send_reminders", *args, stdout=StringIO())
