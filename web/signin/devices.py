"""The devices (browsers) a username signed in on before: a signed cookie, ``perisai_device``.

Why: a delay on a username that anyone can trigger from anywhere is a lockout anyone can trigger. So
the username's shared delay (``web.signin.throttle``) holds only for devices it never signed in on; on a
phone or PC where the person signed in within the last ``REMEMBERED_FOR`` their own failures count
apart, and no guessing elsewhere slows them down. This is OWASP's "device cookie" defence.

The cookie holds a random id for the browser and, for each username that signed in on it (a shared
office PC holds several, at most ``MOST_USERNAMES``), an HMAC of the username under the secret key:
no username can be read from it, none added without the key, and it is signed and dated
(``django.core.signing``), so it cannot be forged or kept past its time. It is HttpOnly, Secure in
production, and renewed at every sign-in. Someone who steals it from a browser gets that browser's
own small allowance of guesses (``FREE_ON_KNOWN_DEVICE`` and then the rising delay), no more.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

COOKIE = "perisai_device"
REMEMBERED_FOR = timedelta(days=90)
MOST_USERNAMES = 10
SALT = "web.signin.devices"


def _tag(username):
    return salted_hmac(SALT, username).hexdigest()[:24]


def _read(request):
    """``(device id, username tags)`` from the request's cookie; ``(None, [])`` without a valid one."""
    cached = getattr(request, "_perisai_device", None)
    if cached is not None:
        return cached
    found = (None, [])
    value = request.COOKIES.get(COOKIE)
    if value:
        try:
            data = signing.loads(value, salt=SALT, max_age=REMEMBERED_FOR)
            device, tags = data["d"], data["u"]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            pass
        else:
            if isinstance(device, str) and 0 < len(device) <= 32 and isinstance(tags, list):
                found = (device, [tag for tag in tags if isinstance(tag, str)])
    request._perisai_device = found
    return found


def known_device(request, username):
    """The id of the device ``request`` comes from if ``username`` signed in on it before, else None."""
    if request is None or not username or not hasattr(request, "COOKIES"):
        return None
    device, tags = _read(request)
    return device if device and _tag(username) in tags else None


def remember(request, response, username):
    """Add ``username`` to the device's cookie on ``response`` (a new device id if it had none)."""
    device, tags = _read(request)
    device = device or secrets.token_urlsafe(16)
    tag = _tag(username)
    tags = [tag, *(other for other in tags if other != tag)][:MOST_USERNAMES]
    response.set_cookie(
        COOKIE,
        signing.dumps({"d": device, "u": tags}, salt=SALT, compress=True),
        max_age=int(REMEMBERED_FOR.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
