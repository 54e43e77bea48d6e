"""Forms of the staff participant screens: the list's filters, the edit with a reason, the move."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agents.models import ADDRESS_MAX_LENGTH, Agent
from enrollment.models import Acquisition, Occupation, Participant
from enrollment.selectors.participants import DEFAULT_SORT, NOT_CODED, SORTS, ParticipantFilters, Payment
from enrollment.services.participants import EDITABLE_FIELDS
from perisai.forms import NikConsistencyMixin
from web.places import offer_places

NIK_FIELDS = {"nik", "birth_date", "gender"}
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class ParticipantFilterForm(forms.Form):
    """The list's search, filters and sort, all optional; read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=120,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, NIK, phone or KPJ"), "autocomplete": "off"}
        ),
    )
    office = forms.ModelChoiceField(label=_("Perisai office"), queryset=None, required=False, empty_label=_("All"))
    agent = forms.ModelChoiceField(
        label=_("Agent"),
        queryset=None,
        required=False,
        empty_label=_("All"),
        help_text=_("Who acquired them or looks after them."),
    )
    occupation = forms.ChoiceField(label=_("Occupation"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    acquired_from = forms.DateField(label=_("Acquired from"), required=False, widget=DateInput)
    acquired_to = forms.DateField(label=_("Acquired until"), required=False, widget=DateInput)
    payment = forms.ChoiceField(
        label=_("Contributions"),
        required=False,
        choices=[("", _("All")), (Payment.PAYING, _("Paying")), (Payment.LAPSED, _("Lapsed"))],
    )
    as_of = forms.DateField(
        label=_("As of month"),
        required=False,
        widget=MonthInput,
        input_formats=["%Y-%m"],
        help_text=_("Paying: a contribution for this month or one of the two before it."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-acquired", _("Latest acquisition first")),
            ("acquired", _("Earliest acquisition first")),
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("nik", "NIK"),
            ("kecamatan", _("Kecamatan")),
        ],
    )

    def __init__(self, *args, offices, agents, kecamatan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["agent"].queryset = agents
        self.fields["occupation"].choices = [("", _("All")), *Occupation.choices]
        self.fields["kecamatan"].choices = [
            ("", _("All")),
            *((name, name) for name in kecamatan),
            (NOT_CODED, _("Not yet coded (choose the place again)")),
        ]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("acquired_from"), cleaned.get("acquired_to")
        if start and end and end < start:
            raise ValidationError(_("The end of the acquisition dates is before their start."))
        return cleaned

    def filters(self):
        """The valid filters; fields with errors are left out (the page shows the errors)."""
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value not in (None, "")}
        if self.errors:
            data = {name: value for name, value in data.items() if name not in self.errors}
            if "__all__" in self.errors:
                data.pop("acquired_to", None)
        if data.get("as_of"):
            data["as_of"] = data["as_of"].replace(day=1)
        if data.get("sort") not in SORTS:
            data["sort"] = DEFAULT_SORT
        return ParticipantFilters(**data)


class ParticipantForm(NikConsistencyMixin, forms.ModelForm):
    """A participant's personal data, changed by staff with a reason that goes into the history.

    The NIK is checked like everywhere (``validate_nik``; a NIK that disagrees with the birth date or
    gender needs the confirmation box). The box is asked for only when one of those three changes:
    staff correcting a phone number should not have to re-confirm a mismatch registered long ago.
    """

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the participant's history, e.g. “Name corrected from the KTP”."),
    )

    class Meta:
        model = Participant
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "birth_date": DateInput,
            "address": forms.Textarea(attrs={"rows": 2, "maxlength": ADDRESS_MAX_LENGTH}),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}),
        }
        error_messages = {
            "nik": {"unique": _("Another participant is already registered with this NIK. Nothing was changed.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_places(self)

    def clean(self):
        if not NIK_FIELDS & set(self.changed_data):
            self.cleaned_data["confirm_nik_mismatch"] = True
        return super().clean()

    @property
    def needs_nik_confirmation(self):
        return self.is_bound and bool(self.non_field_errors()) and bool(NIK_FIELDS & set(self.changed_data))


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agent):
        label = f"{agent.full_name} ({agent.code})"
        if agent.left_on:
            label += " — " + _("left %(date)s") % {"date": date_format(agent.left_on, "j F Y")}
        if hasattr(agent, "looked_after"):
            label += " — " + _("%(count)d active participants") % {"count": agent.looked_after}
        return label


class ParticipantMoveForm(forms.Form):
    """Move every active participant an agent looks after to another active agent of the same branch."""

    from_agent = AgentChoiceField(label=_("From agent"), queryset=None)
    to_agent = AgentChoiceField(label=_("To agent"), queryset=None, help_text=_("An active agent of the same branch."))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        initial=_("The agent left the programme."),
        help_text=_("Kept in each acquisition's history."),
    )

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(cared_acquisitions__status=Acquisition.Status.ACTIVE)
        self.fields["from_agent"].queryset = agents.annotate(
            looked_after=Count("cared_acquisitions", filter=active)
        ).order_by("-status", "full_name")  # those who left ("inactive") first
        self.fields["to_agent"].queryset = agents.filter(status=Agent.Status.ACTIVE).order_by("full_name")

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("from_agent"), cleaned.get("to_agent")
        if source and target:
            if source == target:
                raise ValidationError(_("Choose two different agents."))
            if source.branch_id != target.branch_id:
                raise ValidationError(_("Both agents must belong to the same branch."))
        return cleaned
