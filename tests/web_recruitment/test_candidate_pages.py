"""The staff candidate pages: list, register, detail, edit, invite, cancel, withdraw, activate."""

import datetime

import pytest
from django.urls import reverse

from agents.models import User
from perisai.nik import Gender, build_nik
from perisai.privacy import mask_nik
from recruitment.models import Candidate, Seat
from tests.factories import (
    AgentFactory,
    CandidateFactory,
    PerisaiOfficeFactory,
    SeatFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.web_recruitment.conftest import make_participant, signed_in
from tests.web_recruitment.helpers import page_text, recruitment_rows

pytestmark = pytest.mark.django_db

LIST = reverse("recruitment:candidate_list")
CREATE = reverse("recruitment:candidate_create")


def _registration(**changes):
    birth_date = datetime.date(1995, 3, 14)
    data = {
        "full_name": "Ayu Kartika",
        "nik": build_nik("330105", birth_date, Gender.FEMALE, 17),
        "gender": Gender.FEMALE,
        "birth_date": birth_date.isoformat(),
        "phone": "0812-3456-7890",
        "kecamatan": "Kroya",
        "desa": "Pesanggrahan",
        "declared_not_bpjs_employee": "on",
    }
    return {**data, **changes}


def _names(response):
    return [candidate.full_name for candidate in response.context["page_obj"]]


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_the_branchs_candidates_with_masked_niks(staff_client, branch, other_branch):
    ours = CandidateFactory(branch=branch, full_name="Ayu Kartika")
    theirs = CandidateFactory(branch=other_branch, full_name="Wawan Banyumas")

    response = staff_client.get(LIST)

    assert response.status_code == 200
    assert _names(response) == ["Ayu Kartika"]
    text = page_text(response)
    assert mask_nik(ours.nik) in text and ours.nik not in text
    assert theirs.full_name not in text


def test_the_list_filters_by_stage_session_recruiter_and_search(staff_client, branch, session, recruiter):
    registered = CandidateFactory(branch=branch, full_name="Ayu Kartika", recruited_by=recruiter)
    invited = SeatFactory(session=session, candidate__full_name="Bima Sakti").candidate
    CandidateFactory(branch=branch, full_name="Citra Lestari", stage=Candidate.Stage.WITHDRAWN, withdrawal_reason="x")

    assert _names(staff_client.get(LIST, {"stage": "invited"})) == [invited.full_name]
    assert _names(staff_client.get(LIST, {"session": session.pk})) == [invited.full_name]
    assert _names(staff_client.get(LIST, {"recruiter": recruiter.pk})) == [registered.full_name]
    assert _names(staff_client.get(LIST, {"q": "kart"})) == [registered.full_name]
    assert _names(staff_client.get(LIST, {"q": invited.nik[:10]})) == [invited.full_name]
    assert len(_names(staff_client.get(LIST, {"stage": "nonsense"}))) == 3


def test_the_list_pages_and_its_queries_do_not_grow_with_the_candidates(
    staff_client, branch, recruiter, django_assert_max_num_queries
):
    CandidateFactory.create_batch(30, branch=branch, recruited_by=recruiter)
    with django_assert_max_num_queries(12):
        first = staff_client.get(LIST)
    CandidateFactory.create_batch(30, branch=branch)
    with django_assert_max_num_queries(12):
        again = staff_client.get(LIST)

    assert len(_names(first)) == 25
    assert again.context["page_obj"].paginator.count == 60


def test_an_agent_does_not_find_the_staff_pages(recruiter_client, candidate):
    assert recruiter_client.get(LIST).status_code == 404
    assert recruiter_client.get(reverse("recruitment:candidate_detail", args=[candidate.pk])).status_code == 404


# --- register ------------------------------------------------------------------------------------


def test_staff_register_a_candidate_with_the_declaration_and_a_recruiter(staff_client, staff, branch, recruiter):
    response = staff_client.post(CREATE, _registration(recruited_by=recruiter.pk))

    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recruitment:candidate_detail", args=[candidate.pk])
    assert (candidate.branch, candidate.recruited_by, candidate.registered_by) == (branch, recruiter, staff)
    assert candidate.stage == Candidate.Stage.REGISTERED
    assert candidate.phone == "+6281234567890"


def test_the_register_form_offers_only_the_branchs_agents_as_recruiters(staff_client, recruiter, other_branch):
    far_agent = AgentFactory(branch=other_branch, full_name="Wati Banyumas")

    form = staff_client.get(CREATE).context["form"]

    assert list(form.fields["recruited_by"].queryset) == [recruiter]
    assert far_agent not in form.fields["recruited_by"].queryset


def test_registering_without_the_declaration_is_refused(staff_client):
    response = staff_client.post(CREATE, _registration(declared_not_bpjs_employee=""))

    assert response.status_code == 200
    assert "declared_not_bpjs_employee" in response.context["form"].errors
    assert not Candidate.objects.exists()


def test_a_nik_already_registered_is_refused_with_the_services_message(staff_client, branch):
    existing = CandidateFactory(branch=branch)
    before = recruitment_rows()

    response = staff_client.post(
        CREATE,
        _registration(nik=existing.nik, birth_date=existing.birth_date.isoformat(), gender=existing.gender),
    )

    assert response.status_code == 200
    assert "already registered as a candidate" in " ".join(response.context["form"].errors["nik"])
    assert "already registered as a candidate" in page_text(response)
    assert recruitment_rows() == before


def test_the_head_reads_the_pages_but_cannot_register(head_client, candidate):
    assert head_client.get(LIST).status_code == 200
    assert head_client.get(CREATE).status_code == 403
    before = recruitment_rows()

    assert head_client.post(CREATE, _registration()).status_code == 403
    assert recruitment_rows() == before


# --- the candidate's page ------------------------------------------------------------------------


def test_the_page_shows_data_seats_and_who_moved_the_stage(staff_client, staff, candidate, session):
    staff_client.post(reverse("recruitment:candidate_invite", args=[candidate.pk]), {"session": session.pk})

    response = staff_client.get(reverse("recruitment:candidate_detail", args=[candidate.pk]))

    text = page_text(response)
    assert response.status_code == 200
    assert mask_nik(candidate.nik) in text and candidate.nik not in text
    assert [seat.session for seat in response.context["seats"]] == [session]
    history = response.context["history"]
    assert [entry["stage"] for entry in history] == ["registered", "invited"]
    assert history[-1]["who"] == staff.get_full_name()
    assert "Invited to training" in text


def test_the_page_says_whether_the_candidate_is_a_bpu_participant(staff_client, candidate, recruiter):
    url = reverse("recruitment:candidate_detail", args=[candidate.pk])
    assert staff_client.get(url).context["is_participant"] is False
    assert 'id="enrol-link"' in page_text(staff_client.get(url))

    make_participant(candidate, recruiter)

    response = staff_client.get(url)
    assert response.context["is_participant"] is True
    assert reverse("enrollment:participant_detail", args=[response.context["participant"].pk]) in page_text(response)


def test_the_head_sees_the_page_without_action_buttons(head_client, candidate, session):
    response = head_client.get(reverse("recruitment:candidate_detail", args=[candidate.pk]))

    text = page_text(response)
    assert response.status_code == 200
    assert reverse("recruitment:candidate_edit", args=[candidate.pk]) not in text
    assert reverse("recruitment:candidate_withdraw", args=[candidate.pk]) not in text
    assert reverse("recruitment:candidate_invite", args=[candidate.pk]) not in text


def test_another_branchs_candidate_is_not_found(far_staff_client, candidate):
    for name in ("candidate_detail", "candidate_edit", "candidate_withdraw", "candidate_activate"):
        assert far_staff_client.get(reverse(f"recruitment:{name}", args=[candidate.pk])).status_code == 404


# --- edit ----------------------------------------------------------------------------------------


def test_the_edit_form_keeps_the_nik_unless_a_new_one_is_typed(staff_client, candidate):
    url = reverse("recruitment:candidate_edit", args=[candidate.pk])
    nik = candidate.nik
    form = staff_client.get(url)
    assert candidate.nik not in page_text(form)
    data = {
        "full_name": "Dimas Prasetya",
        "nik": "",
        "gender": candidate.gender,
        "birth_date": candidate.birth_date.isoformat(),
        "phone": "0813-1111-2222",
        "kecamatan": "Kroya",
        "desa": "",
    }

    response = staff_client.post(url, data)

    candidate.refresh_from_db()
    assert response.status_code == 302
    assert (candidate.full_name, candidate.kecamatan, candidate.phone) == ("Dimas Prasetya", "Kroya", "+6281311112222")
    assert candidate.nik == nik


def test_an_edit_to_a_nik_taken_by_another_candidate_is_refused(staff_client, candidate, branch):
    other = CandidateFactory(branch=branch)
    before = recruitment_rows()
    data = {
        "full_name": candidate.full_name,
        "nik": other.nik,
        "gender": other.gender,
        "birth_date": other.birth_date.isoformat(),
        "phone": candidate.phone,
        "kecamatan": candidate.kecamatan,
        "desa": "",
    }

    response = staff_client.post(reverse("recruitment:candidate_edit", args=[candidate.pk]), data)

    assert response.status_code == 200
    assert "already registered as a candidate" in page_text(response)
    assert recruitment_rows() == before


# --- invite, cancel, withdraw --------------------------------------------------------------------


def test_a_candidate_is_invited_from_their_page_to_an_upcoming_session(staff_client, candidate, session):
    response = staff_client.post(
        reverse("recruitment:candidate_invite", args=[candidate.pk]), {"session": session.pk}, follow=True
    )

    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.INVITED
    assert Seat.objects.filter(candidate=candidate, session=session).exists()
    assert "is invited" in page_text(response)


def test_the_invitation_offers_only_upcoming_sessions_of_the_branch(staff_client, candidate, session, today):
    past = TrainingSessionFactory(branch=candidate.branch, held_on=today - datetime.timedelta(days=1))

    offered = staff_client.get(reverse("recruitment:candidate_detail", args=[candidate.pk])).context["invite_form"]

    assert list(offered.fields["session"].queryset) == [session]
    assert past not in offered.fields["session"].queryset


def test_a_full_session_refuses_the_invitation_with_its_message(staff_client, candidate, branch, today):
    full = TrainingSessionFactory(branch=branch, held_on=today, capacity=1)
    SeatFactory(session=full)
    before = recruitment_rows()

    response = staff_client.post(
        reverse("recruitment:candidate_invite", args=[candidate.pk]), {"session": full.pk}, follow=True
    )

    assert "This session is full" in page_text(response)
    assert recruitment_rows() == before


def test_the_head_cannot_invite(head_client, candidate, session):
    before = recruitment_rows()
    response = head_client.post(reverse("recruitment:candidate_invite", args=[candidate.pk]), {"session": session.pk})
    assert response.status_code == 403
    assert recruitment_rows() == before


def test_an_invitation_is_cancelled_from_the_candidates_page(staff_client, seat):
    candidate = seat.candidate

    response = staff_client.post(reverse("recruitment:seat_cancel", args=[seat.pk]))

    candidate.refresh_from_db()
    assert response.url == reverse("recruitment:candidate_detail", args=[candidate.pk])
    assert not Seat.objects.filter(pk=seat.pk).exists()
    assert candidate.stage == Candidate.Stage.REGISTERED


def test_cancelling_after_attendance_is_refused_and_changes_nothing(staff_client, seat):
    Seat.objects.filter(pk=seat.pk).update(attended=True)
    Candidate.objects.filter(pk=seat.candidate_id).update(stage=Candidate.Stage.TRAINED)
    before = recruitment_rows()

    response = staff_client.post(reverse("recruitment:seat_cancel", args=[seat.pk]), follow=True)

    assert "Attendance has been taken for this seat" in page_text(response)
    assert recruitment_rows() == before


def test_a_candidate_withdraws_with_a_reason(staff_client, candidate):
    url = reverse("recruitment:candidate_withdraw", args=[candidate.pk])
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(url, {"reason": "Bekerja di luar kota"})

    candidate.refresh_from_db()
    assert response.status_code == 302
    assert (candidate.stage, candidate.withdrawal_reason) == (Candidate.Stage.WITHDRAWN, "Bekerja di luar kota")
    detail = staff_client.get(reverse("recruitment:candidate_detail", args=[candidate.pk]))
    assert detail.context["history"][-1]["reason"] == "Bekerja di luar kota"


def test_withdrawing_without_a_reason_is_refused(staff_client, candidate):
    before = recruitment_rows()
    response = staff_client.post(reverse("recruitment:candidate_withdraw", args=[candidate.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert recruitment_rows() == before


def test_a_withdrawn_candidate_cannot_withdraw_again(staff_client, branch):
    gone = CandidateFactory(branch=branch, stage=Candidate.Stage.WITHDRAWN, withdrawal_reason="Pindah")
    before = recruitment_rows()

    response = staff_client.post(reverse("recruitment:candidate_withdraw", args=[gone.pk]), {"reason": "Lagi"})

    assert response.status_code == 200
    assert "has already withdrawn" in page_text(response)
    assert recruitment_rows() == before


# --- activate ------------------------------------------------------------------------------------


@pytest.fixture
def passed(session, recruiter):
    """A candidate recruited by Sari who passed today's session."""
    seat = SeatFactory(
        session=session,
        candidate__recruited_by=recruiter,
        candidate__stage=Candidate.Stage.PASSED,
        attended=True,
        score=85,
        passed=True,
    )
    return seat.candidate


def _activation(office, today, **changes):
    return {"office": office.pk, "code": "CLP-A900", "joined_on": today.isoformat(), "create_login": "on", **changes}


def test_a_candidate_who_passed_is_activated_and_the_password_shown_once(
    staff_client, passed, office, recruiter, today
):
    make_participant(passed, recruiter)

    response = staff_client.post(
        reverse("recruitment:candidate_activate", args=[passed.pk]), _activation(office, today)
    )

    passed.refresh_from_db()
    agent = passed.agent
    assert response.status_code == 200
    assert passed.stage == Candidate.Stage.ACTIVATED
    assert (agent.code, agent.office, agent.recruited_by, agent.trained_on) == ("CLP-A900", office, recruiter, today)
    assert agent.user.check_password(response.context["password"])
    assert response.context["password"] in page_text(response)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_activating_a_candidate_who_is_not_a_participant_is_refused(staff_client, passed, office, today):
    before = recruitment_rows()

    response = staff_client.post(
        reverse("recruitment:candidate_activate", args=[passed.pk]), _activation(office, today)
    )

    assert response.status_code == 200
    assert "is not a BPU participant of this branch yet" in page_text(response)
    assert recruitment_rows() == before


def test_an_agent_code_already_taken_is_refused(staff_client, passed, office, recruiter, today):
    make_participant(passed, recruiter)
    before = recruitment_rows()

    response = staff_client.post(
        reverse("recruitment:candidate_activate", args=[passed.pk]), _activation(office, today, code=recruiter.code)
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert recruitment_rows() == before


def test_the_activation_offers_only_the_candidates_branchs_active_offices(staff_client, passed, office, branch):
    closed = PerisaiOfficeFactory(branch=branch, is_active=False)

    form = staff_client.get(reverse("recruitment:candidate_activate", args=[passed.pk])).context["form"]

    assert office in form.fields["office"].queryset and closed not in form.fields["office"].queryset


def test_the_head_cannot_activate(head_client, passed, office, recruiter, today):
    make_participant(passed, recruiter)
    before = recruitment_rows()
    url = reverse("recruitment:candidate_activate", args=[passed.pk])

    assert head_client.get(url).status_code == 403
    assert head_client.post(url, _activation(office, today)).status_code == 403
    assert recruitment_rows() == before


# --- a national administrator --------------------------------------------------------------------


def test_a_national_administrator_registers_for_the_branch_they_choose(branch, other_branch):
    client = signed_in(UserFactory(role=User.Role.ADMIN, branch=None))
    assert "branch" in client.get(CREATE).context["form"].fields

    response = client.post(CREATE, _registration(branch=other_branch.pk))

    assert response.status_code == 302
    assert Candidate.objects.get().branch == other_branch
