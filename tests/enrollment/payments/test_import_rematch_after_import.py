"""A payments confirm that failed matches its rows again; if another confirm imported the file meanwhile,
the imported file's rows and counts stay as they were imported, and the late one is told so."""

import pytest
from django.core.exceptions import ValidationError

from enrollment.models import Contribution, PaymentLine
from enrollment.services.payments import payment_import_confirm, payment_import_create, payment_import_rematch
from tests.enrollment.payments.conftest import TODAY, csv_file, payment

pytestmark = pytest.mark.usefixtures("english")


def test_matching_again_a_file_imported_meanwhile_changes_nothing(branch, enrolled):
    stale = payment_import_create(upload=csv_file([payment(a) for a in enrolled(3)]), branch=branch, today=TODAY)
    imported = payment_import_confirm(payment_import=stale, today=TODAY)  # the other confirm won
    lines_before = list(imported.lines.order_by("row").values_list("row", "outcome", "contribution_id"))

    with pytest.raises(ValidationError) as refusal:
        payment_import_rematch(payment_import=stale, today=TODAY)

    assert refusal.value.messages == ["This file has already been imported."]
    imported.refresh_from_db()
    assert list(imported.lines.order_by("row").values_list("row", "outcome", "contribution_id")) == lines_before
    assert imported.counts == {PaymentLine.Outcome.MATCHED: 3}
    assert Contribution.objects.filter(payment_import=imported).count() == 3
