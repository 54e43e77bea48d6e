"""Acquisitions by month, office, agent, occupation, kecamatan, gender and age band."""

import datetime
from decimal import Decimal

import pytest

from agents.models import Agent
from agents.scoping import Scope
from enrollment.models import Occupation
from perisai.nik import Gender
from reports.acquisitions import (
    by_agent,
    by_gender_and_age,
    by_kecamatan,
    by_occupation,
    by_office,
    monthly_comparison,
)
from reports.periods import Period
from tests.factories import AgentFactory, ParticipantFactory
from tests.reports.conftest import acquire, leave

pytestmark = pytest.mark.django_db

PERIOD = Period(2022, 6)


def test_by_month_this_year_against_last_year(cilacap):
    ani = cilacap["ani"]
    for day in (datetime.date(2021, 1, 31), datetime.date(2021, 2, 1), datetime.date(2021, 12, 31)):
        acquire(ani, day)
    for day in (datetime.date(2022, 1, 1), datetime.date(2022, 1, 31), datetime.date(2022, 6, 30)):
        acquire(ani, day)
    acquire(ani, datetime.date(2022, 7, 1))  # after the period

    months = monthly_comparison(scope=cilacap["scope"], period=PERIOD)

    assert len(months) == 12
    assert [(m.this_year, m.last_year) for m in months[:2]] == [(2, 1), (0, 1)]
    assert months[5].this_year == 1 and months[5].this_year_cumulative == 3
    assert months[6].this_year is None and months[6].this_year_cumulative is None
    assert months[11].last_year == 1 and months[11].last_year_cumulative == 3
    assert months[0].change == Decimal("100.0") and months[1].change == Decimal("-100.0")


def test_by_office_lists_every_office_and_keeps_credit_after_an_agent_moves(cilacap):
    ani, citra = cilacap["ani"], cilacap["citra"]
    acquire(ani, datetime.date(2022, 3, 1))
    acquire(ani, datetime.date(2022, 4, 1))
    acquire(ani, datetime.date(2021, 4, 1))
    Agent.objects.filter(pk=ani.pk).update(office=cilacap["south"])  # Ani moves; her acquisitions stay north
    idle = cilacap["branch"].offices.create(code="CLP-Z", name="Idle office")

    rows = {row.key: row for row in by_office(scope=cilacap["scope"], period=PERIOD)}

    assert rows["CLP-N"].acquisitions == 2 and rows["CLP-N"].previous == 1
    assert rows["CLP-N"].change == Decimal("100.0") and rows["CLP-N"].share == Decimal("100.0")
    assert rows["CLP-S"].acquisitions == 0 and rows[idle.code].acquisitions == 0
    assert rows["CLP-S"].share == Decimal("0.0")
    assert citra.office.code == "CLP-S"


def test_by_agent_ranks_with_ties_months_active_and_share(cilacap):
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    for day in (datetime.date(2022, 1, 5), datetime.date(2022, 1, 6), datetime.date(2022, 3, 1)):
        acquire(ani, day)
    for day in (datetime.date(2022, 2, 1), datetime.date(2022, 2, 2), datetime.date(2022, 2, 3)):
        acquire(budi, day)
    acquire(citra, datetime.date(2021, 5, 5))

    rows = {row.code: row for row in by_agent(scope=cilacap["scope"], period=PERIOD)}

    assert (rows["ANI"].rank, rows["BUDI"].rank, rows["CITRA"].rank) == (1, 1, 3)
    assert rows["ANI"].months_active == 2 and rows["ANI"].per_active_month == Decimal("1.5")
    assert rows["BUDI"].months_active == 1 and rows["BUDI"].per_active_month == Decimal("3.0")
    assert rows["ANI"].share == Decimal("50.0")
    assert rows["CITRA"].acquisitions == 0 and rows["CITRA"].previous == 1 and rows["CITRA"].per_active_month is None


