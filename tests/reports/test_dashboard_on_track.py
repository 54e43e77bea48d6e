"""The dashboard says whether the year is on track month by month: the period's month against what the
target expects of it, the finished months that fell behind, and no verdict where no target is set."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from agents.models import User
from tests.factories import AcquisitionTargetFactory, UserFactory
from tests.reports.conftest import acquire

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, cilacap):
    client.force_login(UserFactory(role=User.Role.STAFF, branch=cilacap["branch"]))
    return client


@pytest.fixture
def months(cilacap):
    """2021: one a month from January to June, three a month after (a quarter of the year in its first
    half). 2022 so far: 5, 4, 5, 6, 5, 3."""
    for month in range(1, 13):
        for _ in range(1 if month <= 6 else 3):
            acquire(cilacap["ani"], datetime.date(2021, month, 10))
    for month, count in zip(range(1, 7), (5, 4, 5, 6, 5, 3), strict=True):
        for _ in range(count):
            acquire(cilacap["ani"], datetime.date(2022, month, 12))
    return cilacap


def on_track(client, through="2022-06"):
    """The on-track part of the dashboard as the words it shows, and the ids of its flags."""
    response = client.get(reverse("home"), {"through": through}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    part = page[page.index('id="on-track"') : page.index("</section>", page.index('id="on-track"'))]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())
    return text, set(re.findall(r'id="([^"]+)"', part))


def test_the_dashboard_flags_the_period_month_and_the_months_behind_the_targets_season(staff, months):
    # 120 for the year, following 2021's shape: 120 × 1/24 = 5 expected in each month of the first half.
    AcquisitionTargetFactory(branch=months["branch"], year=2022, target=120)

    text, flags = on_track(staff)

    assert "June 2022: 3 acquired, 5 expected by the target. behind by 2" in text
    assert "Months behind their expectation: Feb (4 / 5) , Jun (3 / 5)" in text
    assert "Target 120, expected month by month following last year's months." in text
    assert {"latest-behind", "months-behind"} <= flags


def test_a_month_that_met_its_expectation_is_on_track(staff, months):
    AcquisitionTargetFactory(branch=months["branch"], year=2022, target=120)

    text, flags = on_track(staff, through="2022-05")

    assert "May 2022: 5 acquired, 5 expected by the target. on track" in text
    assert "latest-on-track" in flags and "latest-behind" not in flags


def test_without_a_target_no_month_is_judged(staff, months):
    text, flags = on_track(staff)

    assert "No target is set for this scope and year, so no month is judged against one." in text
    assert "months-behind" not in flags and "behind" not in text
