"""The admin's scope underneath the national-only pages: were a model opened to branch users, its raw-id
labels, choices and list filters would still stop at their branch (``agents.admin_scope``)."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.test import RequestFactory

from agents.admin_scope import ScopedRelatedFieldListFilter, scoped_choices
from agents.models import Agent, Branch, PerisaiOffice, User
from enrollment.models import Acquisition, Contribution, ImportBatch
from tests.factories import AcquisitionFactory, AgentFactory, BranchFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(rate):
    return AcquisitionFactory(rate=rate, participant__full_name="Siti Aminah", agent__full_name="Sari Wulandari")


@pytest.fixture
def theirs(rate):
    branch = BranchFactory(code="BMS", name="Banyumas")
    agent = AgentFactory(branch=branch, full_name="Wati Banyumas")
    return AcquisitionFactory(rate=rate, agent=agent, participant__full_name="Dewi Lestari")


def request_by(user, **query):
    request = RequestFactory().get("/admin/", query)
    request.user = user
    return request


def staff_of(branch):
    return UserFactory(role=User.Role.STAFF, branch=branch, is_staff=True)


def acquisition_form(user, **initial):
    form_class = admin.site._registry[Acquisition].get_form(request_by(user))
    return form_class(initial=initial)


def test_a_raw_id_field_names_an_id_of_the_users_branch(ours):
    html = str(acquisition_form(staff_of(ours.branch), participant=ours.participant.pk)["participant"])
    assert "Siti Aminah" in html


def test_a_raw_id_field_prefilled_with_another_branchs_id_names_nobody(ours, theirs):
    html = str(acquisition_form(staff_of(ours.branch), participant=theirs.participant.pk)["participant"])
    assert "Dewi Lestari" not in html
    assert f'value="{theirs.participant.pk}"' in html  # the number typed stays, unnamed


def test_another_branchs_id_posted_back_is_refused_and_named_nowhere(ours, theirs):
    form_class = admin.site._registry[Acquisition].get_form(request_by(staff_of(ours.branch)))
    form = form_class(data={"participant": theirs.participant.pk, "agent": theirs.agent.pk})
    assert not form.is_valid()
    assert {"participant", "agent"} <= set(form.errors)
    html = str(form)
    assert "Dewi Lestari" not in html and "Wati Banyumas" not in html


def test_a_national_administrators_raw_id_field_names_any_branchs_participant(theirs):
    national = UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)
    html = str(acquisition_form(national, participant=theirs.participant.pk)["participant"])
    assert "Dewi Lestari" in html


@pytest.mark.parametrize(
    ("model", "path"), [(Agent, "branch"), (Agent, "office"), (Contribution, "acquisition__office")]
)
def test_a_list_filter_on_a_relation_offers_only_the_users_branch(ours, theirs, model, path):
    model_admin = admin.site._registry[model]
    request = request_by(staff_of(ours.branch))
    assert (path, ScopedRelatedFieldListFilter) in model_admin.get_list_filter(request)
    field = get_fields_from_path(model, path)[-1]
    spec = ScopedRelatedFieldListFilter(field, request, {}, model, model_admin, path)
    offered = {label for _pk, label in spec.lookup_choices}
    assert "Banyumas" not in offered and theirs.office.name not in offered
    assert offered & {ours.branch.name, ours.office.name}


def test_a_national_administrator_filters_by_every_branch(ours, theirs):
    national = UserFactory(role=User.Role.ADMIN, branch=None, is_staff=True)
    changelist = admin.site._registry[Agent].get_changelist_instance(request_by(national))
    [spec] = [spec for spec in changelist.filter_specs if spec.field_path == "branch"]
    assert {label for _pk, label in spec.lookup_choices} == {ours.branch.name, "Banyumas"}


def test_a_relation_to_a_model_no_admin_scopes_offers_a_branch_user_nothing(ours):
    """A model with no admin (or none naming its branch) is not listed to a branch user by default."""
    ImportBatch.objects.create(branch=ours.branch, uploaded_by=staff_of(ours.branch), file_name="peserta.xlsx")
    user = staff_of(ours.branch)
    assert not scoped_choices(ImportBatch.objects.all(), user, admin.site).exists()
    assert list(scoped_choices(Branch.objects.all(), user, admin.site)) == [ours.branch]
    assert list(scoped_choices(PerisaiOffice.objects.all(), user, admin.site)) == [ours.office]
