"""Helpers that build exact months of acquisitions and contributions for the incentives tests."""

import datetime

from django.conf import settings
from django.test import Client

from tests.factories import AcquisitionFactory, ContributionFactory

FAR_FUTURE = datetime.date(2100, 1, 1)  # "today" for tests about past months: every month is over


def signed_in(user):
    """A client signed in as ``user`` asking for English pages."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def acquire(agent, on, count=1, **fields):
    """``count`` acquisitions by ``agent`` on ``on`` (new participants)."""
    return [AcquisitionFactory(agent=agent, acquired_on=on, **fields) for _ in range(count)]


CARETAKER = object()


def pay(acquisition, *, period, paid_on, amount=None, credited_to=CARETAKER, **fields):
    """A contribution for ``period`` paid on ``paid_on``, credited to ``credited_to`` (default: the
    caretaker, as the agent's recording service does; ``None`` for a row recorded without it)."""
    return ContributionFactory(
        acquisition=acquisition,
        period=period,
        paid_on=paid_on,
        amount=amount if amount is not None else acquisition.monthly_contribution,
        credited_to=acquisition.caretaker if credited_to is CARETAKER else credited_to,
        **fields,
    )
