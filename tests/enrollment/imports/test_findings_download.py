"""Every error and warning of an import's preview downloads as a workbook to correct the file by; the page
lists the first ones and says the download has them all; after the import has run the page is its result."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from agents.models import User
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import BranchFactory, UserFactory


def _sheets(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


@pytest.fixture
def bad_batch(upload):
    rows = [
        person(),
        person(nik="33010212345", phone="call me"),  # two errors on one row
        person(birth_date=datetime.date(1975, 6, 1)),  # a warning: the NIK says another birth date
        person(occupation="astronaut"),
    ]
    return upload(xlsx_upload(rows)).context["batch"]


def test_the_workbook_holds_every_error_and_warning_with_row_cell_column_and_message(bad_batch, staff_client):
    response = staff_client.get(reverse("enrollment:import_findings", args=[bad_batch.pk]))

    sheets = _sheets(response)
    assert list(sheets) == ["Errors", "Warnings"]
    header, *errors = sheets["Errors"]
    assert header == ["Row", "Cell", "Column", "What to check"]
    assert [row[:3] for row in errors] == [[3, "A3", "NIK"], [3, "E3", "Phone"], [5, "I5", "Occupation"]]
    assert errors[0][3] == "NIK must be exactly 16 digits; this one has 11."
    (warning,) = sheets["Warnings"][1:]
    assert warning[:2] == [4, "A4"] and "The NIK encodes birth date" in warning[3]
    assert 'filename="findings-peserta.xlsx"' in response["Content-Disposition"]


def test_the_page_shows_the_first_findings_and_points_to_the_download_for_the_rest(
    bad_batch, staff_client, monkeypatch
):
    monkeypatch.setattr("web.imports.views.MAX_FINDINGS_SHOWN", 2)

    page = staff_client.get(reverse("enrollment:import_preview", args=[bad_batch.pk])).content.decode()

    assert "… and 1 more: the download lists every one." in page
    assert reverse("enrollment:import_findings", args=[bad_batch.pk]) in page
    assert len(_sheets(staff_client.get(reverse("enrollment:import_findings", args=[bad_batch.pk])))["Errors"]) == 4


def test_a_clean_file_offers_no_download_and_after_the_import_the_page_is_its_result(upload, confirm):
    response = upload(xlsx_upload([person(), person()]))
    batch = response.context["batch"]
    assert "download-findings" not in response.content.decode()
    assert "<h1 class=\"h3\">Import preview</h1>" in response.content.decode()

    page = confirm(batch).content.decode()

    assert "<h1 class=\"h3\">Import result</h1>" in page
    assert "<title>Import result" in page


def test_another_branchs_findings_are_a_404(bad_batch, client):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=BranchFactory()))
    assert client.get(reverse("enrollment:import_findings", args=[bad_batch.pk])).status_code == 404
