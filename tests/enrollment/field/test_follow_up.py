"""The agent opens one page in the morning and knows whom to contact, reaches each with one tap, and logs
what happened in two: the follow-up list, its reminders and the contact log."""

import datetime
import urllib.parse
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import ContactAttempt, MessageTemplate
from followup.selectors import Urgency, follow_up_list
from tests.enrollment.field.builders import cared_acquisition, lapse, months_ago, this_month
from tests.factories import ContributionFactory, ParticipantFactory
from tests.incentives.builders import flat_scheme


def paid(acquisition, *months_back):
    for back in months_back:
        period = months_ago(back)
        ContributionFactory(acquisition=acquisition, period=period, paid_on=period + datetime.timedelta(days=3))


@pytest.fixture
def participants(field_agent, other_agent):
    """One of each kind the agent looks after, and a colleague's late payer."""

    def cared(name, kecamatan, desa, *, months_back=6, phone="+6281200000001"):
        participant = ParticipantFactory(
            branch=field_agent.branch, full_name=name, kecamatan=kecamatan, desa=desa, phone=phone
        )
        return cared_acquisition(field_agent, participant=participant, months_back=months_back)

    late = cared("Ani Lestari", "Kroya", "Bajing")
    paid(late, 6, 5, 4, 3, 2)  # nothing for last month nor this one: lapses at this month's end
    due = cared("Budi Santoso", "Adipala", "Glempang")
    paid(due, 3, 2, 1)
    on_time = cared("Citra Dewi", "Kroya", "Bajing")
    paid(on_time, 2, 1, 0)
    lapsed = cared("Dedi Kurnia", "Kroya", "Pesanggrahan")
    paid(lapsed, 6, 5, 4, 3)  # nothing for three months: lapsed a month ago
    long_gone = cared("Eko Prasetyo", "Kroya", "Bajing", months_back=14)
    paid(long_gone, 14, 13)
    unreachable = cared("Fitri Handayani", "Kroya", "Bajing", phone="")
    paid(unreachable, 6, 5, 4, 3)
    colleagues = cared_acquisition(other_agent, months_back=6)
    return {"late": late, "due": due, "on_time": on_time, "lapsed": lapsed, "long_gone": long_gone,
            "unreachable": unreachable, "colleagues": colleagues}  # fmt: skip


def names(rows):
    return [row.full_name for row in rows]


def test_the_list_runs_from_one_month_from_lapsing_to_due_to_lapsed_recently_and_reachable(field_agent, participants):
    rows = follow_up_list(field_agent.user, today=timezone.localdate())

    assert [(row.full_name, row.urgency) for row in rows] == [
        ("Ani Lestari", Urgency.LAPSING),
        ("Budi Santoso", Urgency.DUE),
        ("Dedi Kurnia", Urgency.LAPSED),
    ]


def test_each_row_says_the_months_unpaid_and_the_amount_due(field_agent, participants):
    late, due, lapsed = follow_up_list(field_agent.user, today=timezone.localdate())

    assert late.months_unpaid == (months_ago(1), this_month())
    assert late.amount_due == 2 * participants["late"].monthly_contribution
    assert due.months_unpaid == (this_month(),) and due.amount_due == participants["due"].monthly_contribution
    assert lapsed.amount_due == participants["lapsed"].monthly_contribution  # they restart with one month


def test_within_a_group_the_list_runs_by_kecamatan_and_desa(field_agent, participants, office):
    second = ParticipantFactory(branch=office.branch, full_name="Agus", kecamatan="Adipala", desa="Glempang")
    other_late = cared_acquisition(field_agent, participant=second, months_back=6)
    paid(other_late, 4, 3, 2)

    rows = follow_up_list(field_agent.user, today=timezone.localdate())

    assert names(rows)[:2] == ["Agus", "Ani Lestari"]  # Adipala before Kroya


def test_a_refusal_or_a_death_takes_the_participant_off_the_list(field_agent, participants):
    for acquisition, outcome in ((participants["late"], "refuses"), (participants["due"], "deceased")):
        ContactAttempt.objects.create(acquisition=acquisition, agent=field_agent, recorded_by=field_agent.user,
                                      outcome=outcome)  # fmt: skip

    assert names(follow_up_list(field_agent.user, today=timezone.localdate())) == ["Dedi Kurnia"]


def test_a_promise_takes_them_off_until_the_promised_day(field_agent, participants):
    today = timezone.localdate()
    ContactAttempt.objects.create(acquisition=participants["late"], agent=field_agent, recorded_by=field_agent.user,
                                  outcome="promised", promised_on=today + datetime.timedelta(days=3))  # fmt: skip

    assert "Ani Lestari" not in names(follow_up_list(field_agent.user, today=today))
    assert "Ani Lestari" in names(follow_up_list(field_agent.user, today=today + datetime.timedelta(days=3)))


def test_a_payment_by_any_channel_takes_them_off(field_agent, participants):
    ContributionFactory(acquisition=participants["due"], period=this_month(), paid_on=timezone.localdate(),
                        channel="bank", collected_by=None, reference="BRI-1")  # fmt: skip

    assert "Budi Santoso" not in names(follow_up_list(field_agent.user, today=timezone.localdate()))


def test_the_list_is_one_query_however_long(field_agent, participants, django_assert_num_queries):
    with django_assert_num_queries(1):
        follow_up_list(field_agent.user, today=timezone.localdate())


