"""Forms of the target pages: one target with its optional monthly split, and the file upload.

They check what a person can get wrong while typing (a number, all months or none, months that add up)
with the service's own rules (``enrollment.targets.check_split``), so the message is the same on the page,
in a file's preview and from the service; the service writes.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from enrollment.targets import CALENDAR, MAX_TARGET, TARGET_LIMITS, check_split, months_even
from web.uploads import SpreadsheetUploadForm


class TargetForm(forms.Form):
    """The yearly figure and, optionally, its 12 months: all empty for no split, or all 12 adding up.

    ``spread`` (the "Spread evenly" button) fills the months from the yearly figure and shows the form
    again without saving, so the split can be adjusted before it is saved.
    """

    target = forms.IntegerField(
        label=_("Yearly target (acquisitions)"),
        min_value=1,
        max_value=MAX_TARGET,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for month in CALENDAR:
            self.fields[f"month_{month}"] = forms.IntegerField(
                label=MONTHS[month],
                required=False,
                min_value=0,
                max_value=MAX_TARGET,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    @classmethod
    def initial_for(cls, figure, months):
        initial = {"target": figure}
        initial.update({f"month_{month}": value for month, value in zip(CALENDAR, months or [None] * 12, strict=True)})
        return initial

    def month_fields(self):
        """The 12 month inputs, with the first day of each month for its heading."""
        return [(datetime.date(2000, month, 1), self[f"month_{month}"]) for month in CALENDAR]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        given = [cleaned.get(f"month_{month}") for month in CALENDAR]
        if any(f"month_{month}" in self.errors for month in CALENDAR) or target is None:
            return cleaned
        if all(value is None for value in given):
            cleaned["months"] = None
        elif any(value is None for value in given):
            raise ValidationError(
                _("Fill in all 12 months, or leave them all empty for a target without a monthly split.")
            )
        else:
            try:
                cleaned["months"] = check_split(target, given)
            except ValidationError as error:
                raise ValidationError(error.message_dict["months"]) from None
        return cleaned

    def spread_evenly(self):
        """A bound copy of this form with the months spread evenly over the yearly figure typed, or this
        form (with its errors) when the figure is not a valid number yet."""
        if "target" in self.errors or self.cleaned_data.get("target") is None:
            return self
        data = self.data.copy()
        for month, value in zip(CALENDAR, months_even(self.cleaned_data["target"]), strict=True):
            data[f"month_{month}"] = str(value)
        return TargetForm(data)


class TargetFileForm(SpreadsheetUploadForm):
    """The targets file: a small .xlsx (or .csv) within ``TARGET_LIMITS``."""

    limits = TARGET_LIMITS
