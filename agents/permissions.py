"""What each role may do, in one place.

Permissions follow from ``User.role`` rather than from groups edited by hand, so a new branch needs
no setup: administrators may do everything; branch staff view, add and change the branch's network
and enrollment data (never delete: records that reports count are protected) and read the rates,
incentive schemes and programme terms, which only administrators change; the branch head
reads everything in the branch; a regional user (``Role.REGIONAL``) reads like a branch head, in every
branch of their region, and writes nothing: a regional office follows its branches' figures, the
branches keep their own data; agents use their own pages, not the admin. *Which rows* a user may
see is decided by ``agents.scoping``: the role says what, the branch or the region where.

These permissions are what the app's pages ask for. The admin asks more: most of it is for national
administrators only, whatever the role grants (``agents.admin_scope``), and the admin-only apps (sign-in
lockouts) are granted to an administrator only when national, never to one bound to a branch, since
they name every branch's accounts.
"""

from django.apps import apps
from django.contrib.auth.backends import ModelBackend

from perisai.roles import Role

DOMAIN_APPS = ("agents", "enrollment", "followup", "recruitment", "incentives")
# Sign-in lockouts (axes) and delays (web.signin): administrators see them and lift one by deleting it.
ADMIN_ONLY_APPS = ("axes", "web_signin")
STAFF_READ_ONLY_MODELS = {
    "agents.branch",
    "agents.user",
    "enrollment.contributionrate",
    "agents.programmeterms",
    "incentives.incentivescheme",
    "incentives.feetier",
    "incentives.acquisitionfee",
}


def _model_labels(app_labels):
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models():
            yield f"{app_label}.{model._meta.model_name}"


def role_permissions(role, *, national=True):
    """The set of ``app_label.codename`` permissions a role has; ``national=False`` for an administrator
    bound to a branch, who does not get the admin-only apps."""
    granted = set()
    if role == Role.ADMIN and national:
        granted.update(
            f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
            for label in _model_labels(ADMIN_ONLY_APPS)
            for action in ("view", "delete")
        )
    for label in _model_labels(DOMAIN_APPS):
        app_label, model_name = label.split(".")
        if role == Role.ADMIN:
            actions = ("view", "add", "change", "delete")
        elif role == Role.STAFF:
            actions = ("view",) if label in STAFF_READ_ONLY_MODELS else ("view", "add", "change")
        elif role in (Role.HEAD, Role.REGIONAL):
            actions = ("view",)
        else:
            actions = ()
        granted.update(f"{app_label}.{action}_{model_name}" for action in actions)
    return granted


class RolePermissionBackend(ModelBackend):
    """Django's model backend plus the permissions implied by the user's role."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            user_obj._role_perm_cache = role_permissions(user_obj.role, national=user_obj.is_national)
        return super().get_all_permissions(user_obj, obj) | user_obj._role_perm_cache

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and any(
            perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj)
        )
