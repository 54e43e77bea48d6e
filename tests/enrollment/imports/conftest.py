"""Fixtures and builders for the import tests: real .xlsx and .csv files made in the test."""

import csv
import datetime
import io
import itertools

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agents.models import User
from perisai.nik import FEMALE, MALE, build_nik
from tests.factories import UserFactory

HEADERS = {
    "nik": "NIK",
    "full_name": "Full name",
    "birth_date": "Birth date",
    "gender": "Gender",
    "phone": "Phone",
    "address": "Address",
    "kecamatan": "Kecamatan",
    "desa": "Desa/kelurahan",
    "occupation": "Occupation",
    "declared_income": "Declared monthly income",
    "with_jht": "JHT",
    "acquired_on": "Acquired on",
    "kpj_number": "KPJ number",
    "agent_code": "Agent code",
}
IMPORT_REGION = "330102"  # factories build NIKs in 330101, so imported NIKs never collide with theirs
ACQUIRED_ON = datetime.date(2022, 3, 1)
_serials = itertools.count(1)


def person(**overrides):
    """One valid row (the agent comes from the upload form unless ``agent_code`` is given)."""
    serial = next(_serials) % 9999 + 1
    birth_date = datetime.date(1970, 1, 1) + datetime.timedelta(days=serial * 3)
    gender = MALE if serial % 2 else FEMALE
    return {
        "nik": build_nik(IMPORT_REGION, birth_date, gender, serial),
        "full_name": f"Pekerja Nomor {serial}",
        "birth_date": birth_date,
        "gender": "L" if gender == MALE else "P",
        "phone": f"0812{serial:08d}",
        "address": "Jl. Sudirman 1",
        "kecamatan": "Cilacap Selatan",
        "desa": "Tegalkamulyan",
        "occupation": "Petani",
        "declared_income": 1_000_000,
        "with_jht": "Tidak",
        "acquired_on": ACQUIRED_ON,
        "kpj_number": None,
        "agent_code": None,
        **overrides,
    }


def workbook_bytes(rows, *, headers=None):
    """An .xlsx with ``headers`` (default: every column, in English) in row 1 and ``rows`` below."""
    keys = list(headers or HEADERS)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([(headers or HEADERS)[key] for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows, *, headers=None, name="peserta.xlsx"):
    return SimpleUploadedFile(name, workbook_bytes(rows, headers=headers), content_type="application/octet-stream")


def csv_upload(rows, *, delimiter=",", encoding="utf-8", name="peserta.csv"):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(HEADERS.values())
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d-%m-%Y") if isinstance(value, datetime.date) else ("" if value is None else value)
                for value in (row.get(key) for key in HEADERS)
            ]
        )
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch, first_name="Rina", last_name="Wulandari")


@pytest.fixture
def staff_client(client, staff, settings):
    """Branch staff, signed in, reading the pages in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


@pytest.fixture
def upload(staff_client, agent, rate):
    """``upload(file, agent=...)`` posts the file as staff; the response after the redirect to the preview."""

    def upload(file, *, agent=agent):
        data = {"file": file}
        if agent is not None:
            data["agent"] = agent.pk
        return staff_client.post(reverse("enrollment:import_upload"), data, follow=True)

    return upload


@pytest.fixture
def confirm(staff_client):
    def confirm(batch):
        return staff_client.post(reverse("enrollment:import_confirm", args=[batch.pk]), follow=True)

    return confirm
