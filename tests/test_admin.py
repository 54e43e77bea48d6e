"""The Django admin works for every role and never shows another branch's rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agents.models import User
from agents.permissions import ADMIN_ONLY_APPS, DOMAIN_APPS
from enrollment.models import Acquisition, Contribution, Participant
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


def changelist_urls(app_labels):
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.app_label in app_labels
    ]


@pytest.mark.parametrize("role", [User.Role.ADMIN, User.Role.STAFF, User.Role.HEAD])
def test_every_domain_changelist_opens_for_office_roles(client, two_branches, role):
    branch = two_branches["CLP"].branch if role != User.Role.ADMIN else None
    client.force_login(UserFactory(role=role, branch=branch, is_staff=True))
    for url in changelist_urls(DOMAIN_APPS):
        assert client.get(url).status_code == 200, url


def test_only_administrators_see_sign_in_lockouts(client, two_branches):
    lockouts = changelist_urls(ADMIN_ONLY_APPS)
    assert lockouts
    client.force_login(UserFactory(role=User.Role.STAFF, branch=two_branches["CLP"].branch, is_staff=True))
    assert {client.get(url).status_code for url in lockouts} == {403}
    client.force_login(UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True))
    assert {client.get(url).status_code for url in lockouts} == {200}


def test_staff_lists_show_only_their_branch(client, two_branches):
    ours, theirs = two_branches["CLP"], two_branches["BMS"]
    client.force_login(UserFactory(role=User.Role.STAFF, branch=ours.branch, is_staff=True))
    for model, own, other in [
        (Participant, ours.participant, theirs.participant),
        (Acquisition, ours, theirs),
        (Contribution, ours.contributions.get(), theirs.contributions.get()),
    ]:
        changelist = client.get(reverse(f"admin:enrollment_{model._meta.model_name}_changelist"))
        shown = list(changelist.context["cl"].result_list)
        assert shown == [own]
        assert other not in shown


def test_staff_cannot_open_or_change_another_branchs_participant(client, two_branches):
    ours, theirs = two_branches["CLP"], two_branches["BMS"]
    client.force_login(UserFactory(role=User.Role.STAFF, branch=ours.branch, is_staff=True))
    url = reverse("admin:enrollment_participant_change", args=[theirs.participant.pk])
    response = client.post(url, {"full_name": "Changed"})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    theirs.participant.refresh_from_db()
    assert theirs.participant.full_name != "Changed"


def test_staff_picks_only_their_branchs_offices(client, two_branches):
    ours = two_branches["CLP"]
    client.force_login(UserFactory(role=User.Role.STAFF, branch=ours.branch, is_staff=True))
    form = client.get(reverse("admin:agents_agent_add")).context["adminform"].form
    assert list(form.fields["office"].queryset) == [ours.office]
    assert list(form.fields["branch"].queryset) == [ours.branch]


def test_branch_head_reads_but_cannot_add(client, two_branches):
    client.force_login(UserFactory(role=User.Role.HEAD, branch=two_branches["CLP"].branch, is_staff=True))
    assert client.get(reverse("admin:enrollment_participant_add")).status_code == 403


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
    client.force_login(UserFactory(role=User.Role.STAFF, branch=ours.branch, is_staff=True))
    url = reverse(f"admin:enrollment_{model}_changelist")
    with_one_row = count_queries(client, url)
    for _ in range(30):
        ContributionFactory(acquisition=AcquisitionFactory(agent=ours.agent, rate=ours.rate))
    assert count_queries(client, url) == with_one_row
