"""A session's absolute lifetime: signed out ``SESSION_ABSOLUTE_SECONDS`` (12 hours) after signing in,
however busy it has been.

Django's own limit (``SESSION_COOKIE_AGE`` renewed at every request) ends a session only after 30 idle
minutes, so a session used every few minutes would live for ever, and a stolen session cookie with it.
ASVS 3.3 asks for a new sign-in at least every 12 hours of use. The time of signing in is kept in the
session when ``user_logged_in`` fires, whichever page signed the person in (``note_sign_in``);
``web.middleware.SessionLifetimeMiddleware`` signs out a session past its lifetime before any page sees
it, and a signed-in session that does not say when it began (one from before this rule) counts as past.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

SIGNED_IN_AT = "perisai_signed_in_at"


def note_sign_in(sender, request, user, **kwargs):
    """On ``user_logged_in``: the session began now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = int(time.time())


def outlived(request):
    """The request's session is signed in and began more than ``SESSION_ABSOLUTE_SECONDS`` ago."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return False
    started = session.get(SIGNED_IN_AT)
    if not isinstance(started, int | float):
        return True
    return time.time() - started > settings.SESSION_ABSOLUTE_SECONDS
