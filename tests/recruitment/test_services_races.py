"""Two staff members at the same moment, on real PostgreSQL with real threads: the last seat of a session,
one candidate invited to two sessions, one NIK registered twice. Exactly one wins; the other gets the
message of the quiet case, never an ``IntegrityError``."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agents.models import User
from recruitment import services
from recruitment.models import Candidate, Seat
from tests.factories import UserFactory
from tests.races import needs_postgresql, race
from tests.recruitment.services_builders import REGISTERED_ON, person, register, session_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), needs_postgresql]

TIMEOUT = 20
HOLD = 2  # seconds a thread waits after counting for the other to count too


def hold_after_counting(monkeypatch):
    """Each thread, having counted the seats, waits for the other to count as well (both would see a free
    seat) — unless the other cannot count yet because the session is locked, when it goes on alone."""
    real = services._seats_taken
    counted = threading.Barrier(2)

    def count_then_wait(session):
        taken = real(session)
        try:
            counted.wait(timeout=HOLD)
        except threading.BrokenBarrierError:
            pass
        return taken

    monkeypatch.setattr(services, "_seats_taken", count_then_wait)


def one_winner(outcomes):
    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError), repr(error)
    return error


def invite(candidate, session):
    return lambda: services.candidate_invite(candidate=candidate, session=session, today=REGISTERED_ON)


@pytest.fixture
def staff(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch)


def test_two_invitations_for_the_last_seat_at_once_give_it_to_one(branch, staff, monkeypatch):
    session = session_of(branch, capacity=1)
    first, second = register(branch, staff), register(branch, staff)
    hold_after_counting(monkeypatch)

    error = one_winner(race(invite(first, session), invite(second, session), timeout=TIMEOUT))

    assert "full" in error.messages[0]
    assert Seat.objects.filter(session=session).count() == 1
    assert Candidate.objects.filter(stage=Candidate.Stage.INVITED).count() == 1


def test_one_candidate_invited_to_two_sessions_at_once_gets_one_seat(branch, staff):
    candidate = register(branch, staff)
    june, july = session_of(branch), session_of(branch, held_on=datetime.date(2022, 7, 20))

    one_winner(race(invite(candidate, june), invite(candidate, july), timeout=TIMEOUT))

    assert Seat.objects.filter(candidate=candidate).count() == 1


def test_one_nik_registered_twice_at_once_is_one_candidate(branch, staff):
    data = person()

    def register_it():
        return services.candidate_register(
            branch=branch, registered_by=staff, declared_not_bpjs_employee=True, today=REGISTERED_ON, **data
        )

    error = one_winner(race(register_it, register_it, timeout=TIMEOUT))

    with translation.override("en"):  # the messages are lazy: read here, they speak this thread's language
        assert "already" in " ".join(error.messages)
    assert Candidate.objects.filter(nik=data["nik"]).count() == 1
