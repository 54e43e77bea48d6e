"""The training session pages: list, create and edit, roster, invitations, attendance at the door,
results, and the printable list."""

import datetime

import pytest
from django.urls import reverse

from perisai.privacy import mask_nik
from recruitment.models import Candidate, Seat, TrainingSession
from tests.factories import CandidateFactory, SeatFactory, TrainingSessionFactory
from tests.web_recruitment.helpers import page_text, recruitment_rows

pytestmark = pytest.mark.django_db

LIST = reverse("recruitment:session_list")
CREATE = reverse("recruitment:session_create")


def _url(name, obj):
    return reverse(f"recruitment:{name}", args=[obj.pk])


def _session_data(day, **changes):
    data = {
        "held_on": day.isoformat(),
        "starts_at": "08:30",
        "place": "Aula Kantor Cabang Cilacap",
        "trainer": "Bidang Kepesertaan",
        "capacity": "20",
        "materials": "JKK, JKM, JHT\nPendaftaran peserta BPU",
        "pass_mark": "70",
    }
    return {**data, **changes}


# --- the list ------------------------------------------------------------------------------------


def test_the_list_counts_seats_attendance_and_passes(staff_client, session):
    SeatFactory(session=session, attended=True, score=90, passed=True)
    SeatFactory(session=session, attended=True, score=40, passed=False)
    SeatFactory(session=session, attended=False)
    SeatFactory(session=session)

    response = staff_client.get(LIST)

    row = response.context["page_obj"][0]
    assert (row.seats_taken, row.attended_count, row.passed_count) == (4, 2, 1)
    assert "4 / 10" in page_text(response)


def test_the_list_splits_upcoming_and_past(staff_client, branch, session, today, other_branch):
    past = TrainingSessionFactory(branch=branch, held_on=today - datetime.timedelta(days=30))
    TrainingSessionFactory(branch=other_branch, held_on=today)

    upcoming = list(staff_client.get(LIST, {"when": "upcoming"}).context["page_obj"])
    held = list(staff_client.get(LIST, {"when": "past"}).context["page_obj"])

    assert upcoming == [session]
    assert held == [past]


def test_the_list_queries_do_not_grow_with_the_sessions(staff_client, branch, today, django_assert_max_num_queries):
    for days in range(30):
        SeatFactory(session=TrainingSessionFactory(branch=branch, held_on=today + datetime.timedelta(days=days)))
    with django_assert_max_num_queries(10):
        response = staff_client.get(LIST)
    assert len(response.context["page_obj"]) == 25


# --- create and edit -----------------------------------------------------------------------------


def test_staff_add_a_session(staff_client, staff, branch, today):
    response = staff_client.post(CREATE, _session_data(today + datetime.timedelta(days=14)))

    session = TrainingSession.objects.get()
    assert response.url == _url("session_detail", session)
    assert (session.branch, session.created_by, session.capacity, session.starts_at) == (
        branch,
        staff,
        20,
        datetime.time(8, 30),
    )


def test_a_capacity_out_of_range_is_shown_on_the_form(staff_client, today):
    response = staff_client.post(CREATE, _session_data(today, capacity="0"))

    assert response.status_code == 200
    assert response.context["form"].errors["capacity"]
    assert not TrainingSession.objects.exists()


def test_editing_the_capacity_below_the_seats_taken_is_refused(staff_client, session):
    SeatFactory.create_batch(3, session=session)
    before = recruitment_rows()

    response = staff_client.post(_url("session_edit", session), _session_data(session.held_on, capacity="2"))

    assert response.status_code == 200
    assert "3 seats are already taken" in " ".join(response.context["form"].errors["capacity"])
    assert recruitment_rows() == before


def test_the_head_reads_sessions_but_cannot_add_or_change_them(head_client, session, today):
    before = recruitment_rows()
    assert head_client.get(LIST).status_code == 200
    detail = head_client.get(_url("session_detail", session))
    assert detail.status_code == 200
    assert _url("session_edit", session) not in page_text(detail)
    assert _url("session_attendance", session) not in page_text(detail)

    assert head_client.post(CREATE, _session_data(today)).status_code == 403
    assert head_client.post(_url("session_edit", session), _session_data(today, place="X")).status_code == 403
    assert head_client.post(_url("session_attendance", session), {}).status_code == 403
    assert head_client.post(_url("session_results", session), {}).status_code == 403
    assert head_client.post(_url("session_invite", session), {}).status_code == 403
    assert recruitment_rows() == before


