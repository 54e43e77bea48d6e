"""Which rows a user may see, and what a page, report or file covers: the one place scope is decided.

**Reach** (``_reach``, decided once for both functions below):

- a national administrator (no branch) sees every branch;
- a regional user (the regional role, a region and no branch) sees every branch of their region, and
  no branch that is in no region or in another;
- branch staff and the branch head see their own branch;
- an agent sees only what is theirs: the rows reached through an agent path (``"caretaker"``,
  ``"agent"`` ...) whose agent is their ``Agent``; where there is no agent path, nothing;
- anyone else (no branch, not national, not signed in) sees nothing.

**Rows**: ``for_user(queryset, user, branch_path, agent_path)`` narrows any queryset of branch data
with the path from its model to the branch (``"branch"``, ``"office__branch"``, ``"acquisition__branch"``
...; a regional user's rows are those whose branch's region is theirs: ``f"{branch_path}__region_id"``)
and, where agents may see some of it, the path to the agent whose rows they are. It reads nothing
from the database, so a page pays no query for it.

**Scope**: a ``Scope`` is what a report, a dashboard or an export covers (national, one region, one
branch, one Perisai office, one agent). ``scope_for(user, ...)`` derives it from the requesting user, and
narrows but never widens what the user may see: a branch user asking for another branch's office, or a
regional user asking for a branch of another region, gets a ``PermissionDenied``. Report functions take
a ``Scope`` and filter every queryset through it; commands, which run as the server's operator, build
one directly (``Scope(branch=...)``).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from agents.models import Agent, Branch, PerisaiOffice, Region
from perisai.roles import Role

NATIONAL, REGION, BRANCH, AGENT, NOTHING = "national", "region", "branch", "agent", "nothing"


def _reach(user):
    """How far ``user`` reaches: ``AGENT`` (their own rows), ``NATIONAL``, ``REGION``, ``BRANCH`` or
    ``NOTHING``.

    The role comes first: an account with the agent role reaches only its agent's rows, one with the
    regional role only its region's branches (nothing without a region), whatever else is set on it.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    role = getattr(user, "role", None)
    if role == Role.AGENT:
        return AGENT
    if role == Role.REGIONAL:
        return NOTHING if getattr(user, "region_id", None) is None else REGION
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
    if reach == REGION:
        lookup = "region_id" if branch_path is None else f"{branch_path}__region_id"
        return queryset.filter(**{lookup: user.region_id})
    lookup = "pk" if branch_path is None else f"{branch_path}_id"
    return queryset.filter(**{lookup: user.branch_id})


@dataclass(frozen=True)
class Scope:
    """What a report covers: everything (no field set), one region, one branch, one office, or one agent.

    The narrowest field set decides the level; ``q``/``filter`` turn it into a filter on any queryset
    that reaches a branch, an office and an agent through ``prefix`` and ``agent_field``. A region's
    scope is ``Scope(region=...)`` alone: its rows are those credited to a branch of the region (through
    the branch, so a branch moved to another region takes its history with it).
    """

    branch: Branch | None = None
    office: PerisaiOffice | None = None
    agent: Agent | None = None
    region: Region | None = None
    # The ids of the region's branches when whoever built the scope read them already (``scope_for``).
    region_branches: tuple | None = field(default=None, compare=False, repr=False)

    @property
    def level(self):
        if self.agent:
            return "agent"
        if self.office:
            return "office"
        if self.branch:
            return "branch"
        if self.region:
            return "region"
        return "national"

    @cached_property
    def region_branch_ids(self):
        """The ids of the region's branches: as ``scope_for`` read them, else read once per scope (one query).

        ``q`` narrows a region by them rather than by a join (``branch__region``) or a subquery, since it
        also narrows a ``FilteredRelation`` (the monthly counts), whose condition takes neither.
        """
        if self.region_branches is not None:
            return self.region_branches
        return tuple(Branch.objects.filter(region=self.region).values_list("pk", flat=True))

    @property
    def label(self):
        if self.agent:
            return str(self.agent)
        if self.office:
            return str(self.office)
        if self.branch:
            return str(self.branch)
        if self.region:
            return str(self.region)
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
        if self.region:
            return Q(**{f"{prefix}branch__in": self.region_branch_ids})
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
        if self.region:
            return queryset.filter(branch__region=self.region)
        return queryset

    def filter_offices(self, queryset):
        """Perisai offices in this scope (an agent's scope holds the agent's office)."""
        if self.office:
            return queryset.filter(pk=self.office.pk)
        if self.branch:
            return queryset.filter(branch=self.branch)
        if self.region:
            return queryset.filter(branch__region=self.region)
        return queryset

    def filter_branches(self, queryset):
        """Branches in this scope."""
        if self.branch:
            return queryset.filter(pk=self.branch.pk)
        if self.region:
            return queryset.filter(region=self.region)
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
        if self.region:
            return {"region": self.region.code}
        return {}


def scope_for(user, *, region_code=None, branch_code=None, office_code=None, agent_code=None):
    """The scope ``user`` asked for, within what they may see; the widest allowed when nothing is asked.

    An agent always gets their own scope; branch users get their branch or an office or agent in it;
    a regional user gets their region or a branch, office or agent in it; a national administrator may
    ask for any of them. A code outside the user's reach, or one that does not belong to the region or
    branch also asked for, is a ``PermissionDenied``.
    """
    reach = _reach(user)
    if reach == AGENT:
        agent = Agent.objects.filter(user=user).select_related("branch", "office").first()
        if agent is None:
            raise PermissionDenied(_("This account is not linked to an agent."))
        return Scope(branch=agent.branch, office=agent.office, agent=agent)
    if reach == NOTHING:
        raise PermissionDenied(_("This account belongs to no branch."))

    region_scope = None
    if reach == NATIONAL:
        branches, regions = Branch.objects.all(), Region.objects.all()
    elif reach == REGION:
        branches, regions = Branch.objects.filter(region_id=user.region_id), Region.objects.filter(pk=user.region_id)
    else:
        branches, regions = Branch.objects.filter(pk=user.branch_id), Region.objects.none()
    branch = user.branch if reach == BRANCH else None
    if region_code:
        region_scope = _region_scope(regions.filter(code=region_code))
        if region_scope is None:
            raise PermissionDenied(_("Regional office %(code)s is not one you may see.") % {"code": region_code})
        branches = branches.filter(region=region_scope.region)
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
    if branch is not None:
        return Scope(branch=branch)
    if region_scope is None and reach == REGION:
        region_scope = _region_scope(regions)
    return region_scope or Scope()


def _region_scope(regions):
    """The scope of the one region in ``regions`` (``None`` when there is none), read with the ids of its
    branches in one query (two for a region without branches), so its reports pay nothing more for them."""
    branches = list(Branch.objects.filter(region__in=regions).select_related("region"))
    if branches:
        return Scope(region=branches[0].region, region_branches=tuple(branch.pk for branch in branches))
    region = regions.first()
    return None if region is None else Scope(region=region, region_branches=())
