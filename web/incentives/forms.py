"""The month (and, for a national administrator or a regional user, the branch) a sheet or statement is for."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agents.models import Branch
from agents.scoping import for_user
from perisai.months import parse_month
from web.access import picks_branch


class MonthInput(forms.TextInput):
    """The browser's month picker; it sends YYYY-MM whatever the page's language."""

    input_type = "month"


class MonthField(forms.CharField):
    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValidationError as error:
            raise ValidationError(error.messages, code="bad_month") from None

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class MonthForm(forms.Form):
    """``?month=2022-03`` (and ``?branch=CLP`` for a national administrator or a regional user, among the
    branches they reach); empty means the default."""

    month = MonthField(label=_("Month"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].widget.attrs.update({"class": "form-control", "min": "2000-01", "max": "2100-12"})
        if picks_branch(user):
            self.fields["branch"] = forms.ModelChoiceField(
                label=_("Branch"),
                queryset=for_user(Branch.objects.order_by("name"), user, branch_path=None),
                to_field_name="code",
                required=False,
                empty_label=None,
            )
            self.fields["branch"].widget.attrs.update({"class": "form-select"})
