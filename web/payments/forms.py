"""The payments file's upload form: the file, and for a national administrator the branch it is for."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agents.models import Branch
from enrollment.importing.limits import PAYMENT_LIMITS
from enrollment.importing.reader import megabytes

ACCEPTED_SUFFIXES = (".xlsx", ".csv")


class PaymentUploadForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label=_("Every branch (a national file)"),
        help_text=_("Rows of participants of other branches are listed, not imported."),
    )
    file = forms.FileField(
        label=_("Payments file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args, user, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.too_large = too_large
        if user.branch_id is not None:  # branch staff import for their own branch
            del self.fields["branch"]
        self.fields["file"].help_text = _("At most %(size)s MB and %(rows)s rows.") % {
            "size": megabytes(PAYMENT_LIMITS.upload_bytes),
            "rows": number_format(PAYMENT_LIMITS.rows, use_l10n=True, force_grouping=True),
        }

    def full_clean(self):
        """A file dropped while uploading for its size is reported as too large, not as missing."""
        super().full_clean()
        if self.too_large:
            self._errors["file"] = self.error_class([self._too_large_message()])
            self.cleaned_data.pop("file", None)

    def _too_large_message(self):
        return _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
            "limit": megabytes(PAYMENT_LIMITS.upload_bytes)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > PAYMENT_LIMITS.upload_bytes:
            raise ValidationError(self._too_large_message())
        if PurePath(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return upload

    @property
    def chosen_branch(self):
        """The branch the file is for: the staff member's own, or the administrator's choice (``None``: all)."""
        if "branch" in self.fields:
            return self.cleaned_data.get("branch")
        return self.user.branch
