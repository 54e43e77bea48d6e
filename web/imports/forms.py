"""The upload form of the bulk import: the agent the rows are for (or none: an agent-code column) and the file."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agents.models import Agent
from agents.scoping import for_user
from enrollment.importing.limits import MAX_ROWS, MAX_UPLOAD_BYTES
from enrollment.importing.reader import megabytes

ACCEPTED_SUFFIXES = (".xlsx", ".csv")


class ActiveAgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agent):
        return f"{agent.full_name} ({agent.code}) — {agent.office.name}"


class ImportUploadForm(forms.Form):
    agent = ActiveAgentChoiceField(
        label=_("Agent"),
        queryset=None,
        required=False,
        empty_label=_("Each row names its agent (agent-code column)"),
        help_text=_("Every row is enrolled for this agent; leave empty when the file has an agent-code column."),
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args, user, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.too_large = too_large
        self.fields["agent"].queryset = (
            for_user(Agent.objects.filter(status=Agent.Status.ACTIVE), user)
            .select_related("office")
            .order_by("full_name")
        )
        self.fields["file"].help_text = _("At most %(size)s MB and %(rows)s rows.") % {
            "size": megabytes(MAX_UPLOAD_BYTES),
            "rows": number_format(MAX_ROWS, use_l10n=True, force_grouping=True),
        }

    def full_clean(self):
        """A file dropped while uploading for its size is reported as too large, not as missing."""
        super().full_clean()
        if self.too_large:
            self._errors["file"] = self.error_class([self._too_large_message()])
            self.cleaned_data.pop("file", None)

    def _too_large_message(self):
        return _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
            "limit": megabytes(MAX_UPLOAD_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(self._too_large_message())
        if PurePath(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("agent") and self.user.branch_id is None:
            raise ValidationError(_("Choose the agent: the import needs a branch to belong to."))
        return cleaned
