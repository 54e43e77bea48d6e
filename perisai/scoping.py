"""Which rows a user may see: the one place scope is decided.

Every queryset of branch data passes through ``for_user`` with the path from its model to the
branch (``"branch"``, ``"office__branch"``, ``"acquisition__branch"`` ...) and, where agents may
see some of it, the path to the agent whose rows they are (``"caretaker"`` ...).

- A national administrator sees every branch.
- Branch staff and the branch head see their own branch.
- An agent sees only rows reached through ``agent_path`` that are theirs; where a queryset has no
  agent path, an agent sees nothing.
- Anyone else (no branch, not national) sees nothing.
"""

from agents.models import User


def for_user(queryset, user, branch_path="branch", agent_path=None):
    """``queryset`` narrowed to what ``user`` may see; ``branch_path=None`` for a queryset of branches."""
    if getattr(user, "is_national", False):
        return queryset
    if getattr(user, "role", None) == User.Role.AGENT:
        if agent_path is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(**{f"{agent_path}__user": user})
    branch_id = getattr(user, "branch_id", None)
    if branch_id is None:
        return queryset.none()
    lookup = "pk" if branch_path is None else f"{branch_path}_id"
    return queryset.filter(**{lookup: branch_id})
