"""The payments file's upload form: the file, and for a national administrator the branch it is for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agents.models import Branch
from enrollment.importing.limits import PAYMENT_LIMITS
from web.uploads import SpreadsheetUploadForm


class PaymentUploadForm(SpreadsheetUploadForm):
    limits = PAYMENT_LIMITS
    file_label = _("Payments file (.xlsx or .csv)")
    field_order = ["branch", "file"]

    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label=_("Every branch (a national file)"),
        help_text=_("Rows of participants of other branches are listed, not imported."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.branch_id is not None:  # branch staff import for their own branch
            del self.fields["branch"]

    @property
    def chosen_branch(self):
        """The branch the file is for: the staff member's own, or the administrator's choice (``None``: all)."""
        if "branch" in self.fields:
            return self.cleaned_data.get("branch")
        return self.user.branch
