"""Forms of the agent network pages. They check and present; the services in ``agents.services`` write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agents.models import (
    ADDRESS_MAX_LENGTH,
    AGREEMENT_NOTES_MAX_LENGTH,
    Agent,
    Branch,
    CooperationAgreement,
    PerisaiOffice,
)
from agents.scoping import for_user
from agents.selectors import offices_for
from agents.services import AGENT_FIELDS, MAX_DOCUMENT_BYTES, OFFICE_FIELDS, validate_pdf
from agents.terms import agreement_limit
from incentives.activity import Activity
from perisai.forms import NikConsistencyMixin, QuickSelect
from perisai.nik import nik_mismatches
from web.places import offer_places


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form, error):
    """Show a service's ``ValidationError`` on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _helper(*rows):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*rows)
    return helper


def _row(*fields, widths=None):
    widths = widths or [12 // len(fields)] * len(fields)
    return Row(*(Column(field, css_class=f"col-md-{width}") for field, width in zip(fields, widths, strict=True)))


class AgentForm(NikConsistencyMixin, forms.ModelForm):
    """An agent's data; the office list holds the user's branch's active offices (and the agent's own).

    The NIK confirmation box appears once the NIK disagrees with the birth date or gender entered.
    A new agent needs the declaration that they are not a BPJS Ketenagakerjaan employee (employees may
    not be agents); an agent added before it was asked is offered it on the edit form.
    """

    declared_not_bpjs_employee = forms.BooleanField(
        label=_("The agent is not a BPJS Ketenagakerjaan employee."),
        help_text=_("BPJS Ketenagakerjaan employees may not be agents."),
        required=True,
    )

    class Meta:
        model = Agent
        fields = AGENT_FIELDS
        widgets = {"birth_date": DateInput(), "joined_on": DateInput(), "trained_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for(user=user).filter(
            Q(is_active=True) | Q(pk=self.instance.office_id)
        )
        if getattr(user, "is_national", False):
            self.fields["office"].label_from_instance = lambda office: f"{office} ({office.branch})"
        recruiters = for_user(Agent.objects.all(), user).filter(
            Q(status=Agent.Status.ACTIVE) | Q(pk=self.instance.recruited_by_id)
        )
        if self.instance.pk:
            recruiters = recruiters.exclude(pk=self.instance.pk)
        self.fields["recruited_by"].queryset = recruiters.order_by("full_name")
        self.fields["recruited_by"].empty_label = _("Nobody (recruited by the branch)")
        if self.instance.pk:
            if self.instance.declared_not_bpjs_employee_on:
                del self.fields["declared_not_bpjs_employee"]
            else:
                self.fields["declared_not_bpjs_employee"].required = False
        self.fields["nik"].widget.attrs.update(inputmode="numeric", autocomplete="off", maxlength=16)
        self.fields["phone"].widget.attrs.update(inputmode="tel")
        offer_places(self)
        self.place_branch = self.instance.branch if self.instance.pk else getattr(user, "branch", None)
        self.nik_needs_confirmation = False

    def clean(self):
        data = self.cleaned_data
        mismatches = nik_mismatches(data.get("nik"), birth_date=data.get("birth_date"), gender=data.get("gender"))
        self.nik_needs_confirmation = bool(mismatches)
        return super().clean()

    @property
    def helper(self):
        rows = [
            _row("full_name", "code", widths=[8, 4]),
            _row("nik", "gender", "birth_date"),
            _row("phone", "office"),
            _row("kecamatan", "desa"),
            _row("joined_on", "trained_on"),
            "recruited_by",
        ]
        if "declared_not_bpjs_employee" in self.fields:
            rows.append(Div("declared_not_bpjs_employee", css_class="border rounded px-3 pt-2 mb-3"))
        if self.nik_needs_confirmation:
            rows.insert(2, Div("confirm_nik_mismatch", css_class="alert alert-warning pb-0"))
        return _helper(*rows)


class AgentDeactivateForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *Agent.DeactivationReason.choices])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for fraud and for other reasons: what happened. It is kept in the agent's history."),
    )


