"""A good file: the preview counts every row as good, confirming imports them all with their history."""

import datetime
from decimal import Decimal

from enrollment.models import Acquisition, ImportBatch, Participant
from tests.enrollment.imports.conftest import HEADERS, csv_upload, person, xlsx_upload
from tests.factories import AgentFactory


def test_preview_counts_the_good_rows_and_imports_nothing_yet(upload, branch):
    response = upload(xlsx_upload([person(), person(), person()]))

    batch = response.context["batch"]
    assert batch.result["total"] == 3
    assert batch.result["valid"] == 3
    assert batch.result["errors"] == []
    assert "Import 3 enrollments" in response.content.decode()
    assert not Participant.objects.filter(branch=branch).exists()


def test_confirm_imports_every_row_for_the_chosen_agent(upload, confirm, agent, staff, rate):
    rows = [person(declared_income=2_000_000, with_jht="Ya"), person()]
    batch = upload(xlsx_upload(rows)).context["batch"]

    response = confirm(batch)

    assert "2 enrollments imported." in response.content.decode()
    first = Participant.objects.get(nik=rows[0]["nik"])
    assert first.full_name == rows[0]["full_name"]
    assert first.gender == {"L": "M", "P": "F"}[rows[0]["gender"]]
    assert first.occupation == "farmer"
    assert first.branch == agent.branch
    acquisition = first.acquisitions.get()
    assert (acquisition.agent, acquisition.caretaker, acquisition.office) == (agent, agent, agent.office)
    assert acquisition.branch == agent.branch
    assert acquisition.acquired_on == datetime.date(2022, 3, 1)
    assert acquisition.status == Acquisition.Status.ACTIVE
    assert acquisition.rate == rate
    assert acquisition.with_jht is True
    assert acquisition.monthly_contribution == Decimal(20_000 + 6_800 + 40_000)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.imported_count == 2
    assert batch.rows == []  # the NIKs do not linger in the batch
    assert set(batch.result) == {"total", "valid", "rows_with_errors", "reacquired"}


def test_every_imported_row_has_a_history_row_by_the_uploader(upload, confirm, staff):
    rows = [person(), person()]
    batch = upload(xlsx_upload(rows, name="kertas-maret.xlsx")).context["batch"]
    confirm(batch)

    for row in rows:
        participant = Participant.objects.get(nik=row["nik"])
        for record in (participant.history.get(), participant.acquisitions.get().history.get()):
            assert record.history_type == "+"
            assert record.history_user == staff
            assert "kertas-maret.xlsx" in record.history_change_reason


def test_rows_may_name_their_agent_by_code(upload, confirm, office):
    first, second = AgentFactory(branch=office.branch, office=office), AgentFactory(branch=office.branch, office=office)
    rows = [person(agent_code=first.code), person(agent_code=second.code.lower())]
    batch = upload(xlsx_upload(rows), agent=None).context["batch"]
    confirm(batch)

    assert Participant.objects.get(nik=rows[0]["nik"]).acquisitions.get().agent == first
    assert Participant.objects.get(nik=rows[1]["nik"]).acquisitions.get().agent == second


def test_a_semicolon_csv_from_an_indonesian_excel_imports(upload, confirm):
    rows = [person(full_name="Sutrisno Wibowo", address="Jl. Kenari; Gang 2")]
    batch = upload(csv_upload(rows, delimiter=";", encoding="cp1252")).context["batch"]
    assert batch.result["valid"] == 1
    confirm(batch)
    assert Participant.objects.get(nik=rows[0]["nik"]).address == "Jl. Kenari; Gang 2"


def test_a_utf8_csv_with_bom_imports(upload, confirm):
    rows = [person(full_name="Ngatinah Rahayu")]
    batch = upload(csv_upload(rows, encoding="utf-8-sig")).context["batch"]
    confirm(batch)
    assert Participant.objects.filter(nik=rows[0]["nik"], full_name="Ngatinah Rahayu").exists()


def test_the_cells_are_read_as_people_type_them(upload, confirm):
    row = person(
        gender="Perempuan",
        birth_date="02/11/1990",
        acquired_on="2022-03-01",
        declared_income="Rp 1.500.000",
        with_jht="Y",
        occupation="trader",
        phone=81234567890,
        kpj_number=22012345678,
    )
    row["nik"] = row["nik"][:6] + "421190" + row["nik"][12:]  # a woman born on 2 November 1990
    batch = upload(xlsx_upload([row])).context["batch"]
    assert batch.result["errors"] == []
    confirm(batch)

    participant = Participant.objects.get(nik=row["nik"])
    assert participant.gender == "F"
    assert participant.birth_date == datetime.date(1990, 11, 2)
    assert participant.occupation == "trader"
    assert participant.phone == "+6281234567890"  # Excel dropped the 0 of a number typed as a number
    assert participant.kpj_number == "22012345678"
    acquisition = participant.acquisitions.get()
    assert acquisition.declared_income == 1_500_000
    assert acquisition.with_jht is True


def test_headers_in_any_case_and_extra_columns_are_accepted(upload, confirm):
    headers = {"catatan": "Catatan petugas", **{key: label.upper() for key, label in HEADERS.items()}}
    rows = [{**person(), "catatan": "dari formulir kertas"}]
    batch = upload(xlsx_upload(rows, headers=headers)).context["batch"]
    assert batch.result["valid"] == 1


def test_each_place_is_saved_as_its_official_name_with_its_codes(upload, confirm, branch):
    response = upload(xlsx_upload([person(kecamatan="kec. KROYA", desa="bajing")]))
    confirm(response.context["batch"])
    participant = Participant.objects.get(branch=branch)
    assert (participant.kecamatan, participant.district, participant.desa, participant.village) == (
        "Kroya", "330106", "Bajing", "3301062010"
    )  # fmt: skip
