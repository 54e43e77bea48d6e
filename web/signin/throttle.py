"""The username's rising delay: however many addresses a guesser uses, a username gets a few free
wrong passwords and then waits longer before each next one; and no guesser can slow its owner down on
the devices the owner signs in on.

Two limits stand in front of the password check (``AUTHENTICATION_BACKENDS``, before Django's):

1. **django-axes, by username and address**: 5 wrong passwords for a username from one address lock that
   pair for 30 minutes. It stops a burst from one place at once and never locks a whole office behind
   one NAT. The address is the client's, read right behind the proxy (``web.signin.addresses``).
2. **This module, by username alone**: every wrong password for a username from a device it never
   signed in on counts, from any address. After ``FREE_ON_ANY_DEVICE`` (10) of them, each next attempt
   must wait ``FIRST_WAIT`` (30 s), doubling with each further failure (1, 2, 4, 8 minutes) up to
   ``LONGEST_WAIT`` (15 minutes). An attempt during the wait is refused without looking at the
   password, the right one included ("try again in 4 minutes", 429): otherwise the wait would limit
   nothing. Refused attempts neither count nor lengthen the wait. Guessing is thereby held to about
   100 passwords a day per username, from any number of addresses.

A delay that anyone can trigger would be a lockout anyone can trigger, so the devices the username
signed in on before (``web.signin.devices``, a signed cookie) are outside both: each such device has
its own count for the username (``FREE_ON_KNOWN_DEVICE``, 5, then the same rising wait) and is never
held by axes nor by failures elsewhere. What a guesser can still do is slow the person down on a
device they never signed in on (a new phone), by at most ``LONGEST_WAIT`` at a time; an administrator
can lift it by deleting the username's row under Sign-in delays in the admin.

A successful sign-in clears the count of the side it came from (that device, or the unknown
devices); a count is forgotten a day (``FORGOTTEN_AFTER``) after its last failure.

The counts live in the database (``FailedSignIns``): every gunicorn worker and every app server must see
one count, and taking the next attempt once the wait is over is a locked row update, so attempts sent
in parallel cannot all slip through the same opening (the attempt holds the slot as if it will fail;
a success clears it).
"""

import math
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from web.signin.devices import known_device
from web.signin.models import FailedSignIns

FREE_ON_ANY_DEVICE = 10
FREE_ON_KNOWN_DEVICE = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
FORGOTTEN_AFTER = timedelta(days=1)
ANY_DEVICE = ""  # the ``device`` of the count shared by every device the username never signed in on

WAIT_ATTRIBUTE = "perisai_signin_wait"  # on the request: the attempt was refused, this long to wait
CHECKED_ATTRIBUTE = "perisai_signin_checked"  # on the request: the attempt went on to the password check
REMEMBER_ATTRIBUTE = "perisai_signin_remember"  # on the request: this username signed in on this device


def _free(device):
    return FREE_ON_KNOWN_DEVICE if device else FREE_ON_ANY_DEVICE


def wait_after(failures, *, device=ANY_DEVICE):
    """How long the next attempt waits after ``failures`` wrong passwords in a row on ``device``'s side."""
    beyond = failures - _free(device)
    if beyond < 0:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(beyond, 16), LONGEST_WAIT)


def side(request, username):
    """Whose count an attempt for ``username`` from ``request`` belongs to: the device's id if the
    username signed in on it before, else ``ANY_DEVICE``."""
    return known_device(request, username) or ANY_DEVICE


def _current(username, device, now):
    return FailedSignIns.objects.filter(
        username=username, device=device, last_failed_at__gte=now - FORGOTTEN_AFTER
    ).select_for_update()


def claim_attempt(*, username, device, now=None):
    """May a password for ``username`` be checked now, from ``device``'s side? ``None`` if so (the attempt
    then holds the next slot until it fails or succeeds), else the time still to wait."""
    now = now or timezone.now()
    with transaction.atomic():
        counted = _current(username, device, now).first()
        if counted is None or counted.failures < _free(device):
            return None
        if counted.next_attempt_at > now:
            return counted.next_attempt_at - now
        counted.next_attempt_at = now + wait_after(counted.failures + 1, device=device)
        counted.save(update_fields=["next_attempt_at"])
    return None


def _forget_old(now):
    """Counts past ``FORGOTTEN_AFTER`` no longer count: delete them (they name usernames, some of people)."""
    FailedSignIns.objects.filter(last_failed_at__lt=now - FORGOTTEN_AFTER).delete()


def record_failure(*, username, device, now=None):
    """Count a wrong password for ``username`` on ``device``'s side, and set when the next may come."""
    now = now or timezone.now()
    with transaction.atomic():
        _forget_old(now)
        counted, _created = FailedSignIns.objects.select_for_update().get_or_create(
            username=username, device=device, defaults={"last_failed_at": now, "next_attempt_at": now}
        )
        counted.failures += 1
        counted.last_failed_at = now
        counted.next_attempt_at = now + wait_after(counted.failures, device=device)
        counted.save()
    return counted


def clear(*, username, device):
    """Forget ``username``'s failures on ``device``'s side (it signed in there), and the counts past their day."""
    forgotten = Q(last_failed_at__lt=timezone.now() - FORGOTTEN_AFTER)
    FailedSignIns.objects.filter(Q(username=username, device=device) | forgotten).delete()


def describe_wait(wait):
    """The wait as the refusal says it ("30 seconds", "4 minutes"), rounded up."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class SignInDelayBackend:
    """Signs nobody in: refuses the attempt, before the password is checked, while the username's side
    must wait (``PermissionDenied`` stops Django's ``authenticate`` there). The refusal is marked on the
    request for ``web.middleware.SignInMiddleware``, which answers with the wait."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        device = side(request, username)
        wait = claim_attempt(username=username, device=device)
        if wait is None:
            if request is not None:
                setattr(request, CHECKED_ATTRIBUTE, (username, device))
            return None
        if request is not None:
            setattr(request, WAIT_ATTRIBUTE, wait)
        raise PermissionDenied

    # No ``get_user``: a session is never this backend's (the test client's ``force_login`` picks the first
    # backend that has one).


def on_failed_sign_in(sender, credentials, request=None, **kwargs):
    """On ``user_login_failed``: count it, if its password was checked (not refused by axes or the wait)."""
    checked = getattr(request, CHECKED_ATTRIBUTE, None)
    if checked is None or getattr(request, WAIT_ATTRIBUTE, None) is not None:
        return
    username, device = checked
    record_failure(username=username, device=device)


def on_sign_in(sender, request, user, **kwargs):
    """On ``user_logged_in``: clear the count of the side it came from, and remember the device."""
    username = user.get_username()
    clear(username=username, device=side(request, username))
    if request is not None:
        setattr(request, REMEMBER_ATTRIBUTE, username)


def exempt_from_address_lockout(request, credentials=None):
    """``AXES_WHITELIST_CALLABLE``: axes neither holds nor counts an attempt from a device the username
    signed in on before (its own count here limits it), nor one the wait refused unchecked."""
    if request is None:
        return False
    if getattr(request, WAIT_ATTRIBUTE, None) is not None:
        return True
    username = (credentials or {}).get("username")
    return bool(username) and known_device(request, username) is not None
