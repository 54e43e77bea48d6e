"""The Django admin is the national administrators' tool; branch users reach only what has no page yet,
within their branch (``agents.admin_scope``)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agents.models import User
from agents.permissions import ADMIN_ONLY_APPS
from enrollment.models import AcquisitionTarget
from tests.factories import (
    AcquisitionFactory,
    AcquisitionTargetFactory,
    AgentFactory,
    BranchFactory,
    ContributionFactory,
    CooperationAgreementFactory,
    PerisaiOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What a branch user (staff, head, an administrator bound to a branch) reaches in the admin: what has no
# page yet. A model added to the admin is national until this list says otherwise.
BRANCH_USERS_REACH = {
    "followup.messagetemplate",  # the branch's own reminder wording
    "enrollment.contributionrate",  # national tables every branch reads
    "incentives.incentivescheme",
    "agents.programmeterms",
}


@pytest.fixture
def two_branches(rate):
    """A branch with one of everything, twice: Cilacap (ours) and Banyumas (someone else's)."""
    rows = {}
    for code in ("CLP", "BMS"):
        branch = BranchFactory(code=code)
        office = PerisaiOfficeFactory(branch=branch)
        CooperationAgreementFactory(office=office)
        agent = AgentFactory(branch=branch, office=office)
        acquisition = AcquisitionFactory(agent=agent, rate=rate)
        ContributionFactory(acquisition=acquisition)
        AcquisitionTargetFactory(branch=branch)
        rows[code] = acquisition
    return rows


def changelist_urls(app_labels=None):
    return {
        model._meta.label_lower: reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if app_labels is None or model._meta.app_label in app_labels
    }


def branch_user(role, branch):
    return UserFactory(role=role, branch=branch, is_staff=True)


def test_a_national_administrator_opens_every_list_in_the_admin(client, two_branches):
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True))
    for url in changelist_urls().values():
        assert client.get(url).status_code == 200, url


def test_a_national_administrator_opens_every_add_and_change_form(client, two_branches):
    national = UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = national
    client.force_login(national)
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        added = client.get(reverse(f"{prefix}_add")).status_code
        assert added == (200 if model_admin.has_add_permission(request) else 403), model
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            assert client.get(reverse(f"{prefix}_change", args=[row.pk])).status_code == 200, model


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.HEAD, User.Role.ADMIN])
def test_a_branch_user_reaches_only_what_has_no_page_yet(client, two_branches, role):
    client.force_login(branch_user(role, two_branches["CLP"].branch))
    opened = {label for label, url in changelist_urls().items() if client.get(url).status_code == 200}
    refused = {label for label, url in changelist_urls().items() if client.get(url).status_code == 403}
    assert opened == BRANCH_USERS_REACH
    assert refused == set(changelist_urls()) - BRANCH_USERS_REACH


def test_the_admin_index_offers_branch_staff_only_what_they_reach(client, two_branches):
    client.force_login(branch_user(User.Role.STAFF, two_branches["CLP"].branch))
    listed = {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in client.get(reverse("admin:index")).context["app_list"]
        for model in app["models"]
    }
    assert listed == BRANCH_USERS_REACH


def test_only_national_administrators_see_sign_in_lockouts(client, two_branches):
    lockouts = changelist_urls(ADMIN_ONLY_APPS).values()
    assert lockouts
    for user in (
        branch_user(User.Role.STAFF, two_branches["CLP"].branch),
        branch_user(User.Role.ADMIN, two_branches["CLP"].branch),
    ):
        client.force_login(user)
        assert {client.get(url).status_code for url in lockouts} == {403}
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True))
    assert {client.get(url).status_code for url in lockouts} == {200}


def test_targets_are_set_on_their_pages_so_the_admin_only_shows_them_to_national_administrators(
    client, two_branches
):
    target = AcquisitionTarget.objects.get(branch=two_branches["CLP"].branch)
    change = reverse("admin:enrollment_acquisitiontarget_change", args=[target.pk])
    client.force_login(branch_user(User.Role.STAFF, target.branch))
    assert client.get(reverse("admin:enrollment_acquisitiontarget_changelist")).status_code == 403

    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True))
    assert client.get(reverse("admin:enrollment_acquisitiontarget_changelist")).status_code == 200
    assert client.get(reverse("admin:enrollment_acquisitiontarget_add")).status_code == 403
    assert client.post(change, {"year": target.year, "branch": target.branch.pk, "target": "1"}).status_code == 403
    assert client.post(reverse("admin:enrollment_acquisitiontarget_delete", args=[target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.target != 1


def test_an_administrator_bound_to_a_branch_reads_the_rates_but_does_not_change_them(client, two_branches):
    rate = two_branches["CLP"].rate
    client.force_login(branch_user(User.Role.ADMIN, two_branches["CLP"].branch))
    change = reverse("admin:enrollment_contributionrate_change", args=[rate.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"name": "Diubah"}).status_code == 403
    assert client.get(reverse("admin:enrollment_contributionrate_add")).status_code == 403


def test_agents_have_no_admin(client, two_branches):
    client.force_login(UserFactory(role=User.Role.AGENT, branch=two_branches["CLP"].branch, is_staff=False))
    assert client.get(reverse("admin:index")).status_code == 302


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", ["participant", "acquisition", "contribution"])
def test_changelist_queries_do_not_grow_with_rows(client, two_branches, model):
    ours = two_branches["CLP"]
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True))
    url = reverse(f"admin:enrollment_{model}_changelist")
    with_one_row = count_queries(client, url)
    for _ in range(30):
        ContributionFactory(acquisition=AcquisitionFactory(agent=ours.agent, rate=ours.rate))
    assert count_queries(client, url) == with_one_row
