"""Form pieces shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from perisai.nik import nik_mismatches


class NikConsistencyMixin(forms.Form):
    """Ask the user to confirm a NIK whose birth date or gender disagrees with what was entered.

    Such a NIK is not refused (see ``perisai.nik``): the form shows what disagrees and saves only
    once ``confirm_nik_mismatch`` is ticked.
    """

    confirm_nik_mismatch = forms.BooleanField(
        label=_("I have checked the ID card: the NIK is right even though it disagrees with the data above."),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        mismatches = nik_mismatches(
            cleaned.get("nik"), birth_date=cleaned.get("birth_date"), gender=cleaned.get("gender")
        )
        if mismatches and not cleaned.get("confirm_nik_mismatch"):
            raise ValidationError(
                [*mismatches, _("Check the ID card; if the NIK is right, tick the confirmation box and save again.")]
            )
        return cleaned
