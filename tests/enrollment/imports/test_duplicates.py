"""Duplicates: inside the file, and against the participants already registered."""

import datetime

from enrollment.models import Participant
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import AcquisitionFactory, AgentFactory, ParticipantFactory


def _errors(response):
    return [(f["row"], f["cell"], f["message"]) for f in response.context["batch"].result["errors"]]


def test_the_same_nik_twice_in_the_file_names_the_first_row(upload, confirm, branch):
    first = person()
    response = upload(xlsx_upload([first, person(), {**person(), "nik": first["nik"]}]))

    assert _errors(response) == [(4, "A4", "The same NIK is already on row 2 of this file.")]
    confirm(response.context["batch"])
    assert not Participant.objects.filter(branch=branch).exists()


def test_the_same_kpj_number_twice_in_the_file(upload):
    response = upload(xlsx_upload([person(kpj_number="22010000001"), person(kpj_number="22010000001")]))
    assert _errors(response) == [(3, "M3", "The same KPJ number is already on row 2 of this file.")]


def test_a_worker_enrolled_now_is_refused_with_date_and_agent(upload, confirm, office):
    enrolled_by = AgentFactory(branch=office.branch, office=office, full_name="Budi Santoso")
    existing = AcquisitionFactory(agent=enrolled_by, acquired_on=datetime.date(2021, 7, 14))
    row = person(nik=existing.participant.nik)

    response = upload(xlsx_upload([person(), row]))

    assert _errors(response) == [(3, "A3", "This worker is already enrolled on 14 July 2021 by Budi Santoso.")]
    confirm(response.context["batch"])
    assert existing.participant.acquisitions.count() == 1


def test_a_kpj_number_held_by_someone_else_is_refused(upload, branch):
    ParticipantFactory(branch=branch, kpj_number="22019999999")
    response = upload(xlsx_upload([person(kpj_number="22019999999")]))
    assert _errors(response) == [(2, "M2", "Another participant already has this KPJ number.")]
