"""Two people saving the same thing at the same moment, on real PostgreSQL with real threads.

Each thread has its own database connection (Django's are per thread) and closes it at the end. A
``threading.Barrier`` releases both at once; the "both pass the check" variants hold each thread
after its duplicate check until the other has checked too, so the database constraint is what
decides. Exactly one wins; the other gets the same plain message as in the quiet case, never an
``IntegrityError`` or a server error.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enrollment.models import Acquisition, Contribution, Participant
from enrollment.services import enrolment
from enrollment.services.enrolment import AlreadyEnrolled, acquisition_enrol, contribution_record
from tests.enrollment.field.builders import WORKER_NIK, cared_acquisition, lapse, this_month, worker_data, worker_post
from tests.factories import AcquisitionFactory
from tests.races import needs_postgresql, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), needs_postgresql]

TIMEOUT = 20


def hold_after_first_check(monkeypatch, name, parties=2):
    """Make ``enrolment.<name>`` (a duplicate check) wait, the first time in each thread, until every
    thread has checked: both see no duplicate and go on to insert."""
    real = getattr(enrolment, name)
    checked = threading.Barrier(parties)
    seen = threading.local()

    def check_then_wait(*args):
        found = real(*args)
        if not getattr(seen, "waited", False):
            seen.waited = True
            checked.wait(timeout=TIMEOUT)
        return found

    monkeypatch.setattr(enrolment, name, check_then_wait)


def one_winner(outcomes, error_type):
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, error_type), repr(error)
    return error


def enrol_same_worker(field_agent, other_agent):
    return race(
        lambda: acquisition_enrol(agent=field_agent, **worker_data()),
        lambda: acquisition_enrol(agent=other_agent, **worker_data()),
        timeout=TIMEOUT,
    )


def test_two_agents_enrol_the_same_new_nik_at_once(field_agent, other_agent):
    error = one_winner(enrol_same_worker(field_agent, other_agent), AlreadyEnrolled)
    assert error.code == "already_enrolled"
    assert Participant.objects.count() == Acquisition.objects.count() == 1


def test_both_pass_the_check_and_the_unique_nik_decides(field_agent, other_agent, monkeypatch):
    hold_after_first_check(monkeypatch, "_active_acquisition")

    error = one_winner(enrol_same_worker(field_agent, other_agent), AlreadyEnrolled)

    winner = Acquisition.objects.select_related("agent").get()
    assert winner.agent.full_name in error.messages[0]
    assert Participant.objects.count() == 1


def test_both_enrol_a_lapsed_worker_again_and_the_one_active_rule_decides(field_agent, other_agent, monkeypatch):
    lapse(AcquisitionFactory(agent=field_agent, participant__nik=WORKER_NIK))
    hold_after_first_check(monkeypatch, "_active_acquisition")

    one_winner(enrol_same_worker(field_agent, other_agent), AlreadyEnrolled)

    assert Acquisition.objects.filter(status=Acquisition.Status.ACTIVE).count() == 1
    assert Acquisition.objects.count() == 2


def record_twice(acquisition, agent):
    def record(receipt):
        return lambda: contribution_record(
            acquisition=acquisition,
            agent=agent,
            period=this_month(),
            amount=acquisition.monthly_contribution,
            paid_on=timezone.localdate(),
            receipt_number=receipt,
        )

    return race(record("KW-1"), record("KW-2"), timeout=TIMEOUT)


def test_the_same_month_recorded_twice_at_once(field_agent):
    acquisition = cared_acquisition(field_agent)
    error = one_winner(record_twice(acquisition, field_agent), ValidationError)
    assert "already paid" in error.message_dict["period"][0]
    assert Contribution.objects.count() == 1


def test_both_pass_the_check_and_one_contribution_a_month_decides(field_agent, monkeypatch):
    acquisition = cared_acquisition(field_agent)
    hold_after_first_check(monkeypatch, "_is_paid")

    error = one_winner(record_twice(acquisition, field_agent), ValidationError)

    assert "already paid" in error.message_dict["period"][0]
    assert Contribution.objects.count() == 1


def test_two_phones_saving_the_same_worker_get_a_page_each_never_a_server_error(field_agent, other_agent, monkeypatch):
    hold_after_first_check(monkeypatch, "_active_acquisition")

    def post_as(agent):
        def post():
            client = Client(raise_request_exception=False)
            client.cookies["django_language"] = "en"
            client.force_login(agent.user)
            return client.post(reverse("enrollment:enrol"), worker_post())

        return post

    outcomes = race(post_as(field_agent), post_as(other_agent), timeout=TIMEOUT)

    responses = sorted((response for _, response in outcomes), key=lambda response: response.status_code)
    assert [response.status_code for response in responses] == [200, 302]
    assert "This worker is already enrolled" in responses[0].content.decode()
    assert Acquisition.objects.count() == 1
