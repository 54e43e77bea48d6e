"""The PKS list: status badges from the dates, filters, attention-first order; PKS detail with its chain."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agents.models import CooperationAgreement
from agents.selectors import agreement_chain
from tests.factories import CooperationAgreementFactory, PerisaiOfficeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("agents:agreement_list")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def four(office):
    """One PKS in each status, relative to today."""
    return {
        "expired": CooperationAgreementFactory(
            office=office, number="PKS/EXPIRED", starts_on=days(-400), ends_on=days(-35)
        ),
        "active": CooperationAgreementFactory(
            office=office, number="PKS/ACTIVE", starts_on=days(-34), ends_on=days(300)
        ),
        "expiring": CooperationAgreementFactory(
            office=office, number="PKS/EXPIRING", starts_on=days(-300), ends_on=days(20)
        ),
        "not_started": CooperationAgreementFactory(
            office=office, number="PKS/LATER", starts_on=days(301), ends_on=days(700)
        ),
    }


def numbers(response):
    return [agreement.number for agreement in response.context["page_obj"]]


def test_needs_attention_first_expiring_then_active_then_later_then_expired(staff_client, four, other_agreement):
    assert numbers(staff_client.get(LIST)) == ["PKS/EXPIRING", "PKS/ACTIVE", "PKS/LATER", "PKS/EXPIRED"]


def test_each_status_has_its_badge_colour(staff_client, four):
    page = staff_client.get(LIST).content.decode()

    for status, colour in [
        ("active", "text-bg-success"),
        ("expiring", "text-bg-warning"),
        ("expired", "text-bg-danger"),
        ("not_started", "text-bg-secondary"),
    ]:
        assert f"pks-status-{status} {colour}" in page


@pytest.mark.parametrize("status", ["expired", "active", "expiring", "not_started"])
def test_filter_by_status_agrees_with_status_on_today(staff_client, four, status):
    shown = list(staff_client.get(LIST, {"status": status}).context["page_obj"])

    assert shown == [four[status]]
    assert shown[0].status_on(timezone.localdate()) == status


def test_filter_by_office(staff_client, four, branch):
    elsewhere = CooperationAgreementFactory(office=PerisaiOfficeFactory(branch=branch), number="PKS/ELSEWHERE")

    assert numbers(staff_client.get(LIST, {"office": elsewhere.office_id})) == ["PKS/ELSEWHERE"]


def test_expired_agreements_not_renewed_come_before_renewed_ones(staff_client, office):
    renewed = CooperationAgreementFactory(office=office, number="PKS/RENEWED", starts_on=days(-800), ends_on=days(-400))
    CooperationAgreementFactory(
        office=office, number="PKS/NEXT", renews=renewed, starts_on=days(-399), ends_on=days(-200)
    )

    assert numbers(staff_client.get(LIST, {"status": "expired"})) == ["PKS/NEXT", "PKS/RENEWED"]


def test_other_sorts(staff_client, four):
    assert numbers(staff_client.get(LIST, {"sort": "-starts"}))[0] == "PKS/LATER"
    assert numbers(staff_client.get(LIST, {"sort": "ends"}))[0] == "PKS/EXPIRED"


def test_list_query_count_is_fixed(staff_client, branch, django_assert_max_num_queries):
    def seed(count):
        for office in PerisaiOfficeFactory.create_batch(count, branch=branch):
            first = CooperationAgreementFactory(office=office)
            CooperationAgreementFactory(
                office=office, renews=first, starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2022, 12, 31)
            )

    seed(1)
    # 10 before the "PKS at risk" flag, plus its as-of month, terms, targets and monthly counts.
    with django_assert_max_num_queries(14) as few:
        staff_client.get(LIST)
    seed(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(LIST)


def chain_of(office, count):
    previous, chain = None, []
    for year in range(2020, 2020 + count):
        previous = CooperationAgreementFactory(
            office=office,
            number=f"PKS/{year}",
            renews=previous,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )
        chain.append(previous)
    return chain


def test_the_chain_runs_from_the_first_pks_to_the_last_whichever_is_opened(office):
    chain = chain_of(office, 4)
    CooperationAgreementFactory(office=office, number="PKS/UNRELATED")

    for agreement in chain:
        assert agreement_chain(agreement=CooperationAgreement.objects.get(pk=agreement.pk)) == chain


def test_detail_shows_the_chain_and_offers_renewal_only_on_the_last(staff_client, office):
    chain = chain_of(office, 3)

    last = staff_client.get(reverse("agents:agreement_detail", args=[chain[-1].pk])).content.decode()
    middle = staff_client.get(reverse("agents:agreement_detail", args=[chain[1].pk])).content.decode()

    assert all(agreement.number in last for agreement in chain)
    assert reverse("agents:agreement_renew", args=[chain[-1].pk]) in last
    assert reverse("agents:agreement_renew", args=[chain[1].pk]) not in middle
