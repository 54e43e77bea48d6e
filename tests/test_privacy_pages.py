"""NIK and phone numbers on every page and in every file, as each role sees them (perisai.privacy).

A NIK is masked everywhere for everyone (a full one only on request, see tests/enrollment/test_disclosures.py);
phone numbers are in full for staff and agents, masked for the branch head and administrators.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import User
from enrollment.models import NikDisclosure
from enrollment.services.participants import participant_update
from perisai.nik import build_nik
from perisai.privacy import mask_nik, mask_phone
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import UserFactory
from tests.privacy_builders import build_world, client_for

pytestmark = pytest.mark.django_db
THROUGH = {"through": "2022-06"}  # the world's participants paid April 2021 only: lapsed by then


@pytest.fixture
def world(rate):
    return build_world(rate)


def _page(user, name, *args, **params):
    response = client_for(user).get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def _download(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _roles(world):
    return {"staff": world.staff, "head": world.head, "admin": world.admin}


@pytest.mark.parametrize("role", ["staff", "head", "admin"])
def test_the_participant_list_masks_every_nik(world, role):
    page = _page(_roles(world)[role], "enrollment:participant_list")
    assert mask_nik(world.participant.nik) in page
    assert world.participant.nik not in page and world.colleague_participant.nik not in page


def test_the_participant_list_still_finds_a_full_nik_typed_in(world):
    response = client_for(world.staff).get(reverse("enrollment:participant_list"), {"q": world.participant.nik})
    assert [participant.full_name for participant in response.context["page"]] == ["Siti Aminah"]
    assert mask_nik(world.participant.nik) in response.content.decode()  # the row; the search box keeps what was typed


@pytest.mark.parametrize(
    ("role", "phone_shown"), [("staff", "0813-2468-1357"), ("head", "0813••••1357"), ("admin", "0813••••1357")]
)
def test_the_participant_page_masks_the_nik_with_a_show_button_and_the_phone_by_role(world, role, phone_shown):
    page = _page(_roles(world)[role], "enrollment:participant_detail", world.participant.pk)
    assert mask_nik(world.participant.nik) in page and world.participant.nik not in page
    assert reverse("enrollment:participant_nik", args=[world.participant.pk]) in page
    assert "Show NIK" in page
    assert phone_shown in page
    if role != "staff":
        assert "0813-2468-1357" not in page
    assert not NikDisclosure.objects.exists()  # opening the page shows nothing in full, so logs nothing


def test_only_those_who_answer_access_requests_see_the_export_buttons(world):
    export = reverse("enrollment:participant_data_export", args=[world.participant.pk])
    assert export in _page(world.staff, "enrollment:participant_detail", world.participant.pk)
    assert export in _page(world.admin, "enrollment:participant_detail", world.participant.pk)
    assert export not in _page(world.head, "enrollment:participant_detail", world.participant.pk)


def test_the_history_masks_a_changed_nik_for_everyone_and_a_changed_phone_for_the_head(world):
    participant = world.participant
    new_nik = build_nik("330101", participant.birth_date, participant.gender, 7777)
    old_nik = participant.nik
    participant_update(
        participant=participant, changed_by=world.staff, reason="KTP baru", nik=new_nik, phone="0857-1000-2000"
    )

    for user in (world.staff, world.head):
        page = _page(user, "enrollment:participant_detail", participant.pk)
        assert mask_nik(old_nik) in page and mask_nik(new_nik) in page
        assert old_nik not in page and new_nik not in page
    staff_page = _page(world.staff, "enrollment:participant_detail", participant.pk)
    assert "<del>0813-2468-1357</del>" in staff_page
    head_page = _page(world.head, "enrollment:participant_detail", participant.pk)
    assert "<del>0813••••1357</del>" in head_page and "0857-1000-2000" not in head_page


@pytest.mark.parametrize(("role", "phone_shown"), [("staff", "0812-1111-2222"), ("head", "0812••••2222")])
def test_the_agent_list_shows_phones_by_role(world, role, phone_shown):
    page = _page(_roles(world)[role], "agents:agent_list")
    assert phone_shown in page
    assert world.agent.nik not in page


@pytest.mark.parametrize(("role", "phone_shown"), [("staff", "0812-1111-2222"), ("head", "0812••••2222")])
def test_the_agent_page_masks_nik_and_participants_niks_and_the_phone_by_role(world, role, phone_shown):
    page = _page(_roles(world)[role], "agents:agent_detail", world.agent.pk)
    assert mask_nik(world.agent.nik) in page and world.agent.nik not in page
    assert reverse("agents:agent_nik", args=[world.agent.pk]) in page
    assert mask_nik(world.participant.nik) in page and world.participant.nik not in page
    assert phone_shown in page


def test_the_agent_sees_their_participants_masked_nik_and_full_phone(world):
    agent = world.agent.user
    listing = _page(agent, "enrollment:my_participants")
    assert f"NIK {mask_nik(world.participant.nik)}" in listing and world.participant.nik not in listing

    page = _page(agent, "enrollment:my_participant_detail", world.participant.pk)
    assert mask_nik(world.participant.nik) in page and world.participant.nik not in page
    assert reverse("enrollment:my_participant_nik", args=[world.participant.pk]) in page
    assert 'href="tel:0813-2468-1357"' in page


def test_the_import_preview_masks_the_niks_of_the_file(world, rate):
    row = person()
    response = client_for(world.staff).post(
        reverse("enrollment:import_upload"), {"file": xlsx_upload([row]), "agent": world.agent.pk}, follow=True
    )
    page = response.content.decode()
    assert "First good rows" in page
    assert mask_nik(row["nik"]) in page and row["nik"] not in page


# --- reports and their files ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "phone_shown"), [("staff", "0813-2468-1357"), ("head", "0813••••1357")])
def test_the_lapsed_list_page_and_csv_show_phones_to_staff_only(world, role, phone_shown):
    user = _roles(world)[role]
    page = _page(user, "reports:report", "lapsed-list", **THROUGH)
    assert "Siti Aminah" in page and phone_shown in page
    content = _download(client_for(user).get(reverse("reports:report_csv", args=["lapsed-list"]), THROUGH))
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {row["Phone"] for row in rows} >= {phone_shown}
    if role == "head":
        assert all("••••" in row["Phone"] for row in rows)


def test_the_lapsed_by_agent_report_masks_agent_phones_for_the_head(world):
    assert "0812••••2222" in _page(world.head, "reports:report", "lapsed", **THROUGH)
    assert "0812-1111-2222" in _page(world.staff, "reports:report", "lapsed", **THROUGH)


@pytest.mark.parametrize(("role", "masked_phone"), [("staff", False), ("head", True), ("admin", True)])
def test_the_participant_exports_mask_the_nik_for_everyone_and_the_phone_by_role(world, role, masked_phone):
    client = client_for(_roles(world)[role])
    params = {**THROUGH, "branch": "CLP"} if role == "admin" else THROUGH
    content = _download(client.get(reverse("reports:participants_csv"), params))
    rows = {row["Participant"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    siti = rows["Siti Aminah"]
    assert siti["NIK"] == mask_nik(world.participant.nik)
    assert siti["Phone"] == (mask_phone("0813-2468-1357") if masked_phone else "0813-2468-1357")

    sheet = load_workbook(io.BytesIO(_download(client.get(reverse("reports:participants_xlsx"), params)))).active
    header, *cells = list(sheet.iter_rows(values_only=True))
    values = {cell[header.index("Participant")]: cell for cell in cells}
    assert values["Siti Aminah"][header.index("NIK")] == mask_nik(world.participant.nik)
    assert values["Siti Aminah"][header.index("Phone")] == siti["Phone"]
    assert world.participant.nik not in str(cells)


def test_the_evaluation_workbook_masks_agent_phones_for_the_head(world):
    def lapsed_sheet(user):
        content = client_for(user).get(reverse("reports:workbook"), THROUGH).content
        return str(list(load_workbook(io.BytesIO(content))["Lapsed participants by agent"].iter_rows(values_only=True)))

    assert "0812••••2222" in lapsed_sheet(world.head) and "0812-1111-2222" not in lapsed_sheet(world.head)
    assert "0812-1111-2222" in lapsed_sheet(world.staff)


# --- the Django admin ----------------------------------------------------------------------------


def _admin_user(role, branch):
    return UserFactory(role=role, branch=branch, is_staff=True)


def _national_admin():
    """The admin is the national administrators' (``agents.admin_scope``); branch users have the pages."""
    return UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.HEAD])
