"""My participants: whom the agent follows up, who paid this month, who is late, who lapsed."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from enrollment.models import Acquisition
from enrollment.selectors.field import payment_status_counts
from perisai.privacy import mask_nik
from tests.enrollment.field.builders import cared_acquisition, lapse, months_ago, this_month
from tests.factories import AcquisitionFactory, ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = reverse("enrollment:my_participants")


def paid(acquisition, period):
    return ContributionFactory(acquisition=acquisition, period=period, paid_on=max(period, acquisition.acquired_on))


@pytest.fixture
def book(field_agent, other_agent):
    """One participant in each state, plus some that are not the first agent's to follow up."""
    rows = {
        "paid": cared_acquisition(field_agent, participant__full_name="Ani Paid"),
        "due": cared_acquisition(field_agent, participant__full_name="Bayu Due", participant__phone="0812-5555-0001"),
        "late": cared_acquisition(field_agent, participant__full_name="Citra Late"),
        "new": cared_acquisition(field_agent, acquired_on=this_month(), participant__full_name="Dedi New"),
        "lapsed": lapse(cared_acquisition(field_agent, months_back=8, participant__full_name="Eka Lapsed")),
        "stopped": cared_acquisition(field_agent, months_back=6, participant__full_name="Irma Stopped"),
        "colleague": cared_acquisition(other_agent, participant__full_name="Fajar Colleague"),
    }
    paid(rows["paid"], this_month())
    paid(rows["due"], months_ago(1))
    paid(rows["late"], months_ago(2))
    paid(rows["stopped"], months_ago(3))  # nothing for three months: lapsed, though nobody wrote it down
    # Enrolled by the first agent, lapsed, then enrolled again by them: one row, the new acquisition.
    again = lapse(cared_acquisition(field_agent, months_back=10, participant__full_name="Gita Again"))
    rows["again"] = AcquisitionFactory(agent=field_agent, participant=again.participant, acquired_on=months_ago(1))
    # Lapsed with the first agent, then enrolled again by the colleague: the colleague's now.
    gone = lapse(cared_acquisition(field_agent, months_back=10, participant__full_name="Hadi Gone"))
    rows["gone"] = AcquisitionFactory(agent=other_agent, participant=gone.participant, acquired_on=months_ago(1))
    return rows


def names(response):
    return [row.participant.full_name for row in response.context["page"]]


def test_the_agent_sees_each_of_their_participants_once(agent_client, book):
    response = agent_client.get(LIST)
    assert names(response) == [
        "Ani Paid",
        "Bayu Due",
        "Citra Late",
        "Dedi New",
        "Eka Lapsed",
        "Gita Again",
        "Irma Stopped",
    ]
    assertContains(response, "7 participants")
    assertNotContains(response, "Fajar")
    assertNotContains(response, "Hadi")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("paid", ["Ani Paid"]),
        ("due", ["Bayu Due", "Dedi New"]),
        ("late", ["Citra Late", "Gita Again"]),
        ("lapsed", ["Eka Lapsed", "Irma Stopped"]),
    ],
)
def test_filter_by_payment_status(agent_client, book, status, expected):
    assert names(agent_client.get(LIST, {"status": status})) == expected


def test_the_home_page_counts_the_same_states(field_agent, book):
    counts = payment_status_counts(field_agent.user, today=timezone.localdate())
    assert counts == {"paid": 1, "due": 2, "late": 2, "lapsed": 2}


def test_each_row_shows_the_status_and_the_last_month_paid(agent_client, book):
    response = agent_client.get(LIST, {"q": "Citra"})
    assertContains(response, '<span class="badge text-bg-danger">Late</span>', html=True)
    assertContains(response, f"Last paid: {months_ago(2):%B %Y}")


def test_search_by_name(agent_client, book):
    assert names(agent_client.get(LIST, {"q": "citra"})) == ["Citra Late"]


