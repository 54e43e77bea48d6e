"""The agent's phone pages: register someone they recruit, see their own candidates and where they stand."""

import datetime

import pytest
from django.urls import reverse

from perisai.nik import Gender, build_nik
from perisai.privacy import mask_nik
from recruitment.models import Candidate
from tests.factories import CandidateFactory, PerisaiOfficeFactory, SeatFactory
from tests.web_recruitment.conftest import agent_with_login, make_participant, signed_in
from tests.web_recruitment.helpers import page_text, recruitment_rows

pytestmark = pytest.mark.django_db

MINE = reverse("recruitment:my_candidates")
REGISTER = reverse("recruitment:my_candidate_register")


def _registration(**changes):
    birth_date = datetime.date(1998, 8, 2)
    data = {
        "full_name": "Rudi Hartono",
        "nik": build_nik("330110", birth_date, Gender.MALE, 45),
        "gender": Gender.MALE,
        "birth_date": birth_date.isoformat(),
        "phone": "0857-1234-5678",
        "kecamatan": "Sidareja",
        "desa": "",
        "declared_not_bpjs_employee": "on",
    }
    return {**data, **changes}


def test_an_agent_registers_someone_they_recruit(recruiter_client, recruiter):
    response = recruiter_client.post(REGISTER, _registration())

    candidate = Candidate.objects.get()
    assert response.url == reverse("recruitment:my_candidate_detail", args=[candidate.pk])
    assert (candidate.recruited_by, candidate.branch, candidate.registered_by) == (
        recruiter,
        recruiter.branch,
        recruiter.user,
    )


def test_the_agents_form_has_no_recruiter_to_choose(recruiter_client):
    form = recruiter_client.get(REGISTER).context["form"]
    assert "recruited_by" not in form.fields
    assert "declared_not_bpjs_employee" in form.fields


def test_a_refused_registration_shows_why_and_saves_nothing(recruiter_client, branch):
    existing = CandidateFactory(branch=branch)
    before = recruitment_rows()

    response = recruiter_client.post(
        REGISTER, _registration(nik=existing.nik, birth_date=existing.birth_date.isoformat(), gender=existing.gender)
    )

    assert response.status_code == 200
    assert "already registered as a candidate" in page_text(response)
    assert recruitment_rows() == before


def test_an_agent_sees_only_the_candidates_they_recruited(recruiter_client, recruiter, colleague, branch):
    mine = CandidateFactory(branch=branch, recruited_by=recruiter, full_name="Rudi Hartono")
    theirs = CandidateFactory(branch=branch, recruited_by=colleague, full_name="Tono Sugiarto")
    branch_found = CandidateFactory(branch=branch, full_name="Wulan Sari")

    response = recruiter_client.get(MINE)

    assert list(response.context["page"]) == [mine]
    text = page_text(response)
    assert mask_nik(mine.nik) in text and mine.nik not in text
    assert theirs.full_name not in text and branch_found.full_name not in text
    assert recruiter_client.get(reverse("recruitment:my_candidate_detail", args=[theirs.pk])).status_code == 404
    assert recruiter_client.get(reverse("recruitment:my_candidate_detail", args=[branch_found.pk])).status_code == 404


def test_the_agents_list_filters_by_stage(recruiter_client, recruiter, branch, session):
    waiting = CandidateFactory(branch=branch, recruited_by=recruiter)
    invited = SeatFactory(session=session, candidate__recruited_by=recruiter).candidate

    assert list(recruiter_client.get(MINE, {"stage": "invited"}).context["page"]) == [invited]
    assert list(recruiter_client.get(MINE, {"stage": "registered"}).context["page"]) == [waiting]


def test_the_agents_list_keeps_its_queries_bounded(recruiter_client, recruiter, branch, django_assert_max_num_queries):
    CandidateFactory.create_batch(30, branch=branch, recruited_by=recruiter)
    with django_assert_max_num_queries(12):
        response = recruiter_client.get(MINE)
    assert len(response.context["page"]) == 25


def test_the_candidates_page_shows_the_stage_the_training_and_whether_insured(recruiter_client, recruiter, session):
    seat = SeatFactory(session=session, candidate__recruited_by=recruiter)
    candidate = seat.candidate
    url = reverse("recruitment:my_candidate_detail", args=[candidate.pk])

    response = recruiter_client.get(url)
    assert response.status_code == 200
    assert list(response.context["seats"]) == [seat]
    assert response.context["is_participant"] is False
    assert reverse("enrollment:enrol") in page_text(response)

    make_participant(candidate, recruiter)
    assert recruiter_client.get(url).context["is_participant"] is True


def test_staff_do_not_find_the_agents_pages(staff_client, recruiter, branch):
    candidate = CandidateFactory(branch=branch, recruited_by=recruiter)
    assert staff_client.get(MINE).status_code == 404
    assert staff_client.get(reverse("recruitment:my_candidate_detail", args=[candidate.pk])).status_code == 404


def test_an_agent_of_another_branch_does_not_reach_them(recruiter, branch, other_branch):
    far = agent_with_login(PerisaiOfficeFactory(branch=other_branch), "agen-far", "Wati Banyumas")
    candidate = CandidateFactory(branch=branch, recruited_by=recruiter)

    client = signed_in(far.user)
    assert client.get(reverse("recruitment:my_candidate_detail", args=[candidate.pk])).status_code == 404
    assert list(client.get(MINE).context["page"]) == []


def test_the_navigation_links_agents_to_their_candidates_and_branch_users_to_recruitment(
    recruiter_client, staff_client, head_client
):
    assert f'href="{MINE}"' in page_text(recruiter_client.get(reverse("enrollment:agent_home")))
    candidates = reverse("recruitment:candidate_list")
    assert f'href="{candidates}"' in page_text(staff_client.get(reverse("agents:agent_list")))
    assert f'href="{candidates}"' in page_text(head_client.get(reverse("agents:agent_list")))
