"""Every URL that takes an id, tried by someone who must not see what it names: nothing shown, nothing changed.

The URL patterns come from ``get_resolver()`` itself, so a page added later is swept too, or this module
fails until it says which object the page's id names (``TARGETS``) or why it is not swept
(``NOT_SWEPT``). Each page is opened (GET) and posted to (POST, with fields that would change
something if the view let them through) by

- staff of another branch (signed in to the admin too, so the admin's own scope is tried),
- an agent who does not own the object (a colleague in the same branch, for the agents' own pages),
- an anonymous visitor,

and must answer 404, 403, 405 or a redirect to a sign-in page (or, in the admin, to the admin's
index, which is how the admin says "no such object"), never 200; and the database must hold exactly
what it held before.
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enrollment.models import ImportBatch, PaymentImport, PaymentLine
from followup.models import MessageTemplate, OutboxMessage
from tests.factories import AcquisitionTargetFactory, CooperationAgreementFactory
from tests.privacy_builders import build_world, client_for

pytestmark = pytest.mark.django_db

ATTACKERS = ("other_branch_staff", "other_agent", "anonymous")
# What a POST carries: the field names the forms and admin pages of Perisai use, with values they accept.
HOSTILE_POST = {
    "full_name": "Dibajak",
    "reason": "sweep",
    "note": "sweep",
    "format": "json",
    "status": "inactive",
    "left_on": "2022-01-31",
    "username": "dibajak",
    "name": "Dibajak",
    "number": "PKS/DIBAJAK/2023",
    "signed_on": "2022-12-01",
    "starts_on": "2023-01-01",
    "ends_on": "2023-12-31",
    "period": "2021-05",
    "amount": "16800",
    "paid_on": "2021-05-10",
    "receipt_number": "X1",
    "post": "yes",  # the admin's delete confirmation
    "outcome": "reached",
    "password1": "sweep-password-123",
    "password2": "sweep-password-123",
}
SIGN_IN = re.compile(r"^/(admin/)?(accounts/)?login/")
ADMIN_INDEX = "/admin/"
UNTOUCHED_APPS = {"sessions", "axes"}  # signing the test users in writes these, before the snapshot


def _id_patterns(resolver=None, prefix="", namespace=""):
    """``(key, route)`` of every pattern whose route captures something; ``key`` is the URL name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _id_patterns(pattern, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and (
            getattr(pattern.pattern, "converters", None) or getattr(pattern.pattern, "regex", re.compile("")).groups
        ):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield (name or route), route


ID_PATTERNS = dict(_id_patterns())


def _objects(world):
    """The objects of our branch (Cilacap) that the attackers go after, by model label."""
    agreement = CooperationAgreementFactory(office=world.agent.office)
    batch = ImportBatch.objects.create(branch=world.branch, uploaded_by=world.staff, file_name="peserta.xlsx")
    payments = PaymentImport.objects.create(
        branch=world.branch, uploaded_by=world.staff, file_name="juli.csv", file_sha256="0" * 64
    )
    PaymentLine.objects.create(
        payment_import=payments,
        row=2,
        outcome=PaymentLine.Outcome.UNKNOWN_PARTICIPANT,
        nik="3301019901900009",
        message="No participant has this NIK or KPJ number.",
    )
    machine = {
        "user_agent": "sweep",
        "ip_address": "10.0.0.1",
        "username": "staf",
        "http_accept": "*/*",
        "path_info": "/",
    }
    return {
        "agents.branch": world.branch,
        "agents.user": world.staff,
        "agents.perisaioffice": world.agent.office,
        "agents.cooperationagreement": agreement,
        "agents.agent": world.agent,
        "enrollment.participant": world.participant,
        "enrollment.acquisition": world.acquisition,
        "enrollment.contribution": world.acquisition.contributions.get(),
        "enrollment.acquisitiontarget": AcquisitionTargetFactory(branch=world.branch, agent=world.agent),
        "enrollment.importbatch": batch,
        "enrollment.paymentimport": payments,
        "followup.messagetemplate": MessageTemplate.objects.create(
            branch=world.branch, purpose="late", text="Halo {nama}, iuran {bulan} belum masuk."
        ),
        "followup.outboxmessage": OutboxMessage.objects.create(
            branch=world.branch,
            purpose="late",
            acquisition=world.acquisition,
            to=world.participant.phone,
            text="Halo Siti, iuran Juni 2022 belum masuk.",
            month=datetime.date(2022, 7, 1),
        ),
        "axes.accessattempt": AccessAttempt.objects.create(
            **machine, get_data="", post_data="", failures_since_start=3
        ),
        "axes.accesslog": AccessLog.objects.create(**machine),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**machine),
    }


def _pk(label):
    return lambda objects: {"pk": objects[label].pk}


