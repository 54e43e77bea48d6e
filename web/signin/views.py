"""The pages around signing in that Django does not make: the refusal while a username must wait, and
who resets a forgotten password.

**A forgotten password is reset by a person, not by e-mail.** Agents have no e-mail address in Perisai
(many have none at all) and staff need none; a reset link mailed to whoever can read an inbox would be a
second way into an account that skips the branch. So: an agent asks the branch staff, who set a new
temporary password on the agent's page (Agents → the agent → Login), shown once, to hand over in
person; branch staff, a branch head or an administrator asks a national administrator (the only one
who reaches accounts in the administration, ``agents.admin_scope``), who sets a new password on the
account's page there and tells it to them directly. Every open session of the account ends with the
old password; the person then chooses their own at Change password (a link on every page). The pages
Django would serve for a reset by e-mail answer 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from web.signin.throttle import describe_wait


@require_safe
def password_help(request):
    """The "Forgot your password?" page: who can set a new one."""
    return render(request, "registration/password_reset_help.html")


def no_reset_by_email(request, *args, **kwargs):
    """Where Django would send and take reset links: there are none (module docstring)."""
    raise Http404


def wait_response(request, wait):
    """429 with the time to wait, in place of the sign-in page's answer, for an attempt refused unchecked."""
    seconds = max(1, int(wait.total_seconds() + 0.999))
    response = render(request, "registration/signin_wait.html", {"wait": describe_wait(wait)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
