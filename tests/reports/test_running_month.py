"""A period whose last month has not ended is read as so far: the month still counts among the months
left to beat last year, and the pages say its figure is compared with the whole of last year's month."""

import datetime
import math

import pytest
from django.urls import reverse
from django.utils import timezone

from agents.models import User
from reports.acquisitions import year_summary, yearly_totals
from reports.periods import Period
from tests.factories import UserFactory
from tests.reports.conftest import acquire

pytestmark = pytest.mark.django_db


def test_a_month_not_yet_over_counts_among_the_months_left(cilacap):
    for day in (datetime.date(2021, 3, 1), datetime.date(2021, 9, 1), datetime.date(2022, 6, 2)):
        acquire(cilacap["ani"], day)
    rows = yearly_totals(scope=cilacap["scope"], period=Period(2022, 6))

    running = year_summary(rows, Period(2022, 6), today=datetime.date(2022, 6, 15))
    over = year_summary(rows, Period(2022, 6), today=datetime.date(2022, 7, 1))

    assert (running.month_running, running.months_remaining, running.pace_needed) == (True, 7, 1)  # ceil(2/7)
    assert (over.month_running, over.months_remaining, over.pace_needed) == (False, 6, 1)


def test_the_dashboard_of_the_month_in_progress_says_it_is_still_running(client, cilacap):
    today = timezone.localdate()
    for _ in range(3):
        acquire(cilacap["ani"], today.replace(year=today.year - 1, day=1))
    acquire(cilacap["ani"], today)
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    month = today.strftime("%B %Y")
    last_year = today.replace(year=today.year - 1, day=1).strftime("%B %Y")
    assert f"{month} is still running: counted so far, against the whole of {last_year}." in page
    needed = math.ceil((3 + 1 - 1) / (12 - today.month + 1))
    assert f'id="figure-pace-needed">{needed}<' in page
    assert "No months left in the year." not in page


def test_a_finished_month_says_nothing_of_the_kind(client, cilacap):
    acquire(cilacap["ani"], datetime.date(2022, 6, 2))
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))

    page = client.get(reverse("home"), {"through": "2022-06"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "still running" not in page
