"""Who may open the network pages: one decorator, so no view has to remember it.

Permissions come from the user's role (``agents.permissions``): branch staff and administrators may
read and write, the branch head may read every page but gets 403 on every write, and agents (who have
no permissions here) get 403 everywhere. Which *rows* a user sees is the selectors' job (404 outside
the user's branch).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

PER_PAGE = 25


def requires(permission):
    """Sign-in first (a redirect to the login page), then ``permission`` or 403."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


def paginate(request, queryset, *, param="page", per_page=PER_PAGE):
    """The requested page of ``queryset`` (a bad or too-high page number gives the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))
