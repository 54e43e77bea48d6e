from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    """Agents' fees and bonuses, and the programme's activity rules for agents and offices."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "incentives"
    verbose_name = _("Incentives")
