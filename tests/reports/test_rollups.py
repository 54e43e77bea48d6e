"""The pre-counted figures of ``reports.rollups`` always equal the count of raw rows, whatever wrote them
(each agent's all-time total too; the money paid per month, branch and office, on PostgreSQL).

Every write path is taken: a row saved by the ORM, ``bulk_create``, ``update()`` moving an acquisition
to another agent, office or date, a lapse written down, a worker acquired again, contributions added
late, moved and deleted, an acquisition deleted. After each, the monthly counts are compared with a
``GROUP BY`` over the acquisitions, and (on PostgreSQL, where they are kept) the current and lapsed
participants at every month end with the live query of ``reports.continuity``.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from agents.scoping import Scope
from enrollment.models import Acquisition, Contribution
from enrollment.paying import standing_acquisitions
from perisai.months import month_end
from reports import rollups
from reports.continuity import participant_standing
from reports.periods import Period
from reports.rollups import AcquisitionMonth, AgentTotal, ContributionMonth, OfficeMonth
from tests.factories import AgentFactory, ParticipantFactory
from tests.reports.conftest import acquire, pay

pytestmark = pytest.mark.django_db

MONTHS = [datetime.date(year, month, 1) for year in (2021, 2022, 2023) for month in range(1, 13)]


def raw_months(*fields):
    rows = (
        Acquisition.objects.annotate(month=TruncMonth("acquired_on")).values("month", *fields).annotate(n=Count("id"))
    )
    return {(row["month"], *(row[field] for field in fields)): row["n"] for row in rows.order_by()}


def kept_months(model, *fields):
    return {
        (row["month"], *(row[field] for field in fields)): row["n"]
        for row in model.objects.values("month", *fields).annotate(n=Sum("acquisitions")).filter(n__gt=0)
    }


def live_standing(scope, day):
    return standing_acquisitions(scope=scope, day=day).aggregate(
        current=Count("pk", filter=Q(is_current=True)), lapsed=Count("pk", filter=Q(is_current=False))
    )


def raw_money():
    rows = (
        Contribution.objects.annotate(month=TruncMonth("paid_on"))
        .values("month", "acquisition__branch", "acquisition__office")
        .annotate(amount=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    return {
        (row["month"], row["acquisition__branch"], row["acquisition__office"]): (row["amount"], row["n"])
        for row in rows
    }


def kept_money():
    return {
        (row.month, row.branch_id, row.office_id): (row.amount, row.contributions)
        for row in ContributionMonth.objects.exclude(amount=0, contributions=0)
    }


def raw_totals():
    return dict(Acquisition.objects.values("agent").annotate(n=Count("id")).values_list("agent", "n").order_by())


def kept_totals():
    return dict(AgentTotal.objects.exclude(acquisitions=0).values_list("agent", "acquisitions"))


def assert_rollups_equal_raw(scopes):
    assert kept_months(AcquisitionMonth, "branch", "office", "agent") == raw_months("branch", "office", "agent")
    assert kept_months(OfficeMonth, "branch", "office") == raw_months("branch", "office")
    assert kept_totals() == raw_totals()
    if not rollups.standing_kept():
        return
    assert kept_money() == raw_money()
    for scope in scopes:
        for month in MONTHS:
            day = month_end(month)
            assert rollups.standing_counts(scope=scope, day=day) == live_standing(scope, day), (scope.level, day)


@pytest.fixture
def network(cilacap, banyumas):
    """Acquisitions over 2021-2023 in two branches, paying with gaps."""
    ani, budi, citra = cilacap["ani"], cilacap["budi"], cilacap["citra"]
    paying = acquire(ani, datetime.date(2021, 2, 10))
    pay(paying, (2021, 2), (2021, 3), (2021, 4), (2021, 9), (2022, 1))
    lapsing = acquire(budi, datetime.date(2021, 5, 31))
    pay(lapsing, (2021, 6))
    fresh = acquire(citra, datetime.date(2022, 11, 2))
    scopes = [
        Scope(),
        cilacap["scope"],
        banyumas["scope"],
        Scope(branch=cilacap["branch"], office=cilacap["north"]),
        Scope(branch=cilacap["branch"], office=cilacap["south"]),
    ]
    return {**cilacap, "paying": paying, "lapsing": lapsing, "fresh": fresh, "scopes": scopes}


def test_rows_saved_one_by_one_and_in_bulk(network):
    assert_rollups_equal_raw(network["scopes"])
    agent = network["citra"]
    Acquisition.objects.bulk_create(
        [
            Acquisition(
                participant=ParticipantFactory(branch=agent.branch),
                agent=agent,
                caretaker=agent,
                branch=agent.branch,
                office=agent.office,
                acquired_on=datetime.date(2022, month, 3),
                rate=network["fresh"].rate,
                declared_income=1_000_000,
                monthly_contribution=16_800,
            )
            for month in (1, 1, 2, 7)
        ]
    )
    assert_rollups_equal_raw(network["scopes"])


def test_acquisitions_moved_lapsed_acquired_again_and_deleted(network):
    other = AgentFactory(branch=network["branch"], office=network["south"], joined_on=datetime.date(2020, 1, 1))
    Acquisition.objects.filter(pk=network["paying"].pk).update(agent=other, office=other.office)
    Acquisition.objects.filter(pk=network["fresh"].pk).update(acquired_on=datetime.date(2022, 8, 30))
    assert_rollups_equal_raw(network["scopes"])

    Acquisition.objects.filter(pk=network["lapsing"].pk).update(
        status=Acquisition.Status.LAPSED, ended_on=datetime.date(2021, 10, 1)
    )
    again = acquire(network["ani"], datetime.date(2022, 3, 14), participant=network["lapsing"].participant)
    pay(again, (2022, 3), (2022, 4))
    assert_rollups_equal_raw(network["scopes"])

    again.contributions.all().delete()
    Acquisition.objects.filter(pk=again.pk).delete()
    assert_rollups_equal_raw(network["scopes"])


def test_contributions_added_late_moved_and_deleted(network):
    pay(network["lapsing"], (2023, 2), (2021, 8))
    Contribution.objects.filter(acquisition=network["paying"], period=datetime.date(2021, 9, 1)).update(
        period=datetime.date(2022, 12, 1)
    )
    assert_rollups_equal_raw(network["scopes"])
    Contribution.objects.filter(acquisition=network["paying"], period__year=2021).delete()
    assert_rollups_equal_raw(network["scopes"])


def lapse(acquisition, on):
    Acquisition.objects.filter(pk=acquisition.pk).update(status=Acquisition.Status.LAPSED, ended_on=on)


def test_a_month_paid_after_the_last_one_extends_the_interval_or_opens_a_new_one(network):
    """The insert trigger writes such a month's change directly (reports/0007); each case against the live rule."""
    paying = network["paying"]  # paid Feb-Apr and Sep 2021, Jan 2022: current January to March 2022
    for month in ((2022, 3), (2022, 6), (2022, 11)):  # within three months, exactly three, after a gap
        pay(paying, month)
        assert_rollups_equal_raw(network["scopes"])

    fresh = network["fresh"]  # acquired November 2022, nothing paid
    pay(fresh, (2022, 11), (2023, 2))  # its own month changes nothing; February extends from it
    assert_rollups_equal_raw(network["scopes"])

    lapsing = network["lapsing"]  # acquired May 2021, paid June 2021
    lapse(lapsing, datetime.date(2021, 8, 2))
    pay(lapsing, (2021, 7), (2021, 12))  # July is cut at the lapse; December, after it, counts nothing
    assert_rollups_equal_raw(network["scopes"])

    again = acquire(network["citra"], datetime.date(2022, 2, 8), participant=lapsing.participant)
    pay(lapsing, (2022, 3))  # the lapsed acquisition, superseded in February 2022: nothing changes
    pay(again, (2022, 2), (2022, 4))
    assert_rollups_equal_raw(network["scopes"])


