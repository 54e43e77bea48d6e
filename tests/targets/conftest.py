"""Fixtures and builders for the targets tests: people of the branch, and real .xlsx files made in the test."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agents.models import User
from tests.factories import AgentFactory, BranchFactory, PerisaiOfficeFactory, UserFactory

MONTH_HEADERS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch, first_name="Rina", last_name="Wulandari")


@pytest.fixture
def head(branch):
    return UserFactory(role=User.Role.HEAD, branch=branch, first_name="Budi", last_name="Santoso")


def _signed_in(client, user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff, settings):
    """Branch staff, signed in, reading the pages in English."""
    return _signed_in(client, staff, settings)


@pytest.fixture
def head_client(client, head, settings):
    """The branch head, signed in, reading the pages in English."""
    return _signed_in(client, head, settings)


@pytest.fixture
def other_branch(db):
    branch = BranchFactory(code="BMS", name="Banyumas")
    office = PerisaiOfficeFactory(branch=branch, code="BMS-01", name="Kantor Perisai Sokaraja")
    agent = AgentFactory(branch=branch, office=office, code="BMS-A01")
    return branch, office, agent


def workbook_bytes(rows, *, headers=None):
    """An .xlsx with ``headers`` (year, level, code, yearly target, the 12 months in English) in row 1
    and ``rows`` (lists of cells, shorter ones padded) below."""
    headers = headers or ["Year", "Level", "Code", "Yearly target", *MONTH_HEADERS]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows, *, headers=None, name="target-2023.xlsx"):
    return SimpleUploadedFile(name, workbook_bytes(rows, headers=headers), content_type="application/octet-stream")
