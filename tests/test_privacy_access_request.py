"""A participant's data on request (UU PDP access request): everything held about them, in full, logged,
and only for staff of their branch."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from enrollment.models import NikDisclosure
from enrollment.services.participants import participant_update
from perisai.nik import build_nik
from tests.factories import ContributionFactory
from tests.privacy_builders import build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(rate):
    world = build_world(rate)
    ContributionFactory(acquisition=world.acquisition, period=datetime.date(2021, 5, 1), receipt_number="=1+2")
    return world


def _export(user, participant, export_format):
    return client_for(user).post(
        reverse("enrollment:participant_data_export", args=[participant.pk]), {"format": export_format}
    )


def test_the_json_export_holds_the_person_their_acquisitions_contributions_and_history(world):
    participant = world.participant
    old_nik = participant.nik
    new_nik = build_nik("330101", participant.birth_date, participant.gender, 8888)
    participant_update(participant=participant, changed_by=world.staff, reason="KTP baru", nik=new_nik)

    response = _export(world.staff, participant, "json")

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"] and ".json" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["participant"]["nik"] == new_nik
    assert document["participant"]["full_name"] == "Siti Aminah"
    assert document["participant"]["phone"] == "+6281324681357"
    assert document["participant"]["birth_date"] == participant.birth_date.isoformat()
    assert document["participant"]["branch"] == "Cilacap"
    [acquisition] = document["acquisitions"]
    assert acquisition["acquired_on"] == "2021-03-15" and acquisition["agent"].startswith("Sari Wulandari")
    assert acquisition["monthly_contribution"] == 16800
    assert [c["period"] for c in document["contributions"]] == ["2021-04", "2021-05"]
    assert document["contributions"][1]["receipt_number"] == "=1+2"  # JSON is not a spreadsheet: kept as is
    change = next(entry for entry in document["history"] if entry["reason"] == "KTP baru")
    assert f"NIK: {old_nik} → {new_nik}" in change["changes"]  # the person's own old NIK, in full
    assert change["who"] == "Rina Wulandari"
    [shown] = document["nik_views"]  # this export itself: the full NIK went to branch staff
    assert (shown["role"], shown["reason"]) == ("Branch staff", "Personal data export (access request)")
    assert "Rina" not in json.dumps(document["nik_views"])


def test_the_excel_export_has_a_sheet_per_section_and_neutralised_text(world):
    response = _export(world.staff, world.participant, "xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Personal data", "Acquisitions", "Contributions", "History", "NIK shown"]
    person = {row[0]: row[1] for row in book["Personal data"].iter_rows(values_only=True)}
    assert person["NIK"] == world.participant.nik and person["Phone"] == "0813-2468-1357"
    assert person["Birth date"].date() == world.participant.birth_date
    header, *contributions = list(book["Contributions"].iter_rows(values_only=True))
    assert len(contributions) == 2
    assert contributions[1][header.index("Receipt number")] == "'=1+2"
    assert contributions[0][header.index("Amount")] == 16800
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("export_format", ["json", "xlsx"])
def test_an_export_is_logged_as_an_access_request(world, export_format):
    _export(world.staff, world.participant, export_format)
    disclosure = NikDisclosure.objects.get()
    assert (disclosure.viewer, disclosure.participant, disclosure.reason) == (
        world.staff,
        world.participant,
        NikDisclosure.Reason.ACCESS_REQUEST,
    )


def test_a_national_administrator_may_export_any_branchs_participant(world):
    assert _export(world.admin, world.far_participant, "json").status_code == 200


@pytest.mark.parametrize(
    ("who", "subject", "status"),
    [
        ("far_staff", "participant", 404),  # another branch's participant
        ("staff", "far_participant", 404),
        ("agent", "participant", 404),  # not even the agent who looks after them: staff answer requests
        ("head", "participant", 403),
    ],
)
def test_an_export_out_of_reach_is_refused_and_logs_nothing(world, who, subject, status):
    user = world.agent.user if who == "agent" else getattr(world, who)
    response = _export(user, getattr(world, subject), "json")
    assert response.status_code == status
    assert world.participant.nik.encode() not in response.content
    assert not NikDisclosure.objects.exists()


def test_an_unknown_format_is_a_clear_refusal_that_logs_nothing(world):
    response = _export(world.staff, world.participant, "pdf")
    assert response.status_code == 400 and "Choose Excel or JSON." in response.content.decode()
    assert not NikDisclosure.objects.exists()


def test_the_export_takes_only_a_post(world):
    url = reverse("enrollment:participant_data_export", args=[world.participant.pk])
    assert client_for(world.staff).get(url, {"format": "json"}).status_code == 405
    assert not NikDisclosure.objects.exists()


def test_the_export_costs_the_same_queries_however_long_the_record(world):
    client = client_for(world.staff)
    url = reverse("enrollment:participant_data_export", args=[world.participant.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"format": "xlsx"}).status_code == 200
        return len(captured)

    short = queries()
    for month in range(6, 13):
        ContributionFactory(acquisition=world.acquisition, period=datetime.date(2021, month, 1))
    participant_update(participant=world.participant, changed_by=world.staff, reason="HP baru", phone="0857-1-2345")
    assert queries() == short <= 22
