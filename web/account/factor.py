"""The second factor: who must give one, and every change to a person's factor.

A person's *factor* is an authenticator app (django-otp's ``TOTPDevice``: RFC 6238, a 6-digit code
that changes every 30 seconds, each code accepted once) with ten *recovery codes* (django-otp's
``StaticDevice``) for the day the phone is lost: each works once, and a new set replaces the old.

**Who must give it.** With ``PERISAI_REQUIRE_TWO_FACTOR`` on (production's default) everyone but agents:
branch staff and heads read every participant's data, administrators every branch's; agents see only
their own participants and work from a phone in the field, so for them it is a choice. Anyone who has
set a factor up, an agent too, is asked for it at every sign-in, whatever the setting: a factor that
could be skipped would protect nothing. An account with Django-admin access (``is_staff``) counts as
staff whatever its role.

**Set-up on first sign-in.** Someone who must give a factor and has none is sent to set one up right
after their password. Until they confirm a code from their app, the only pages open to them are the
set-up, sign-out and the language switch (``web.account.middleware``).

**Wrong codes** are throttled per device by django-otp: after n wrong codes in a row the next is
refused until 2^(n-1) seconds have passed (1, 2, 4 … about 8.5 minutes after ten), whichever session
or address they come from.

**Recovery codes are stored hashed.** django-otp keeps a static token as typed; a copy of the database
must not hand out sign-ins, so what it stores is the first 16 hex digits of the code's SHA-256. Each
code is 80 random bits (16 base-32 characters), so the hash cannot be walked back.

**An administrator's reset** removes the app and the codes, so the person sets up a new factor at their
next sign-in; the record (who, whom, when, why) is an entry in the account's history in the Django
admin (``LogEntry``), where administrators already read who changed an account. National
administrators reset; nobody resets their own factor from a page: another administrator does, or the
server's operator with ``manage.py reset_second_factor``.
"""

import base64
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agents.models import User
from agents.scoping import for_user
from perisai.roles import Role

logger = logging.getLogger("perisai.account")

APP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"
RECOVERY_CODE_COUNT = 10
RESET_RECORD_PREFIX = "Second factor reset: "  # the admin history's entry, in one fixed form to find it by
SESSION_KEY = "perisai_second_factor"  # {"user": pk, "factor": bool}: whether the person has a factor
TOTP_CODE = re.compile(r"\d{6}")


def required_by_role(user):
    """The setting and the role make ``user`` give a second factor (whether or not they have one)."""
    if not getattr(settings, "PERISAI_REQUIRE_TWO_FACTOR", False):
        return False
    return user.role != Role.AGENT or user.is_staff or user.is_superuser


def has_factor(user):
    """``user`` has set up an authenticator app (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def note_factor(request, has):
    """Keep in the session whether the signed-in person has a factor, so no page asks the database."""
    request.session[SESSION_KEY] = {"user": request.user.pk, "factor": bool(has)}


def note_factor_on_sign_in(sender, request, user, **kwargs):
    """On ``user_logged_in``: note in the new session whether the person has a factor. Someone the role
    already obliges needs no note (and no query)."""
    session = getattr(request, "session", None)
    if session is not None and not required_by_role(user):
        session[SESSION_KEY] = {"user": user.pk, "factor": has_factor(user)}


def must_verify(request):
    """The signed-in person owes a second factor this session (given yet or not): their role requires
    one, or they have one. Costs no query once the session knows whether they have one."""
    user = request.user
    if not user.is_authenticated:
        return False
    if required_by_role(user):
        return True
    noted = request.session.get(SESSION_KEY)
    if not noted or noted.get("user") != user.pk:
        note_factor(request, has_factor(user))
        noted = request.session[SESSION_KEY]
    return noted["factor"]


def sign_in_second_step(request, device):
    """The session has now given its second factor with ``device``: a new session key (the session's
    privilege rose, so a key seen before it must not carry it) bound to the device."""
    request.session.cycle_key()
    otp_login(request, device)
    note_factor(request, True)


# --- the authenticator app ---------------------------------------------------------------------------


def pending_app(user):
    """The authenticator app being set up for ``user``: the same secret until it is confirmed, so a
    reloaded page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_for_typing(device):
    """The app's secret in base 32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device):
    """The app's ``otpauth://`` address as a QR code, an SVG inline in the page (``data:``, which the
    Content-Security-Policy allows for images): drawn on the server, no script, no outside service."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@dataclass(frozen=True)
class Attempt:
    """What a code did: ``device`` that accepted it, or why not (``wait`` seconds when throttled); after
    a recovery code, how many are left; after a set-up, the new recovery codes in plain text."""

    device: object = None
    wait: int = 0
    recovery_codes_left: int | None = None
    new_recovery_codes: tuple = ()

    @property
    def accepted(self):
        return self.device is not None


