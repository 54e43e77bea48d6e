"""The Cilacap demo, seeded once per test module (it takes a few seconds) and rolled back at its end."""

import pytest
from django.db import transaction

from agents.models import Branch
from demo.cilacap import BRANCH_CODE, seed_cilacap_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo branch, seeded once for a test module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_cilacap_demo()
            yield Branch.objects.get(code=BRANCH_CODE)
            transaction.set_rollback(True)
