"""``read_ahead``: the next batch is read in a worker thread, with the same result as reading inline."""

import datetime
import threading

import pytest
from django.db import transaction
from django.utils import translation

from agents.scoping import Scope
from enrollment.models import Participant
from perisai.read_ahead import read_ahead
from reports.exports import participant_batches, participant_rows
from reports.periods import Period
from tests.factories import AcquisitionFactory


def _participant_batches(size):
    """Batches of participant names read from the database, and the thread each was read on."""
    names = list(Participant.objects.order_by("pk").values_list("full_name", flat=True))
    for start in range(0, len(names), size):
        batch = list(Participant.objects.order_by("pk").values_list("full_name", flat=True)[start : start + size])
        yield [(name, threading.get_ident()) for name in batch]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_batches_are_read_in_a_worker_thread_in_order():
    AcquisitionFactory.create_batch(7)
    expected = list(Participant.objects.order_by("pk").values_list("full_name", flat=True))

    batches = list(read_ahead(lambda: _participant_batches(3)))

    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert [name for batch in batches for name, _thread in batch] == expected
    assert {thread for batch in batches for _name, thread in batch} == {batches[0][0][1]} != {threading.get_ident()}


@pytest.mark.django_db(transaction=True)
def test_the_participant_export_reads_the_same_rows_ahead_as_inline():
    for day in range(1, 12):
        AcquisitionFactory(acquired_on=datetime.date(2021, 3, day))
    scope, period = Scope(), Period(2021, 12)

    ahead = list(participant_rows(scope=scope, period=period, batch_size=4))
    inline = [row for batch in participant_batches(scope=scope, period=period, batch_size=4) for row in batch]

    assert len(ahead) == 11
    assert ahead == inline


@pytest.mark.django_db
def test_inside_a_transaction_the_batches_are_read_inline_on_the_callers_connection():
    with transaction.atomic():
        AcquisitionFactory.create_batch(4)  # not committed: a second connection could not see them
        batches = list(read_ahead(lambda: _participant_batches(3)))
    assert [len(batch) for batch in batches] == [3, 1]
    assert {thread for batch in batches for _name, thread in batch} == {threading.get_ident()}


@pytest.mark.django_db(transaction=True)
def test_an_error_in_the_worker_is_raised_to_the_caller():
    def failing():
        yield [1]
        raise ValueError("the query failed")

    rows = read_ahead(failing)
    assert next(rows) == [1]
    with pytest.raises(ValueError, match="the query failed"):
        next(rows)


@pytest.mark.django_db(transaction=True)
def test_a_caller_that_stops_early_stops_the_worker():
    produced = []

    def endless():
        while True:
            produced.append(len(produced))
            yield [len(produced)]

    before = threading.active_count()
    rows = read_ahead(endless)
    assert next(rows) == [1]
    rows.close()

    assert threading.active_count() == before
    assert len(produced) <= 3  # the batch handed over, one waiting, one being read when told to stop


@pytest.mark.django_db
def test_work_without_the_database_is_read_ahead_inside_a_transaction_in_the_callers_language():
    def labels():
        for _ in range(2):
            yield [(translation.gettext("January"), threading.get_ident())]

    with transaction.atomic(), translation.override("en"):
        batches = list(read_ahead(labels, database=False))
    assert [label for batch in batches for label, _thread in batch] == ["January", "January"]
    assert {thread for batch in batches for _label, thread in batch} != {threading.get_ident()}