def test_another_branchs_session_is_not_found(far_staff_client, session, seat):
    for name in ("session_detail", "session_edit", "session_invite", "session_attendance", "session_results"):
        assert far_staff_client.get(_url(name, session)).status_code == 404
    assert far_staff_client.get(_url("session_print", session)).status_code == 404
    assert far_staff_client.post(_url("seat_attend", seat), {"present": seat.pk}).status_code == 404


# --- the roster and invitations ------------------------------------------------------------------


def test_the_session_page_shows_the_roster_with_masked_niks(staff_client, seat):
    response = staff_client.get(_url("session_detail", seat.session))

    text = page_text(response)
    assert response.context["seats"] == [seat]
    assert seat.candidate.full_name in text
    assert mask_nik(seat.candidate.nik) in text and seat.candidate.nik not in text


def test_the_checklist_offers_registered_and_failed_candidates_of_the_branch(
    staff_client, session, branch, other_branch
):
    registered = CandidateFactory(branch=branch, full_name="Ayu")
    failed = CandidateFactory(branch=branch, full_name="Bima", stage=Candidate.Stage.FAILED)
    CandidateFactory(branch=branch, full_name="Citra", stage=Candidate.Stage.PASSED)
    CandidateFactory(branch=other_branch, full_name="Dewi")
    SeatFactory(session=session, candidate__full_name="Eka")

    offered = staff_client.get(_url("session_invite", session)).context["form"].fields["candidates"].queryset

    assert list(offered) == [registered, failed]


def test_the_ticked_candidates_are_invited_together(staff_client, session, branch):
    ayu, bima = CandidateFactory(branch=branch), CandidateFactory(branch=branch)

    response = staff_client.post(_url("session_invite", session), {"candidates": [ayu.pk, bima.pk]})

    assert response.url == _url("session_detail", session)
    assert set(Seat.objects.filter(session=session).values_list("candidate", flat=True)) == {ayu.pk, bima.pk}
    assert set(Candidate.objects.values_list("stage", flat=True)) == {Candidate.Stage.INVITED}


def test_when_the_session_cannot_seat_them_all_nobody_is_invited(staff_client, branch, today):
    small = TrainingSessionFactory(branch=branch, held_on=today, capacity=1)
    ayu, bima = CandidateFactory(branch=branch), CandidateFactory(branch=branch)
    before = recruitment_rows()

    response = staff_client.post(_url("session_invite", small), {"candidates": [ayu.pk, bima.pk]})

    assert response.status_code == 200
    text = page_text(response)
    assert "Nobody was invited." in text and "This session is full" in text
    assert recruitment_rows() == before


# --- attendance at the door ----------------------------------------------------------------------


def test_the_door_page_lists_the_seats_with_big_rows(staff_client, seat):
    response = staff_client.get(_url("session_attendance", seat.session))

    text = page_text(response)
    assert response.status_code == 200
    assert f'hx-post="{_url("seat_attend", seat)}"' in text
    assert 'name="present"' in text


def test_one_tap_with_htmx_marks_present_and_returns_the_row(staff_client, seat):
    response = staff_client.post(_url("seat_attend", seat), {"present": [seat.pk]}, HTTP_HX_REQUEST="true")

    seat.refresh_from_db()
    seat.candidate.refresh_from_db()
    assert seat.attended is True
    assert seat.candidate.stage == Candidate.Stage.TRAINED
    text = page_text(response)
    assert f'id="seat-{seat.pk}"' in text and "<html" not in text
    assert "checked" in text and "Present" in text
    assert '<strong id="present-count" data-hx-swap-oob="true">1</strong>' in text


def test_untapping_marks_absent_again(staff_client, seat):
    staff_client.post(_url("seat_attend", seat), {"present": [seat.pk]}, HTTP_HX_REQUEST="true")

    staff_client.post(_url("seat_attend", seat), {"present": []}, HTTP_HX_REQUEST="true")

    seat.refresh_from_db()
    assert seat.attended is False


