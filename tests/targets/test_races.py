"""Two staff members set the same new target at the same moment, on real PostgreSQL with real threads.

Both look and find no target; the partial unique constraint on (year, holder) lets one insert win and the
other gets the plain message, with nothing of its own written (no target, no history row).
"""

import threading

import pytest
from django.core.exceptions import ValidationError

from enrollment import targets as target_services
from enrollment.models import AcquisitionTarget, AcquisitionTargetChange
from enrollment.targets import target_set
from tests.races import needs_postgresql, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), needs_postgresql]

TIMEOUT = 20


def test_two_people_setting_the_same_new_target_at_once_leave_one_target_and_one_message(
    branch, office, staff, monkeypatch
):
    real = target_services._targets_of
    looked = threading.Barrier(2)

    def look_then_wait(**kwargs):
        found = list(real(**kwargs))  # evaluated now, as the service does, before the other inserts
        looked.wait(timeout=TIMEOUT)
        return AcquisitionTarget.objects.filter(pk__in=[target.pk for target in found])

    monkeypatch.setattr(target_services, "_targets_of", look_then_wait)
    outcomes = race(
        lambda: target_set(branch=branch, year=2023, office=office, target=500, by=staff),
        lambda: target_set(branch=branch, year=2023, office=office, target=700, by=staff),
        timeout=TIMEOUT,
    )
    kinds = sorted(kind for kind, _result in outcomes)
    assert kinds == ["error", "ok"]
    (error,) = [result for kind, result in outcomes if kind == "error"]
    assert isinstance(error, ValidationError)
    assert error.messages == [
        "Someone else set this target at the same moment. Nothing was changed; open the targets again."
    ]
    (winner,) = [result for kind, result in outcomes if kind == "ok"]
    assert AcquisitionTarget.objects.get().target == winner.new_target
    assert AcquisitionTargetChange.objects.count() == 1
