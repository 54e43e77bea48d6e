"""``contribution_record``: one contribution a month, at the acquisition's amount, on a sensible date."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enrollment.models import Contribution
from enrollment.services import enrolment
from enrollment.services.enrolment import contribution_record
from tests.enrollment.field.builders import cared_acquisition, lapse, months_ago, this_month
from tests.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def record(acquisition, agent, **overrides):
    values = {
        "period": this_month(),
        "amount": acquisition.monthly_contribution,
        "paid_on": timezone.localdate(),
        "receipt_number": "KW-001",
    }
    return contribution_record(acquisition=acquisition, agent=agent, **{**values, **overrides})


def refusal(acquisition, agent, **overrides):
    with pytest.raises(ValidationError) as refused:
        record(acquisition, agent, **overrides)
    assert not Contribution.objects.exists()
    return refused.value.message_dict if hasattr(refused.value, "error_dict") else refused.value.messages


def test_the_agent_records_this_months_contribution(field_agent):
    acquisition = cared_acquisition(field_agent)

    contribution = record(acquisition, field_agent)

    assert contribution.period == this_month()
    assert contribution.amount == Decimal(16_800)
    assert contribution.channel == Contribution.Channel.AGENT
    assert contribution.collected_by == contribution.credited_to == field_agent
    assert contribution.receipt_number == "KW-001"
    assert contribution.history.get().history_user == field_agent.user


def test_any_day_of_the_month_means_that_month(field_agent):
    acquisition = cared_acquisition(field_agent)
    contribution = record(acquisition, field_agent, period=months_ago(1) + datetime.timedelta(days=9))
    assert contribution.period == months_ago(1)


def test_a_different_amount_is_refused_with_the_expected_amount(field_agent):
    acquisition = cared_acquisition(field_agent)
    assert refusal(acquisition, field_agent, amount=Decimal(16_000)) == {
        "amount": ["The monthly contribution for this participant is Rp\u00a016,800."]
    }


def test_a_month_is_recorded_once(field_agent):
    acquisition = cared_acquisition(field_agent)
    ContributionFactory(acquisition=acquisition, period=this_month(), paid_on=timezone.localdate())

    with pytest.raises(ValidationError) as refused:
        record(acquisition, field_agent)
    assert refused.value.message_dict == {"period": [f"{this_month():%B %Y} is already paid for this participant."]}
    assert Contribution.objects.count() == 1


def test_the_database_decides_when_the_same_month_slips_past_the_check(field_agent, monkeypatch):
    acquisition = cared_acquisition(field_agent)
    ContributionFactory(acquisition=acquisition, period=this_month(), paid_on=timezone.localdate())
    monkeypatch.setattr(enrolment, "_is_paid", lambda acquisition, period: False)

    with pytest.raises(ValidationError, match="already paid for this participant"):
        record(acquisition, field_agent)
    assert Contribution.objects.count() == 1


def test_months_before_the_enrolment_are_refused(field_agent):
    acquisition = cared_acquisition(field_agent, months_back=2)
    errors = refusal(acquisition, field_agent, period=months_ago(3))
    assert "is before that" in errors["period"][0]


def test_months_that_have_not_started_are_refused(field_agent):
    acquisition = cared_acquisition(field_agent)
    errors = refusal(acquisition, field_agent, period=months_ago(-1))
    assert "has not started yet" in errors["period"][0]


def test_a_payment_date_in_the_future_is_refused(field_agent):
    acquisition = cared_acquisition(field_agent)
    errors = refusal(acquisition, field_agent, paid_on=timezone.localdate() + datetime.timedelta(days=1))
    assert errors == {"paid_on": ["The payment date cannot be in the future."]}


def test_a_payment_more_than_a_month_ahead_of_its_period_is_refused(field_agent):
    acquisition = cared_acquisition(field_agent, months_back=6)
    errors = refusal(acquisition, field_agent, period=months_ago(1), paid_on=months_ago(3))
    assert errors == {
        "paid_on": [f"A contribution for {months_ago(1):%B %Y} can be paid from {months_ago(2):%-d %B %Y}."]
    }
    assert record(acquisition, field_agent, period=months_ago(1), paid_on=months_ago(2)).paid_on == months_ago(2)


def test_a_payment_before_the_enrolment_is_refused(field_agent):
    acquisition = cared_acquisition(field_agent, acquired_on=months_ago(1) + datetime.timedelta(days=10))
    errors = refusal(
        acquisition, field_agent, period=months_ago(1), paid_on=acquisition.acquired_on - datetime.timedelta(days=1)
    )
    assert "before the enrolment" in errors["paid_on"][0]


def test_a_lapsed_acquisition_takes_no_contribution(field_agent):
    acquisition = lapse(cared_acquisition(field_agent, months_back=6))
    assert refusal(acquisition, field_agent, period=months_ago(5)) == [
        "This enrolment has lapsed. Enrol the worker again before recording contributions."
    ]


def test_only_the_agent_looking_after_the_participant_records(field_agent, other_agent):
    acquisition = cared_acquisition(field_agent)
    assert refusal(acquisition, other_agent) == ["This participant is looked after by another agent."]
