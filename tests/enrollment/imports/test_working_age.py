"""An imported worker outside the working age of the terms in force on their enrolment day is an error on the
birth date cell; the file imports nothing until it is right."""

import datetime

import pytest

from enrollment.models import Participant
from perisai.nik import MALE, build_nik
from tests.enrollment.imports.conftest import IMPORT_REGION, person, xlsx_upload
from tests.factories import ProgrammeTermsFactory


@pytest.fixture
def working_age(db):
    return ProgrammeTermsFactory(participant_min_age=15, participant_max_age=65)


def worker_born(birth_date, serial):
    return person(nik=build_nik(IMPORT_REGION, birth_date, MALE, serial), birth_date=birth_date, gender="L")


def test_a_child_and_a_very_old_worker_are_each_named_on_their_birth_date_cell(upload, working_age, branch):
    rows = [
        person(),
        worker_born(datetime.date(2016, 1, 10), 901),  # 6 on 1 March 2022
        {**worker_born(datetime.date(1896, 1, 10), 902), "birth_date": "10-01-1896"},  # 126 (Excel has no 1896)
    ]

    response = upload(xlsx_upload(rows))

    errors = [(f["cell"], f["message"]) for f in response.context["batch"].result["errors"]]
    assert errors == [
        (
            "C3",
            "A worker born on 10 January 2016 is 6 years old on 1 March 2022; "
            "the programme enrols workers aged 15 to 65.",
        ),
        (
            "C4",
            "A worker born on 10 January 1896 is 126 years old on 1 March 2022; "
            "the programme enrols workers aged 15 to 65.",
        ),
    ]
    assert not Participant.objects.filter(branch=branch).exists()
