"""The page forms carry a hidden ``client_key``, new each time a form is drawn, so Save tapped twice (or
the same page posted again) writes once and the second post lands where the first did."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from enrollment.models import Acquisition, Contribution
from followup.models import ContactAttempt
from tests.enrollment.field.builders import cared_acquisition, this_month, worker_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

KEY = re.compile(r'<input type="hidden" name="client_key" value="([0-9a-f-]{36})"')


def drawn_key(response):
    keys = KEY.findall(response.content.decode())
    assert len(keys) == 1, keys
    return keys[0]


@pytest.fixture
def page_client(client, field_agent, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(field_agent.user)
    return client


def test_the_enrol_form_draws_a_new_key_each_time(page_client):
    assert drawn_key(page_client.get(reverse("enrollment:enrol"))) != drawn_key(
        page_client.get(reverse("enrollment:enrol"))
    )


def test_save_tapped_twice_on_the_enrol_page_enrols_once(page_client):
    key = drawn_key(page_client.get(reverse("enrollment:enrol")))
    data = {**worker_post(), "client_key": key}

    first = page_client.post(reverse("enrollment:enrol"), data)
    second = page_client.post(reverse("enrollment:enrol"), data)

    acquisition = Acquisition.objects.get()
    assert str(acquisition.client_key) == key
    for response in (first, second):
        assertRedirects(
            response,
            reverse("enrollment:my_participant_detail", args=[acquisition.participant_id]),
            fetch_redirect_response=False,
        )


def test_a_refused_enrolment_keeps_its_key_for_the_corrected_save(page_client):
    key = drawn_key(page_client.get(reverse("enrollment:enrol")))
    refused = page_client.post(reverse("enrollment:enrol"), {**worker_post(full_name=""), "client_key": key})
    assert drawn_key(refused) == key
    assert not Acquisition.objects.exists()


def test_a_page_without_a_key_still_saves(page_client):
    response = page_client.post(reverse("enrollment:enrol"), {**worker_post(), "client_key": "junk"})
    assert response.status_code == 302
    assert Acquisition.objects.get().client_key is None


def test_save_tapped_twice_on_the_contribution_page_records_once(page_client, field_agent):
    acquisition = cared_acquisition(field_agent, monthly_contribution=16800)
    url = reverse("enrollment:contribution_record", args=[acquisition.pk])
    key = drawn_key(page_client.get(url))
    data = {
        "period": this_month().strftime("%Y-%m"),
        "amount": "16.800",
        "paid_on": timezone.localdate().isoformat(),
        "client_key": key,
    }

    responses = [page_client.post(url, data), page_client.post(url, data)]

    assert [response.status_code for response in responses] == [302, 302]
    assert str(Contribution.objects.get().client_key) == key


def test_an_outcome_tapped_twice_on_the_follow_up_list_logs_once(page_client, field_agent):
    acquisition = cared_acquisition(field_agent, months_back=2)
    page = page_client.get(reverse("enrollment:follow_up")).content.decode()
    key = re.search(
        rf'id="follow-up-{acquisition.pk}".*?name="client_key" value="([0-9a-f-]{{36}})"', page, re.S
    ).group(1)
    url = reverse("enrollment:contact_record", args=[acquisition.pk])

    for _ in range(2):
        page_client.post(url, {"outcome": "not_reached", "client_key": key}, HTTP_HX_REQUEST="true")

    assert str(ContactAttempt.objects.get().client_key) == key