class AgentLoginForm(forms.Form):
    """The login name, asked only when the agent has no login yet."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use the agent code in lower case."),
    )


class OfficeForm(forms.ModelForm):
    """A Perisai office. A national administrator picks the branch of a new office; staff use their own."""

    class Meta:
        model = PerisaiOffice
        fields = OFFICE_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 3, "maxlength": ADDRESS_MAX_LENGTH})}
        help_texts = {"area": _("The kecamatan it covers, separated by commas, e.g. Kroya, Adipala.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rows = [_row("name", "code", widths=[8, 4]), "area", "address", _row("contact_person", "phone"), "is_active"]
        if getattr(user, "is_national", False) and self.instance.pk is None:
            self.fields["branch"] = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.all())
            rows.insert(0, "branch")
        self.helper = _helper(*rows)


def _pdf_help_text():
    return gettext("PDF only, at most %(limit)d MB.") % {"limit": MAX_DOCUMENT_BYTES // (1024 * 1024)}


class PdfField(forms.FileField):
    """A signed PDF: checked by name, size and content (see ``agents.services.validate_pdf``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Signed document (PDF)"))
        kwargs.setdefault("help_text", lazy(_pdf_help_text, str)())
        super().__init__(**kwargs)
        self.widget.attrs.update(accept=".pdf,application/pdf")

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            validate_pdf(uploaded)
        return uploaded


class _AgreementFieldsMeta:
    model = CooperationAgreement
    widgets = {
        "signed_on": DateInput(),
        "starts_on": DateInput(),
        "ends_on": DateInput(),
        "notes": forms.Textarea(attrs={"rows": 3, "maxlength": AGREEMENT_NOTES_MAX_LENGTH}),
    }


def _length_help(form, starts_on):
    """Under the end date: how long the programme terms let a PKS starting on ``starts_on`` run."""
    limit = agreement_limit(starts_on)
    if limit is not None:
        form.fields["ends_on"].help_text = gettext(
            "Under the programme terms in force (%(terms)s) a PKS runs at most %(months)d months."
        ) % {"terms": limit.terms.name, "months": limit.months}


class AgreementForm(forms.ModelForm):
    """A new PKS, with the signed PDF when it is at hand."""

    document = PdfField(required=False)

    class Meta(_AgreementFieldsMeta):
        fields = ["office", "number", "signed_on", "starts_on", "ends_on", "notes"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for(user=user).filter(is_active=True)
        _length_help(self, timezone.localdate())
        self.helper = _helper(_row("office", "number"), _row("signed_on", "starts_on", "ends_on"), "notes", "document")


class AgreementRenewForm(forms.ModelForm):
    """The next PKS of ``previous``'s office: the office is fixed, the rest is suggested and editable."""

    document = PdfField(required=False)

    class Meta(_AgreementFieldsMeta):
        fields = ["number", "signed_on", "starts_on", "ends_on", "notes"]

    def __init__(self, *args, previous, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = previous.office
        _length_help(self, self.initial.get("starts_on") or timezone.localdate())
        self.helper = _helper("number", _row("signed_on", "starts_on", "ends_on"), "notes", "document")


class AgreementDocumentForm(forms.Form):
    document = PdfField()


class AgentFilterForm(forms.Form):
    """The agent list's search, filters and sort, read from the query string; anything invalid is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    office = forms.ModelChoiceField(
        label=_("Perisai office"), queryset=PerisaiOffice.objects.none(), required=False, widget=QuickSelect
    )  # a national administrator's 500 offices: each option through a template cost a quarter of a second
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Agent.Status.choices, required=False)
    activity = forms.ChoiceField(
        label=_("Activity"),
        choices=[("", _("All"))] + [(value, Activity.LABELS[value]) for value in (*Activity.WORKING, Activity.LEFT)],
        required=False,
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for(user=user)
        self.fields["office"].empty_label = _("All offices")
        for name in ("office", "status", "activity"):
            self.fields[name].widget.attrs.update({"class": "form-select"})


class AgreementFilterForm(forms.Form):
    """The PKS list's filters and sort, read from the query string; anything invalid is ignored."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + CooperationAgreement.Status.choices, required=False
    )
    office = forms.ModelChoiceField(label=_("Perisai office"), queryset=PerisaiOffice.objects.none(), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for(user=user)
        self.fields["office"].empty_label = _("All offices")
        for name in ("office", "status"):
            self.fields[name].widget.attrs.update({"class": "form-select"})
