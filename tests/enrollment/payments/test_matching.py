"""Each row of a payments file is matched to a participant's month, or says why not."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from enrollment.models import Acquisition, Contribution, PaymentLine
from enrollment.services.payments import payment_import_confirm, payment_import_create
from tests.enrollment.payments.conftest import TODAY, agent_recorded, csv_file, payment
from tests.factories import AgentFactory

Outcome = PaymentLine.Outcome
pytestmark = pytest.mark.usefixtures("english")


def preview(rows, *, branch, user=None):
    return payment_import_create(upload=csv_file(rows), user=user, branch=branch, today=TODAY)


def outcomes(payment_import):
    return list(payment_import.lines.order_by("row").values_list("outcome", flat=True))


def test_a_row_for_a_participants_month_at_the_monthly_contribution_matches_and_is_written(branch, enrolled, staff):
    acquisition = enrolled()
    row = payment(acquisition, kanal="Bank BRI Cilacap", tanggal_bayar="05-07-2022")

    imported = payment_import_confirm(payment_import=preview([row], branch=branch, user=staff), user=staff, today=TODAY)

    assert outcomes(imported) == [Outcome.MATCHED]
    contribution = Contribution.objects.get(acquisition=acquisition)
    assert contribution.period == datetime.date(2022, 7, 1)
    assert contribution.paid_on == datetime.date(2022, 7, 5)
    assert contribution.amount == acquisition.monthly_contribution
    assert contribution.channel == Contribution.Channel.BANK
    assert contribution.channel_name == "Bank BRI Cilacap"
    assert contribution.reference == row["referensi"]
    assert contribution.credited_to == acquisition.caretaker
    assert contribution.payment_import == imported
    assert contribution.history.get().history_user == staff


def test_a_file_records_its_new_contributions_as_created_and_the_agents_records_it_confirms_as_changed(
    branch, enrolled, staff
):
    new, confirmed = enrolled(2)
    recorded = agent_recorded(confirmed, datetime.date(2022, 7, 1))
    rows = [payment(new), payment(confirmed)]

    imported = payment_import_confirm(payment_import=preview(rows, branch=branch, user=staff), user=staff, today=TODAY)

    assert outcomes(imported) == [Outcome.MATCHED, Outcome.CONFIRMS]
    written = Contribution.objects.get(acquisition=new)
    assert [(h.history_type, h.history_user) for h in written.history.all()] == [("+", staff)]
    # The agent's record keeps its own creation and gains one change, naming the file; it is not created twice.
    assert sorted(h.history_type for h in recorded.history.all()) == ["+", "~"]
    changes = list(recorded.history.filter(history_type="~"))
    assert changes[0].payment_import_id == imported.pk
    assert imported.file_name in changes[0].history_change_reason
    assert not written.history.filter(history_type="~").exists()


def test_the_preview_writes_no_contribution(branch, enrolled):
    acquisition = enrolled()

    pending = preview([payment(acquisition)], branch=branch)

    assert outcomes(pending) == [Outcome.MATCHED]
    assert pending.counts == {Outcome.MATCHED: 1}
    assert not Contribution.objects.exists()


def test_another_amount_is_written_as_paid_and_flagged(branch, enrolled):
    acquisition = enrolled()

    imported = payment_import_confirm(
        payment_import=preview([payment(acquisition, jumlah="Rp 20.000")], branch=branch), today=TODAY
    )

    line = imported.lines.get()
    assert line.outcome == Outcome.AMOUNT_DIFFERS
    assert "16,800" in line.message
    assert Contribution.objects.get(acquisition=acquisition).amount == Decimal(20000)


def test_a_month_the_agent_recorded_is_confirmed_not_counted_twice(branch, enrolled):
    acquisition = enrolled()
    recorded = agent_recorded(acquisition, datetime.date(2022, 7, 1))

    imported = payment_import_confirm(payment_import=preview([payment(acquisition)], branch=branch), today=TODAY)

    assert outcomes(imported) == [Outcome.CONFIRMS]
    assert Contribution.objects.filter(acquisition=acquisition).count() == 1
    recorded.refresh_from_db()
    assert recorded.payment_import == imported
    assert recorded.channel == Contribution.Channel.AGENT


def test_importing_the_same_file_again_changes_nothing(branch, enrolled):
    acquisitions = enrolled(3)
    rows = [payment(acquisition) for acquisition in acquisitions]
    payment_import_confirm(payment_import=preview(rows, branch=branch), today=TODAY)

    again = payment_import_confirm(payment_import=preview(rows, branch=branch), today=TODAY)

    assert outcomes(again) == [Outcome.ALREADY_RECORDED] * 3
    assert Contribution.objects.count() == 3


def test_the_same_month_paid_through_another_channel_is_not_counted_twice(branch, enrolled):
    acquisition = enrolled()
    payment_import_confirm(payment_import=preview([payment(acquisition)], branch=branch), today=TODAY)

    again = preview([payment(acquisition, kanal="Indomaret", referensi="IDM-1")], branch=branch)

    assert outcomes(again) == [Outcome.ALREADY_RECORDED]
    assert "not counted twice" in again.lines.get().message


def test_rows_that_cannot_be_matched_say_why(branch, enrolled, other_branch_acquisition):
    acquisition = enrolled()
    rows = [
        payment(nik="3301019901900009"),
        payment(other_branch_acquisition),
        payment(acquisition, periode="2022-02"),
        payment(acquisition, periode="2022-09"),
        payment(acquisition, nik="12345", periode="bulan tujuh"),
    ]

    pending = preview(rows, branch=branch)

    assert outcomes(pending) == [
        Outcome.UNKNOWN_PARTICIPANT,
        Outcome.OTHER_BRANCH,
        Outcome.BEFORE_ENROLMENT,
        Outcome.FUTURE_PERIOD,
        Outcome.MALFORMED,
    ]
    messages = list(pending.lines.order_by("row").values_list("message", flat=True))
    assert "another branch" in messages[1]
    assert "15 March 2022" in messages[2]
    assert "16 digits" in messages[4] and "not a month" in messages[4]
    assert pending.lines.order_by("row").last().cells["periode"] == "bulan tujuh"


def test_a_national_file_takes_every_branch(branch, enrolled, other_branch_acquisition):
    pending = preview([payment(enrolled()), payment(other_branch_acquisition)], branch=None)

    assert outcomes(pending) == [Outcome.MATCHED, Outcome.MATCHED]


def test_a_kpj_number_identifies_the_participant(branch, enrolled):
    acquisition = enrolled()
    acquisition.participant.kpj_number = "22012345678"
    acquisition.participant.save()

    pending = preview([payment(acquisition, nik="", kpj="22012345678")], branch=branch)

    assert outcomes(pending) == [Outcome.MATCHED]


def test_a_nik_and_a_kpj_of_two_participants_is_refused(branch, enrolled):
    first, second = enrolled(2)
    second.participant.kpj_number = "22012345678"
    second.participant.save()

    pending = preview([payment(first, kpj="22012345678")], branch=branch)

    assert outcomes(pending) == [Outcome.MALFORMED]
    assert "two different participants" in pending.lines.get().message


def test_a_row_repeating_an_earlier_one_is_a_duplicate_in_the_file(branch, enrolled):
    first, second = enrolled(2)
    rows = [
        payment(first, referensi="R-1"),
        payment(first, referensi="R-2"),
        payment(second, referensi="R-3"),
        payment(second, referensi="R-3", periode="2022-06"),
        payment(first, referensi="R-3", periode="2022-06"),
    ]

    pending = preview(rows, branch=branch)

    assert outcomes(pending) == [
        Outcome.MATCHED,
        Outcome.DUPLICATE,
        Outcome.MATCHED,
        Outcome.MATCHED,
        Outcome.DUPLICATE,
    ]
    assert "row 2" in pending.lines.get(row=3).message
    assert "row 5" in pending.lines.get(row=6).message


def test_a_reference_recorded_for_someone_else_is_listed(branch, enrolled):
    first, second = enrolled(2)
    payment_import_confirm(payment_import=preview([payment(first, referensi="R-9")], branch=branch), today=TODAY)

    pending = preview([payment(second, referensi="R-9")], branch=branch)

    assert outcomes(pending) == [Outcome.REFERENCE_TAKEN]


def test_a_payment_is_credited_to_the_agent_looking_after_the_participant_on_the_day_paid(branch, enrolled, office):
    acquisition = enrolled()
    acquisition.history.update(history_date=timezone.make_aware(datetime.datetime(2022, 3, 15, 9, 0)))
    first_agent = acquisition.caretaker
    acquisition.caretaker = AgentFactory(branch=branch, office=office)
    acquisition.save()
    handed_over = timezone.make_aware(datetime.datetime(2022, 7, 20, 9, 0))
    acquisition.history.filter(history_date__gt=handed_over).update(history_date=handed_over)
    rows = [
        payment(acquisition, periode="2022-06", tanggal_bayar="05-07-2022"),
        payment(acquisition, periode="2022-07", tanggal_bayar="05-08-2022"),
    ]

    pending = preview(rows, branch=branch)

    assert [line.credited_to for line in pending.lines.order_by("row")] == [first_agent, acquisition.caretaker]


def test_a_payment_after_the_enrolment_lapsed_is_counted_and_says_the_worker_stays_lapsed(branch, enrolled):
    lapsed = enrolled(2, status=Acquisition.Status.LAPSED, ended_on=datetime.date(2022, 6, 2))
    before_the_lapse = payment(lapsed[1], periode="2022-05", tanggal_bayar="05-07-2022")

    pending = preview([payment(lapsed[0]), payment(lapsed[1], jumlah=20000), before_the_lapse], branch=branch)

    lines = list(pending.lines.order_by("row").values_list("outcome", "message"))
    note = "The enrolment lapsed on 2 June 2022; the worker stays lapsed until enrolled again."
    assert [outcome for outcome, _message in lines] == [Outcome.MATCHED, Outcome.AMOUNT_DIFFERS, Outcome.MATCHED]
    assert lines[0][1] == note
    assert lines[1][1].startswith("Paid ") and lines[1][1].endswith("Counted as paid. " + note)
    assert lines[2][1] == ""


def test_each_message_reads_whole_when_a_file_is_matched_a_few_rows_at_a_time(branch, enrolled, monkeypatch):
    monkeypatch.setattr("enrollment.services.payments.PAYMENT_BATCH_ROWS", 2)
    paid, confirmed, lapsed, also_lapsed, later = enrolled(5)
    Acquisition.objects.filter(pk__in=[lapsed.pk, also_lapsed.pk]).update(
        status=Acquisition.Status.LAPSED, ended_on=datetime.date(2022, 6, 2)
    )
    Acquisition.objects.filter(pk=later.pk).update(acquired_on=datetime.date(2022, 3, 20))
    payment_import_confirm(payment_import=preview([payment(paid, referensi="R-1")], branch=branch), today=TODAY)
    agent_recorded(confirmed, datetime.date(2022, 7, 1))
    rows = [
        payment(paid, kanal="Indomaret"),
        payment(confirmed, jumlah=20000),
        payment(lapsed, jumlah=20000),
        payment(later, periode="2022-02"),
        payment(also_lapsed),  # lapsed the same day, in the next batch: the day is written once
        payment(later, referensi="R-1"),
        payment(later, periode="2022-09"),
    ]

    pending = preview(rows, branch=branch)

    messages = list(pending.lines.order_by("row").values_list("message", flat=True))
    lapse = "The enrolment lapsed on 2 June 2022; the worker stays lapsed until enrolled again."
    assert messages == [
        "July 2022 is already paid (5 July 2022, Bank); it is not counted twice.",
        "July 2022 was recorded by the agent; the file confirms it. The agent recorded Rp\u00a016,800.",
        "Paid Rp\u00a020,000; the monthly contribution is Rp\u00a016,800. Counted as paid. " + lapse,
        "February 2022 is before the participant was enrolled (20 March 2022).",
        lapse,
        "Reference R-1 for July 2022 is already recorded for another participant.",
        "September 2022 has not started yet; a month is counted once it has begun.",
    ]


def test_the_messages_are_written_in_the_uploaders_language(branch, enrolled):
    lapsed = enrolled(status=Acquisition.Status.LAPSED, ended_on=datetime.date(2022, 6, 2))

    with translation.override("id"):
        pending = preview([payment(lapsed, jumlah=20000)], branch=branch)

    message = pending.lines.get().message
    assert "Rp\u00a020.000" in message and "Rp\u00a016.800" in message and "2 Juni 2022" in message
