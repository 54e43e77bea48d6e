"""The downloadable template: headers in the user's language, two example rows, the lists on a second
sheet; filled in, it imports."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agents.models import BranchArea
from enrollment.importing.columns import COLUMNS
from enrollment.importing.validation import EXAMPLE_NIKS
from enrollment.models import Occupation, Participant
from perisai.nik import nik_mismatches
from tests.enrollment.imports.conftest import person


def _download(client, language):
    client.cookies["django_language"] = language
    response = client.get(reverse("enrollment:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "perisai-import-template.xlsx" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_headers_are_in_the_users_language(staff_client):
    for language in ("en", "id"):
        workbook = _download(staff_client, language)
        with translation.override(language):
            expected = [str(column.label) for column in COLUMNS]
        assert [cell.value for cell in workbook.worksheets[0][1]] == expected


def test_two_example_rows_that_agree_with_their_niks(staff_client, agent):
    sheet = _download(staff_client, "en").worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == list(EXAMPLE_NIKS)
    for row in rows:
        gender = "M" if row[3] == "Male" else "F"
        assert nik_mismatches(row[0], birth_date=row[2].date(), gender=gender) == []
        assert row[-1] == agent.code
    assert sheet["A2"].number_format == "@"  # NIKs stay text: Excel would round a 16-digit number


def test_the_second_sheet_lists_occupations_the_areas_kecamatan_and_desa_and_agents(staff_client, agent, branch):
    BranchArea.objects.create(branch=branch, regency="3301")
    lists = _download(staff_client, "en").worksheets[1]
    columns = list(lists.iter_cols(values_only=True))
    assert [code for code in columns[0][1:] if code] == list(Occupation.values)
    assert [name for name in columns[3][1:] if name][:3] == ["Kedungreja", "Kesugihan", "Adipala"]
    assert len([name for name in columns[3][1:] if name]) == 24  # Kabupaten Cilacap's districts
    assert ("Kroya", "Bajing") in list(zip(columns[9], columns[10], strict=True))
    assert agent.code in columns[5]


def test_the_template_filled_in_imports(staff_client, upload, confirm, branch):
    workbook = _download(staff_client, "id")
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2, 2)
    row = person()
    values = {**row, "gender": "Laki-laki" if row["gender"] == "L" else "Perempuan", "agent_code": None}
    sheet.append([values[column.key] for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(SimpleUploadedFile("isian.xlsx", buffer.getvalue()))

    assert response.context["batch"].result["errors"] == []
    confirm(response.context["batch"])
    assert Participant.objects.filter(nik=row["nik"], branch=branch).exists()


def test_the_template_uploaded_as_it_is_adds_nobody(staff_client, upload, branch):
    content = staff_client.get(reverse("enrollment:import_template")).content
    response = upload(SimpleUploadedFile("template.xlsx", content))
    result = response.context["batch"].result
    assert result["valid"] == 0
    assert {error["code"] for error in result["errors"]} == {"example_row"}
