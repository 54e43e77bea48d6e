"""Creating a PKS and renewing one: suggested number and dates, one renewal per agreement, bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agents.models import CooperationAgreement
from agents.services import agreement_create, agreement_renew, renewal_defaults, suggest_renewal_number
from tests.factories import CooperationAgreementFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "number, starts_on, next_start, suggested",
    [
        ("PKS/CLP-01/2024/004", D(2024, 7, 1), D(2026, 7, 1), "PKS/CLP-01/2026/005"),
        ("PKS/0001/KC-CLP/2021", D(2021, 1, 1), D(2022, 1, 1), "PKS/0001/KC-CLP/2022/P1"),
        ("PKS/0001/KC-CLP/2022/P1", D(2022, 1, 1), D(2023, 1, 1), "PKS/0001/KC-CLP/2023/P2"),
        ("KERJASAMA-PERISAI", D(2021, 1, 1), D(2022, 1, 1), "KERJASAMA-PERISAI/P1"),
        ("PKS-009", D(2021, 1, 1), D(2021, 7, 1), "PKS-010"),
    ],
)
def test_suggested_number(number, starts_on, next_start, suggested):
    previous = CooperationAgreementFactory.build(number=number, starts_on=starts_on)

    assert suggest_renewal_number(previous, next_start) == suggested


def test_a_suggestion_already_taken_moves_on(office):
    CooperationAgreementFactory(office=office, number="PKS-010")
    CooperationAgreementFactory(office=office, number="PKS-011")
    previous = CooperationAgreementFactory.build(number="PKS-009", starts_on=D(2021, 1, 1))

    assert suggest_renewal_number(previous, D(2022, 1, 1)) == "PKS-012"


@pytest.mark.parametrize(
    "starts_on, ends_on, next_start, next_end",
    [
        (D(2024, 7, 1), D(2026, 6, 30), D(2026, 7, 1), D(2028, 6, 30)),
        (D(2024, 7, 1), D(2026, 12, 31), D(2027, 1, 1), D(2029, 6, 30)),
        (D(2021, 1, 15), D(2022, 1, 14), D(2022, 1, 15), D(2023, 1, 14)),
        (D(2021, 3, 3), D(2021, 5, 20), D(2021, 5, 21), D(2022, 5, 20)),
    ],
    ids=["two-years", "thirty-months", "mid-month-year", "odd-length-gets-a-year"],
)
def test_defaults_start_the_day_after_and_run_as_long(starts_on, ends_on, next_start, next_end):
    previous = CooperationAgreementFactory.build(number="X-1", starts_on=starts_on, ends_on=ends_on)

    defaults = renewal_defaults(previous, today=D(2026, 11, 26))

    assert (defaults["starts_on"], defaults["ends_on"], defaults["signed_on"]) == (
        next_start,
        next_end,
        D(2026, 11, 26),
    )


def test_renew_links_the_new_agreement_to_the_previous(agreement):
    renewal = agreement_renew(
        previous=agreement,
        number="PKS/NEXT",
        signed_on=D(2021, 12, 20),
        starts_on=D(2022, 1, 1),
        ends_on=D(2022, 12, 31),
    )

    assert renewal.renews == agreement
    assert renewal.office == agreement.office
    assert CooperationAgreement.objects.get(pk=agreement.pk).renewal == renewal


@pytest.mark.usefixtures("english")
def test_an_agreement_is_renewed_only_once(agreement):
    dates = {"signed_on": D(2021, 12, 20), "starts_on": D(2022, 1, 1), "ends_on": D(2022, 12, 31)}
    agreement_renew(previous=agreement, number="PKS/NEXT", **dates)

    with pytest.raises(ValidationError) as caught:
        agreement_renew(previous=agreement, number="PKS/OTHER", **dates)

    assert "has already been renewed by PKS/NEXT" in str(caught.value)
    assert not CooperationAgreement.objects.filter(number="PKS/OTHER").exists()


def test_a_renewal_lost_to_a_race_is_reported_as_already_renewed(agreement, monkeypatch):
    """Two staff renew at once: the database's one-to-one decides, the loser gets the message."""
    dates = {"signed_on": D(2021, 12, 20), "starts_on": D(2022, 1, 1), "ends_on": D(2022, 12, 31)}
    stale = CooperationAgreement.objects.get(pk=agreement.pk)
    CooperationAgreementFactory(office=agreement.office, number="PKS/WINNER", renews=agreement, **dates)
    real_full_clean = CooperationAgreement.full_clean
    calls = []

    def full_clean_that_misses_the_first_time(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 1:
            return None
        return real_full_clean(self, *args, **kwargs)

    monkeypatch.setattr(CooperationAgreement, "full_clean", full_clean_that_misses_the_first_time)

    with pytest.raises(ValidationError) as caught:
        agreement_create(office=stale.office, number="PKS/LOSER", renews=stale, **dates)

    assert "renews" in caught.value.error_dict
    assert not CooperationAgreement.objects.filter(number="PKS/LOSER").exists()


def test_a_renewal_must_start_after_the_previous_started(agreement):
    with pytest.raises(ValidationError) as caught:
        agreement_renew(
            previous=agreement,
            number="PKS/NEXT",
            signed_on=D(2021, 1, 1),
            starts_on=agreement.starts_on,
            ends_on=D(2022, 1, 1),
        )

    assert "starts_on" in caught.value.error_dict


def test_a_duplicate_number_is_refused(agreement):
    with pytest.raises(ValidationError) as caught:
        agreement_create(
            office=agreement.office,
            number=agreement.number,
            signed_on=D(2022, 1, 1),
            starts_on=D(2022, 1, 1),
            ends_on=D(2022, 12, 31),
        )

    assert "number" in caught.value.error_dict


# Through the pages.


def test_renew_page_suggests_the_next_term(staff_client, office):
    previous = CooperationAgreementFactory(
        office=office, number="PKS/CLP-01/2024/004", starts_on=D(2024, 7, 1), ends_on=D(2026, 6, 30)
    )

    form = staff_client.get(reverse("agents:agreement_renew", args=[previous.pk])).context["form"]

    assert form.initial["number"] == "PKS/CLP-01/2026/005"
    assert (form.initial["starts_on"], form.initial["ends_on"]) == (D(2026, 7, 1), D(2028, 6, 30))
    assert form.initial["signed_on"] == timezone.localdate()


def test_renew_page_saves_the_edited_suggestion(staff_client, agreement):
    data = {"number": "PKS/EDITED", "signed_on": "2021-12-01", "starts_on": "2022-01-01", "ends_on": "2023-06-30"}

    response = staff_client.post(reverse("agents:agreement_renew", args=[agreement.pk]), data)

    renewal = CooperationAgreement.objects.get(number="PKS/EDITED")
    assert response["Location"] == reverse("agents:agreement_detail", args=[renewal.pk])
    assert (renewal.renews, renewal.office, renewal.ends_on) == (agreement, agreement.office, D(2023, 6, 30))


def test_renew_page_refuses_an_agreement_already_renewed(staff_client, agreement):
    CooperationAgreementFactory(
        office=agreement.office, number="PKS/NEXT", renews=agreement, starts_on=D(2022, 1, 1), ends_on=D(2022, 12, 31)
    )
    data = {"number": "PKS/AGAIN", "signed_on": "2021-12-01", "starts_on": "2022-01-01", "ends_on": "2022-12-31"}

    response = staff_client.post(reverse("agents:agreement_renew", args=[agreement.pk]), data, follow=True)

    assert "has already been renewed by PKS/NEXT" in response.content.decode()
    assert not CooperationAgreement.objects.filter(number="PKS/AGAIN").exists()


def test_renew_page_refuses_an_end_before_the_start(staff_client, agreement):
    data = {"number": "PKS/BAD", "signed_on": "2021-12-01", "starts_on": "2022-01-01", "ends_on": "2021-12-31"}

    response = staff_client.post(reverse("agents:agreement_renew", args=[agreement.pk]), data)

    assert response.status_code == 200
    assert "The agreement must end after it starts." in response.content.decode()
    assert CooperationAgreement.objects.count() == 1


def test_create_page_adds_a_first_pks_for_an_office_of_the_branch(staff_client, office, other_office):
    data = {
        "office": office.pk,
        "number": "PKS/NEW/1",
        "signed_on": "2022-01-01",
        "starts_on": "2022-02-01",
        "ends_on": "2023-01-31",
    }

    response = staff_client.post(reverse("agents:agreement_create"), data)
    refused = staff_client.post(
        reverse("agents:agreement_create"), {**data, "office": other_office.pk, "number": "PKS/X"}
    )

    created = CooperationAgreement.objects.get(number="PKS/NEW/1")
    assert response.status_code == 302
    assert (created.office, created.renews, bool(created.document)) == (office, None, False)
    assert "office" in refused.context["form"].errors
    assert not CooperationAgreement.objects.filter(number="PKS/X").exists()