def _throttled(device):
    """Seconds ``device`` still refuses codes after wrong ones (0 when it takes one now)."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))


def second_factor_enrol(*, device, code):
    """Confirm the pending app ``device`` with a ``code`` it shows; on success it is the person's app
    (any earlier app is removed) and a fresh set of recovery codes is made, which the ``Attempt``
    carries in plain text to be shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        wait = _throttled(device)
        if wait:
            return Attempt(wait=wait)
        if not (TOTP_CODE.fullmatch(code) and device.verify_token(code)):
            return Attempt()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        codes = recovery_codes_renew(user=device.user)
    logger.info("second factor set up", extra={"user_id": device.user_id})
    return Attempt(device=device, new_recovery_codes=tuple(codes))


# --- recovery codes ----------------------------------------------------------------------------------


def normalise_code(code):
    """A code as typed, lower case without spaces or dashes ("ABCD-efgh …" and "abcdefgh…" are one)."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def hash_recovery_code(code):
    """What is stored for a recovery code: 16 hex digits of its SHA-256 (see the module's docstring). A
    recovery code has no 0 or 1 (base 32), so one typed for an o or an l is read as meant."""
    code = normalise_code(code).translate(str.maketrans("01", "ol"))
    return hashlib.sha256(f"perisai-recovery:{code}".encode()).hexdigest()[:16]


def _new_recovery_code():
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 80 bits, 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def recovery_codes_renew(*, user):
    """A new set of recovery codes for ``user`` in place of the old (which stop working); returns them in
    plain text, the only time they exist so. The device itself is kept, so a session verified with a
    recovery code stays verified."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=hash_recovery_code(code)) for code in codes)
    logger.info("recovery codes renewed", extra={"user_id": user.pk})
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- signing in --------------------------------------------------------------------------------------


def second_factor_verify(*, user, code):
    """Check ``code`` for ``user``: six digits against their app, anything else as a recovery code (used
    up when it works). Wrong codes count against that device's throttle."""
    code = normalise_code(code)
    is_app_code = bool(TOTP_CODE.fullmatch(code))
    model = TOTPDevice if is_app_code else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return Attempt()
        wait = _throttled(device)
        if wait:
            return Attempt(wait=wait)
        if not device.verify_token(code if is_app_code else hash_recovery_code(code)):
            logger.warning("second factor refused", extra={"user_id": user.pk})
            return Attempt()
    if is_app_code:
        return Attempt(device=device)
    left = recovery_codes_left(user)
    logger.info("recovery code used", extra={"user_id": user.pk, "recovery_codes_left": left})
    return Attempt(device=device, recovery_codes_left=left)


# --- turning off and resetting -----------------------------------------------------------------------


def _remove_factor(user):
    """Remove ``user``'s app (set up or pending) and recovery codes; whether there was a factor."""
    had = has_factor(user) or StaticDevice.objects.filter(user=user).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


def second_factor_turn_off(*, user):
    """An agent who opted in turns their factor off again; someone whose role requires one cannot."""
    if required_by_role(user):
        raise ValidationError(_("Your role requires a second factor; it cannot be turned off."))
    with transaction.atomic():
        _remove_factor(user)
    logger.info("second factor turned off", extra={"user_id": user.pk})


def may_reset_second_factors(user):
    """National administrators reset other people's second factor, in every branch: a reset hands an
    account to whoever sets up the next app, so it is kept to the few who administer accounts, not to
    an administrator bound to a branch nor to branch staff."""
    return user.is_authenticated and (user.is_superuser or (user.role == Role.ADMIN and user.is_national))


def second_factor_reset(*, user, by, reason, at_the_server=False):
    """Remove ``user``'s factor because they lost it, recording that ``by`` did it and why. Refused, with
    nothing changed, without a reason, for an account with no factor, and for one's own account unless
    done by the server's operator (``at_the_server``)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the second factor is reset.")})
    if user.pk == by.pk and not at_the_server:
        raise ValidationError(_("Another administrator must reset your own second factor."))
    with transaction.atomic():
        if not _remove_factor(user):
            raise ValidationError(_("This account has no second factor to reset."))
        record = LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=f"{RESET_RECORD_PREFIX}{reason}" + (" (at the server)" if at_the_server else ""),
            single_object=True,
        )
    logger.warning("second factor reset", extra={"user_id": user.pk, "by_user_id": by.pk})
    return record


def reset_records(user, limit=20):
    """The latest resets of ``user``'s factor, newest first: ``action_time`` (when), ``user`` (who) and
    ``reason`` (why)."""
    entries = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(user.pk),
            change_message__startswith=RESET_RECORD_PREFIX,
        ).select_related("user")[:limit]
    )
    for entry in entries:
        entry.reason = entry.change_message.removeprefix(RESET_RECORD_PREFIX)
    return entries


def accounts_for(user, search=""):
    """The accounts whose factor ``user`` (a national administrator) may reset, each with ``has_factor``
    and ``codes_left``, in one query; narrowed by ``agents.scoping`` like every list, so nobody else
    reaches an account here."""
    accounts = for_user(User.objects.select_related("branch"), user, "branch")
    if search:
        accounts = accounts.filter(
            Q(username__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    codes_left = (
        StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True)
        .order_by()
        .values("device__user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return accounts.annotate(
        has_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        codes_left=Subquery(codes_left),
    ).order_by("branch__name", "username")
