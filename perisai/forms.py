"""Form pieces shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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


def _attributes(attrs):
    """``attrs`` as Django's ``attrs.html`` writes them: `` name="value"``, a bare name for ``True``, nothing for
    ``False``."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A ``Select`` that writes its options in Python, as Django's templates would (without option groups).

    Django renders every ``<option>`` through a template of its own, about half a millisecond each: a
    national administrator's filter of 500 Perisai offices cost the agent list a quarter of a second, a branch's
    hundred agents the dashboard's selectors as much as its cached figures. The HTML is the same, escaped alike
    (``tests/agents/test_agent_list_speed.py`` compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            # each option ends with the option template's own line end, as Django's do
            f'\n  <option value="{conditional_escape(option["value"])}"{_attributes(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for _group, choices, _index in context["optgroups"]
            for option in choices
        )
        name = conditional_escape(context["name"])
        return mark_safe(f'<select name="{name}"{_attributes(context["attrs"])}>{options}\n</select>')  # noqa: S308 - escaped above
