"""The certificate of a passed training and the letter of assignment: downloads, scoped like the pages."""

import pytest
from django.urls import reverse

from enrollment.models import NikDisclosure
from recruitment.models import Candidate
from tests.factories import SeatFactory
from tests.web_recruitment.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed_seat(session):
    return SeatFactory(session=session, attended=True, score=88, passed=True, candidate__stage=Candidate.Stage.PASSED)


def _is_pdf_attachment(response):
    return (
        response.status_code == 200
        and response["Content-Type"] == "application/pdf"
        and response["Content-Disposition"].startswith("attachment;")
        and response.content.startswith(b"%PDF-")
    )


def test_the_certificate_of_a_passed_seat_downloads_as_a_pdf(staff_client, head_client, passed_seat):
    url = reverse("recruitment:seat_certificate", args=[passed_seat.pk])

    assert url in page_text(staff_client.get(reverse("recruitment:candidate_detail", args=[passed_seat.candidate_id])))
    assert _is_pdf_attachment(staff_client.get(url))
    assert _is_pdf_attachment(head_client.get(url))


def test_a_seat_that_did_not_pass_has_no_certificate(staff_client, session):
    failed = SeatFactory(session=session, attended=True, score=30, passed=False)

    response = staff_client.get(reverse("recruitment:seat_certificate", args=[failed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("recruitment:candidate_detail", args=[failed.candidate_id])
    assert "did not pass" in page_text(response)


def test_the_letter_of_assignment_downloads_and_is_logged(staff_client, staff, recruiter):
    url = reverse("recruitment:agent_letter", args=[recruiter.pk])

    assert url in page_text(staff_client.get(reverse("agents:agent_detail", args=[recruiter.pk])))
    response = staff_client.get(url)

    assert _is_pdf_attachment(response)
    assert recruiter.code in response["Content-Disposition"]
    assert NikDisclosure.objects.filter(viewer=staff, agent=recruiter).count() == 1


def test_documents_of_another_branch_are_not_found(far_staff_client, passed_seat, recruiter):
    assert far_staff_client.get(reverse("recruitment:seat_certificate", args=[passed_seat.pk])).status_code == 404
    assert far_staff_client.get(reverse("recruitment:agent_letter", args=[recruiter.pk])).status_code == 404


def test_an_agent_downloads_neither(recruiter_client, passed_seat, recruiter):
    assert recruiter_client.get(reverse("recruitment:seat_certificate", args=[passed_seat.pk])).status_code == 404
    assert recruiter_client.get(reverse("recruitment:agent_letter", args=[recruiter.pk])).status_code == 404