def test_branch_users_read_people_on_the_pages_not_in_the_admin(world, role):
    user = _admin_user(role, world.branch)
    for url in (
        reverse("admin:enrollment_participant_changelist"),
        reverse("admin:enrollment_participant_change", args=[world.participant.pk]),
        reverse("admin:enrollment_participant_add"),
        reverse("admin:agents_agent_changelist"),
    ):
        assert client_for(user).get(url).status_code == 403, url


def test_the_admin_lists_and_pages_never_show_a_full_nik(world):
    user = _national_admin()
    for url in (
        reverse("admin:enrollment_participant_changelist"),
        reverse("admin:enrollment_participant_change", args=[world.participant.pk]),
        reverse("admin:enrollment_acquisition_changelist"),
        reverse("admin:agents_agent_changelist"),
        reverse("admin:agents_agent_change", args=[world.agent.pk]),
    ):
        page = client_for(user).get(url).content.decode()
        assert world.participant.nik not in page and world.agent.nik not in page, url
    change = client_for(user).get(reverse("admin:enrollment_participant_change", args=[world.participant.pk]))
    assert mask_nik(world.participant.nik) in change.content.decode()
    assert 'name="nik"' not in change.content.decode()


def test_the_admin_masks_phones_for_administrators(world):
    admin = _national_admin()
    agents = reverse("admin:agents_agent_changelist")
    participant = reverse("admin:enrollment_participant_change", args=[world.participant.pk])
    assert "0812••••2222" in client_for(admin).get(agents).content.decode()
    assert "0812-1111-2222" not in client_for(admin).get(agents).content.decode()
    assert "0813••••1357" in client_for(admin).get(participant).content.decode()
    assert 'name="phone"' not in client_for(admin).get(participant).content.decode()


def test_adding_a_participant_in_the_admin_takes_the_nik(world):
    form = client_for(_national_admin()).get(reverse("admin:enrollment_participant_add")).context["adminform"].form
    assert "nik" in form.fields and "phone" in form.fields


def test_disclosures_are_not_written_by_any_of_these_pages(world):
    for user in (world.staff, world.head):
        _page(user, "enrollment:participant_list")
        _page(user, "enrollment:participant_detail", world.participant.pk)
        _page(user, "agents:agent_detail", world.agent.pk)
    _page(world.agent.user, "enrollment:my_participant_detail", world.participant.pk)
    assert not NikDisclosure.objects.exists()