TARGETS = {
    "agents:agent_detail": _pk("agents.agent"),
    "agents:agent_edit": _pk("agents.agent"),
    "agents:agent_deactivate": _pk("agents.agent"),
    "agents:agent_reactivate": _pk("agents.agent"),
    "agents:agent_login": _pk("agents.agent"),
    "agents:agent_nik": _pk("agents.agent"),
    "agents:office_detail": _pk("agents.perisaioffice"),
    "agents:office_edit": _pk("agents.perisaioffice"),
    "agents:agreement_detail": _pk("agents.cooperationagreement"),
    "agents:agreement_renew": _pk("agents.cooperationagreement"),
    "agents:agreement_document": _pk("agents.cooperationagreement"),
    "agents:agreement_upload": _pk("agents.cooperationagreement"),
    "enrollment:my_participant_detail": _pk("enrollment.participant"),
    "enrollment:my_participant_nik": _pk("enrollment.participant"),
    "enrollment:contribution_record": _pk("enrollment.acquisition"),
    "enrollment:contact_record": _pk("enrollment.acquisition"),
    "enrollment:participant_detail": _pk("enrollment.participant"),
    "enrollment:participant_edit": _pk("enrollment.participant"),
    "enrollment:participant_nik": _pk("enrollment.participant"),
    "enrollment:participant_data_export": _pk("enrollment.participant"),
    "enrollment:import_preview": _pk("enrollment.importbatch"),
    "enrollment:import_confirm": _pk("enrollment.importbatch"),
    "payments:detail": _pk("enrollment.paymentimport"),
    "payments:confirm": _pk("enrollment.paymentimport"),
    "payments:follow_up": _pk("enrollment.paymentimport"),
    "incentives:agent_statement": _pk("agents.agent"),
    "incentives:agent_statement_download": _pk("agents.agent"),
    "admin:auth_user_password_change": lambda objects: {"id": str(objects["agents.user"].pk)},
    "admin:view_on_site": lambda objects: {
        "content_type_id": str(ContentType.objects.get_for_model(objects["enrollment.participant"]).pk),
        "object_id": str(objects["enrollment.participant"].pk),
    },
}
ADMIN_OBJECT_PAGE = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(history|delete|change)$")
NATIONAL_MODELS = ("contributionrate", "incentivescheme", "programmeterms")
NOT_SWEPT = {
    "reports:report": "the slug names a report, not a row: the rows come from the user's own scope "
    "(tests/reports/test_scope_isolation.py)",
    "reports:report_csv": "as reports:report",
    "password_reset_confirm": "the uid and token come from a reset e-mail; Django checks the token",
    "admin:app_list": "the app label names a section of the admin, not a row",
    "admin/(?P<url>.*)$": "the admin's catch-all: it redirects to the admin's own sign-in or answers 404",
    **{
        key: "national data every branch reads (rates, incentive schemes, programme terms); administrators change it"
        for key in ID_PATTERNS
        if key.startswith("admin:") and key.split("_")[1] in NATIONAL_MODELS
    },
    **{
        key: "the admin's redirect to the object's change page, which is swept under its own name"
        for key, route in ID_PATTERNS.items()
        if key == route and route.startswith("admin/") and route.endswith("<path:object_id>/")
    },
}


def _target(key):
    if key in TARGETS:
        return TARGETS[key]
    match = ADMIN_OBJECT_PAGE.match(key)
    if match:
        return lambda objects: {"object_id": str(objects[f"{match['app']}.{match['model']}"].pk)}
    return None


SWEPT = sorted(key for key in ID_PATTERNS if key not in NOT_SWEPT)


def test_every_url_with_an_id_is_swept_or_says_why_not():
    assert [key for key in SWEPT if _target(key) is None] == []
    assert set(NOT_SWEPT) <= set(ID_PATTERNS), "an exception names a URL that no longer exists"
    assert len(SWEPT) > 40


def _snapshot():
    """Every row of every table a page could change."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label not in UNTOUCHED_APPS
    }


@pytest.fixture
def world(rate):
    world = build_world(rate)
    world.far_staff.is_staff = True  # signed in to the admin too, to try the admin's own scope
    world.far_staff.save()
    return world


def _attacker(world, who):
    return {"other_branch_staff": world.far_staff, "other_agent": world.colleague.user, "anonymous": None}[who]


def _refused(response):
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        return bool(SIGN_IN.match(response.url)) or response.url == ADMIN_INDEX
    return False


@pytest.mark.parametrize("who", ATTACKERS)
@pytest.mark.parametrize("key", SWEPT)
def test_a_page_about_someone_elses_object_shows_and_changes_nothing(world, key, who):
    objects = _objects(world)
    url = reverse(key, kwargs=_target(key)(objects))
    client = client_for(_attacker(world, who))
    before = _snapshot()

    shown = client.get(url)
    posted = client.post(url, HOSTILE_POST)

    assert _refused(shown), (url, shown.status_code, shown.get("Location"))
    assert _refused(posted), (url, posted.status_code, posted.get("Location"))
    assert _snapshot() == before, url


def test_the_sweep_would_notice_a_page_that_shows_or_changes(world):
    """The checks themselves: our own staff may open and change these, so the same checks fail for them."""
    objects = _objects(world)
    client = client_for(world.staff)
    assert not _refused(
        client.get(reverse("enrollment:participant_detail", kwargs={"pk": objects["enrollment.participant"].pk}))
    )
    before = _snapshot()
    client.post(reverse("enrollment:participant_nik", kwargs={"pk": world.participant.pk}))
    assert _snapshot() != before
