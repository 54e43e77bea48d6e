"""Confirming records the good rows in one go, or nothing: the database decides what changed meanwhile."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enrollment.models import Contribution, PaymentImport, PaymentLine
from enrollment.services.payments import (
    PaymentsChanged,
    payment_import_confirm,
    payment_import_create,
    payment_imports_purge,
)
from tests.enrollment.payments.conftest import TODAY, agent_recorded, csv_file, payment

Outcome = PaymentLine.Outcome
pytestmark = pytest.mark.usefixtures("english")


def preview(rows, branch):
    return payment_import_create(upload=csv_file(rows), branch=branch, today=TODAY)


def test_a_month_the_agent_records_after_the_preview_stops_the_import_and_shows_the_new_match(branch, enrolled):
    first, second = enrolled(2)
    pending = preview([payment(first), payment(second)], branch)
    agent_recorded(second, datetime.date(2022, 7, 1))

    with pytest.raises(PaymentsChanged):
        payment_import_confirm(payment_import=pending, today=TODAY)

    assert Contribution.objects.count() == 1  # the agent's, nothing from the file
    pending.refresh_from_db()
    assert pending.status == PaymentImport.Status.PENDING
    assert pending.counts == {Outcome.MATCHED: 1, Outcome.CONFIRMS: 1}
    payment_import_confirm(payment_import=pending, today=TODAY)
    assert Contribution.objects.count() == 2
    assert Contribution.objects.filter(payment_import=pending).count() == 2


def test_an_overlapping_file_imported_meanwhile_leaves_its_rows_already_recorded(branch, enrolled):
    first, second = enrolled(2)
    rows = [payment(first), payment(second)]
    pending = preview(rows, branch)
    payment_import_confirm(payment_import=preview(rows[1:], branch), today=TODAY)

    with pytest.raises(PaymentsChanged):
        payment_import_confirm(payment_import=pending, today=TODAY)

    pending.refresh_from_db()
    assert pending.counts == {Outcome.MATCHED: 1, Outcome.ALREADY_RECORDED: 1}
    assert Contribution.objects.count() == 1


def test_an_agent_record_confirmed_by_another_file_meanwhile_is_not_confirmed_twice(branch, enrolled):
    acquisition = enrolled()
    agent_recorded(acquisition, datetime.date(2022, 7, 1))
    pending = preview([payment(acquisition)], branch)
    payment_import_confirm(payment_import=preview([payment(acquisition)], branch), today=TODAY)

    with pytest.raises(PaymentsChanged):
        payment_import_confirm(payment_import=pending, today=TODAY)

    pending.refresh_from_db()
    assert pending.counts == {Outcome.ALREADY_RECORDED: 1}


def test_a_file_is_imported_once(branch, enrolled):
    pending = preview([payment(enrolled())], branch)
    payment_import_confirm(payment_import=pending, today=TODAY)

    with pytest.raises(ValidationError, match="already been imported"):
        payment_import_confirm(payment_import=pending, today=TODAY)

    assert Contribution.objects.count() == 1


def test_an_upload_left_unconfirmed_expires_with_its_rows(branch, enrolled):
    pending = preview([payment(enrolled())], branch)
    PaymentImport.objects.filter(pk=pending.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    pending.refresh_from_db()

    with pytest.raises(ValidationError, match="expired"):
        payment_import_confirm(payment_import=pending, today=TODAY)
    assert payment_imports_purge() == 1

    assert not PaymentLine.objects.exists()
    assert not Contribution.objects.exists()


def test_an_imported_file_is_kept_when_uploads_are_purged(branch, enrolled):
    imported = payment_import_confirm(payment_import=preview([payment(enrolled())], branch), today=TODAY)
    PaymentImport.objects.filter(pk=imported.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))

    assert payment_imports_purge() == 0
    assert PaymentImport.objects.get().lines.count() == 1


def test_branch_staff_cannot_bring_a_file_for_another_branch_or_a_national_one(branch, staff):
    from tests.factories import BranchFactory

    for target in (BranchFactory(), None):
        with pytest.raises(ValidationError, match="own branch"):
            payment_import_create(upload=csv_file([payment()]), user=staff, branch=target, today=TODAY)
    assert not PaymentImport.objects.exists()
