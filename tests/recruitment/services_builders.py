"""What the recruitment service tests build again and again: a person to register, a participant of a
branch, a candidate walked through the stages by the services themselves."""

import datetime
import itertools

from enrollment.models import Acquisition
from perisai.nik import Gender, build_nik
from recruitment import services
from tests.factories import AcquisitionFactory, AgentFactory, ParticipantFactory, TrainingSessionFactory

REGISTERED_ON = datetime.date(2022, 6, 1)
HELD_ON = datetime.date(2022, 6, 15)
# A district no factory uses, so a NIK built here never meets a factory's row by chance.
REGION = "330105"
_serials = itertools.count(1)


def person(**overrides):
    """What ``candidate_register`` needs about a person: a well-formed NIK agreeing with the birth date."""
    birth_date = overrides.pop("birth_date", datetime.date(1995, 3, 8))
    gender = overrides.pop("gender", Gender.FEMALE)
    data = {
        "nik": build_nik(REGION, birth_date, gender, next(_serials)),
        "full_name": "Siti Rahayu",
        "gender": gender,
        "birth_date": birth_date,
        "phone": "0812-2671-4410",
        "kecamatan": "Kroya",
        "desa": "Bajing",
    }
    data.update(overrides)
    return data


def register(branch, registered_by=None, **overrides):
    """A candidate registered through the service, on ``REGISTERED_ON``."""
    return services.candidate_register(
        branch=branch,
        registered_by=registered_by,
        declared_not_bpjs_employee=overrides.pop("declared_not_bpjs_employee", True),
        recruited_by=overrides.pop("recruited_by", None),
        today=overrides.pop("today", REGISTERED_ON),
        **person(**overrides),
    )


def enrol(candidate, branch=None, *, lapsed=False):
    """Make ``candidate``'s NIK a participant of ``branch`` (theirs by default), enrolled by one of its agents."""
    branch = branch or candidate.branch
    acquisition = AcquisitionFactory(
        agent=AgentFactory(branch=branch),
        participant=ParticipantFactory(
            branch=branch,
            nik=candidate.nik,
            full_name=candidate.full_name,
            gender=candidate.gender,
            birth_date=candidate.birth_date,
        ),
    )
    if lapsed:
        acquisition.status = Acquisition.Status.LAPSED
        acquisition.ended_on = datetime.date(2022, 1, 31)
        acquisition.save()
    return acquisition


def session_of(branch, **overrides):
    return TrainingSessionFactory(branch=branch, **{"held_on": HELD_ON, **overrides})


def invited(candidate, session, **kwargs):
    return services.candidate_invite(candidate=candidate, session=session, today=REGISTERED_ON, **kwargs)


def trained(candidate, session, **kwargs):
    seat = invited(candidate, session, **kwargs)
    return services.seat_attend(seat=seat, attended=True, today=session.held_on, **kwargs)


def scored(candidate, session, score, **kwargs):
    seat = trained(candidate, session, **kwargs)
    return services.result_record(seat=seat, score=score, today=session.held_on, **kwargs)


def codes(error):
    """Every code in a ``ValidationError``, on a field or not: what the service said, whatever the language."""
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def reload(*rows):
    for row in rows:
        row.refresh_from_db()
    return rows[0] if len(rows) == 1 else rows
