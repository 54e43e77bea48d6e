"""API tokens: issuing one for an account, revoking it, and the account a bearer token stands for.

A token reads ``prs_`` and 43 URL-safe characters (32 random bytes). Only its SHA-256 is stored
(``ApiToken``); looking a token up by its digest takes the same time whatever part of it is right.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from web.signin.models import ApiToken

PREFIX = "prs_"
SHOWN_CHARACTERS = 8
LAST_USED_EVERY = datetime.timedelta(minutes=5)
"""``last_used_at`` is written at most this often, so a busy integration does not write on every call."""


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(*, user, name, days=None):
    """A new token for ``user``: ``(ApiToken, the token)``. The token is not kept; show it now or never.
    ``days``: valid that many days (none: until revoked)."""
    if not user.is_active:
        raise ValidationError(_("This account is switched off."), code="inactive")
    token = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    issued = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[: len(PREFIX) + SHOWN_CHARACTERS],
        digest=_digest(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days) if days else None,
    )
    return issued, token


def api_token_revoke(*, token):
    """Revoke ``token`` (an ``ApiToken``) from now on; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(token):
    """The active account ``token`` (as sent) stands for, or ``None`` (unknown, revoked, expired)."""
    if not token or not token.startswith(PREFIX) or len(token) > 100:
        return None
    now = timezone.now()
    found = (
        ApiToken.objects.filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if found is None or (found.expires_at is not None and found.expires_at <= now):
        return None
    if found.last_used_at is None or found.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
