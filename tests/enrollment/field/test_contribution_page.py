"""Recording a payment from the participant's page: ready to save in one tap, friendly refusals."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from enrollment.models import Contribution
from tests.enrollment.field.builders import cared_acquisition, lapse, months_ago, this_month
from tests.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(acquisition):
    return reverse("enrollment:contribution_record", args=[acquisition.pk])


def test_the_form_starts_at_the_newest_unpaid_month_with_the_amount_and_today(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent, months_back=2)
    ContributionFactory(acquisition=acquisition, period=this_month(), paid_on=timezone.localdate())

    response = agent_client.get(url(acquisition))

    assertContains(
        response, f'<option value="{months_ago(1):%Y-%m}" selected>{months_ago(1):%B %Y}</option>', html=True
    )
    assertContains(response, f'<option value="{this_month():%Y-%m}">{this_month():%B %Y} (paid)</option>', html=True)
    assertNotContains(response, f'value="{months_ago(3):%Y-%m}"')  # before the enrolment
    assertContains(response, 'value="16,800"')
    assertContains(response, f'value="{timezone.localdate():%Y-%m-%d}"')


def test_saving_records_the_payment_and_returns_to_the_participant(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent)

    response = agent_client.post(
        url(acquisition),
        {
            "period": f"{this_month():%Y-%m}",
            "amount": "16.800",
            "paid_on": f"{timezone.localdate():%Y-%m-%d}",
            "receipt_number": "KW-77",
        },
    )

    target = reverse("enrollment:my_participant_detail", args=[acquisition.participant_id])
    assertRedirects(response, target, fetch_redirect_response=False)
    contribution = Contribution.objects.get()
    assert (contribution.collected_by, contribution.receipt_number) == (field_agent, "KW-77")
    page = agent_client.get(target)
    assertContains(page, f"Contribution for {this_month():%B %Y} recorded: Rp\u00a016,800.")
    assertContains(page, "KW-77")


def test_a_wrong_amount_shows_the_expected_one_and_saves_nothing(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent)
    response = agent_client.post(
        url(acquisition),
        {"period": f"{this_month():%Y-%m}", "amount": "16000", "paid_on": f"{timezone.localdate():%Y-%m-%d}"},
    )
    assertContains(response, "The monthly contribution for this participant is Rp\u00a016,800.")
    assert not Contribution.objects.exists()


def test_a_month_already_paid_says_so(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent)
    ContributionFactory(acquisition=acquisition, period=this_month(), paid_on=timezone.localdate())
    response = agent_client.post(
        url(acquisition),
        {"period": f"{this_month():%Y-%m}", "amount": "16800", "paid_on": f"{timezone.localdate():%Y-%m-%d}"},
    )
    assertContains(response, f"{this_month():%B %Y} is already paid for this participant.")
    assert Contribution.objects.count() == 1


def test_every_month_paid_is_said_plainly(agent_client, field_agent):
    acquisition = cared_acquisition(field_agent, acquired_on=this_month())
    ContributionFactory(acquisition=acquisition, period=this_month(), paid_on=this_month())
    assertContains(agent_client.get(url(acquisition)), "Every month up to this one is paid.")


def test_a_lapsed_acquisition_offers_to_enrol_again_instead(agent_client, field_agent):
    acquisition = lapse(cared_acquisition(field_agent, months_back=6))

    response = agent_client.get(url(acquisition))
    assertContains(response, "This enrolment has lapsed.")
    assertContains(response, f"{reverse('enrollment:enrol')}?participant={acquisition.participant_id}")
    assertNotContains(response, 'id="contribution-form"')

    response = agent_client.post(
        url(acquisition),
        {"period": f"{months_ago(5):%Y-%m}", "amount": "16800", "paid_on": f"{months_ago(5):%Y-%m-%d}"},
    )
    assertContains(response, "This enrolment has lapsed.")
    assert not Contribution.objects.exists()
