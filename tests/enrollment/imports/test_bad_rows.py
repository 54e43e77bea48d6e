"""A file with a bad row: the preview names the row (as numbered in the spreadsheet) and the problem,
and nothing is imported — not even the good rows."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enrollment.importing.validation import EXAMPLE_NIKS
from enrollment.models import ImportBatch, Participant
from tests.enrollment.imports.conftest import person, workbook_bytes, xlsx_upload
from tests.factories import AgentFactory, BranchFactory, PerisaiOfficeFactory


def _errors(response):
    return [
        (finding["row"], finding["cell"], finding["message"]) for finding in response.context["batch"].result["errors"]
    ]


def test_one_bad_row_is_named_and_nothing_is_imported(upload, confirm, branch):
    rows = [person(), person(), person(nik="33010212345"), person()]
    response = upload(xlsx_upload(rows))

    assert _errors(response) == [(4, "A4", "NIK must be exactly 16 digits; this one has 11.")]
    page = response.content.decode()
    assert "NIK must be exactly 16 digits; this one has 11." in page
    assert "Nothing can be imported until every row is right" in page
    assert "confirm-import" not in page

    confirm(response.context["batch"])
    assert not Participant.objects.filter(branch=branch).exists()
    assert response.context["batch"].status == ImportBatch.Status.PENDING


@pytest.mark.parametrize(
    ("overrides", "cell", "message"),
    [
        ({"full_name": None}, "B2", "“Full name” is required."),
        ({"birth_date": "31-02-1980"}, "C2", "“31-02-1980” is not a date"),
        ({"gender": "X"}, "D2", "“X” is not a gender"),
        ({"phone": "call me"}, "E2", "Enter a phone number of digits"),
        ({"occupation": "astronaut"}, "I2", "“astronaut” is not an occupation on the list"),
        ({"declared_income": 500_000}, "J2", "Declared income must be between Rp 1.000.000 and Rp 20.700.000."),
        ({"declared_income": "banyak"}, "J2", "“banyak” is not an amount in whole Rupiah"),
        ({"with_jht": "maybe"}, "K2", "“maybe” is not yes or no"),
        ({"acquired_on": datetime.date(2020, 12, 1)}, "L2", "No contribution rate is in force on 01-12-2020."),
        ({"kpj_number": "12-34"}, "M2", "A KPJ number has 8 to 20 digits."),
        ({"kecamatan": "Kedungrejaa"}, "G2", "Kedungrejaa is not a kecamatan of Kabupaten Cilacap."),
        ({"kecamatan": "Kroya", "desa": "Sidakaya"}, "H2", "Sidakaya is not a desa or kelurahan of Kroya."),
        ({"full_name": '=HYPERLINK("http://evil")'}, "B2", "This cell holds a formula"),
    ],
)
def test_each_rule_names_the_cell_and_the_problem(upload, overrides, cell, message):
    response = upload(xlsx_upload([person(**overrides)]))

    (found,) = _errors(response)
    assert found[:2] == (2, cell)
    assert message in found[2]


def test_an_acquisition_in_the_future_is_refused(upload):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    (found,) = _errors(upload(xlsx_upload([person(acquired_on=tomorrow)])))
    assert found[1:] == ("L2", "The acquisition date is in the future.")


def test_a_formula_cell_is_rejected_by_name(upload):
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes([person()])))
    workbook.active["J2"] = "=1000000*2"  # a real formula cell
    buffer = io.BytesIO()
    workbook.save(buffer)

    (found,) = _errors(upload(SimpleUploadedFile("formula.xlsx", buffer.getvalue())))
    assert found[:2] == (2, "J2")
    assert "This cell holds a formula (=1000000*2); type the value itself." == found[2]


def test_a_nik_that_disagrees_with_birth_date_is_a_warning_not_an_error(upload, confirm):
    row = person(birth_date=datetime.date(1975, 6, 1))
    response = upload(xlsx_upload([row]))

    result = response.context["batch"].result
    assert result["errors"] == []
    assert [warning["cell"] for warning in result["warnings"]] == ["A2"]
    assert "The NIK encodes birth date" in result["warnings"][0]["message"]
    assert "The NIK encodes birth date" in response.content.decode()
    confirm(response.context["batch"])
    assert Participant.objects.filter(nik=row["nik"]).exists()


def test_an_agent_not_active_on_the_acquisition_date_is_refused(upload, office):
    newcomer = AgentFactory(branch=office.branch, office=office, joined_on=datetime.date(2022, 5, 1))
    (found,) = _errors(upload(xlsx_upload([person()]), agent=newcomer))
    assert found[1] == "L2"
    assert "was not an active agent on 1 March 2022" in found[2]


def test_an_agent_code_of_another_branch_is_unknown(upload):
    elsewhere = AgentFactory(office=PerisaiOfficeFactory(branch=BranchFactory()))
    (found,) = _errors(upload(xlsx_upload([person(agent_code=elsewhere.code)]), agent=None))
    assert found[1:] == ("N2", f"No agent of your branch has the code {elsewhere.code}.")


def test_an_agent_code_that_contradicts_the_chosen_agent_is_refused(upload, agent, office):
    other = AgentFactory(branch=office.branch, office=office)
    (found,) = _errors(upload(xlsx_upload([person(agent_code=other.code)])))
    assert found[1] == "N2"
    assert f"This row names agent {other.code} but the import is for {agent}." == found[2]


def test_the_templates_example_rows_are_refused(upload):
    (found,) = _errors(upload(xlsx_upload([person(nik=EXAMPLE_NIKS[0], birth_date=datetime.date(1985, 3, 15))])))
    assert found[2] == "This is one of the template's example rows; delete it."
