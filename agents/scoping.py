"""Which rows a user may see, and what a page, report or file covers: the one place scope is decided.

**Reach** (``_reach``, decided once for both functions below):

- a national administrator (no branch) sees every branch;
- branch staff and the branch head see their own branch;
- an agent sees only what is theirs: the rows reached through an agent path (``"caretaker"``,
  ``"agent"`` ...) whose agent is their ``Agent``; where there is no agent path, nothing;
- anyone else (no branch, not national, not signed in) sees nothing.

**Rows**: ``for_user(queryset, user, branch_path, agent_path)`` narrows any queryset of branch data
with the path from its model to the branch (``"branch"``, ``"office__branch"``, ``"acquisition__branch"``
...) and, where agents may see some of it, the path to the agent whose rows they are. It reads nothing
from the database, so a page pays no query for it.

**Scope**: a ``Scope`` is what a report, a dashboard or an export covers (national, one branch, one
Perisai office, one agent). ``scope_for(user, ...)`` derives it from the requesting user, and narrows
but never widens what the user may see: a branch user asking for another branch's office gets a
``PermissionDenied``. Report functions take a ``Scope`` and filter every queryset through it; commands,
which run as the server's operator, build one directly (``Scope(branch=...)``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from agents.models import Agent, Branch, PerisaiOffice
from perisai.roles import Role

NATIONAL, BRANCH, AGENT, NOTHING = "national", "branch", "agent", "nothing"


def _reach(user):
    """How far ``user`` reaches: ``AGENT`` (their own rows), ``NATIONAL``, ``BRANCH`` or ``NOTHING``.

    The role comes first: an account with the agent role reaches only its agent's rows, whatever else
    is set on it.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    if getattr(user, "role", None) == Role.AGENT:
        return AGENT
    if getattr(user, "is_national", False):
        return NATIONAL
    if getattr(user, "branch_id", None) is None:
        return NOTHING
    return BRANCH


def for_user(queryset, user, branch_path="branch", agent_path=None):
    """``queryset`` narrowed to what ``user`` may see; ``branch_path=None`` for a queryset of branches."""
    reach = _reach(user)
    if reach == NATIONAL:
        return queryset
    if reach == AGENT:
        if agent_path is None:
            return queryset.none()
        return queryset.filter(**{f"{agent_path}__user": user})
    if reach == NOTHING:
        return queryset.none()
    lookup = "pk" if branch_path is None else f"{branch_path}_id"
    return queryset.filter(**{lookup: user.branch_id})


@dataclass(frozen=True)
class Scope:
    """What a report covers: everything (no field set), one branch, one office, or one agent.

    The narrowest field set decides the level; ``q``/``filter`` turn it into a filter on any queryset
    that reaches a branch, an office and an agent through ``prefix`` and ``agent_field``.
    """

    branch: Branch | None = None
    office: PerisaiOffice | None = None
    agent: Agent | None = None

    @property
    def level(self):
        if self.agent:
            return "agent"
        if self.office:
            return "office"
        if self.branch:
            return "branch"
        return "national"

    @property
    def label(self):
        if self.agent:
            return str(self.agent)
        if self.office:
            return str(self.office)
        if self.branch:
            return str(self.branch)
        return _("National")

    def q(self, prefix="", agent_field="agent"):
        """A ``Q`` narrowing to this scope; ``prefix`` leads from the queried model to the acquisition.

        Acquisitions count where they were credited (their branch, office and acquiring agent); pass
        ``agent_field="caretaker"`` for follow-up lists, which belong to the agent looking after the
        participant now.
        """
        if self.agent:
            return Q(**{f"{prefix}{agent_field}": self.agent})
        if self.office:
            return Q(**{f"{prefix}office": self.office})
        if self.branch:
            return Q(**{f"{prefix}branch": self.branch})
        return Q()

    def filter(self, queryset, prefix="", agent_field="agent"):
        """``queryset`` narrowed to this scope; ``prefix`` leads from its model to the acquisition's fields.

        For acquisitions the prefix is ``""``, for contributions ``"acquisition__"``. The agent network
        itself is narrowed with ``filter_agents``.
        """
        return queryset.filter(self.q(prefix, agent_field))

    def filter_agents(self, queryset):
        """Agents (the network itself) in this scope."""
        if self.agent:
            return queryset.filter(pk=self.agent.pk)
        if self.office:
            return queryset.filter(office=self.office)
        if self.branch:
            return queryset.filter(branch=self.branch)
        return queryset

    def filter_offices(self, queryset):
        """Perisai offices in this scope (an agent's scope holds the agent's office)."""
        if self.office:
            return queryset.filter(pk=self.office.pk)
        if self.branch:
            return queryset.filter(branch=self.branch)
        return queryset

    def filter_branches(self, queryset):
        """Branches in this scope."""
        if self.branch:
            return queryset.filter(pk=self.branch.pk)
        return queryset

    @property
    def params(self):
        """The request parameters that select this scope again: ``{"office": "CLP-01"}`` ..."""
        if self.agent:
            return {"agent": self.agent.code}
        if self.office:
            return {"office": self.office.code}
        if self.branch:
            return {"branch": self.branch.code}
        return {}


def scope_for(user, *, branch_code=None, office_code=None, agent_code=None):
    """The scope ``user`` asked for, within what they may see; the widest allowed when nothing is asked.

    An agent always gets their own scope; branch users get their branch or an office or agent in it;
    a national administrator may ask for any of them.
    """
    reach = _reach(user)
    if reach == AGENT:
        agent = Agent.objects.filter(user=user).select_related("branch", "office").first()
        if agent is None:
            raise PermissionDenied(_("This account is not linked to an agent."))
        return Scope(branch=agent.branch, office=agent.office, agent=agent)
    if reach == NOTHING:
        raise PermissionDenied(_("This account belongs to no branch."))

    national = reach == NATIONAL
    branches = Branch.objects.all() if national else Branch.objects.filter(pk=user.branch_id)
    branch = None if national else user.branch
    if branch_code:
        branch = branches.filter(code=branch_code).first()
        if branch is None:
            raise PermissionDenied(_("Branch %(code)s is not one you may see.") % {"code": branch_code})
        branches = branches.filter(pk=branch.pk)
    if agent_code:
        agent = Agent.objects.filter(code=agent_code, branch__in=branches).select_related("branch", "office").first()
        if agent is None:
            raise PermissionDenied(_("Agent %(code)s is not one you may see.") % {"code": agent_code})
        return Scope(branch=agent.branch, office=agent.office, agent=agent)
    if office_code:
        office = PerisaiOffice.objects.filter(code=office_code, branch__in=branches).select_related("branch").first()
        if office is None:
            raise PermissionDenied(_("Office %(code)s is not one you may see.") % {"code": office_code})
        return Scope(branch=office.branch, office=office)
    return Scope(branch=branch)
