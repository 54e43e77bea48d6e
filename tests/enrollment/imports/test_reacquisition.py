"""A worker whose acquisitions have all lapsed may be acquired again by import, as on the enrol form."""

import datetime

from enrollment.models import Acquisition
from tests.enrollment.imports.conftest import person, xlsx_upload
from tests.factories import AcquisitionFactory, BranchFactory, ParticipantFactory


def _lapsed(agent, *, ended_on=datetime.date(2021, 12, 31), **participant):
    acquisition = AcquisitionFactory(
        agent=agent,
        participant=ParticipantFactory(branch=agent.branch, **participant),
        acquired_on=datetime.date(2021, 3, 1),
        status=Acquisition.Status.LAPSED,
        ended_on=ended_on,
    )
    return acquisition.participant


def test_a_lapsed_worker_is_acquired_again_and_the_preview_says_so(upload, confirm, agent, staff):
    participant = _lapsed(agent, full_name="Siti Aminah", phone="0812000000")
    row = person(nik=participant.nik, full_name="Siti Aminah", phone="0857-1111-2222", kecamatan="Kroya", desa="Bajing")

    response = upload(xlsx_upload([row]))

    result = response.context["batch"].result
    assert result["errors"] == []
    assert result["reacquired"] == 1
    assert "Acquired again" in response.content.decode()
    confirm(response.context["batch"])

    participant.refresh_from_db()
    assert participant.acquisitions.count() == 2
    again = participant.acquisitions.get(status=Acquisition.Status.ACTIVE)
    assert again.acquired_on == datetime.date(2022, 3, 1)
    assert (participant.phone, participant.kecamatan) == ("+6285711112222", "Kroya")
    assert participant.full_name == "Siti Aminah"
    latest = participant.history.first()
    assert (latest.history_type, latest.history_user) == ("~", staff)


def test_the_register_keeps_name_birth_date_and_gender(upload, confirm, agent):
    participant = _lapsed(agent, full_name="Sri Lestari")
    upload_row = person(nik=participant.nik, full_name="Sri Lestari Wati", birth_date=participant.birth_date)
    response = upload(xlsx_upload([upload_row]))

    (warning,) = [w for w in response.context["batch"].result["warnings"] if w["code"] == "reacquisition"]
    assert "The register names them Sri Lestari." in warning["message"]
    confirm(response.context["batch"])
    participant.refresh_from_db()
    assert participant.full_name == "Sri Lestari"


def test_a_new_acquisition_must_start_after_the_lapse(upload, agent):
    participant = _lapsed(agent, ended_on=datetime.date(2022, 4, 30))
    response = upload(xlsx_upload([person(nik=participant.nik)]))

    (error,) = response.context["batch"].result["errors"]
    assert error["cell"] == "L2"
    assert error["message"] == (
        "This worker's previous acquisition lapsed on 30 April 2022; a new one must start after that."
    )


def test_a_lapsed_worker_of_another_branch_moves_to_the_importing_branch(upload, confirm, agent, branch):
    other_branch = BranchFactory()
    participant = ParticipantFactory(branch=other_branch)
    AcquisitionFactory(
        participant=participant,
        agent__branch=other_branch,
        agent__office__branch=other_branch,
        acquired_on=datetime.date(2021, 3, 1),
        status=Acquisition.Status.LAPSED,
        ended_on=datetime.date(2021, 9, 30),
    )
    response = upload(xlsx_upload([person(nik=participant.nik)]))
    assert "moves to your branch" in response.context["batch"].result["warnings"][-1]["message"]
    confirm(response.context["batch"])
    participant.refresh_from_db()
    assert participant.branch == branch
