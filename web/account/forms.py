"""Forms of the account security pages: a code, and an administrator's reason for a reset."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One box for a code: the authenticator app's six digits, or (where ``recovery`` is allowed) a
    recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["code"].help_text = _(
                "The 6-digit code your authenticator app shows now, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = _("The 6-digit code your authenticator app shows now.")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the account's history, e.g. “phone lost, confirmed by telephone with the branch head”."),
    )
