"""The database itself refuses rows that break the rules, whatever code path wrote them.

Rows are written with ``objects.create`` / factories, so ``full_clean`` never runs: only the schema's
constraints stand between the row and the table. Each refusal is matched against the constraint's
name or the unique columns, so a test cannot pass on an unrelated error (a NOT NULL column, say).
These run on SQLite locally and on PostgreSQL in CI.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from agents.models import Agent, User
from enrollment.models import Acquisition
from tests.factories import (
    AcquisitionFactory,
    AcquisitionTargetFactory,
    AgentFactory,
    ContributionFactory,
    CooperationAgreementFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by(pattern):
    """The database raises IntegrityError matching ``pattern``; the savepoint keeps the test's transaction usable.

    Both databases name a violated check constraint and a NOT NULL column, so ``pattern`` is that
    name; for a uniqueness violation it comes from ``unique_on``.
    """
    with pytest.raises(IntegrityError, match=pattern), transaction.atomic():
        yield


def unique_on(*columns):
    """A pattern for a uniqueness violation on ``columns``, as both databases word it.

    SQLite says ``UNIQUE constraint failed: table.col1, table.col2`` (never the constraint's name);
    PostgreSQL adds the detail ``Key (col1, col2)=(...) already exists``.
    """
    return r"(UNIQUE constraint failed|Key \().*" + r"\W+(\w+\.)?".join(columns) + r"\b"


# Participants and agents


def test_duplicate_participant_nik_is_refused(participant):
    with refused_by(unique_on("nik")):
        ParticipantFactory(nik=participant.nik)


def test_duplicate_agent_nik_is_refused(agent):
    with refused_by(unique_on("nik")):
        AgentFactory(nik=agent.nik)


def test_duplicate_kpj_number_is_refused():
    ParticipantFactory(kpj_number="21012345678")

    with refused_by(unique_on("kpj_number")):
        ParticipantFactory(kpj_number="21012345678")


def test_many_participants_may_have_no_kpj_number_yet():
    ParticipantFactory(kpj_number=None)
    ParticipantFactory(kpj_number=None)


def test_non_admin_user_without_branch_is_refused():
    with refused_by("user_branch_required_unless_admin"):
        UserFactory(role=User.Role.STAFF, branch=None)


def test_admin_user_without_branch_is_allowed():
    UserFactory(role=User.Role.ADMIN, branch=None)


def test_inactive_agent_without_left_on_is_refused():
    with refused_by("agent_inactive_has_left_on"):
        AgentFactory(status=Agent.Status.INACTIVE, left_on=None)


def test_agent_leaving_before_joining_is_refused():
    with refused_by("agent_leaves_after_joining"):
        AgentFactory(
            status=Agent.Status.INACTIVE, joined_on=datetime.date(2021, 5, 1), left_on=datetime.date(2021, 4, 30)
        )


# Cooperation agreements (PKS)


@pytest.mark.parametrize("days_after_start", [-1, 0], ids=["ends-before-start", "ends-on-start"])
def test_agreement_must_end_after_it_starts(days_after_start):
    starts_on = datetime.date(2021, 1, 1)

    with refused_by("agreement_ends_after_start"):
        CooperationAgreementFactory(starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=days_after_start))


def test_duplicate_agreement_number_is_refused():
    CooperationAgreementFactory(number="PKS/001/2021")

    with refused_by(unique_on("number")):
        CooperationAgreementFactory(number="PKS/001/2021")


# Acquisitions


def test_second_active_acquisition_of_a_participant_is_refused(participant, agent):
    AcquisitionFactory(participant=participant, agent=agent)

    with refused_by(unique_on("participant_id")):
        AcquisitionFactory(participant=participant, agent=agent, acquired_on=datetime.date(2022, 2, 1))


def test_participant_may_be_acquired_again_after_lapsing(participant, agent):
    AcquisitionFactory(
        participant=participant,
        agent=agent,
        status=Acquisition.Status.LAPSED,
        ended_on=datetime.date(2021, 9, 30),
    )
    AcquisitionFactory(participant=participant, agent=agent, acquired_on=datetime.date(2022, 2, 1))

    assert participant.acquisitions.count() == 2


def test_lapsed_acquisition_without_end_date_is_refused():
    with refused_by("acquisition_lapsed_has_end_date"):
        AcquisitionFactory(status=Acquisition.Status.LAPSED, ended_on=None)


# Contributions


def test_second_contribution_for_the_same_acquisition_and_month_is_refused():
    first = ContributionFactory(period=datetime.date(2021, 4, 1))

    with refused_by(unique_on("acquisition_id", "period")):
        ContributionFactory(acquisition=first.acquisition, period=datetime.date(2021, 4, 1))


def test_contribution_period_must_be_the_first_of_a_month():
    with refused_by("contribution_period_first_of_month"):
        ContributionFactory(period=datetime.date(2021, 4, 2))


def test_contribution_amount_must_be_positive():
    with refused_by("contribution_amount_positive"):
        ContributionFactory(amount=0)


# Targets


def test_target_for_both_an_office_and_an_agent_is_refused(agent):
    with refused_by("target_for_office_or_agent_not_both"):
        AcquisitionTargetFactory(branch=agent.branch, office=agent.office, agent=agent)


def test_target_without_a_branch_is_refused():
    with refused_by("branch_id"):
        AcquisitionTargetFactory(branch=None)


def test_branch_has_one_own_target_a_year(branch):
    AcquisitionTargetFactory(branch=branch, year=2022)

    with refused_by(unique_on("year", "branch_id")):
        AcquisitionTargetFactory(branch=branch, year=2022)


def test_office_target_may_sit_beside_its_branch_target_in_the_same_year(office):
    AcquisitionTargetFactory(branch=office.branch, year=2022)
    AcquisitionTargetFactory(branch=office.branch, office=office, year=2022)

    assert office.branch.targets.count() == 2


# Deleting what reports count


def protected_objects_of(obj):
    with pytest.raises(ProtectedError) as caught:
        obj.delete()
    return caught.value.protected_objects


def test_agent_with_acquisitions_cannot_be_deleted():
    acquisition = AcquisitionFactory()

    assert acquisition in protected_objects_of(acquisition.agent)


def test_participant_with_acquisitions_cannot_be_deleted():
    acquisition = AcquisitionFactory()

    assert acquisition in protected_objects_of(acquisition.participant)


def test_office_with_acquisitions_cannot_be_deleted():
    acquisition = AcquisitionFactory()

    assert acquisition in protected_objects_of(acquisition.office)
