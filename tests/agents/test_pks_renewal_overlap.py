"""A PKS renewal starts after the PKS it renews ends; a renewed PKS in its last days is "renewed", never
"expiring", on the PKS list, the office page, the dashboard and the staff e-mail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agents.models import EXPIRING_WITHIN_DAYS, CooperationAgreement
from agents.scoping import Scope
from agents.services import agreement_renew
from reports.agreements import agreement_status
from reports.periods import Period
from tests.factories import CooperationAgreementFactory, PerisaiOfficeFactory, UserFactory
from web.staff_notices import render_notice, staff_notice, staff_notice_send

pytestmark = pytest.mark.django_db

D = datetime.date
Status = CooperationAgreement.Status


def spoken(day):
    """A date as an English reader writes it: 31 December 2021."""
    return f"{day.day} {day:%B} {day.year}"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def renew(previous, starts_on, ends_on, number="PKS/NEXT"):
    return agreement_renew(
        previous=previous, number=number, signed_on=previous.ends_on - datetime.timedelta(days=20),
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip


# --- the renewal must start after the previous PKS ends ---------------------------------------------


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("overlap_days", [0, 1, 120], ids=["on-the-last-day", "the-day-before", "mid-term"])
def test_a_renewal_starting_on_or_before_the_previous_end_is_refused_on_its_start(agreement, overlap_days):
    starts_on = agreement.ends_on - datetime.timedelta(days=overlap_days)

    with pytest.raises(ValidationError) as refused:
        renew(agreement, starts_on, starts_on + datetime.timedelta(days=300))

    [message] = refused.value.message_dict["starts_on"]
    assert spoken(agreement.ends_on) in message
    assert spoken(agreement.ends_on + datetime.timedelta(days=1)) in message
    assert agreement.number in message
    assert not CooperationAgreement.objects.filter(number="PKS/NEXT").exists()
    assert not CooperationAgreement.objects.get(pk=agreement.pk).is_renewed


def test_a_renewal_starting_the_day_after_the_previous_ends_is_accepted(agreement):
    starts_on = agreement.ends_on + datetime.timedelta(days=1)

    renewal = renew(agreement, starts_on, D(starts_on.year, 12, 31))

    assert renewal.renews == agreement and renewal.starts_on == starts_on


def test_the_renew_page_shows_the_overlap_on_the_start_date_and_saves_nothing(staff_client, agreement):
    response = staff_client.post(
        reverse("agents:agreement_renew", args=[agreement.pk]),
        {"number": "PKS/NEXT", "signed_on": "2021-12-01", "starts_on": "2021-12-01", "ends_on": "2022-11-30"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["starts_on"]
    assert any(spoken(agreement.ends_on) in error for error in errors)
    assert not CooperationAgreement.objects.filter(number="PKS/NEXT").exists()


# --- a renewed PKS is not expiring -------------------------------------------------------------------


@pytest.fixture
def ending(office):
    """A PKS of ``office`` that ends in 20 days (within the expiring window), not yet renewed."""
    assert 20 < EXPIRING_WITHIN_DAYS
    return CooperationAgreementFactory(office=office, number="PKS/ENDING", starts_on=days(-340), ends_on=days(20))


@pytest.fixture
def renewed(ending):
    """``ending``, renewed by a PKS that starts the day after it ends."""
    CooperationAgreementFactory(
        office=ending.office, number="PKS/RENEWAL", renews=ending, signed_on=days(-5),
        starts_on=days(21), ends_on=days(385),
    )  # fmt: skip
    return CooperationAgreement.objects.select_related("renewal").get(pk=ending.pk)


def test_a_pks_ending_soon_is_expiring_until_it_is_renewed(ending):
    assert ending.status_on(days(0)) == Status.EXPIRING

    CooperationAgreementFactory(office=ending.office, renews=ending, starts_on=days(21), ends_on=days(385))
    renewed = CooperationAgreement.objects.select_related("renewal").get(pk=ending.pk)

    assert renewed.status_on(days(0)) == Status.RENEWED
    assert renewed.status_on(days(-100)) == Status.ACTIVE  # far from its end it is simply active
    assert renewed.status_on(days(21)) == Status.EXPIRED  # once ended, it is history like any other


def test_the_pks_list_shows_a_renewed_pks_as_renewed_and_filters_it_so(staff_client, renewed):
    listed = {a.number: a for a in staff_client.get(reverse("agents:agreement_list")).context["page_obj"]}
    expiring = staff_client.get(reverse("agents:agreement_list"), {"status": "expiring"}).context["page_obj"]
    filtered = staff_client.get(reverse("agents:agreement_list"), {"status": "renewed"}).context["page_obj"]

    assert listed["PKS/ENDING"].status == Status.RENEWED
    assert "PKS/ENDING" not in [a.number for a in expiring]
    assert [a.number for a in filtered] == ["PKS/ENDING"]


def test_the_pks_list_still_shows_an_unrenewed_pks_as_expiring(staff_client, ending):
    expiring = staff_client.get(reverse("agents:agreement_list"), {"status": "expiring"}).context["page_obj"]

    assert [a.number for a in expiring] == ["PKS/ENDING"]


def test_the_office_pages_show_the_current_pks_as_renewed(staff_client, renewed):
    detail = staff_client.get(reverse("agents:office_detail", args=[renewed.office_id]))
    listing = staff_client.get(reverse("agents:office_list")).content.decode()

    assert detail.context["current_agreement"].status == Status.RENEWED
    assert "pks-status-renewed" in detail.content.decode() and "pks-status-expiring" not in detail.content.decode()
    assert "pks-status-renewed" in listing and "pks-status-expiring" not in listing


def test_the_office_list_reads_the_renewals_without_a_query_per_office(
    staff_client, branch, django_assert_max_num_queries
):
    def seed(count):
        for office in PerisaiOfficeFactory.create_batch(count, branch=branch):
            first = CooperationAgreementFactory(office=office, starts_on=days(-340), ends_on=days(20))
            CooperationAgreementFactory(office=office, renews=first, starts_on=days(21), ends_on=days(385))

    seed(1)
    with django_assert_max_num_queries(50) as few:
        staff_client.get(reverse("agents:office_list"))
    seed(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("agents:office_list"))


def test_the_dashboard_does_not_ask_to_renew_a_renewed_pks(branch, renewed, ending):
    other = CooperationAgreementFactory(
        office=PerisaiOfficeFactory(branch=branch), number="PKS/OTHER", starts_on=days(-340), ends_on=days(30)
    )
    today = timezone.localdate()

    status = agreement_status(
        scope=Scope(branch=branch), period=Period(year=today.year, through_month=today.month), today=today
    )

    rows = {row.number: row for row in status.offices}
    assert rows["PKS/ENDING"].status == Status.RENEWED
    assert rows["PKS/OTHER"].status == Status.EXPIRING
    assert [row.number for row in status.attention] == [other.number]


def test_the_staff_email_does_not_list_a_renewed_pks_as_ending(settings, branch, renewed):
    settings.LANGUAGE_CODE = "en"
    CooperationAgreementFactory(
        office=PerisaiOfficeFactory(branch=branch), number="PKS/OTHER", starts_on=days(-340), ends_on=days(30)
    )
    UserFactory(role="staff", branch=branch, email="staf@example.org")
    notice = staff_notice(branch=branch, today=timezone.localdate())

    subject, body = render_notice(notice)
    staff_notice_send(notice=notice)

    assert [office.number for office in notice.agreements] == ["PKS/OTHER"]
    assert "1 PKS to renew" in subject
    assert "PKS/OTHER" in body and "PKS/ENDING" not in body and "PKS/RENEWAL" not in body
    [sent] = mail.outbox
    assert "PKS/ENDING" not in sent.body


def test_no_email_when_the_only_pks_ending_is_renewed(branch, renewed):
    UserFactory(role="staff", branch=branch, email="staf@example.org")

    notice = staff_notice(branch=branch, today=timezone.localdate())

    assert notice.agreements == []
    assert staff_notice_send(notice=notice).recipients == 0
    assert mail.outbox == []
