"""Current or lapsed at a month end, cohort continuity, and the follow-up list by caretaker."""

import datetime
from decimal import Decimal

import pytest

from agents.scoping import Scope
from enrollment.paying import standing_acquisitions
from reports.continuity import (
    contribution_continuity,
    lapsed_by_caretaker,
    lapsed_participants,
    months_unpaid,
    participant_standing,
)
from reports.periods import Period
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

JUNE_2022 = Period(2022, 6)


def standing(scope, period=JUNE_2022):
    rows = standing_acquisitions(scope=scope, day=period.end).values_list("participant__full_name", "is_current")
    return dict(rows)


def test_current_means_a_payment_in_the_last_three_months(cilacap):
    ani, branch = cilacap["ani"], cilacap["branch"]
    paid_april = acquire(ani, datetime.date(2021, 5, 1), participant=None)
    pay(paid_april, (2021, 5), (2022, 4))
    paid_march = acquire(ani, datetime.date(2021, 5, 1))
    pay(paid_march, (2021, 5), (2022, 3))
    new_unpaid = acquire(ani, datetime.date(2022, 4, 1))
    paid_after = acquire(ani, datetime.date(2021, 5, 1))
    pay(paid_after, (2022, 7))  # after the period: does not count
    names = {
        acquisition.pk: acquisition.participant.full_name
        for acquisition in (paid_april, paid_march, new_unpaid, paid_after)
    }

    result = standing(Scope(branch=branch))

    assert result[names[paid_april.pk]] is True
    assert result[names[paid_march.pk]] is False
    assert result[names[new_unpaid.pk]] is True  # acquired within the three months: not lapsed yet
    assert result[names[paid_after.pk]] is False
    assert participant_standing(scope=cilacap["scope"], period=JUNE_2022).lapsed == 2


def test_a_recorded_lapse_counts_from_its_date(cilacap):
    acquisition = acquire(cilacap["ani"], datetime.date(2022, 1, 10), lapsed_on=datetime.date(2022, 6, 30))
    pay(acquisition, (2022, 5))
    assert participant_standing(scope=cilacap["scope"], period=JUNE_2022).lapsed == 1
    assert participant_standing(scope=cilacap["scope"], period=Period(2022, 5)).current == 1


def test_a_participant_acquired_again_is_judged_by_the_new_acquisition_and_counted_once(cilacap):
    old = acquire(cilacap["ani"], datetime.date(2021, 1, 10), lapsed_on=datetime.date(2021, 6, 1))
    pay(old, (2021, 1), (2021, 2))
    new = acquire(cilacap["citra"], datetime.date(2022, 2, 1), participant=old.participant)
    pay(new, (2022, 2), (2022, 6))

    result = participant_standing(scope=cilacap["scope"], period=JUNE_2022)
    assert (result.current, result.lapsed, result.total) == (1, 0, 1)
    before = participant_standing(scope=cilacap["scope"], period=Period(2021, 12))
    assert (before.current, before.lapsed) == (0, 1)
    south = Scope(branch=cilacap["branch"], office=cilacap["south"])
    north = Scope(branch=cilacap["branch"], office=cilacap["north"])
    assert participant_standing(scope=south, period=JUNE_2022).current == 1
    assert participant_standing(scope=north, period=JUNE_2022).total == 0


def test_cohorts_share_paid_in_the_following_months_and_retention(cilacap):
    ani = cilacap["ani"]
    for months in ([(2021, 1), (2021, 2), (2021, 4), (2022, 1)], [(2021, 1)]):
        pay(acquire(ani, datetime.date(2021, 1, 20)), *months)
    pay(acquire(ani, datetime.date(2022, 5, 3)), (2022, 5), (2022, 6))

    continuity = contribution_continuity(scope=cilacap["scope"], period=JUNE_2022)
    cohorts = {cohort.month: cohort for cohort in continuity.cohorts}

    assert len(continuity.cohorts) == 18  # January 2021 to June 2022
    january = cohorts[datetime.date(2021, 1, 1)]
    assert january.size == 2
    assert january.paid[:4] == (2, 1, 0, 1)
    assert january.paid[12] == 1 and january.share_paid(12) == Decimal("50.0")
    may = cohorts[datetime.date(2022, 5, 1)]
    assert may.paid[:3] == (1, 1, None)
    assert cohorts[datetime.date(2021, 2, 1)].size == 0 and cohorts[datetime.date(2021, 2, 1)].share_paid(0) is None
    assert continuity.retention == {3: Decimal("50.0"), 6: Decimal("0.0"), 12: Decimal("50.0")}


def test_lapsed_list_belongs_to_the_caretaker(cilacap):
    ani, budi = cilacap["ani"], cilacap["budi"]
    handed_over = acquire(ani, datetime.date(2021, 3, 1), caretaker=budi)
    pay(handed_over, (2021, 3), (2021, 12))
    kept = acquire(ani, datetime.date(2021, 3, 2))
    pay(kept, (2021, 3), (2022, 6))
    never_paid = acquire(ani, datetime.date(2021, 3, 3))

    counts = {
        row.code: (row.current, row.lapsed) for row in lapsed_by_caretaker(scope=cilacap["scope"], period=JUNE_2022)
    }
    assert counts == {"ANI": (1, 1), "BUDI": (0, 1)}

    budis = Scope(branch=cilacap["branch"], office=cilacap["north"], agent=budi)
    rows = list(lapsed_participants(scope=budis, period=JUNE_2022))
    assert [row["pk"] for row in rows] == [handed_over.pk]
    assert rows[0]["last_paid"] == datetime.date(2021, 12, 1)
    assert months_unpaid(rows[0], JUNE_2022) == 6

    everyone = list(lapsed_participants(scope=cilacap["scope"], period=JUNE_2022))
    unpaid = next(row for row in everyone if row["pk"] == never_paid.pk)
    assert unpaid["last_paid"] is None and months_unpaid(unpaid, JUNE_2022) == 16  # February 2021 to June 2022
    assert "participant__nik" not in unpaid
