"""Progress against the year's targets, and each office's current PKS."""

import datetime
from decimal import Decimal

import pytest

from agents.scoping import Scope
from reports.agreements import agreement_status
from reports.periods import Period
from reports.targets import target_progress
from tests.factories import AcquisitionTargetFactory, CooperationAgreementFactory
from tests.reports.conftest import acquire

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def targets(cilacap):
    branch = cilacap["branch"]
    AcquisitionTargetFactory(branch=branch, year=2022, target=120)
    AcquisitionTargetFactory(branch=branch, office=cilacap["north"], year=2022, target=60)
    AcquisitionTargetFactory(branch=branch, agent=cilacap["ani"], year=2022, target=24)
    AcquisitionTargetFactory(branch=branch, agent=cilacap["citra"], year=2022, target=10)
    AcquisitionTargetFactory(branch=branch, year=2021, target=999)
    for day in [datetime.date(2022, 1, 5)] * 3 + [datetime.date(2022, 7, 1)]:
        acquire(cilacap["ani"], day)
    acquire(cilacap["citra"], datetime.date(2022, 2, 1))
    return cilacap


def test_progress_of_branch_office_and_agents(targets):
    rows = target_progress(scope=targets["scope"], period=Period(2022, 6))
    by_code = {row.code: row for row in rows}

    assert [row.level for row in rows] == ["branch", "office", "agent", "agent"]
    branch = by_code["CLP"]
    assert (branch.target, branch.achieved, branch.expected, branch.remaining) == (120, 4, 60, 116)
    assert branch.pace_needed == 20  # ceil(116 / 6)
    assert branch.achieved_share == Decimal("3.3") and not branch.on_track
    assert by_code["CLP-N"].achieved == 3
    assert (by_code["ANI"].achieved, by_code["CITRA"].achieved) == (3, 1)
    assert by_code["ANI"].name == "Ani"


def test_targets_in_an_office_and_an_agent_scope(targets):
    north = Scope(branch=targets["branch"], office=targets["north"])
    assert [row.code for row in target_progress(scope=north, period=Period(2022, 6))] == ["CLP-N", "ANI"]
    citra = Scope(branch=targets["branch"], office=targets["south"], agent=targets["citra"])
    [row] = target_progress(scope=citra, period=Period(2022, 12))
    assert row.pace_needed is None and row.remaining == 9


def test_each_office_shows_its_current_pks_ending_soonest_first(cilacap):
    north, south = cilacap["north"], cilacap["south"]
    old = CooperationAgreementFactory(
        office=north, number="PKS/N/1", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    CooperationAgreementFactory(
        office=north,
        number="PKS/N/2",
        renews=old,
        signed_on=datetime.date(2025, 12, 10),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    CooperationAgreementFactory(
        office=south, number="PKS/S/1", starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2025, 6, 30)
    )
    empty = cilacap["branch"].offices.create(code="CLP-X", name="No PKS yet")

    status = agreement_status(scope=cilacap["scope"], period=Period(2025, 12), today=TODAY)

    assert [row.office_code for row in status.offices] == [empty.code, "CLP-S", "CLP-N"]
    none, south_row, north_row = status.offices
    assert none.number is None and none.status is None
    assert (south_row.number, south_row.status, south_row.days_left) == ("PKS/S/1", "expired", -514)
    assert (north_row.number, north_row.status, north_row.days_left) == ("PKS/N/2", "expiring", 35)
    assert status.renewed_in_period == 1  # PKS/N/2 was signed in December 2025
    assert [row.office_code for row in status.attention] == [empty.code, "CLP-S", "CLP-N"]
    assert agreement_status(scope=cilacap["scope"], period=Period(2026, 6), today=TODAY).renewed_in_period == 0


def test_a_signed_renewal_shows_on_the_current_pks(cilacap):
    current = CooperationAgreementFactory(
        office=cilacap["north"],
        number="PKS/N/1",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    CooperationAgreementFactory(
        office=cilacap["north"],
        number="PKS/N/2",
        renews=current,
        signed_on=datetime.date(2026, 11, 20),
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    north = Scope(branch=cilacap["branch"], office=cilacap["north"])
    [row] = agreement_status(scope=north, period=Period(2026, 11), today=TODAY).offices
    assert (row.number, row.renewal_number, row.status) == ("PKS/N/1", "PKS/N/2", "renewed")
