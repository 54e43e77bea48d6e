"""``field__any_of``: one of many values, sent as one parameter on PostgreSQL, an ``IN`` list elsewhere."""

import pytest

from enrollment.models import Participant
from tests.factories import AcquisitionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_it_finds_the_rows_whose_value_is_among_the_values():
    first, second, _third = ParticipantFactory.create_batch(3)

    found = Participant.objects.filter(nik__any_of={first.nik, second.nik, "3301019999990001"})

    assert set(found) == {first, second}


def test_it_works_through_a_relation_and_with_no_values_finds_nothing():
    acquisition = AcquisitionFactory()

    assert list(Participant.objects.filter(acquisitions__pk__any_of=[acquisition.pk])) == [acquisition.participant]
    assert list(type(acquisition).objects.filter(participant_id__any_of=[acquisition.participant_id])) == [acquisition]
    assert not Participant.objects.filter(nik__any_of=[]).exists()
