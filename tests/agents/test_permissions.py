"""What each role may do follows from ``User.role`` (see ``agents.permissions``)."""

import pytest

from agents.models import User
from agents.permissions import role_permissions
from tests.factories import UserFactory

Role = User.Role


def test_admin_may_delete_what_reports_count():
    assert {"agents.delete_agent", "enrollment.delete_participant", "enrollment.delete_acquisition"} <= (
        role_permissions(Role.ADMIN)
    )


def test_admin_may_change_rates_and_users():
    assert {"enrollment.change_contributionrate", "agents.change_user"} <= role_permissions(Role.ADMIN)


def test_staff_may_add_and_change_agents_and_participants():
    assert {
        "agents.add_agent",
        "agents.change_agent",
        "enrollment.add_participant",
        "enrollment.change_participant",
    } <= role_permissions(Role.STAFF)


def test_staff_may_delete_nothing():
    assert not {perm for perm in role_permissions(Role.STAFF) if ".delete_" in perm}


def test_staff_may_view_but_not_change_rates_branches_or_users():
    staff = role_permissions(Role.STAFF)

    assert {"enrollment.view_contributionrate", "agents.view_branch", "agents.view_user"} <= staff
    assert not {"enrollment.add_contributionrate", "enrollment.change_contributionrate"} & staff
    assert not {"agents.change_branch", "agents.add_user", "agents.change_user"} & staff


def test_head_may_view_everything_and_do_nothing_else():
    head = role_permissions(Role.HEAD)

    assert {"agents.view_agent", "enrollment.view_acquisition", "enrollment.view_contribution"} <= head
    assert all(perm.split(".")[1].startswith("view_") for perm in head)


def test_agent_has_no_admin_permissions():
    assert role_permissions(Role.AGENT) == set()


# Through Django's permission API (the backend in AUTHENTICATION_BACKENDS).


@pytest.mark.django_db
def test_staff_user_has_perm_to_change_but_not_delete_a_participant():
    staff = UserFactory(role=Role.STAFF)

    assert staff.has_perm("enrollment.change_participant")
    assert not staff.has_perm("enrollment.delete_participant")


@pytest.mark.django_db
def test_admin_user_has_perm_to_delete_a_participant():
    admin = UserFactory(role=Role.ADMIN, branch=None)

    assert admin.has_perm("enrollment.delete_participant")


@pytest.mark.django_db
def test_head_user_may_view_but_not_change_an_agent():
    head = UserFactory(role=Role.HEAD)

    assert head.has_perm("agents.view_agent")
    assert not head.has_perm("agents.change_agent")


@pytest.mark.django_db
def test_agent_user_has_no_perms_and_no_admin_modules():
    agent_user = UserFactory(role=Role.AGENT)

    assert not agent_user.has_perm("enrollment.view_participant")
    assert not agent_user.has_module_perms("enrollment")


@pytest.mark.django_db
def test_staff_user_sees_the_domain_apps_in_the_admin():
    staff = UserFactory(role=Role.STAFF)

    assert staff.has_module_perms("agents")
    assert staff.has_module_perms("enrollment")


@pytest.mark.django_db
def test_deactivated_user_loses_the_roles_permissions():
    staff = UserFactory(role=Role.STAFF, is_active=False)

    assert not staff.has_perm("enrollment.view_participant")
