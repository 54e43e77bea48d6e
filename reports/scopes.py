"""What a report covers: national, one branch, one Perisai office or one agent.

A scope is always derived from the requesting user with ``scope_for``, which narrows but never
widens what the user may see: a branch user asking for another branch's office gets a
``PermissionDenied``. Report functions take a ``Scope`` and filter every queryset through it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from agents.models import Agent, Branch, PerisaiOffice, User


@dataclass(frozen=True)
class Scope:
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
    if user.role == User.Role.AGENT:
        agent = Agent.objects.filter(user=user).select_related("branch", "office").first()
        if agent is None:
            raise PermissionDenied(_("This account is not linked to an agent."))
        return Scope(branch=agent.branch, office=agent.office, agent=agent)

    branches = Branch.objects.all() if user.is_national else Branch.objects.filter(pk=user.branch_id)
    branch = user.branch if not user.is_national else None
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
    if branch is None and not user.is_national:
        raise PermissionDenied(_("This account belongs to no branch."))
    return Scope(branch=branch)
