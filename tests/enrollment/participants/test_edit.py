"""Staff correct a participant's data with a reason; the reason is kept in the history."""

import datetime

from django.urls import reverse

from perisai.nik import FEMALE, MALE, build_nik
from tests.factories import ParticipantFactory


def _form(participant, **changes):
    data = {
        "nik": participant.nik,
        "full_name": participant.full_name,
        "gender": participant.gender,
        "birth_date": participant.birth_date.isoformat(),
        "phone": participant.phone,
        "address": participant.address,
        "kecamatan": participant.kecamatan,
        "desa": participant.desa,
        "occupation": participant.occupation,
        "kpj_number": participant.kpj_number or "",
        "reason": "Dikoreksi dari KTP",
    }
    return {**data, **changes}


def _edit(client, participant, **changes):
    return client.post(reverse("enrollment:participant_edit", args=[participant.pk]), _form(participant, **changes))


def test_a_change_is_saved_with_its_reason_and_author(staff_client, staff, participant):
    response = _edit(staff_client, participant, full_name="Sri Rahayu Lestari", reason="Nama dikoreksi dari KTP")

    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.full_name == "Sri Rahayu Lestari"
    record = participant.history.first()
    assert record.history_type == "~"
    assert record.history_change_reason == "Nama dikoreksi dari KTP"
    assert record.history_user == staff


def test_the_reason_is_required(staff_client, participant):
    response = _edit(staff_client, participant, full_name="Nama Baru", reason="")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    participant.refresh_from_db()
    assert participant.full_name != "Nama Baru"


def test_a_malformed_nik_is_refused(staff_client, participant):
    response = _edit(staff_client, participant, nik="3301")
    assert "NIK must be exactly 16 digits; this one has 4." in response.content.decode()


def test_a_nik_of_another_participant_is_refused_clearly(staff_client, participant, branch):
    other = ParticipantFactory(branch=branch)
    response = _edit(
        staff_client, participant, nik=other.nik, birth_date=other.birth_date.isoformat(), gender=other.gender
    )
    assert "Another participant is already registered with this NIK. Nothing was changed." in response.content.decode()
    participant.refresh_from_db()
    assert participant.nik != other.nik


def test_a_changed_nik_that_disagrees_with_the_birth_date_needs_confirmation(staff_client, participant):
    nik = build_nik("330101", datetime.date(1970, 1, 1), participant.gender, 4444)
    first = _edit(staff_client, participant, nik=nik)
    page = first.content.decode()
    assert "The NIK encodes birth date" in page
    assert "confirm_nik_mismatch" in page
    participant.refresh_from_db()
    assert participant.nik != nik

    second = _edit(staff_client, participant, nik=nik, confirm_nik_mismatch="on")
    assert second.status_code == 302
    participant.refresh_from_db()
    assert participant.nik == nik


def test_a_registered_mismatch_does_not_block_other_corrections(staff_client, branch):
    nik = build_nik("330101", datetime.date(1980, 5, 5), FEMALE, 12)
    participant = ParticipantFactory(branch=branch, nik=nik, birth_date=datetime.date(1980, 5, 5), gender=MALE)
    response = _edit(staff_client, participant, phone="0857-2222-3333")
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "+6285722223333"


def test_saving_without_changes_writes_no_history(staff_client, participant):
    before = participant.history.count()
    response = _edit(staff_client, participant)
    assert response.status_code == 302
    assert participant.history.count() == before


def test_the_head_may_not_edit(head_client, participant):
    assert head_client.get(reverse("enrollment:participant_edit", args=[participant.pk])).status_code == 403
    assert _edit(head_client, participant, full_name="Diubah Kepala").status_code == 403
    participant.refresh_from_db()
    assert participant.full_name != "Diubah Kepala"
