"""Follow-up in the administration: the reminder wording (per branch, national) and the outbox, read-only.

**Message templates**: branch staff add and change their branch's own wording and read the national
texts (no branch) their branch uses where it has none; only administrators change the national ones.
The wording has no page of its own, so this is one of the few things branch users reach in the admin
(``agents.admin_scope``).
**The outbox** is the record of what ``send_reminders`` queued and what became of it: staff and the head
read their branch's on the Reminders page (``web.followup``); here it is the national administrators'.
Nobody edits or deletes a message here (they go after 90 days), and phone numbers, in ``to`` and inside
the text, are masked for the roles that must not see them (``followup.outbox``).
"""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from agents.admin_scope import BranchScopedAdmin, NationalOnly, ViewOnly
from followup.models import PLACEHOLDERS, MessageTemplate, OutboxMessage
from followup.outbox import text_for
from perisai.privacy import mask_phone, may_see_phone


@admin.register(MessageTemplate)
class MessageTemplateAdmin(BranchScopedAdmin):
    list_display = ["purpose", "wording_of", "text"]
    list_filter = ["purpose", "branch"]
    list_select_related = ["branch"]
    fields = ["branch", "purpose", "text", "placeholders"]
    readonly_fields = ["placeholders"]

    def get_queryset(self, request):
        own = super().get_queryset(request)
        if request.user.is_national or request.user.branch_id is None:
            return own
        return own | self.model.objects.filter(branch__isnull=True)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.branch_id is None and not request.user.is_national:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.branch_id is None and not request.user.is_national:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        branch = form.base_fields.get("branch")
        if branch is not None and not request.user.is_national:
            branch.required = True  # empty would be the national wording, which is not theirs to write
            branch.initial = request.user.branch_id
        return form

    @admin.display(description=_("wording of"), ordering="branch")
    def wording_of(self, template):
        return template.branch or _("National")

    @admin.display(description=_("placeholders"))
    def placeholders(self, template):
        return format_html_join(
            "", "<div><code>{{{}}}</code>: {}</div>", ((name, meaning) for name, meaning in PLACEHOLDERS.items())
        )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NationalOnly, ViewOnly, BranchScopedAdmin):
    """Read-only; ``to`` and ``text`` swapped for their masked stand-ins for those who may not see phones."""

    list_display = ["created_at", "purpose", "to", "status", "branch"]
    list_filter = ["status", "purpose", "month", "branch"]
    list_select_related = ["branch"]
    search_fields = ["acquisition__participant__full_name", "agent__full_name"]  # never by number: the head
    date_hierarchy = "created_at"
    fields = [
        "branch",
        "purpose",
        "month",
        "acquisition",
        "agent",
        "to",
        "text",
        "created_at",
        "status",
        "sent_at",
        "backend",
        "error",
    ]
    MASKED = {"to": "masked_to", "text": "masked_text"}

    def _shown(self, request, names):
        if may_see_phone(request.user):
            return list(names)
        return [self.MASKED.get(name, name) if isinstance(name, str) else name for name in names]

    def get_list_display(self, request):
        return self._shown(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._shown(request, self.fields)

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("to"))
    def masked_to(self, message):
        return mask_phone(message.to)

    @admin.display(description=_("text"))
    def masked_text(self, message):
        return text_for(None, message.text)
