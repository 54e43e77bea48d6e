"""Who may open a page: one decorator, ``requires``, used by every view, so no view has to remember it.

Every page needs a signed-in user first (anyone else is sent to the sign-in page). Then each
``requires`` names one rule: a permission (``"agents.view_agent"``) or a function of the user
(``is_agent``, ``enrollment.privacy.may_read_nik_log`` ...), and what a user who fails it gets:

- **404** (``hidden=True``) when the page does not exist for them: an agent opening a staff screen, a
  staff member opening an agent's phone page. Nothing tells them the page is there.
- **403** (the default) when the page exists for them but the action is not theirs: the branch head
  (who reads everything) pressing "Save", branch staff opening the NIK view log that watches them.

Stacked decorators read top to bottom in the order they are checked::

    @requires("enrollment.view_participant", hidden=True)
    @requires("enrollment.change_participant", message=_("Only branch staff can change participants."))
    def participant_edit(request, pk): ...

Permissions follow from the user's role (``agents.permissions``). Which *rows* a user reaches is not
decided here but by the selectors (``agents.scoping``): another branch's id is a 404.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from agents.models import Agent
from perisai.roles import Role

PER_PAGE = 25


def is_agent(user):
    """Signed in with the agent role."""
    return user.role == Role.AGENT


def is_branch_user(user):
    """Branch staff, a branch head or an administrator: anyone but an agent."""
    return user.role != Role.AGENT


def picks_branch(user):
    """A national administrator or a regional user: someone who reaches several branches, so a page that
    shows one branch at a time (report selectors, the incentive sheet) lets them pick it among those
    ``agents.scoping.for_user`` gives them."""
    return bool(getattr(user, "is_national", False) or getattr(user, "is_regional", False))


def _holds(user, rule):
    return user.has_perm(rule) if isinstance(rule, str) else rule(user)


def requires(rule=None, *, hidden=False, message=None):
    """Sign-in first (a redirect to the sign-in page), then ``rule``: a permission name or a function of
    the user; without it, 404 when ``hidden`` (the page does not exist for this user), else 403 with
    ``message``. ``requires()`` with no rule asks only that the user be signed in."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if rule is not None and not _holds(request.user, rule):
                if hidden:
                    raise Http404
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


def agent_required(view):
    """For the agent's own pages: ``requires(is_agent, hidden=True)``, and the signed-in agent's ``Agent``
    passed to ``view`` after the request; an agent account linked to no agent gets a 404 too."""

    @requires(is_agent, hidden=True)
    @wraps(view)
    def with_agent(request, *args, **kwargs):
        agent = get_object_or_404(Agent.objects.select_related("branch", "office"), user=request.user)
        return view(request, agent, *args, **kwargs)

    return with_agent


def paginate(request, queryset, *, param="page", per_page=PER_PAGE):
    """The requested page of ``queryset`` (a bad or too-high page number gives the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))
