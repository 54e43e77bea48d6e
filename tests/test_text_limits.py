"""Free text has a length limit: an address, a PKS's notes, a reminder's wording. One character more is
refused with the message on the field and nothing is saved, by the service, the page and the model's own
validation (which the admin uses); exactly the limit is accepted, and the page's box stops the typing there."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agents.models import ADDRESS_MAX_LENGTH, AGREEMENT_NOTES_MAX_LENGTH, CooperationAgreement, PerisaiOffice, User
from agents.services import agreement_create, agreement_renew, office_create, office_update
from enrollment.models import Participant
from enrollment.services.enrolment import acquisition_enrol
from enrollment.services.participants import participant_update
from followup.models import MessageTemplate
from tests.enrollment.field.builders import worker_data, worker_post
from tests.factories import CooperationAgreementFactory, ParticipantFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
TEMPLATE_MAX_LENGTH = 600


def too_long_message(limit, length):
    """Django's own wording for a text over its limit, written out here rather than read from the code."""
    return f"Ensure this value has at most {limit} characters (it has {length})."


def text(length):
    """A text of exactly ``length`` characters, with the spaces and line breaks an address has (none at its
    ends, which a form strips)."""
    line = "Jl. Kenanga No. 5, RT 02/RW 03\n"
    return (line * (length // len(line) + 1))[: length - 1] + "."


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff_client(branch):
    return signed_in(UserFactory(role=User.Role.STAFF, branch=branch))


@pytest.fixture
def agent_client(agent, rate):
    agent.user = UserFactory(role=User.Role.AGENT, branch=agent.branch)
    agent.save()
    return signed_in(agent.user)


def field_errors(response, name):
    return [str(error) for error in response.context["form"].errors.get(name, [])]


# --- the limits are on the models (services, forms and the admin all validate through them) --------------


@pytest.mark.parametrize(
    "model, name, limit",
    [
        (PerisaiOffice, "address", ADDRESS_MAX_LENGTH),
        (CooperationAgreement, "notes", AGREEMENT_NOTES_MAX_LENGTH),
        (Participant, "address", ADDRESS_MAX_LENGTH),
        (MessageTemplate, "text", TEMPLATE_MAX_LENGTH),
    ],
)
def test_each_free_text_field_refuses_one_character_over_its_limit(model, name, limit):
    field = model._meta.get_field(name)
    field.run_validators(text(limit))

    with pytest.raises(ValidationError) as refused:
        field.run_validators(text(limit + 1))

    assert refused.value.messages == [too_long_message(limit, limit + 1)]


def test_the_sensible_limits():
    assert (ADDRESS_MAX_LENGTH, AGREEMENT_NOTES_MAX_LENGTH) == (500, 2000)


def test_a_reminder_wording_over_its_limit_is_refused_by_full_clean(branch):
    template = MessageTemplate(branch=branch, purpose=MessageTemplate.Purpose.DUE, text=text(TEMPLATE_MAX_LENGTH + 1))

    with pytest.raises(ValidationError) as refused:
        template.full_clean()

    assert refused.value.message_dict["text"] == [too_long_message(TEMPLATE_MAX_LENGTH, TEMPLATE_MAX_LENGTH + 1)]


# --- offices -----------------------------------------------------------------------------------------------


def test_an_office_address_over_the_limit_is_refused_and_nothing_is_saved(branch):
    with pytest.raises(ValidationError) as refused:
        office_create(branch=branch, code="KP-X", name="Kantor Perisai X", address=text(ADDRESS_MAX_LENGTH + 1))

    assert list(refused.value.message_dict) == ["address"]
    assert not PerisaiOffice.objects.filter(code="KP-X").exists()


def test_an_office_address_of_exactly_the_limit_is_saved(branch):
    office = office_create(branch=branch, code="KP-X", name="Kantor Perisai X", address=text(ADDRESS_MAX_LENGTH))

    assert PerisaiOffice.objects.get(pk=office.pk).address == text(ADDRESS_MAX_LENGTH)


def test_changing_an_office_address_to_one_over_the_limit_changes_nothing(office):
    before = PerisaiOffice.objects.get(pk=office.pk).address

    with pytest.raises(ValidationError) as refused:
        office_update(office=office, address=text(ADDRESS_MAX_LENGTH + 1))

    assert "address" in refused.value.message_dict
    assert PerisaiOffice.objects.get(pk=office.pk).address == before


def test_the_office_page_limits_the_address_box_and_shows_the_refusal_on_it(staff_client):
    url = reverse("agents:office_create")
    data = {"code": "KP-X", "name": "Kantor Perisai X", "is_active": "on"}

    page = staff_client.get(url).content.decode()
    refused = staff_client.post(url, {**data, "address": text(ADDRESS_MAX_LENGTH + 1)})

    assert f'maxlength="{ADDRESS_MAX_LENGTH}"' in page
    assert field_errors(refused, "address") == [too_long_message(ADDRESS_MAX_LENGTH, ADDRESS_MAX_LENGTH + 1)]
    assert not PerisaiOffice.objects.filter(code="KP-X").exists()
    assert staff_client.post(url, {**data, "address": text(ADDRESS_MAX_LENGTH)}).status_code == 302
    assert PerisaiOffice.objects.get(code="KP-X").address == text(ADDRESS_MAX_LENGTH)


# --- PKS ---------------------------------------------------------------------------------------------------

PKS_2022 = {"signed_on": D(2021, 12, 20), "starts_on": D(2022, 1, 1), "ends_on": D(2022, 12, 31)}


def test_pks_notes_over_the_limit_are_refused_at_entry_and_nothing_is_saved(office):
    with pytest.raises(ValidationError) as refused:
        agreement_create(office=office, number="PKS/X", notes=text(AGREEMENT_NOTES_MAX_LENGTH + 1), **PKS_2022)

    assert list(refused.value.message_dict) == ["notes"]
    assert not CooperationAgreement.objects.filter(number="PKS/X").exists()


def test_pks_notes_of_exactly_the_limit_are_saved(office):
    agreement = agreement_create(office=office, number="PKS/X", notes=text(AGREEMENT_NOTES_MAX_LENGTH), **PKS_2022)

    assert len(CooperationAgreement.objects.get(pk=agreement.pk).notes) == AGREEMENT_NOTES_MAX_LENGTH


def test_a_renewal_with_notes_over_the_limit_is_refused_and_the_pks_stays_unrenewed(office):
    previous = CooperationAgreementFactory(office=office)

    with pytest.raises(ValidationError) as refused:
        agreement_renew(previous=previous, number="PKS/X", notes=text(AGREEMENT_NOTES_MAX_LENGTH + 1), **PKS_2022)

    assert list(refused.value.message_dict) == ["notes"]
    assert not CooperationAgreement.objects.get(pk=previous.pk).is_renewed
    assert agreement_renew(previous=previous, number="PKS/X", notes=text(AGREEMENT_NOTES_MAX_LENGTH), **PKS_2022).pk


@pytest.mark.parametrize("page", ["create", "renew"])
def test_the_pks_pages_limit_the_notes_box_and_show_the_refusal_on_it(staff_client, office, page):
    if page == "create":
        url, data = reverse("agents:agreement_create"), {"office": office.pk}
    else:
        url, data = reverse("agents:agreement_renew", args=[CooperationAgreementFactory(office=office).pk]), {}
    data |= {"number": "PKS/X", "signed_on": "2021-12-20", "starts_on": "2022-01-01", "ends_on": "2022-12-31"}

    form = staff_client.get(url).content.decode()
    refused = staff_client.post(url, {**data, "notes": text(AGREEMENT_NOTES_MAX_LENGTH + 1)})

    assert f'maxlength="{AGREEMENT_NOTES_MAX_LENGTH}"' in form
    assert field_errors(refused, "notes") == [
        too_long_message(AGREEMENT_NOTES_MAX_LENGTH, AGREEMENT_NOTES_MAX_LENGTH + 1)
    ]
    assert not CooperationAgreement.objects.filter(number="PKS/X").exists()
    assert staff_client.post(url, {**data, "notes": text(AGREEMENT_NOTES_MAX_LENGTH)}).status_code == 302
    assert len(CooperationAgreement.objects.get(number="PKS/X").notes) == AGREEMENT_NOTES_MAX_LENGTH


# --- participants ------------------------------------------------------------------------------------------


def test_a_participant_address_over_the_limit_is_refused_and_nothing_changes(participant, branch):
    editor = UserFactory(role=User.Role.STAFF, branch=branch)
    before, history = participant.address, participant.history.count()

    with pytest.raises(ValidationError) as refused:
        participant_update(
            participant=participant, changed_by=editor, reason="Alamat baru", address=text(ADDRESS_MAX_LENGTH + 1)
        )

    assert list(refused.value.message_dict) == ["address"]
    assert Participant.objects.get(pk=participant.pk).address == before
    assert participant.history.count() == history


def test_a_participant_address_of_exactly_the_limit_is_saved(participant, branch):
    editor = UserFactory(role=User.Role.STAFF, branch=branch)

    participant_update(
        participant=participant, changed_by=editor, reason="Alamat baru", address=text(ADDRESS_MAX_LENGTH)
    )

    assert Participant.objects.get(pk=participant.pk).address == text(ADDRESS_MAX_LENGTH)


def test_the_participant_edit_page_limits_the_address_box_and_shows_the_refusal_on_it(staff_client, branch):
    participant = ParticipantFactory(branch=branch, address="Jl. Lama 1")
    url = reverse("enrollment:participant_edit", args=[participant.pk])
    data = {
        "nik": participant.nik,
        "full_name": participant.full_name,
        "gender": participant.gender,
        "birth_date": participant.birth_date.isoformat(),
        "phone": participant.phone,
        "kecamatan": participant.kecamatan,
        "desa": participant.desa,
        "occupation": participant.occupation,
        "kpj_number": participant.kpj_number or "",
        "reason": "Alamat dikoreksi",
    }

    page = staff_client.get(url).content.decode()
    refused = staff_client.post(url, {**data, "address": text(ADDRESS_MAX_LENGTH + 1)})

    assert f'maxlength="{ADDRESS_MAX_LENGTH}"' in page
    assert field_errors(refused, "address") == [too_long_message(ADDRESS_MAX_LENGTH, ADDRESS_MAX_LENGTH + 1)]
    assert Participant.objects.get(pk=participant.pk).address == "Jl. Lama 1"
    assert staff_client.post(url, {**data, "address": text(ADDRESS_MAX_LENGTH)}).status_code == 302
    assert Participant.objects.get(pk=participant.pk).address == text(ADDRESS_MAX_LENGTH)


def test_enrolling_with_an_address_over_the_limit_is_refused_and_nothing_is_saved(agent, rate):
    with pytest.raises(ValidationError) as refused:
        acquisition_enrol(agent=agent, **worker_data(address=text(ADDRESS_MAX_LENGTH + 1)))

    assert "address" in refused.value.message_dict
    assert not Participant.objects.exists()


def test_enrolling_with_an_address_of_exactly_the_limit_is_saved(agent, rate):
    acquisition_enrol(agent=agent, **worker_data(address=text(ADDRESS_MAX_LENGTH)))

    assert Participant.objects.get().address == text(ADDRESS_MAX_LENGTH)


def test_the_enrol_page_limits_the_address_box_and_shows_the_refusal_on_it(agent_client):
    url = reverse("enrollment:enrol")

    page = agent_client.get(url).content.decode()
    refused = agent_client.post(url, worker_post(address=text(ADDRESS_MAX_LENGTH + 1)))

    assert f'maxlength="{ADDRESS_MAX_LENGTH}"' in page
    assert field_errors(refused, "address") == [too_long_message(ADDRESS_MAX_LENGTH, ADDRESS_MAX_LENGTH + 1)]
    assert not Participant.objects.exists()
    assert agent_client.post(url, worker_post(address=text(ADDRESS_MAX_LENGTH))).status_code == 302
    assert Participant.objects.get().address == text(ADDRESS_MAX_LENGTH)
