from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FailedSignIns(models.Model):
    """The wrong passwords given for one username since it last signed in, and when it may try again.

    One row per username for every device it never signed in on (``device`` empty: the attacker's side),
    and one per device it did sign in on (``device`` is that device's id, from its cookie), so failures
    elsewhere never slow a person down on their own phone or PC (``web.signin.throttle``). A row goes
    when the username signs in on that side, or a day after its last failure.

    In the database rather than a cache: every app server (and every gunicorn worker) must see the same
    count, the count must survive a restart, and claiming the next attempt must be one atomic update,
    which a row lock gives and a per-process cache does not.
    """

    username = models.CharField(_("username"), max_length=150)
    device = models.CharField(_("device"), max_length=32, blank=True)
    failures = models.PositiveIntegerField(_("wrong passwords"), default=0)
    last_failed_at = models.DateTimeField(_("last wrong password"), db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt allowed at"))

    class Meta:
        verbose_name = _("sign-in delay")
        verbose_name_plural = _("sign-in delays")
        constraints = [
            models.UniqueConstraint(fields=["username", "device"], name="failed_sign_ins_one_per_username_device"),
        ]

    def __str__(self):
        return self.username


class ApiToken(models.Model):
    """A bearer token for the JSON API (``/api/v1/``), for an integration that writes as one account.

    Issued and revoked from the command line (``manage.py api_token``); the token itself is shown once,
    at issue, and only its SHA-256 is kept, so a copy of the database hands out no access. A token is
    256 random bits, so a fast hash is as good as a slow one here (there is nothing to guess from it).
    ``prefix`` (its first characters) lets a person tell their tokens apart in a listing. A revoked or
    expired token, or one whose account is switched off, authenticates nothing (``web.signin.tokens``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("what it is for"), max_length=80)
    prefix = models.CharField(_("first characters"), max_length=12)
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"
