"""Every recruitment page opens for branch staff; the head opens the ones that only read, and is refused
the forms that write."""

import pytest
from django.urls import reverse

from recruitment.models import Candidate
from tests.factories import SeatFactory

pytestmark = pytest.mark.django_db

READING = ("candidate_list", "session_list", "candidate_detail", "session_detail", "session_print")
WRITING = (
    "candidate_create",
    "candidate_edit",
    "candidate_withdraw",
    "candidate_activate",
    "session_create",
    "session_edit",
    "session_invite",
    "session_attendance",
    "session_results",
)


@pytest.fixture
def urls(session):
    seat = SeatFactory(session=session, attended=True, score=80, passed=True, candidate__stage=Candidate.Stage.PASSED)
    ids = {"candidate": seat.candidate_id, "session": session.pk}
    return {
        name: reverse(
            f"recruitment:{name}", args=[] if name.endswith(("_list", "_create")) else [ids[name.split("_")[0]]]
        )
        for name in (*READING, *WRITING)
    }


@pytest.mark.parametrize("name", READING + WRITING)
def test_each_page_opens_for_staff(staff_client, urls, name):
    response = staff_client.get(urls[name])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", READING)
def test_the_head_reads_the_reading_pages(head_client, urls, name):
    assert head_client.get(urls[name]).status_code == 200


@pytest.mark.parametrize("name", WRITING)
def test_the_head_is_refused_the_forms(head_client, urls, name):
    assert head_client.get(urls[name]).status_code == 403
    assert head_client.post(urls[name], {"reason": "x", "place": "x"}).status_code == 403
