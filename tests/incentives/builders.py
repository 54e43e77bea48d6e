"""Helpers that build exact months of acquisitions and contributions for the incentives tests."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.test import Client

from incentives.models import AcquisitionFee, FeeTier, IncentiveScheme
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


def flat_scheme(*, name, effective_from, rate, effective_to=None, tiers=(), fees=None, **fields):
    """A scheme with one fee rate from membership month 1 (the shape of the terms before 2022), or the
    ``tiers`` given as ``(from_month, to_month, rate)``; ``fees`` as ``{package: amount}``."""
    scheme = IncentiveScheme.objects.create(
        name=name, effective_from=effective_from, effective_to=effective_to, **fields
    )
    for from_month, to_month, tier_rate in tiers or ((1, None, rate),):
        FeeTier.objects.create(scheme=scheme, from_month=from_month, to_month=to_month, rate=Decimal(tier_rate))
    for package, amount in (fees or {}).items():
        AcquisitionFee.objects.create(scheme=scheme, package=package, amount=Decimal(amount))
    return scheme


def scheme_2021(**overrides):
    """The terms to March 2022: 7.5% of the contributions paid, Rp 500.000 from 50 new participants."""
    fields = {
        "name": "Insentif 2021",
        "effective_from": datetime.date(2021, 1, 1),
        "effective_to": datetime.date(2022, 3, 31),
        "rate": Decimal("0.0750"),
        "acquisition_minimum": 50,
        "bonus_amount": Decimal(500_000),
    }
    return flat_scheme(**{**fields, **overrides})


def scheme_april_2022(**overrides):
    """The April 2022 terms (Perdir 13/PERDIR.02/042022): 15% in membership months 1-24, 5% in 25-60;
    Rp 15.000 per new participant with JKK, JKM and JHT, Rp 10.000 with JKK and JKM, from 25 first
    enrolments in the month; the Kantor Perisai 10% of everything its agents earn, on top."""
    fields = {
        "name": "New Perisai 2022",
        "effective_from": datetime.date(2022, 4, 1),
        "rate": None,
        "tiers": ((1, 24, "0.1500"), (25, 60, "0.0500")),
        "fees": {AcquisitionFee.Package.THREE: 15_000, AcquisitionFee.Package.TWO: 10_000},
        "acquisition_minimum": 25,
        "first_enrolments_only": True,
        "office_share_rate": Decimal("0.1000"),
        "office_share_base": IncentiveScheme.OfficeShareBase.INCENTIVES,
    }
    return flat_scheme(**{**fields, **overrides})
