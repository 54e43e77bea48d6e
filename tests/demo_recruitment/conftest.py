"""The Cilacap demo, seeded once for the tests of its recruitment story and rolled back at their end."""

import pytest
from django.db import transaction

from agents.models import Branch
from demo.cilacap import BRANCH_CODE, seed_cilacap_demo


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo branch, seeded once (it takes a few seconds) inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_cilacap_demo()
            yield Branch.objects.get(code=BRANCH_CODE)
            transaction.set_rollback(True)
