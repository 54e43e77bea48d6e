"""The roles a person signs in with. What each role may do is ``agents.permissions``; which rows it
reaches is ``agents.scoping``; the kernel only names them, so masks and checks can speak of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Branch staff")
    HEAD = "head", _("Branch head")
    REGIONAL = "regional", _("Regional office")
    AGENT = "agent", _("Agent")
