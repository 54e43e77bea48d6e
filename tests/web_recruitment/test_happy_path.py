"""The whole way through the pages: an agent registers a recruit, staff invite them, mark them present at
the door, record a passing score, download the certificate, activate them, and the new agent's letter."""

import datetime
import re

import pytest
from django.urls import reverse

from agents.models import Agent
from perisai.nik import Gender, build_nik
from recruitment.models import Candidate
from tests.factories import TrainingSessionFactory
from tests.web_recruitment.conftest import make_participant
from tests.web_recruitment.helpers import page_text

pytestmark = pytest.mark.django_db


def test_registered_invited_present_passed_activated(recruiter_client, recruiter, staff_client, office, branch, today):
    session = TrainingSessionFactory(branch=branch, held_on=today, pass_mark=70)
    birth_date = datetime.date(1990, 1, 20)
    recruiter_client.post(
        reverse("recruitment:my_candidate_register"),
        {
            "full_name": "Lestari Handayani",
            "nik": build_nik("330112", birth_date, Gender.FEMALE, 3),
            "gender": Gender.FEMALE,
            "birth_date": birth_date.isoformat(),
            "phone": "0812-9876-5432",
            "kecamatan": "Majenang",
            "desa": "Cilopadang",
            "declared_not_bpjs_employee": "on",
        },
    )
    candidate = Candidate.objects.get()
    assert candidate.stage == Candidate.Stage.REGISTERED

    staff_client.post(reverse("recruitment:session_invite", args=[session.pk]), {"candidates": [candidate.pk]})
    seat = candidate.seats.get()
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.INVITED

    staff_client.post(
        reverse("recruitment:seat_attend", args=[seat.pk]), {"present": [seat.pk]}, HTTP_HX_REQUEST="true"
    )
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.TRAINED

    staff_client.post(reverse("recruitment:session_results", args=[session.pk]), {f"score-{seat.pk}": "82"})
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.PASSED

    certificate = staff_client.get(reverse("recruitment:seat_certificate", args=[seat.pk]))
    assert certificate["Content-Type"] == "application/pdf"

    make_participant(candidate, recruiter)  # the recruiter enrols them as a BPU participant
    done = staff_client.post(
        reverse("recruitment:candidate_activate", args=[candidate.pk]),
        {"office": office.pk, "code": "CLP-A777", "joined_on": today.isoformat(), "create_login": "on"},
    )
    candidate.refresh_from_db()
    agent = Agent.objects.get(code="CLP-A777")
    assert candidate.stage == Candidate.Stage.ACTIVATED and candidate.agent == agent
    assert (agent.recruited_by, agent.trained_on) == (recruiter, session.held_on)
    password = re.search(r'id="agent-password">([^<]+)<', page_text(done)).group(1)
    assert agent.user.check_password(password)

    detail = page_text(staff_client.get(reverse("recruitment:candidate_detail", args=[candidate.pk])))
    letter_url = reverse("recruitment:agent_letter", args=[agent.pk])
    assert letter_url in detail and password not in detail
    assert staff_client.get(letter_url)["Content-Type"] == "application/pdf"

    mine = recruiter_client.get(reverse("recruitment:my_candidate_detail", args=[candidate.pk]))
    stages = [entry["stage"] for entry in mine.context["history"]]
    assert stages == ["registered", "invited", "trained", "passed", "activated"]
