"""``reports.memo``: inside ``sharing_results`` a report is computed once per arguments; outside, every time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents.scoping import Scope
from reports.continuity import contribution_continuity
from reports.memo import shared, sharing_results
from reports.periods import Period
from tests.factories import AcquisitionFactory
from web.reports.workbook import evaluation_workbook

pytestmark = pytest.mark.django_db


def test_a_shared_function_runs_once_per_arguments_inside_the_block_and_every_time_outside():
    calls = []

    @shared
    def figure(*, scope, period):
        calls.append((scope, period))
        return len(calls)

    june, july = Period(2022, 6), Period(2022, 7)
    with sharing_results():
        assert figure(scope=Scope(), period=june) == figure(scope=Scope(), period=june) == 1
        assert figure(scope=Scope(), period=july) == 2
    assert figure(scope=Scope(), period=june) == 3
    assert figure(scope=Scope(), period=june) == 4


def test_outside_the_block_a_report_sees_new_data():
    period = Period(2022, 6)
    AcquisitionFactory(acquired_on=datetime.date(2022, 3, 1))
    before = contribution_continuity(scope=Scope(), period=period)
    AcquisitionFactory(acquired_on=datetime.date(2022, 3, 2))
    after = contribution_continuity(scope=Scope(), period=period)
    march = datetime.date(2022, 3, 1)
    assert [c.size for c in before.cohorts if c.month == march] == [1]
    assert [c.size for c in after.cohorts if c.month == march] == [2]


def test_the_workbook_computes_continuity_once_for_its_summary_and_its_sheet():
    AcquisitionFactory(acquired_on=datetime.date(2022, 3, 1))
    with CaptureQueriesContext(connection) as queries:
        evaluation_workbook(scope=Scope(), period=Period(2022, 6), language="en")
    cohort_queries = [q for q in queries.captured_queries if '"cohort"' in q["sql"]]
    assert len(cohort_queries) == 1