def test_an_agent_who_left_keeps_their_acquisitions_and_one_who_left_before_is_not_listed(cilacap):
    ani = cilacap["ani"]
    acquire(ani, datetime.date(2022, 2, 1))
    leave(ani, datetime.date(2022, 3, 15))
    long_gone = AgentFactory(
        branch=cilacap["branch"], office=cilacap["north"], joined_on=datetime.date(2020, 1, 6), code="GONE"
    )
    leave(long_gone, datetime.date(2021, 6, 30))

    rows = {row.code: row for row in by_agent(scope=cilacap["scope"], period=PERIOD)}

    assert rows["ANI"].acquisitions == 1 and rows["ANI"].has_left
    assert "GONE" not in rows


def test_by_agent_in_an_office_scope_counts_only_that_offices_credit(cilacap):
    acquire(cilacap["ani"], datetime.date(2022, 2, 1))
    acquire(cilacap["citra"], datetime.date(2022, 2, 1))
    north = Scope(branch=cilacap["branch"], office=cilacap["north"])
    assert {row.code: row.acquisitions for row in by_agent(scope=north, period=PERIOD)} == {"ANI": 1, "BUDI": 0}


def test_by_occupation_lists_every_occupation(cilacap):
    branch = cilacap["branch"]
    acquire(
        cilacap["ani"], datetime.date(2022, 2, 1), participant=ParticipantFactory(branch=branch, occupation="fisher")
    )
    acquire(
        cilacap["ani"], datetime.date(2022, 2, 2), participant=ParticipantFactory(branch=branch, occupation="fisher")
    )
    acquire(
        cilacap["ani"], datetime.date(2021, 2, 2), participant=ParticipantFactory(branch=branch, occupation="farmer")
    )

    rows = by_occupation(scope=cilacap["scope"], period=PERIOD)

    assert len(rows) == len(Occupation.choices)
    assert (rows[0].key, rows[0].acquisitions, rows[0].share) == ("fisher", 2, Decimal("100.0"))
    farmer = next(row for row in rows if row.key == "farmer")
    assert (farmer.acquisitions, farmer.previous, farmer.change) == (0, 1, Decimal("-100.0"))


def test_by_kecamatan(cilacap):
    """By the kecamatan's code and official name (tests/reports/test_places.py has the rest)."""
    branch = cilacap["branch"]
    for kecamatan, code in (("Kroya", "330106"), ("Kroya", "330106"), ("Maos", "330107")):
        acquire(
            cilacap["ani"],
            datetime.date(2022, 5, 1),
            participant=ParticipantFactory(branch=branch, kecamatan=kecamatan, district=code, village=""),
        )
    rows = by_kecamatan(scope=cilacap["scope"], period=PERIOD)
    assert [(row.key, row.label, row.acquisitions) for row in rows] == [("330106", "Kroya", 2), ("330107", "Maos", 1)]
    assert rows[0].share == Decimal("66.7")


def test_by_gender_and_age_band_turns_on_the_birthday(cilacap):
    branch, ani = cilacap["branch"], cilacap["ani"]
    people = [
        (datetime.date(1997, 6, 30), Gender.FEMALE),  # 25 on 30 June 2022, the period's last day
        (datetime.date(1997, 7, 1), Gender.FEMALE),  # still 24
        (datetime.date(1967, 6, 30), Gender.MALE),  # 55
        (datetime.date(1990, 1, 1), Gender.MALE),  # 32
    ]
    for birth_date, gender in people:
        acquire(
            ani,
            datetime.date(2022, 6, 1),
            participant=ParticipantFactory(branch=branch, birth_date=birth_date, gender=gender),
        )

    bands = by_gender_and_age(scope=cilacap["scope"], period=PERIOD)

    assert [(band.women, band.men) for band in bands] == [(1, 0), (1, 1), (0, 0), (0, 0), (0, 1)]
    assert bands[1].total == 2 and bands[1].share == Decimal("50.0") and bands[1].women_share == Decimal("50.0")


def test_age_bands_on_a_leap_day_period_end(cilacap):
    born_on_leap_day = ParticipantFactory(branch=cilacap["branch"], birth_date=datetime.date(1999, 3, 1))
    acquire(cilacap["ani"], datetime.date(2024, 2, 1), participant=born_on_leap_day)
    bands = by_gender_and_age(scope=cilacap["scope"], period=Period(2024, 2))
    assert bands[0].total == 1  # 24 on 29 February 2024
