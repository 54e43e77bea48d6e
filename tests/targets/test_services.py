"""Setting, changing, splitting and removing a target through the services, each with its history row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enrollment import targets as target_services
from enrollment.models import AcquisitionTarget, AcquisitionTargetChange, AcquisitionTargetMonth
from enrollment.targets import months_even, target_remove, target_set
from tests.factories import AcquisitionTargetFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")

SPLIT = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]


def test_a_new_branch_target_is_set_and_its_history_says_so(branch, staff):
    change = target_set(branch=branch, year=2023, target=1200, by=staff)
    target = AcquisitionTarget.objects.get()
    assert (target.branch, target.office, target.agent, target.target) == (branch, None, None, 1200)
    assert not target.months.exists()
    assert change.kind == AcquisitionTargetChange.Kind.SET
    assert (change.old_target, change.new_target, change.changed_by) == (None, 1200, staff)
    assert change.holder == "CLP — Cilacap"


def test_changing_a_target_keeps_what_it_was(office, staff):
    target_set(branch=office.branch, year=2023, office=office, target=500, by=staff)
    change = target_set(branch=office.branch, year=2023, office=office, target=650, by=staff)
    assert AcquisitionTarget.objects.get().target == 650
    assert change.kind == AcquisitionTargetChange.Kind.CHANGED
    assert (change.old_target, change.new_target) == (500, 650)
    assert change.holder == f"{office.code} — {office.name}"
    assert AcquisitionTargetChange.objects.count() == 2


def test_a_split_target_has_twelve_months_adding_up_to_the_year(agent, staff):
    months = [60, 60, 80, 80, 100, 100, 120, 120, 100, 80, 60, 40]
    change = target_set(branch=agent.branch, year=2023, agent=agent, target=1000, months=months, by=staff)
    target = AcquisitionTarget.objects.get(agent=agent)
    assert list(target.months.values_list("month", "acquisitions")) == list(zip(range(1, 13), months, strict=True))
    assert (change.old_months, change.new_months) == (None, months)


def test_dropping_the_split_removes_the_months_and_the_history_keeps_them(branch, staff):
    target_set(branch=branch, year=2023, target=1200, months=SPLIT, by=staff)
    change = target_set(branch=branch, year=2023, target=1200, months=None, by=staff)
    assert not AcquisitionTargetMonth.objects.exists()
    assert (change.old_months, change.new_months) == (SPLIT, None)


def test_months_that_do_not_add_up_are_refused_and_nothing_is_written(branch, staff):
    with pytest.raises(ValidationError) as refused:
        target_set(branch=branch, year=2023, target=1300, months=SPLIT, by=staff)
    assert refused.value.message_dict == {
        "months": ["The 12 months add up to 1,200, not to the yearly target of 1,300."]
    }
    assert not AcquisitionTarget.objects.exists()
    assert not AcquisitionTargetChange.objects.exists()


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ([100] * 11, "Give all 12 months, or none for a target without a monthly split."),
        ([-100, 300, *[100] * 10], "Each month's target must be a whole number, 0 or more."),
    ],
)
def test_a_split_without_twelve_whole_months_is_refused(branch, staff, months, message):
    with pytest.raises(ValidationError) as refused:
        target_set(branch=branch, year=2023, target=1200, months=months, by=staff)
    assert refused.value.message_dict == {"months": [message]}
    assert not AcquisitionTarget.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_outside_the_plausible_range_is_refused(branch, staff, year):
    with pytest.raises(ValidationError) as refused:
        target_set(branch=branch, year=year, target=1200, by=staff)
    assert refused.value.message_dict == {"year": ["The year must be between 2000 and 2100."]}


def test_another_branchs_office_or_agent_is_refused(branch, staff, other_branch):
    _branch, office, agent = other_branch
    for holder in ({"office": office}, {"agent": agent}):
        with pytest.raises(ValidationError) as refused:
            target_set(branch=branch, year=2023, target=100, by=staff, **holder)
        assert refused.value.messages == ["The office or agent belongs to another branch."]
    assert not AcquisitionTarget.objects.exists()


def test_staff_of_another_branch_and_the_head_may_not_change_targets(branch, head, other_branch):
    stranger = UserFactory(branch=other_branch[0])
    for user in (stranger, head):
        with pytest.raises(PermissionDenied):
            target_set(branch=branch, year=2023, target=100, by=user)
    assert not AcquisitionTarget.objects.exists()


def test_saving_the_same_target_again_writes_no_history(branch, staff):
    target_set(branch=branch, year=2023, target=1200, months=SPLIT, by=staff)
    assert target_set(branch=branch, year=2023, target=1200, months=SPLIT, by=staff) is None
    assert AcquisitionTargetChange.objects.count() == 1


def test_the_history_outlives_a_removed_target_and_a_deleted_office(office, staff):
    target_set(branch=office.branch, year=2023, office=office, target=500, months=months_even(500), by=staff)
    removal = target_remove(target=AcquisitionTarget.objects.get(), by=staff)
    assert not AcquisitionTarget.objects.exists()
    assert not AcquisitionTargetMonth.objects.exists()
    assert removal.kind == AcquisitionTargetChange.Kind.REMOVED
    assert (removal.old_target, removal.new_target, removal.old_months) == (500, None, months_even(500))
    label = f"{office.code} — {office.name}"
    office.delete()
    history = list(AcquisitionTargetChange.objects.order_by("changed_at", "id").values_list("kind", "holder", "office"))
    assert history == [("set", label, None), ("removed", label, None)]


def test_removing_a_target_someone_removed_meanwhile_says_so(branch, staff):
    target = AcquisitionTargetFactory(branch=branch, year=2023)
    target_remove(target=target, by=staff)
    with pytest.raises(ValidationError) as refused:
        target_remove(target=target, by=staff)
    assert refused.value.messages == ["This target was removed meanwhile; nothing was changed."]
    assert AcquisitionTargetChange.objects.count() == 1


def test_a_target_set_by_someone_else_at_the_same_moment_is_refused_by_the_constraint(branch, staff, monkeypatch):
    """The look-up found no target, then the insert meets the one a colleague saved in between."""
    AcquisitionTargetFactory(branch=branch, year=2023, target=900)
    monkeypatch.setattr(target_services, "_targets_of", lambda **kwargs: AcquisitionTarget.objects.none())
    with pytest.raises(ValidationError) as refused:
        target_set(branch=branch, year=2023, target=1200, by=staff)
    assert refused.value.messages == [
        "Someone else set this target at the same moment. Nothing was changed; open the targets again."
    ]
    assert AcquisitionTarget.objects.get().target == 900
    assert not AcquisitionTargetChange.objects.exists()


def test_an_even_split_puts_the_extra_acquisitions_early_in_the_year():
    assert months_even(1000) == [84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]
    assert sum(months_even(7)) == 7
