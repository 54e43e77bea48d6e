"""``history_record_bulk`` writes the history rows simple-history's own bulk helpers would write."""

import pytest
from django.test import override_settings
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from enrollment.models import Acquisition, Participant
from enrollment.services import history
from enrollment.services.history import CHANGED, CREATED, history_record_bulk
from tests.factories import AcquisitionFactory, BranchFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPARED = ("history_type", "history_user_id", "history_change_reason")


def _record(row):
    """A history row as the history pages read it: every tracked column and who, why and what."""
    tracked = {field.attname: getattr(row, field.attname) for field in type(row).tracked_fields}
    return {**tracked, **{name: getattr(row, name) for name in COMPARED}}


def _new_participants(count):
    branch = BranchFactory()
    return [ParticipantFactory.build(branch=branch) for _ in range(count)]


def _unsaved_copies(model, rows):
    """New instances with the tracked values of ``rows`` (their unique fields changed), to be created again."""
    copies = []
    for row in rows:
        values = {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields}
        values.pop("id")
        if model is Participant:
            values["nik"] = ParticipantFactory.build().nik
        copies.append(model(**values))
    return copies


def test_created_rows_get_the_same_history_as_simple_historys_bulk_create():
    user = UserFactory()
    ours = Participant.objects.bulk_create(_new_participants(3))
    recorded = history_record_bulk(
        Participant, [p.pk for p in ours], history_type=CREATED, user=user, reason="file.xlsx"
    )
    theirs = bulk_create_with_history(
        _unsaved_copies(Participant, ours), Participant, default_user=user, default_change_reason="file.xlsx"
    )

    assert recorded == 3
    for mine, reference in zip(ours, theirs, strict=True):
        written, expected = _record(mine.history.get()), _record(reference.history.get())
        assert written.pop("id") == mine.pk and expected.pop("id") == reference.pk
        assert written.pop("nik") == mine.nik and expected.pop("nik") == reference.nik
        assert written == expected
        assert mine.history.get().history_date is not None


def test_changed_rows_are_recorded_as_changed_with_their_new_values():
    user = UserFactory()
    acquisitions = [AcquisitionFactory() for _ in range(2)]
    for acquisition in acquisitions:
        acquisition.status, acquisition.ended_on = Acquisition.Status.LAPSED, acquisition.acquired_on
    Acquisition.objects.bulk_update(acquisitions, ["status", "ended_on"])
    history_record_bulk(Acquisition, [a.pk for a in acquisitions], history_type=CHANGED, user=user, reason="lapsed")

    reference = AcquisitionFactory()
    reference.status, reference.ended_on = Acquisition.Status.LAPSED, reference.acquired_on
    bulk_update_with_history([reference], Acquisition, ["status", "ended_on"], default_user=user,
                             default_change_reason="lapsed")  # fmt: skip
    expected = _record(reference.history.first())
    for acquisition in acquisitions:
        latest = _record(acquisition.history.first())
        assert (latest["status"], latest["ended_on"]) == (Acquisition.Status.LAPSED, acquisition.acquired_on)
        assert {name: latest[name] for name in COMPARED} == {name: expected[name] for name in COMPARED}
        assert latest["id"] == acquisition.pk


def test_only_the_named_rows_are_recorded_in_statements_of_bounded_size(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(history, "KEYS_A_STATEMENT", 2)
    participants = Participant.objects.bulk_create(_new_participants(5))
    named = [participant.pk for participant in participants[:4]]
    with django_assert_num_queries(2):
        assert history_record_bulk(Participant, named, history_type=CREATED) == 4
    assert Participant.history.filter(id__in=named).count() == 4
    assert not participants[4].history.exists()
    assert set(Participant.history.values_list("history_user_id", flat=True)) == {None}


@override_settings(SIMPLE_HISTORY_ENABLED=False)
def test_nothing_is_recorded_when_history_is_switched_off():
    participant = Participant.objects.bulk_create(_new_participants(1))[0]
    assert history_record_bulk(Participant, [participant.pk], history_type=CREATED) == 0
    assert not participant.history.exists()
