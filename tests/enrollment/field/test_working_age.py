"""The working age is programme data: a worker of 6 or of 126 is refused at the door, with the reason on the
birth date, and nothing is saved; the bounds are the terms in force on the day of enrolment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from agents.models import ProgrammeTerms, User
from agents.terms import age_on
from enrollment.models import Acquisition, Participant
from enrollment.services.enrolment import acquisition_enrol
from enrollment.services.participants import participant_update
from perisai.nik import MALE, build_nik
from tests.enrollment.field.builders import worker_data
from tests.factories import AcquisitionFactory, ProgrammeTermsFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def working_age(db):
    return ProgrammeTermsFactory(participant_min_age=15, participant_max_age=65)


def born_years_ago(years, *, days=0):
    today = timezone.localdate()
    return datetime.date(today.year - years, today.month, min(today.day, 28)) - datetime.timedelta(days=days)


def worker_born(birth_date):
    return worker_data(nik=build_nik("330121", birth_date, MALE, 77), birth_date=birth_date)


@pytest.mark.parametrize("years", [6, 14, 66, 126])
def test_a_worker_outside_the_working_age_is_refused_on_the_birth_date_and_nothing_is_saved(
    field_agent, working_age, years
):
    birth_date = born_years_ago(years)

    with pytest.raises(ValidationError) as refused:
        acquisition_enrol(agent=field_agent, **worker_born(birth_date))

    message = refused.value.message_dict["birth_date"][0]
    assert f"is {years} years old on" in message
    assert "the programme enrols workers aged 15 to 65" in message
    assert not Participant.objects.exists() and not Acquisition.objects.exists()


@pytest.mark.parametrize("years", [15, 65])
def test_the_bounds_themselves_are_within_the_working_age(field_agent, working_age, years):
    birth_date = born_years_ago(years, days=1 if years == 15 else 0)

    acquisition = acquisition_enrol(agent=field_agent, **worker_born(birth_date))

    assert age_on(acquisition.participant.birth_date, acquisition.acquired_on) == years


def test_the_bounds_are_data_a_branch_can_change(field_agent, working_age):
    working_age.participant_max_age = 70
    working_age.save()

    acquisition = acquisition_enrol(agent=field_agent, **worker_born(born_years_ago(68)))

    assert acquisition.pk is not None


def test_without_programme_terms_no_age_is_refused(field_agent):
    assert acquisition_enrol(agent=field_agent, **worker_born(born_years_ago(80))).pk is not None


def test_the_age_counts_on_the_day_of_enrolment_not_today(field_agent, working_age):
    """Enrolled at 64 in 2022, 68 now: the enrolment stood and stands; recorded today it would not."""
    birth_date = datetime.date(1958, 3, 1)

    acquisition = acquisition_enrol(agent=field_agent, acquired_on=datetime.date(2022, 4, 4), **worker_born(birth_date))

    assert age_on(birth_date, acquisition.acquired_on) == 64


def test_a_corrected_birth_date_that_would_make_the_worker_a_child_at_enrolment_is_refused(branch, working_age):
    staff_user = UserFactory(role=User.Role.STAFF, branch=branch)
    acquisition = AcquisitionFactory(acquired_on=datetime.date(2022, 4, 4))
    participant = acquisition.participant
    before = participant.birth_date

    with pytest.raises(ValidationError) as refused:
        participant_update(
            participant=participant, changed_by=staff_user, reason="KTP", birth_date=datetime.date(2016, 1, 1)
        )

    assert "is 6 years old on 4 April 2022" in refused.value.message_dict["birth_date"][0]
    participant.refresh_from_db()
    assert participant.birth_date == before


def test_the_youngest_age_must_be_below_the_oldest_in_the_schema(working_age):
    with pytest.raises(IntegrityError):
        ProgrammeTerms.objects.filter(pk=working_age.pk).update(participant_min_age=70, participant_max_age=65)