def test_a_tap_without_javascript_goes_back_to_the_door_page(staff_client, seat):
    response = staff_client.post(_url("seat_attend", seat), {"present": [seat.pk]})

    seat.refresh_from_db()
    assert seat.attended is True
    assert response.url == _url("session_attendance", seat.session) + f"#seat-{seat.pk}"


def test_the_plain_form_saves_the_whole_attendance(staff_client, session):
    here, away = SeatFactory(session=session), SeatFactory(session=session)

    response = staff_client.post(_url("session_attendance", session), {"present": [here.pk]})

    here.refresh_from_db()
    away.refresh_from_db()
    assert response.url == _url("session_detail", session)
    assert (here.attended, away.attended) == (True, False)


def test_attendance_before_the_session_day_is_refused_on_the_row_and_the_form(staff_client, branch, today):
    tomorrow = TrainingSessionFactory(branch=branch, held_on=today + datetime.timedelta(days=1))
    seat = SeatFactory(session=tomorrow)
    before = recruitment_rows()

    row = staff_client.post(_url("seat_attend", seat), {"present": [seat.pk]}, HTTP_HX_REQUEST="true")
    whole = staff_client.post(_url("session_attendance", tomorrow), {"present": [seat.pk]})

    assert "not before" in page_text(row)
    assert whole.status_code == 200 and "not before" in page_text(whole)
    assert recruitment_rows() == before


# --- results -------------------------------------------------------------------------------------


@pytest.fixture
def attended(session):
    """Two candidates present at today's session, waiting for their scores."""
    return [
        SeatFactory(session=session, attended=True, candidate__stage=Candidate.Stage.TRAINED, candidate__full_name=n)
        for n in ("Ayu Kartika", "Bima Sakti")
    ]


def test_scores_are_entered_for_those_who_attended(staff_client, session, attended):
    absent = SeatFactory(session=session, attended=False, candidate__stage=Candidate.Stage.REGISTERED)
    ayu, bima = attended
    form = staff_client.get(_url("session_results", session)).context["form"]
    assert [seat for seat, _field in form.rows()] == [ayu, bima]

    response = staff_client.post(_url("session_results", session), {f"score-{ayu.pk}": "85", f"score-{bima.pk}": "40"})

    assert response.url == _url("session_detail", session)
    ayu.refresh_from_db()
    bima.refresh_from_db()
    assert (ayu.passed, bima.passed) == (True, False)
    assert list(
        Candidate.objects.filter(seats__in=[ayu, bima]).order_by("full_name").values_list("stage", flat=True)
    ) == [
        "passed",
        "failed",
    ]
    absent.refresh_from_db()
    assert absent.score is None


def test_a_score_out_of_range_is_shown_on_its_row(staff_client, session, attended):
    before = recruitment_rows()
    response = staff_client.post(_url("session_results", session), {f"score-{attended[0].pk}": "101"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"score-{attended[0].pk}"]
    assert recruitment_rows() == before


def test_one_refused_score_saves_none_of_them(staff_client, staff, session, attended):
    ayu, bima = attended
    Candidate.objects.filter(pk=bima.candidate_id).update(
        stage=Candidate.Stage.WITHDRAWN, withdrawal_reason="Pindah kota"
    )
    before = recruitment_rows()

    response = staff_client.post(_url("session_results", session), {f"score-{ayu.pk}": "85", f"score-{bima.pk}": "90"})

    assert response.status_code == 200
    text = page_text(response)
    assert "No score was saved" in text and "has withdrawn" in text
    assert recruitment_rows() == before


# --- the printed list ----------------------------------------------------------------------------


def test_the_print_view_has_the_sessions_facts_and_a_signature_column(staff_client, head_client, seat):
    session = seat.session

    response = staff_client.get(_url("session_print", session))

    text = page_text(response)
    assert response.status_code == 200
    for fact in (session.place, session.trainer, "Signature", seat.candidate.full_name, mask_nik(seat.candidate.nik)):
        assert fact in text
    assert seat.candidate.nik not in text
    assert "css/recruitment.css" in text
    assert head_client.get(_url("session_print", session)).status_code == 200
