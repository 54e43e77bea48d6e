"""Rows are priced exactly as the enrol form prices them (``acquisition_pricing``), rate by rate."""

import datetime
from decimal import Decimal

from enrollment.models import ContributionRate, Participant
from enrollment.services.enrolment import acquisition_pricing
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import ContributionRateFactory


def test_each_row_gets_the_rate_in_force_on_its_date(upload, confirm, rate):
    ContributionRate.objects.filter(pk=rate.pk).update(effective_to=datetime.date(2021, 12, 31))
    ContributionRateFactory(
        name="Discounted 2022", effective_from=datetime.date(2022, 1, 1), jkk_rate=Decimal("0.0050"), jkm_amount=3400
    )
    days = [
        datetime.date(2021, 6, 1),
        datetime.date(2021, 12, 31),
        datetime.date(2022, 1, 1),
        datetime.date(2022, 5, 9),
    ]
    rows = [person(acquired_on=day, declared_income=2_500_000, with_jht="Ya") for day in days]

    confirm(upload(xlsx_upload(rows)).context["batch"])

    for row, day in zip(rows, days, strict=True):
        acquisition = Participant.objects.get(nik=row["nik"]).acquisitions.get()
        rate, monthly = acquisition_pricing(acquired_on=day, declared_income=Decimal(2_500_000), with_jht=True)
        assert (acquisition.rate, acquisition.monthly_contribution) == (rate, monthly)