def test_the_page_offers_whatsapp_and_sms_with_the_branchs_message(agent_client, field_agent, participants):
    MessageTemplate.objects.create(branch=field_agent.branch, purpose="late",
                                   text="Halo {nama}, iuran {bulan} sebesar {jumlah} belum masuk. {agen}")  # fmt: skip

    response = agent_client.get(reverse("enrollment:follow_up"))

    page = response.content.decode()
    item = next(item for _u, _h, items in response.context["groups"] for item in items
                if item["row"].full_name == "Ani Lestari")  # fmt: skip
    assert item["whatsapp"].startswith("https://wa.me/6281200000001?text=")
    assert item["sms"].startswith("sms:+6281200000001?body=")
    text = urllib.parse.unquote(item["whatsapp"].split("text=")[1])
    assert text.startswith("Halo Ani, iuran ") and "Sari Wulandari" in text
    assert "Rp\xa033.600" in text  # two months of Rp 16.800, written the Indonesian way whatever the page's language
    assert participants["late"].participant.nik not in text
    assert item["whatsapp"].replace("&", "&amp;") in page
    assert participants["colleagues"].participant.full_name not in page


def test_the_page_says_what_fee_is_at_stake(agent_client, participants):
    flat_scheme(
        name="2026",
        effective_from=this_month().replace(month=1),
        rate=Decimal("0.1500"),
        acquisition_minimum=50,
        bonus_amount=Decimal(500_000),
    )

    response = agent_client.get(reverse("enrollment:follow_up"))

    due = 2 * Decimal(16800) + Decimal(16800) + Decimal(16800)
    assert response.context["amount_due"] == due
    assert response.context["fee_at_stake"] == Decimal(10080)  # 15% of Rp 67.200
    assert "Rp\xa010,080 of your fee is at stake this month" in response.content.decode()


def test_logging_an_outcome_is_one_small_post_and_the_row_comes_back(agent_client, field_agent, participants):
    acquisition = participants["late"]

    response = agent_client.post(
        reverse("enrollment:contact_record", args=[acquisition.pk]), {"outcome": "not_reached"}, HTTP_HX_REQUEST="true"
    )

    contact = ContactAttempt.objects.get()
    assert (contact.acquisition, contact.agent, contact.outcome) == (acquisition, field_agent, "not_reached")
    assert response.templates[0].name == "enrollment/field/_follow_up_row.html"
    assert "Last contact: Not reached" in response.content.decode()


def test_a_promise_needs_its_day_and_then_leaves_the_list(agent_client, participants):
    url = reverse("enrollment:contact_record", args=[participants["late"].pk])
    promised = timezone.localdate() + datetime.timedelta(days=5)

    refused = agent_client.post(url, {"outcome": "promised", "promised_on": ""}, HTTP_HX_REQUEST="true")
    kept = agent_client.post(url, {"outcome": "promised", "promised_on": promised.isoformat()}, HTTP_HX_REQUEST="true")

    assert "Give the day they promised to pay." in refused.content.decode()
    assert ContactAttempt.objects.get().promised_on == promised
    assert "off today&#x27;s list" in kept.content.decode() or "off today's list" in kept.content.decode()


def test_without_javascript_the_list_comes_back_at_the_row(agent_client, participants):
    acquisition = participants["due"]

    response = agent_client.post(reverse("enrollment:contact_record", args=[acquisition.pk]), {"outcome": "reached"})

    assert response.status_code == 302
    assert response["Location"] == reverse("enrollment:follow_up") + f"#follow-up-{acquisition.pk}"


def test_an_agent_cannot_log_a_colleagues_participant(agent_client, participants):
    response = agent_client.post(
        reverse("enrollment:contact_record", args=[participants["colleagues"].pk]), {"outcome": "reached"}
    )

    assert response.status_code == 404
    assert not ContactAttempt.objects.exists()


def test_an_unknown_outcome_changes_nothing(agent_client, participants):
    agent_client.post(reverse("enrollment:contact_record", args=[participants["late"].pk]), {"outcome": "bribed"})

    assert not ContactAttempt.objects.exists()


def test_the_home_page_counts_whom_to_contact_today(agent_client, participants):
    response = agent_client.get(reverse("enrollment:agent_home"))

    assert response.context["follow_up_count"] == 3


def test_staff_get_404_on_the_agents_list(client, participants, branch):
    from tests.factories import UserFactory

    client.force_login(UserFactory(branch=branch))

    assert client.get(reverse("enrollment:follow_up")).status_code == 404


def test_a_lapse_written_down_is_not_on_the_list(field_agent, participants):
    lapse(participants["lapsed"], ended_on=months_ago(1))

    assert "Dedi Kurnia" not in names(follow_up_list(field_agent.user, today=timezone.localdate()))


def test_the_contacts_show_on_the_participants_page_for_the_agent_and_for_staff(agent_client, client, participants,
                                                                                branch):  # fmt: skip
    from tests.factories import UserFactory

    acquisition = participants["late"]
    promised_on = timezone.localdate() + datetime.timedelta(days=2)
    agent_client.post(
        reverse("enrollment:contact_record", args=[acquisition.pk]), {"outcome": "promised", "promised_on": promised_on}
    )
    agents_page = agent_client.get(reverse("enrollment:my_participant_detail", args=[acquisition.participant_id]))
    client.force_login(UserFactory(branch=branch, role="head"))
    heads_page = client.get(reverse("enrollment:participant_detail", args=[acquisition.participant_id]))

    for page in (agents_page, heads_page):
        assert [contact.outcome for contact in page.context["contacts"]] == ["promised"]


def test_the_branchs_own_wording_wins_over_the_national_one_on_every_database(field_agent):
    from followup.messages import templates_for

    MessageTemplate.objects.create(branch=field_agent.branch, purpose="due", text="Cabang: {nama}")

    texts = templates_for(field_agent.branch)

    assert texts["due"] == "Cabang: {nama}"
    assert texts["late"].startswith("Halo {nama}, iuran BPJS Ketenagakerjaan Anda")  # the national wording
