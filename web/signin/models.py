from django.db import models
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
