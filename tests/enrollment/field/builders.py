"""Builders shared by the agent-page tests: dates relative to today, a worker to enrol, acquisitions."""

import datetime
from decimal import Decimal

from django.utils import timezone

from enrollment.models import Acquisition, Occupation
from perisai.months import add_months, month_start
from perisai.nik import MALE, build_nik
from tests.factories import AcquisitionFactory

WORKER_BIRTH_DATE = datetime.date(1990, 5, 17)
WORKER_NIK = build_nik("330121", WORKER_BIRTH_DATE, MALE, 4321)


def this_month():
    return month_start(timezone.localdate())


def months_ago(months):
    return add_months(this_month(), -months)


def worker_data(**overrides):
    """What an agent types on the enrol form (as the service takes it)."""
    return {
        "nik": WORKER_NIK,
        "full_name": "Slamet Riyadi",
        "birth_date": WORKER_BIRTH_DATE,
        "gender": MALE,
        "phone": "0812-3456-7890",
        "address": "Jl. Kenanga 5",
        "kecamatan": "Cilacap Selatan",
        "desa": "Sidakaya",
        "occupation": Occupation.FISHER,
        "declared_income": Decimal(1_000_000),
        "with_jht": False,
        **overrides,
    }


def worker_post(**overrides):
    """The same worker as the enrol form posts it."""
    data = {key: value for key, value in worker_data(**overrides).items() if value is not False}
    data["birth_date"] = data["birth_date"].isoformat()
    data["with_jht"] = "on" if data.get("with_jht") else ""
    data["declared_income"] = f"{data['declared_income']:,.0f}".replace(",", ".")
    data["save"] = "1"
    return {key: value for key, value in data.items() if value != ""}


def cared_acquisition(agent, *, months_back=3, **kwargs):
    """An active acquisition ``agent`` made and looks after, enrolled ``months_back`` months ago."""
    acquired_on = kwargs.pop("acquired_on", months_ago(months_back) + datetime.timedelta(days=4))
    return AcquisitionFactory(agent=agent, acquired_on=acquired_on, **kwargs)


def lapse(acquisition, ended_on=None):
    Acquisition.objects.filter(pk=acquisition.pk).update(
        status=Acquisition.Status.LAPSED, ended_on=ended_on or max(acquisition.acquired_on, months_ago(1))
    )
    acquisition.refresh_from_db()
    return acquisition
