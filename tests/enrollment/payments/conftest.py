"""Builders for the payments tests: real .csv and .xlsx payments files made in the test, and a branch
with participants whose months can be paid."""

import csv
import datetime
import io
import itertools

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.models import Contribution
from tests.factories import AcquisitionFactory, AgentFactory, UserFactory

TODAY = datetime.date(2022, 8, 15)
HEADER = ("nik", "kpj", "periode", "tanggal_bayar", "jumlah", "kanal", "referensi")
_references = itertools.count(1)


def payment(acquisition=None, **overrides):
    """One row paying July 2022 for ``acquisition``'s participant at its monthly contribution, by BRI."""
    row = {
        "nik": acquisition.participant.nik if acquisition else "3301010101900001",
        "kpj": "",
        "periode": "2022-07",
        "tanggal_bayar": "05-07-2022",
        "jumlah": int(acquisition.monthly_contribution) if acquisition else 16800,
        "kanal": "BRI",
        "referensi": f"BRI{next(_references):010d}",
    }
    row.update(overrides)
    return row


def csv_file(rows, *, header=HEADER, delimiter=",", name="pembayaran.csv", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in HEADER] if isinstance(row, dict) else row)
    content = buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="pembayaran.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(key) for key in HEADER] if isinstance(row, dict) else list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def staff(branch):
    return UserFactory(branch=branch)


@pytest.fixture
def enrolled(agent, rate):
    """``enrolled(n)``: n participants of the branch, acquired on 15 March 2022 (unless told) by ``agent``."""

    def make(count=1, **overrides):
        overrides.setdefault("acquired_on", datetime.date(2022, 3, 15))
        made = [AcquisitionFactory(agent=agent, rate=rate, **overrides) for _ in range(count)]
        return made[0] if count == 1 else made

    return make


@pytest.fixture
def other_branch_acquisition(rate):
    other = AgentFactory()
    return AcquisitionFactory(agent=other, rate=rate, acquired_on=datetime.date(2022, 3, 15))


def agent_recorded(acquisition, period, **overrides):
    return Contribution.objects.create(
        acquisition=acquisition,
        period=period,
        amount=acquisition.monthly_contribution,
        paid_on=period + datetime.timedelta(days=3),
        channel=Contribution.Channel.AGENT,
        collected_by=acquisition.caretaker,
        credited_to=acquisition.caretaker,
        **overrides,
    )
