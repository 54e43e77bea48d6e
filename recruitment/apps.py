from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    """Growing the network: candidates, the branch's training sessions (pembekalan), and activation."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "recruitment"
    verbose_name = _("Recruitment")
