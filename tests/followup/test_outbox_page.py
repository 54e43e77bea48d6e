"""The outbox page and the follow-up admin: staff and the head read their branch's reminders, numbers masked
for the head and administrators; the wording is the branch's to change, the national texts the administrators'."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import MessageTemplate, OutboxMessage
from followup.outbox import text_for
from perisai.roles import Role
from tests.factories import UserFactory
from tests.followup.builders import TODAY, build_reminder_world
from tests.privacy_builders import client_for

pytestmark = pytest.mark.django_db
URL = "/followup/outbox/"
SARI_PHONE = "+6281211112222"
TEXT = f"Halo Ani, iuran Juni dan Juli 2022 (Rp\u00a033.600) belum masuk. – Sari Wulandari ({SARI_PHONE})"


@pytest.fixture
def world(rate):
    return build_reminder_world()


def queue(world, name, *, text=TEXT, minutes_ago=0, month=datetime.date(2022, 7, 1), **fields):
    acquisition = world[name]
    message = OutboxMessage.objects.create(
        branch=acquisition.branch,
        purpose="late",
        acquisition=acquisition,
        to=acquisition.participant.phone,
        text=text,
        month=month,
        **fields,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return message


@pytest.fixture
def outbox(world):
    return {
        "ani": queue(world, "Ani", minutes_ago=10),
        "indah": queue(world, "Indah", text="Halo Indah", minutes_ago=5, status="failed",
                       error="the gateway answered HTTP 500 Internal Server Error"),  # fmt: skip
        "lina": queue(world, "Lina", text="Halo Lina"),
    }


def admin_user(**fields):
    return UserFactory(role=Role.ADMIN, branch=None, is_staff=True, **fields)


# --- the page -------------------------------------------------------------------------------------


def test_staff_read_their_branchs_messages_newest_first_with_numbers_in_full(world, outbox):
    response = client_for(world.staff).get(URL)

    assert response.status_code == 200
    assert [row.message for row in response.context["rows"]] == [outbox["indah"], outbox["ani"]]
    page = response.content.decode()
    assert "+6281311110001" in page and SARI_PHONE in page
    assert "Ani Lestari" in page


def test_another_branchs_messages_are_never_shown(world, outbox):
    page = client_for(world.staff).get(URL).content.decode()

    assert "Lina" not in page and "+6281311110008" not in page


def test_the_branch_head_reads_them_with_every_phone_number_masked(world, outbox):
    page = client_for(world.head).get(URL).content.decode()

    assert "Ani Lestari" in page
    assert "+6281311110001" not in page and SARI_PHONE not in page
    assert "+6281••••0001" in page  # the participant's number
    assert "(+6281••••2222)" in page  # the agent's, inside the text
    assert "Rp\u00a033.600" in page  # the amount is no phone number


def test_a_national_administrator_reads_every_branch_masked(world, outbox):
    response = client_for(admin_user()).get(URL)

    assert {row.message.pk for row in response.context["rows"]} == {message.pk for message in outbox.values()}
    assert "+6281311110008" not in response.content.decode()
    assert "Banyumas" in response.content.decode()


def test_the_page_does_not_exist_for_an_agent(world, outbox):
    assert client_for(world.agent.user).get(URL).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(world):
    response = client_for(None).get(URL)

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_page_is_read_only(world, outbox):
    assert client_for(world.staff).post(URL, {"status": "sent"}).status_code == 405
    assert OutboxMessage.objects.filter(status="sent").count() == 0


def test_a_failed_message_shows_why(world, outbox):
    page = client_for(world.staff).get(URL, {"status": "failed"}).content.decode()

    assert "Halo Indah" in page and "the gateway answered HTTP 500 Internal Server Error" in page
    assert "Halo Ani" not in page


def test_without_a_gateway_the_page_says_reminders_are_not_sent_automatically(world, outbox, settings):
    settings.PERISAI_MESSAGE_BACKEND = "followup.sending.OutboxBackend"

    page = client_for(world.staff).get(URL).content.decode()

    assert "No SMS or WhatsApp gateway is switched on" in page


def test_a_gateway_set_up_wrong_is_said_on_the_page(world, outbox, settings):
    settings.PERISAI_MESSAGE_BACKEND = "followup.sending.HttpGatewayBackend"
    settings.PERISAI_SMS_GATEWAY_URL = ""

    page = client_for(world.staff).get(URL).content.decode()

    assert "The message gateway is not set up correctly" in page


def test_the_page_shows_50_messages_and_pages_on(world):
    for n in range(51):  # one a month, as the schema allows
        queue(world, "Ani", minutes_ago=n, text=f"pesan {n}", month=datetime.date(2018 + n // 12, n % 12 + 1, 1))
    client = client_for(world.staff)

    first, second = client.get(URL), client.get(URL, {"page": 2})

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 1
    assert second.context["rows"][0].message.text == "pesan 50"  # the oldest last


def test_the_page_costs_the_same_queries_however_many_messages(world, django_assert_num_queries):
    client = client_for(world.staff)
    queue(world, "Ani")
    # the session, the user and their permissions (4), the count, the page, this month's counts, saving
    # the session (3)
    with django_assert_num_queries(10):
        client.get(URL)
    for name in ("Indah", "Gita", "Hadi", "Budi", "Citra"):
        queue(world, name)

    with django_assert_num_queries(10):
        client.get(URL)


def test_staff_and_the_head_find_the_outbox_in_the_menu(world):
    for user in (world.staff, world.head):
        assert 'href="/followup/outbox/"' in client_for(user).get("/").content.decode()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("hubungi +6281211112222 ya", "hubungi +6281••••2222 ya"),
        ("hubungi 0812-1111-2222", "hubungi 0812••••2222"),
        ("hubungi 0812 1111 2222.", "hubungi 0812••••2222."),
        ("Rp 1.016.800 untuk Juni 2022, 3 bulan", "Rp 1.016.800 untuk Juni 2022, 3 bulan"),
    ],
)
def test_numbers_in_a_text_are_masked_and_amounts_and_dates_are_not(text, masked):
    assert text_for(None, text) == masked


def test_staff_read_a_text_as_it_is(world):
    assert text_for(world.staff, "hubungi +6281211112222") == "hubungi +6281211112222"


# --- the admin --------------------------------------------------------------------------------------------


def test_staff_add_their_branchs_own_wording_in_the_admin(world):
    world.staff.is_staff = True
    world.staff.save()

    response = client_for(world.staff).post(
        reverse("admin:followup_messagetemplate_add"),
        {"branch": world.branch.pk, "purpose": "late", "text": "Halo {nama}, {bulan}: {jumlah}. {agen}"},
    )

    assert response.status_code == 302
    assert MessageTemplate.objects.get(branch=world.branch, purpose="late").text.startswith("Halo {nama}")


def test_staff_may_not_write_the_national_wording(world):
    world.staff.is_staff = True
    world.staff.save()
    client = client_for(world.staff)
    national = MessageTemplate.objects.get(branch=None, purpose="late")

    added = client.post(reverse("admin:followup_messagetemplate_add"), {"branch": "", "purpose": "due", "text": "x"})
    changed = client.post(reverse("admin:followup_messagetemplate_change", args=[national.pk]), {"text": "Diubah"})

    assert added.status_code == 200 and added.context["adminform"].form.errors["branch"]
    assert changed.status_code == 403
    assert MessageTemplate.objects.get(pk=national.pk).text == national.text
    assert MessageTemplate.objects.filter(branch=None).count() == 4


def test_staff_read_the_national_wording_and_not_another_branchs(world):
    world.staff.is_staff = True
    world.staff.save()
    theirs = MessageTemplate.objects.create(branch=world.other_branch, purpose="late", text="Banyumas")

    listed = client_for(world.staff).get(reverse("admin:followup_messagetemplate_changelist"))

    shown = list(listed.context["cl"].result_list)
    assert theirs not in shown
    assert {template.branch for template in shown} == {None}


def test_an_unknown_placeholder_is_refused_in_the_admin(world):
    world.staff.is_staff = True
    world.staff.save()

    response = client_for(world.staff).post(
        reverse("admin:followup_messagetemplate_add"), {"branch": world.branch.pk, "purpose": "late", "text": "{nik}"}
    )

    assert response.status_code == 200
    assert "Unknown placeholder {nik}" in str(response.context["adminform"].form.errors["text"])


def test_an_administrator_changes_the_national_wording(world):
    national = MessageTemplate.objects.get(branch=None, purpose="late")

    response = client_for(admin_user()).post(
        reverse("admin:followup_messagetemplate_change", args=[national.pk]),
        {"branch": "", "purpose": "late", "text": "Halo {nama}, iuran {bulan} belum masuk."},
    )

    assert response.status_code == 302
    assert MessageTemplate.objects.get(pk=national.pk).text == "Halo {nama}, iuran {bulan} belum masuk."


def test_the_outbox_in_the_admin_is_the_national_administrators_and_branch_users_read_the_page(world, outbox):
    world.head.is_staff = True
    world.head.save()
    world.staff.is_staff = True
    world.staff.save()
    changelist = reverse("admin:followup_outboxmessage_changelist")

    assert client_for(world.head).get(changelist).status_code == 403
    assert client_for(world.staff).get(changelist).status_code == 403


def test_the_outbox_in_the_admin_is_read_only_and_masked(world, outbox):
    client = client_for(admin_user())
    change = reverse("admin:followup_outboxmessage_change", args=[outbox["ani"].pk])

    page = client.get(change).content.decode()
    listed = client.get(reverse("admin:followup_outboxmessage_changelist")).content.decode()
    posted = client.post(change, {"text": "Diubah"})

    assert "+6281311110001" not in page + listed and SARI_PHONE not in page
    assert "+6281••••0001" in page and "+6281••••0001" in listed
    assert posted.status_code == 403
    assert OutboxMessage.objects.get(pk=outbox["ani"].pk).text == TEXT


def test_nobody_deletes_an_outbox_message_in_the_admin(world, outbox):
    response = client_for(admin_user()).post(
        reverse("admin:followup_outboxmessage_delete", args=[outbox["ani"].pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert OutboxMessage.objects.filter(pk=outbox["ani"].pk).exists()


def test_queued_at_today_is_what_the_page_counts_for_this_month(world, outbox, monkeypatch):
    monkeypatch.setattr("web.followup.views.timezone.localdate", lambda: TODAY)

    page = client_for(world.staff).get(URL).content.decode()

    assert "July 2022: 1 queued, 0 sent, 1 failed." in page


def test_an_administrator_finds_a_persons_reminders_in_the_admin_by_name_and_not_by_number(world, outbox):
    client = client_for(admin_user())
    changelist = reverse("admin:followup_outboxmessage_changelist")

    by_name = client.get(changelist, {"q": "Ani Lestari"}).context["cl"].result_list
    by_number = client.get(changelist, {"q": "6281311110001"}).context["cl"].result_list

    assert list(by_name) == [outbox["ani"]]
    assert list(by_number) == []
