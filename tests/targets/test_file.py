"""Targets from a workbook: the preview lists every problem with its row and cell, confirming writes all
rows or none, and a broken or hostile file changes nothing."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enrollment.models import AcquisitionTarget, AcquisitionTargetChange
from enrollment.targets import target_set
from tests.factories import AcquisitionTargetFactory
from tests.targets.conftest import MONTH_HEADERS, workbook_bytes, xlsx_upload

SPLIT = [100] * 12


@pytest.fixture
def upload(staff_client):
    """``upload(file)``: post it as staff; the response after the redirect to the preview (or the form)."""

    def upload(file):
        return staff_client.post(reverse("targets:import_upload"), {"file": file}, follow=True)

    return upload


@pytest.fixture
def confirm(staff_client):
    def confirm(preview):
        fingerprint = preview.context["check"].fingerprint()
        return staff_client.post(reverse("targets:import_confirm"), {"fingerprint": fingerprint}, follow=True)

    return confirm


def _nothing_written():
    return not AcquisitionTarget.objects.exists() and not AcquisitionTargetChange.objects.exists()


def test_a_good_file_is_previewed_then_saved_on_confirmation(upload, confirm, branch, office, agent, staff):
    preview = upload(
        xlsx_upload(
            [
                [2023, "Cabang", "", 6000],
                [2023, "Kantor", office.code, 1200, *SPLIT],
                [2023, "agen", agent.code.lower(), "1.000"],
            ]
        )
    )
    assert preview.redirect_chain[-1][0] == reverse("targets:import_preview")
    assert [line.action for line in preview.context["planned"]] == ["new", "new", "new"]
    assert _nothing_written()
    response = confirm(preview)
    assert "3 targets saved from the file." in response.content.decode()
    assert sorted(AcquisitionTarget.objects.values_list("target", flat=True)) == [1000, 1200, 6000]
    assert list(AcquisitionTarget.objects.get(office=office).months.values_list("acquisitions", flat=True)) == SPLIT
    changes = AcquisitionTargetChange.objects.all()
    assert {change.kind for change in changes} == {"imported"}
    assert {change.note for change in changes} == {"target-2023.xlsx"}
    assert {change.changed_by for change in changes} == {staff}


def test_indonesian_headers_are_recognised(upload, branch):
    headers = ["Tahun", "Tingkat", "Kode", "Target tahunan", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu",
               "Sep", "Okt", "Nov", "Des"]  # fmt: skip
    preview = upload(xlsx_upload([[2023, "Cabang", "CLP", 1200, *SPLIT]], headers=headers))
    (line,) = preview.context["planned"]
    assert (line.after, preview.context["problems"]) == ((1200, SPLIT), [])


def test_a_file_changing_a_target_shows_before_and_after(upload, confirm, branch, staff):
    target_set(branch=branch, year=2023, target=5000, by=staff)
    preview = upload(xlsx_upload([[2023, "Cabang", "", 5500]]))
    (line,) = preview.context["planned"]
    assert (line.before, line.after, line.action) == ((5000, None), (5500, None), "changed")
    confirm(preview)
    assert AcquisitionTarget.objects.get().target == 5500
    assert AcquisitionTargetChange.objects.latest("id").old_target == 5000


def test_the_preview_lists_every_problem_with_its_row_and_cell(upload, confirm, branch, office, agent, other_branch):
    their_agent = other_branch[2]
    preview = upload(
        xlsx_upload(
            [
                [1999, "Cabang", "", 100],  # row 2
                [2023, "Wilayah", office.code, 100],  # row 3
                [2023, "Kantor", "NOPE-9", 100],  # row 4
                [2023, "Agen", their_agent.code, 100],  # row 5
                [2023, "Kantor", office.code, 1300, *SPLIT],  # row 6
                [2023, "Agen", agent.code, 600, *[100] * 6],  # row 7
                [2023, "Cabang", "", "=SUM(A1:A2)"],  # row 8
                [2023, "Agen", agent.code, 0],  # row 9
                [2023, "Cabang", "", 1200],  # row 10
                [2023, "Cabang", "CLP", 1300],  # row 11: the branch again
                [2023, "Cabang", "BMS", 1300],  # row 12
                [2023, "Kantor", office.code, 12.5],  # row 13
            ]
        )
    )
    found = [(problem.row, problem.cell, problem.message) for problem in preview.context["problems"]]
    assert found == [
        (2, "A2", "The year must be between 2000 and 2100."),
        (3, "B3", "“Wilayah” is not a level; write Cabang, Kantor or Agen."),
        (4, "C4", "No Perisai office of your branch has the code “NOPE-9”."),
        (5, "C5", f"No agent of your branch has the code “{their_agent.code}”."),
        (6, "E6", "The 12 months add up to 1,200, not to the yearly target of 1,300."),
        (7, "E7", "Only 6 of the 12 months are filled in: fill in every month, or leave them all empty."),
        (8, "D8", "This cell holds a formula (=SUM(A1:A2)); type the value itself."),
        (9, "D9", "The yearly target must be a whole number of at least 1."),
        (11, "C11", "Row 10 already sets the 2023 target of CLP — Cilacap; keep one of the two."),
        (12, "C12", "“BMS” is not your branch's code (CLP); leave it empty for the branch's target."),
        (13, "D13", "“12.5” is not a whole number."),
    ]
    page = preview.content.decode()
    assert "Nothing is saved until every row is right" in page
    assert 'id="confirm-targets"' not in page
    response = confirm(preview)
    assert "nothing was saved" in response.content.decode()
    assert _nothing_written()


def test_a_target_changed_after_the_preview_stops_the_confirmation(upload, confirm, branch, staff):
    preview = upload(xlsx_upload([[2023, "Cabang", "", 6000]]))
    target_set(branch=branch, year=2023, target=5000, by=staff)
    response = confirm(preview)
    assert "The targets changed since the preview, so nothing was saved." in response.content.decode()
    assert AcquisitionTarget.objects.get().target == 5000
    assert AcquisitionTargetChange.objects.count() == 1
    (line,) = response.context["planned"]
    assert line.before == (5000, None)


def test_a_file_that_changes_nothing_offers_nothing_to_save(upload, branch):
    AcquisitionTargetFactory(branch=branch, year=2023, target=6000)
    preview = upload(xlsx_upload([[2023, "Cabang", "", 6000]]))
    assert "there is nothing to save" in preview.content.decode()
    assert not preview.context["check"].can_apply


def test_missing_columns_are_named_and_nothing_is_kept(upload, staff_client, branch):
    response = upload(xlsx_upload([[2023, 6000]], headers=["Year", "Targett"]))
    errors = response.context["form"].errors["file"]
    assert "Row 1 has no “Level” column." in errors
    assert any(error.startswith("Row 1 has no “Yearly target” column.") for error in errors)
    assert "targets_file" not in staff_client.session
    assert _nothing_written()


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _entries():
    with zipfile.ZipFile(io.BytesIO(workbook_bytes([[2023, "Cabang", "", 6000]]))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("target.xlsx", b"Tahun,Target\n2023,6000\n"),
            "The file is named .xlsx but is not an Excel workbook.",
        ),
        (
            SimpleUploadedFile("target.xls", b"\xd0\xcf\x11\xe0"),
            "Upload an Excel workbook (.xlsx) or a CSV file (.csv).",
        ),
        (
            SimpleUploadedFile("target.xlsx", _zip({**_entries(), "xl/media/bomb.bin": b"\x00" * (21 * 1024 * 1024)})),
            "The workbook would expand to more than 20 MB; it is refused as a possible zip bomb.",
        ),
        (
            SimpleUploadedFile("target.xlsx", workbook_bytes([[2023, "Cabang", "", 6000]])[:900]),
            "The workbook is damaged and cannot be read.",
        ),
    ],
    ids=["text-named-xlsx", "old-xls", "zip-bomb", "truncated"],
)
def test_a_broken_or_hostile_file_is_refused_and_changes_nothing(upload, staff_client, branch, file, message):
    response = upload(file)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert "targets_file" not in staff_client.session
    assert _nothing_written()


def test_a_file_over_the_size_cap_is_refused_while_it_streams_in(upload, staff_client, branch):
    response = upload(SimpleUploadedFile("target.xlsx", b"PK\x03\x04" + b"\x00" * (1024 * 1024 + 10)))
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB. Split it into smaller files."]
    assert _nothing_written()


def test_the_downloaded_file_lists_the_holders_and_uploads_back_unchanged(
    upload, staff_client, branch, office, agent, staff
):
    target_set(branch=branch, year=2023, office=office, target=1200, months=SPLIT, by=staff)
    response = staff_client.get(reverse("targets:import_template"), {"year": "2023"})
    assert response["Content-Disposition"] == 'attachment; filename="target-CLP-2023.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["Year", "Level", "Code", "Name", "Yearly target"]
    assert rows[0][5:] == MONTH_HEADERS
    assert [row[:5] for row in rows[1:]] == [
        [2023, "Cabang", None, "Cilacap", None],
        [2023, "Kantor", office.code, office.name, 1200],
        [2023, "Agen", agent.code, agent.full_name, None],
    ]
    assert rows[2][5:] == SPLIT
    rows[1][4] = 6000  # the branch's row, empty in the download; the agent's row stays empty
    edited = SimpleUploadedFile("target-CLP-2023.xlsx", workbook_bytes(rows[1:], headers=rows[0]))
    preview = upload(edited)
    assert preview.context["problems"] == []
    assert [(line.row, line.action) for line in preview.context["planned"]] == [(2, "new"), (3, "unchanged")]
