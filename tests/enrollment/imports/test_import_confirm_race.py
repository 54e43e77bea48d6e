"""Two people confirm the same import at once, on real PostgreSQL, each in its own thread and connection.

The one that loses must not touch the imported batch: before the fix, a confirm that had read the batch
while it was pending and validated it after the other had imported it found every row "already enrolled",
wrote that preview over the imported batch's result ("good rows 0, 40 errors" beside "40 rows were
imported") and told its user nothing was imported. Whether the batch is still pending is now decided under
its row lock, and the loser is told the file has been imported.
"""

import threading

import pytest
from django.core.exceptions import ValidationError

from enrollment.models import Acquisition, ImportBatch, Participant
from enrollment.services.imports import ImportOutcome, import_batch_confirm, import_batch_create
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.races import needs_postgresql, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), needs_postgresql]

ROWS = 40
TIMEOUT = 30


@pytest.fixture
def batch(staff, agent, rate):
    return import_batch_create(upload=xlsx_upload([person() for _ in range(ROWS)]), user=staff, agent=agent)


def assert_imported_once_and_kept(batch, staff):
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.imported_count == ROWS
    assert batch.result["valid"] == ROWS
    assert batch.result["rows_with_errors"] == 0
    assert Participant.objects.filter(branch=staff.branch).count() == ROWS
    assert Acquisition.objects.filter(branch=staff.branch).count() == ROWS


def test_the_loser_read_the_batch_before_the_winner_imported_it(batch, staff):
    """The loser's request reads the pending batch; the winner imports it; then the loser confirms."""
    read, imported = threading.Event(), threading.Event()

    def loser():
        pending = ImportBatch.objects.get(pk=batch.pk)  # as the confirm view reads it, still pending
        read.set()
        assert imported.wait(TIMEOUT)
        return import_batch_confirm(batch=pending, user=staff)

    def winner():
        assert read.wait(TIMEOUT)
        try:
            return import_batch_confirm(batch=ImportBatch.objects.get(pk=batch.pk), user=staff)
        finally:
            imported.set()

    (loser_kind, loser_outcome), (winner_kind, winner_outcome) = race(loser, winner, timeout=TIMEOUT)

    assert (winner_kind, winner_outcome) == ("ok", ImportOutcome(participants=ROWS, reacquired=0))
    assert loser_kind == "error" and isinstance(loser_outcome, ValidationError), loser_outcome
    assert loser_outcome.messages == ["This file has already been imported."]
    assert_imported_once_and_kept(batch, staff)


def test_two_confirms_released_together_import_once(batch, staff):
    """Whatever the interleaving, one imports and the other is told so; the imported result stays."""
    start = threading.Barrier(2)

    def confirm():
        pending = ImportBatch.objects.get(pk=batch.pk)
        start.wait(TIMEOUT)
        return import_batch_confirm(batch=pending, user=staff)

    outcomes = race(confirm, confirm, timeout=TIMEOUT)

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError) and error.messages == ["This file has already been imported."], error
    assert_imported_once_and_kept(batch, staff)
