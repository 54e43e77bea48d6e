"""The Cilacap demo, seeded once per test module (it takes a few seconds) and rolled back at its end."""

import datetime

import pytest
from django.db import transaction

from agents.models import Branch
from demo.cilacap import BRANCH_CODE, DemoNow, seed_cilacap_demo

# The demo's today in these tests: a fixed day, so its figures are the same whenever they run.
DEMO_DAY = datetime.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo branch, seeded once for a test module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_cilacap_demo(today=DEMO_DAY)
            yield Branch.objects.get(code=BRANCH_CODE)
            transaction.set_rollback(True)


@pytest.fixture(scope="session")
def now():
    """``DemoNow`` of the seeded demo."""
    return DemoNow(DEMO_DAY)
