from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Keeping participants paying: who needs a word today, the contacts agents log, reminder messages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from enrollment import client_keys
        from followup.models import ContactAttempt

        # A contact's key is checked against the enrolments' and contributions' keys, and theirs against it.
        client_keys.register(ContactAttempt, user_path="recorded_by")
