"""Which rows a user may see: the one place branch scope is decided.

Every queryset of branch data passes through ``for_user`` with the path from its model to the
branch (``"branch"``, ``"office__branch"``, ``"acquisition__branch"`` ...). A national
administrator sees every branch; everyone else sees only their own branch; a user without a
branch who is not a national administrator sees nothing.
"""


def for_user(queryset, user, branch_path="branch"):
    """``queryset`` narrowed to ``user``'s branch; ``branch_path=None`` for a queryset of branches."""
    if getattr(user, "is_national", False):
        return queryset
    branch_id = getattr(user, "branch_id", None)
    if branch_id is None:
        return queryset.none()
    lookup = "pk" if branch_path is None else f"{branch_path}_id"
    return queryset.filter(**{lookup: branch_id})
