"""Every URL that takes an id, tried by someone who must not see what it names: nothing shown, nothing changed.

The URL patterns come from ``get_resolver()`` itself, so a page added later is swept too, or this module
fails until it says which object the page's id names (``TARGETS``) or why it is not swept
(``NOT_SWEPT``). Each page is opened (GET) and posted to (POST, with fields that would change
something if the view let them through) by

- staff of another branch (signed in to the admin too, so the admin's own scope is tried),
- a regional user of another region (the other branch's),
- an agent who does not own the object (a colleague in the same branch, for the agents' own pages),
- an anonymous visitor,

and must answer 404, 403, 405 or a redirect to a sign-in page (or, in the admin, to the admin's
index, which is how the admin says "no such object"), never 200; and the database must hold exactly
what it held before.
"""

import datetime
import html
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agents.admin_scope import NationalTable
from agents.models import User
from enrollment.models import ImportBatch, PaymentImport, PaymentLine
from followup.models import MessageTemplate, OutboxMessage
from jobs.models import Job
from recruitment.models import Candidate
from tests.admin_pages import posted_back
from tests.factories import (
    AcquisitionTargetFactory,
    CooperationAgreementFactory,
    RegionFactory,
    SeatFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.privacy_builders import build_world, client_for
from web.signin.models import FailedSignIns

pytestmark = pytest.mark.django_db

ATTACKERS = ("other_branch_staff", "other_region_user", "other_agent", "anonymous")
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
    "place": "Dibajak",
    "trainer": "Dibajak",
    "capacity": "99",
    "held_on": "2022-07-01",
    "code": "DIBAJAK",
    "joined_on": "2022-07-01",
    "target": "9999",
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
    # A pembekalan of ours held today (open for invitations and attendance) and a candidate agent Sari
    # recruited who passed it: every recruitment page has something to change or to show.
    session = TrainingSessionFactory(
        branch=world.branch, held_on=timezone.localdate(), place="Aula Pembekalan Cilacap Sweep"
    )
    seat = SeatFactory(
        session=session,
        candidate__recruited_by=world.agent,
        candidate__full_name="Lestari Handayani",
        candidate__stage=Candidate.Stage.PASSED,
        attended=True,
        score=85,
        passed=True,
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
        "agents.region": world.branch.region or RegionFactory(),  # ours when the test placed us in one
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
        "jobs.job": Job.objects.create(
            owner=world.staff, title="Peserta.xlsx", handler="web.jobs.kinds.participants_export"
        ),
        "recruitment.trainingsession": session,
        "recruitment.seat": seat,
        "recruitment.candidate": seat.candidate,
        "axes.accessattempt": AccessAttempt.objects.create(
            **machine, get_data="", post_data="", failures_since_start=3
        ),
        "axes.accesslog": AccessLog.objects.create(**machine),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**machine),
        "web_signin.failedsignins": FailedSignIns.objects.create(
            username="staf", failures=12, last_failed_at=timezone.now(), next_attempt_at=timezone.now()
        ),
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
    "agents:agent_card": _pk("agents.agent"),
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
    "api:contributions": lambda objects: {"acquisition_id": objects["enrollment.acquisition"].pk},
    "api:contacts": lambda objects: {"acquisition_id": objects["enrollment.acquisition"].pk},
    "enrollment:participant_detail": _pk("enrollment.participant"),
    "enrollment:participant_edit": _pk("enrollment.participant"),
    "enrollment:participant_nik": _pk("enrollment.participant"),
    "enrollment:participant_data_export": _pk("enrollment.participant"),
    "enrollment:acquisition_proof": _pk("enrollment.acquisition"),
    "enrollment:import_preview": _pk("enrollment.importbatch"),
    "enrollment:import_confirm": _pk("enrollment.importbatch"),
    "enrollment:import_findings": _pk("enrollment.importbatch"),
    "payments:detail": _pk("enrollment.paymentimport"),
    "payments:confirm": _pk("enrollment.paymentimport"),
    "payments:follow_up": _pk("enrollment.paymentimport"),
    "incentives:agent_statement": _pk("agents.agent"),
    "incentives:agent_statement_download": _pk("agents.agent"),
    "account:reset": _pk("agents.user"),
    "recruitment:candidate_detail": _pk("recruitment.candidate"),
    "recruitment:candidate_edit": _pk("recruitment.candidate"),
    "recruitment:candidate_invite": _pk("recruitment.candidate"),
    "recruitment:candidate_withdraw": _pk("recruitment.candidate"),
    "recruitment:candidate_activate": _pk("recruitment.candidate"),
    "recruitment:seat_cancel": _pk("recruitment.seat"),
    "recruitment:seat_attend": _pk("recruitment.seat"),
    "recruitment:seat_certificate": _pk("recruitment.seat"),
    "recruitment:agent_letter": _pk("agents.agent"),
    "recruitment:session_detail": _pk("recruitment.trainingsession"),
    "recruitment:session_edit": _pk("recruitment.trainingsession"),
    "recruitment:session_invite": _pk("recruitment.trainingsession"),
    "recruitment:session_attendance": _pk("recruitment.trainingsession"),
    "recruitment:session_results": _pk("recruitment.trainingsession"),
    "recruitment:session_print": _pk("recruitment.trainingsession"),
    "recruitment:my_candidate_detail": _pk("recruitment.candidate"),
    "jobs:detail": _pk("jobs.job"),
    "jobs:download": _pk("jobs.job"),
    "targets:target_edit": _pk("enrollment.acquisitiontarget"),
    "targets:target_remove": _pk("enrollment.acquisitiontarget"),
    "admin:auth_user_password_change": lambda objects: {"id": str(objects["agents.user"].pk)},
    "admin:view_on_site": lambda objects: {
        "content_type_id": str(ContentType.objects.get_for_model(objects["enrollment.participant"]).pk),
        "object_id": str(objects["enrollment.participant"].pk),
    },
}
ADMIN_OBJECT_PAGE = re.compile(r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(history|delete|change)$")
# simple-history's page of one old version (``<object_id>/history/<version_id>/``, positional groups).
ADMIN_VERSION_PAGE = re.compile(r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_simple_history$")
NATIONAL_MODELS = ("contributionrate", "incentivescheme", "programmeterms")
NOT_SWEPT = {
    "reports:report": "the slug names a report, not a row: the rows come from the user's own scope "
    "(tests/reports/test_scope_isolation.py)",
    "reports:report_csv": "as reports:report",
    "reports:report_pdf": "as reports:report (tests/reports/test_pdf.py)",
    "password_reset_confirm": "no reset by e-mail: 404 for every uid and token (tests/test_signin_password_reset.py)",
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


def _version(obj):
    """``[object id, id of its latest historical version]``: the positional arguments of a version page."""
    return [str(obj.pk), str(obj.history.latest().history_id)]


def _target(key):
    """How the URL named ``key`` is reversed from the objects: keyword arguments, or a list of positional ones."""
    if key in TARGETS:
        return TARGETS[key]
    match = ADMIN_VERSION_PAGE.match(key)
    if match:
        return lambda objects: _version(objects[f"{match['app']}.{match['model']}"])
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


@pytest.fixture
def regional_users(world):
    """A regional user of the other branch's region, and one of our branch's region."""
    far, ours = RegionFactory(), RegionFactory()
    world.other_branch.region, world.branch.region = far, ours
    world.other_branch.save()
    world.branch.save()
    return {
        "far": UserFactory(role=User.Role.REGIONAL, branch=None, region=far),
        "ours": UserFactory(role=User.Role.REGIONAL, branch=None, region=ours),
    }


def _attacker(world, who, regional_users):
    return {
        "other_branch_staff": world.far_staff,
        "other_region_user": regional_users["far"],
        "other_agent": world.colleague.user,
        "anonymous": None,
    }[who]


def _refused(response):
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        return bool(SIGN_IN.match(response.url)) or response.url == ADMIN_INDEX
    return False


@pytest.mark.parametrize("who", ATTACKERS)
@pytest.mark.parametrize("key", SWEPT)
def test_a_page_about_someone_elses_object_shows_and_changes_nothing(world, regional_users, key, who):
    objects = _objects(world)
    target = _target(key)(objects)
    url = reverse(key, args=target) if isinstance(target, list) else reverse(key, kwargs=target)
    client = client_for(_attacker(world, who, regional_users))
    before = _snapshot()

    shown = client.get(url)
    posted = client.post(url, HOSTILE_POST)

    assert _refused(shown), (url, shown.status_code, shown.get("Location"))
    assert _refused(posted), (url, posted.status_code, posted.get("Location"))
    assert _snapshot() == before, url


# Pages a regional user of the object's own region may post to and write a row: a read that is logged.
READS_THAT_ARE_LOGGED = {"agents:agent_nik", "enrollment:participant_nik"}


@pytest.mark.parametrize("key", [key for key in SWEPT if key not in READS_THAT_ARE_LOGGED])
def test_a_regional_user_of_the_objects_own_region_changes_nothing(world, regional_users, key):
    """A regional user reads their region's branches like a branch head and writes none of it."""
    objects = _objects(world)
    target = _target(key)(objects)
    url = reverse(key, args=target) if isinstance(target, list) else reverse(key, kwargs=target)
    client = client_for(regional_users["ours"])
    before = _snapshot()

    client.post(url, HOSTILE_POST)

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


def test_the_sweep_would_notice_a_recruitment_page_that_changes(world):
    """The hostile post itself would withdraw our candidate, were the page to let it through: our staff may."""
    objects = _objects(world)
    client = client_for(world.staff)
    url = reverse("recruitment:candidate_withdraw", kwargs=_target("recruitment:candidate_withdraw")(objects))
    before = _snapshot()

    posted = client.post(url, HOSTILE_POST)

    assert not _refused(posted)
    assert _snapshot() != before


# --- the admin: forms prefilled with our ids, ids posted back, list filters, autocomplete ------------------
#
# The pages above are opened by id; an admin page can name our branch's people without one: the label
# a raw-id field prints beside an id prefilled from the query string (``?participant=<id>``) or posted
# back with a form that failed, the choices of a list filter, an autocomplete answer. Every model the
# admin has (``admin.site._registry``, so a model added later is swept too) is tried by users of the
# other branch signed in to the admin: no page may name anything of ours, and nothing may change.

ADMIN_MODELS = sorted(model._meta.label_lower for model in admin.site._registry)
ADMIN_ATTACKERS = ("other_branch_staff", "other_branch_head", "other_branch_admin")
OUR_BRANCH_NAME = "Cabang Cilacap"  # "Cilacap" alone is in every factory kecamatan, theirs too
OUR_APPS = ("agents", "enrollment", "followup", "recruitment", "incentives")  # the apps that hold a branch's rows


@pytest.fixture
def admin_world(world):
    """The world, our branch with a name found nowhere else, and the other branch's own target and wording
    (what its users may change in the admin, so their change forms are tried with our ids too)."""
    world.branch.name = OUR_BRANCH_NAME
    world.branch.save()
    AcquisitionTargetFactory(branch=world.other_branch, agent=world.far_agent)
    MessageTemplate.objects.create(branch=world.other_branch, purpose="late", text="Halo {nama}, {bulan}.")
    SeatFactory(
        session=TrainingSessionFactory(branch=world.other_branch, place="Aula Kantor Cabang Banyumas"),
        candidate__full_name="Wawan Banyumas",
    )
    return world


def _admin_attacker(world, who):
    if who == "other_branch_staff":
        return world.far_staff
    role = {"other_branch_head": User.Role.HEAD, "other_branch_admin": User.Role.ADMIN}[who]
    return UserFactory(role=role, branch=world.other_branch, is_staff=True)


def _ours_named(world, objects):
    """Every text that names something of our branch: its name, offices, people, accounts, records."""
    people = [world.agent, world.colleague, world.participant, world.colleague_participant]
    accounts = [world.staff, world.head, world.agent.user, world.colleague.user]
    texts = {OUR_BRANCH_NAME, world.agent.office.name}
    texts |= {person.full_name for person in people} | {person.nik for person in people}
    texts |= {account.username for account in accounts} | {world.staff.get_full_name(), world.head.get_full_name()}
    texts |= {str(obj) for label, obj in objects.items() if label.split(".")[0] in OUR_APPS}
    return texts


def _named(response, texts):
    """Which of ``texts`` the page shows, as whole words."""
    page = html.unescape(response.content.decode(errors="replace"))
    return {text for text in texts if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", page)}


def _relations_to_ours(model):
    """``{field name: label of the model it points to}`` for each foreign key and one-to-one of ``model``."""
    return {
        field.name: field.related_model._meta.label_lower
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one)
    }


def _their_own(model_admin, user):
    """A row of ``model_admin``'s model that ``user`` may open (one they may change, if there is one), or
    ``None``; and the request that asked."""
    request = RequestFactory().get("/admin/")
    request.user = user
    if not model_admin.has_view_permission(request):
        return None, request
    rows = list(model_admin.get_queryset(request).order_by("pk")[:20])
    changeable = [row for row in rows if model_admin.has_change_permission(request, row)]
    return (changeable or rows or [None])[0], request


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_relation_of_an_admin_model_is_prefilled_or_national(world):
    prefilled = set(_objects(world))
    national = {
        model._meta.label_lower for model, kept in admin.site._registry.items() if isinstance(kept, NationalTable)
    }
    unswept = {
        f"{label}.{name} -> {related}"
        for label in ADMIN_MODELS
        for name, related in _relations_to_ours(apps.get_model(label)).items()
        if related.split(".")[0] in OUR_APPS and related not in prefilled | national
    }
    assert unswept == set(), "give _objects() one of these, so the admin sweep prefills it"


@pytest.mark.parametrize("who", ADMIN_ATTACKERS)
@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_an_admin_form_prefilled_with_our_ids_names_and_changes_nothing(admin_world, label, who):
    world = admin_world
    objects = _objects(world)
    ours = _ours_named(world, objects)
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    our_ids = {
        name: str(objects[related].pk) for name, related in _relations_to_ours(model).items() if related in objects
    }
    attacker = _admin_attacker(world, who)
    client = client_for(attacker)
    before = _snapshot()

    add = _admin_url(model, "add")
    pages = {"GET add, prefilled": client.get(add, our_ids), "POST add": client.post(add, {**HOSTILE_POST, **our_ids})}
    theirs, request = _their_own(model_admin, attacker)
    if theirs is None:
        assert not model_admin.has_view_permission(request) or isinstance(model_admin, NationalTable), (
            f"{label}: the sweep needs one of these in the other branch (admin_world)"
        )
    else:
        change = _admin_url(model, "change", theirs.pk)
        page = pages["GET change"] = client.get(change, our_ids)
        if model_admin.has_change_permission(request, theirs):
            saved_as_is = posted_back(page)
            for name, pk in our_ids.items():
                pages[f"POST change, {name}={pk}"] = client.post(change, {**saved_as_is, name: pk})

    for what, page in pages.items():
        assert page.status_code in (200, 403), (label, what, page.status_code, page.get("Location"))
        assert _named(page, ours) == set(), (label, what)
    assert _snapshot() == before, label


@pytest.mark.parametrize("who", ADMIN_ATTACKERS)
@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_an_admin_list_and_its_filters_name_nothing_of_ours(admin_world, label, who):
    world = admin_world
    ours = _ours_named(world, _objects(world))
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    client = client_for(_admin_attacker(world, who))

    pages = {"list": client.get(_admin_url(model, "changelist"))}
    for field in model_admin.autocomplete_fields:
        pages[f"autocomplete {field}"] = client.get(
            reverse("admin:autocomplete"),
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field, "term": ""},
        )

    for what, page in pages.items():
        assert page.status_code in (200, 403), (label, what, page.status_code)
        assert _named(page, ours) == set(), (label, what)


def test_the_admin_sweep_would_notice_a_name_of_ours(admin_world):
    """The checks themselves: a national administrator sees every branch, so the same checks find our names."""
    world = admin_world
    objects = _objects(world)
    ours = _ours_named(world, objects)
    world.admin.is_staff = True
    world.admin.save()
    client = client_for(world.admin)

    prefilled = client.get(
        _admin_url(apps.get_model("enrollment.acquisition"), "add"), {"participant": world.participant.pk}
    )
    filters = client.get(_admin_url(apps.get_model("agents.agent"), "changelist"))

    assert world.participant.full_name in _named(prefilled, ours)
    assert OUR_BRANCH_NAME in _named(filters, ours) and world.agent.office.name in _named(filters, ours)


def test_the_admin_sweep_posts_back_a_form_that_would_save(admin_world):
    """The change forms are posted back whole, so only the id we swap in can stop them: with an id of
    their own branch, the same post saves."""
    world = admin_world
    wording = MessageTemplate.objects.create(branch=world.branch, purpose="due", text="Halo {nama}.")
    world.staff.is_staff = True
    world.staff.save()
    client = client_for(world.staff)
    change = _admin_url(wording, "change", wording.pk)

    client.post(change, {**posted_back(client.get(change)), "text": "Halo {nama}, iuran {bulan}."})

    wording.refresh_from_db()
    assert wording.text == "Halo {nama}, iuran {bulan}."
