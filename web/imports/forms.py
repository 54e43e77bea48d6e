"""The upload form of the bulk import: the agent the rows are for (or none: an agent-code column) and the file."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agents.models import Agent
from agents.scoping import for_user
from enrollment.importing.limits import ENROLMENT_LIMITS
from web.uploads import SpreadsheetUploadForm


class ActiveAgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agent):
        return f"{agent.full_name} ({agent.code}) — {agent.office.name}"


class ImportUploadForm(SpreadsheetUploadForm):
    limits = ENROLMENT_LIMITS
    field_order = ["agent", "file"]

    agent = ActiveAgentChoiceField(
        label=_("Agent"),
        queryset=None,
        required=False,
        empty_label=_("Each row names its agent (agent-code column)"),
        help_text=_("Every row is enrolled for this agent; leave empty when the file has an agent-code column."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agent"].queryset = (
            for_user(Agent.objects.filter(status=Agent.Status.ACTIVE), user)
            .select_related("office")
            .order_by("full_name")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("agent") and self.user.branch_id is None:
            raise ValidationError(_("Choose the agent: the import needs a branch to belong to."))
        return cleaned
