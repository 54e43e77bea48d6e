from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from web.signin.models import FailedSignIns


@admin.register(FailedSignIns)
class FailedSignInsAdmin(admin.ModelAdmin):
    """Administrators read which usernames are being guessed at, and lift a wait by deleting the row.
    Nothing here is added or edited by hand: the counts are the sign-in's own."""

    list_display = ["username", "side", "failures", "last_failed_at", "next_attempt_at"]
    search_fields = ["username"]
    ordering = ["-last_failed_at"]
    readonly_fields = ["username", "device", "failures", "last_failed_at", "next_attempt_at"]

    @admin.display(description=_("where"))
    def side(self, counted):
        return _("a device it signed in on before") if counted.device else _("devices it never signed in on")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
