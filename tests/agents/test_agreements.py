"""A PKS's status follows from its dates; a renewal stays with its office."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agents.models import CooperationAgreement
from tests.factories import CooperationAgreementFactory, PerisaiOfficeFactory

Status = CooperationAgreement.Status
STARTS_ON = datetime.date(2021, 1, 1)
ENDS_ON = datetime.date(2021, 12, 31)


def days_before_end(days):
    return ENDS_ON - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    "day, status",
    [
        (STARTS_ON - datetime.timedelta(days=1), Status.NOT_STARTED),
        (STARTS_ON, Status.ACTIVE),
        (days_before_end(61), Status.ACTIVE),
        (days_before_end(60), Status.EXPIRING),
        (ENDS_ON, Status.EXPIRING),
        (ENDS_ON + datetime.timedelta(days=1), Status.EXPIRED),
    ],
    ids=["day-before-start", "first-day", "61-days-before-end", "60-days-before-end", "last-day", "day-after-end"],
)
def test_status_on_follows_the_dates(day, status):
    agreement = CooperationAgreementFactory.build(starts_on=STARTS_ON, ends_on=ENDS_ON)

    assert agreement.status_on(day) == status


def test_short_agreement_is_expiring_from_its_first_day():
    agreement = CooperationAgreementFactory.build(starts_on=STARTS_ON, ends_on=STARTS_ON + datetime.timedelta(days=30))

    assert agreement.status_on(STARTS_ON) == Status.EXPIRING


@pytest.mark.django_db
def test_renewal_of_the_same_offices_agreement_is_accepted():
    first = CooperationAgreementFactory()
    renewal = CooperationAgreementFactory.build(
        office=first.office, renews=first, starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2022, 12, 31)
    )

    renewal.clean()


@pytest.mark.django_db
def test_renewing_another_offices_agreement_is_refused_on_the_renews_field():
    other_offices = CooperationAgreementFactory()
    renewal = CooperationAgreementFactory.build(office=PerisaiOfficeFactory(), renews=other_offices)

    with pytest.raises(ValidationError) as caught:
        renewal.clean()

    assert list(caught.value.error_dict) == ["renews"]


@pytest.mark.django_db
def test_current_on_lists_agreements_in_force_that_day_including_first_and_last_days():
    ends_on_the_day = CooperationAgreementFactory(
        starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2021, 6, 30)
    )
    starts_on_the_day = CooperationAgreementFactory(
        starts_on=datetime.date(2021, 6, 30), ends_on=datetime.date(2022, 6, 29)
    )
    CooperationAgreementFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 6, 29))
    CooperationAgreementFactory(starts_on=datetime.date(2021, 7, 1), ends_on=datetime.date(2022, 6, 30))

    current = CooperationAgreement.objects.current_on(datetime.date(2021, 6, 30))

    assert set(current) == {ends_on_the_day, starts_on_the_day}