def test_search_by_nik_digits(agent_client, book):
    nik = book["late"].participant.nik
    assert names(agent_client.get(LIST, {"q": nik})) == ["Citra Late"]
    assert "Citra Late" in names(agent_client.get(LIST, {"q": nik[-8:]}))


def test_search_by_phone_with_or_without_dashes(agent_client, book):
    assert names(agent_client.get(LIST, {"q": "081255550001"})) == ["Bayu Due"]
    assert names(agent_client.get(LIST, {"q": "0812-5555-0001"})) == ["Bayu Due"]


def test_search_never_reaches_another_agents_participants(agent_client, book):
    assert names(agent_client.get(LIST, {"q": "Fajar"})) == []
    assert names(agent_client.get(LIST, {"q": book["colleague"].participant.nik})) == []


def test_the_list_masks_the_nik_and_links_each_participant(agent_client, book):
    nik = book["paid"].participant.nik
    response = agent_client.get(LIST, {"q": "Ani"})
    assertContains(response, f"NIK {nik[:4]}••••••••{nik[12:]}")  # perisai.privacy.mask_nik
    assertNotContains(response, nik)
    assertContains(response, reverse("enrollment:my_participant_detail", args=[book["paid"].participant_id]))


def test_an_unknown_status_shows_everyone(agent_client, book):
    assert len(names(agent_client.get(LIST, {"status": "bogus"}))) == 7


def test_the_list_is_paginated_with_a_fixed_number_of_queries(agent_client, field_agent, django_assert_max_num_queries):
    for _ in range(30):
        paid(cared_acquisition(field_agent), this_month())

    # session, user, agent, count, page, and the session saved on every request (three statements)
    with django_assert_max_num_queries(8):
        first = agent_client.get(LIST)
    with django_assert_max_num_queries(8):
        second = agent_client.get(LIST, {"page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assertContains(first, "Page 1 of 2")


def test_the_participant_page_shows_their_contributions_newest_first(agent_client, book):
    response = agent_client.get(reverse("enrollment:my_participant_detail", args=[book["due"].participant_id]))
    assertContains(response, "Bayu Due")
    assertContains(response, mask_nik(book["due"].participant.nik))  # in full on request (tests/test_privacy_pages.py)
    assertContains(response, f"{months_ago(1):%b %Y}")
    assertContains(response, reverse("enrollment:contribution_record", args=[book["due"].pk]))


def test_the_participant_page_of_a_worker_enrolled_again_shows_both_enrolments(agent_client, book):
    participant = book["again"].participant
    response = agent_client.get(reverse("enrollment:my_participant_detail", args=[participant.pk]))
    assert [a.pk for a in response.context["acquisitions"]] == list(
        participant.acquisitions.order_by("-acquired_on").values_list("pk", flat=True)
    )
    assertContains(response, "Lapsed on")


def test_the_participant_page_of_a_lapsed_worker_offers_to_enrol_again(agent_client, book):
    participant = book["lapsed"].participant
    response = agent_client.get(reverse("enrollment:my_participant_detail", args=[participant.pk]))
    assertContains(response, f"{reverse('enrollment:enrol')}?participant={participant.pk}")
    assertNotContains(response, reverse("enrollment:contribution_record", args=[book["lapsed"].pk]))


def test_a_worker_who_never_paid_is_late_before_three_months_and_lapsed_after(agent_client, field_agent):
    cared_acquisition(field_agent, months_back=1, participant__full_name="Joko One")
    cared_acquisition(field_agent, months_back=2, participant__full_name="Kiki Two")
    cared_acquisition(field_agent, months_back=3, participant__full_name="Lina Three")
    assert names(agent_client.get(LIST, {"status": "late"})) == ["Joko One", "Kiki Two"]
    assert names(agent_client.get(LIST, {"status": "lapsed"})) == ["Lina Three"]
    assert Acquisition.objects.filter(status=Acquisition.Status.ACTIVE).count() == 3