def test_months_written_in_one_statement_mixing_the_direct_and_the_recounted_cases(network):
    paying, fresh, lapsing = network["paying"], network["fresh"], network["lapsing"]
    lapse(lapsing, datetime.date(2021, 9, 2))
    other = acquire(network["ani"], datetime.date(2022, 12, 1), participant=lapsing.participant)
    Contribution.objects.bulk_create(
        [
            Contribution(acquisition=acquisition, period=datetime.date(*month, 1), paid_on=datetime.date(*month, 9),
                         amount=acquisition.monthly_contribution, channel=Contribution.Channel.BANK)
            for acquisition, month in (
                (paying, (2021, 6)),  # before a month recorded: its participant is recounted
                (fresh, (2022, 12)),  # two months of one acquisition: recounted
                (fresh, (2023, 1)),
                (lapsing, (2021, 7)),  # appended, but its participant has another acquisition recounted below
                (other, (2023, 5)),  # after a gap: opens an interval, with its participant recounted
                (other, (2022, 12)),
            )
        ]
    )  # fmt: skip
    assert_rollups_equal_raw(network["scopes"])


def test_a_worker_acquired_twice_in_one_month_counts_once_when_standing(network):
    first = acquire(network["budi"], datetime.date(2023, 4, 2), lapsed_on=datetime.date(2023, 4, 9))
    acquire(network["citra"], datetime.date(2023, 4, 20), participant=first.participant)
    assert_rollups_equal_raw(network["scopes"])


def test_the_report_functions_read_them(network):
    period = Period(2022, 6)
    standing = participant_standing(scope=network["scope"], period=period)
    assert (standing.current, standing.lapsed) == tuple(live_standing(network["scope"], period.end).values())


def test_the_rebuild_command_counts_the_same(network):
    before = (
        kept_months(AcquisitionMonth, "branch", "office", "agent"),
        kept_months(OfficeMonth, "branch", "office"),
        kept_totals(),
    )
    call_command("rebuild_report_rollups", stdout=io.StringIO())
    after = (
        kept_months(AcquisitionMonth, "branch", "office", "agent"),
        kept_months(OfficeMonth, "branch", "office"),
        kept_totals(),
    )
    assert before == after
    assert_rollups_equal_raw(network["scopes"])
