"""Forms of the agent's phone pages: enrol a worker, record a contribution, find a participant.

Inputs ask phones for the right keyboard (``inputmode``) and native date pickers; amounts accept what
people type ("1.000.000", "Rp 16.800").

The forms that write (enrol, contribution, contact) carry a hidden ``client_key``, a new random UUID each
time the form is drawn: Save tapped twice, or the same page posted again, writes once (the services
return the first write for a key they have seen, ``enrollment.client_keys``). The JSON API validates
with these same forms and puts its ``Idempotency-Key`` header in that field.
"""

import datetime
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from agents.models import ADDRESS_MAX_LENGTH, phone_validator
from enrollment.models import Occupation
from enrollment.paying import PaymentStatus
from followup.models import ContactAttempt
from perisai.forms import NikConsistencyMixin
from perisai.nik import Gender, nik_mismatches, validate_nik
from web.places import desa_field, kecamatan_field

MINIMUM_DECLARED_INCOME = 1_000_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RupiahInput(forms.TextInput):
    """A text box showing whole Rupiah with thousands separators (1.000.000), with a numeric keypad."""

    def format_value(self, value):
        if isinstance(value, int | Decimal):
            return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
        return super().format_value(value)


class RupiahField(forms.IntegerField):
    """Whole Rupiah, typed with or without "Rp" and thousands separators."""

    widget = RupiahInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("step", None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("Rp").removeprefix("rp").replace(".", "").replace(",", "")
            value = value.replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


class ClientKeyField(forms.UUIDField):
    """The hidden key of one write: a fresh UUID each time the form is drawn unbound. Not required (a page
    drawn before keys existed still saves), and a value that is no UUID counts as no key rather than an
    error the agent could not see or fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return None


class QuoteForm(forms.Form):
    """What the contribution preview needs: the declared income and whether JHT is chosen."""

    declared_income = RupiahField(
        label=_("Declared monthly income (Rp)"),
        initial=MINIMUM_DECLARED_INCOME,
        help_text=_("JKK and JHT are a share of this income; the minimum is Rp 1.000.000."),
    )
    with_jht = forms.BooleanField(label=_("Add JHT (old-age savings)"), required=False)


class EnrolForm(NikConsistencyMixin, QuoteForm):
    """Daftarkan peserta. JKK and JKM are always included; JHT is the worker's choice."""

    nik = forms.CharField(
        label="NIK",
        min_length=16,
        max_length=16,
        validators=[validate_nik],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 16}),
        help_text=_("16 digits, from the worker's ID card (KTP)."),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_date = forms.DateField(
        label=_("Birth date"), widget=DateInput, input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"), required=False, max_length=ADDRESS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    kecamatan = kecamatan_field()
    desa = desa_field()
    occupation = forms.ChoiceField(label=_("Occupation"), choices=[("", "—"), *Occupation.choices])
    client_key = ClientKeyField()

    field_order = ["nik", "full_name", "birth_date", "gender", "phone", "address", "kecamatan", "desa", "occupation"]

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate() or birth_date.year < 1900:
            raise ValidationError(_("Enter the birth date from the ID card."))
        return birth_date

    def clean(self):
        cleaned = self.cleaned_data
        self.nik_mismatch = bool(
            nik_mismatches(cleaned.get("nik"), birth_date=cleaned.get("birth_date"), gender=cleaned.get("gender"))
        )
        return super().clean()

    def enrolment_data(self):
        """The keyword arguments of ``acquisition_enrol`` (without the agent)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "confirm_nik_mismatch"}


class ContributionForm(forms.Form):
    """A month's contribution. The month is chosen from the months the worker has been enrolled
    (newest first, paid ones marked), so a phone shows a short native picker."""

    period = forms.ChoiceField(label=_("Month paid for"))
    amount = RupiahField(label=_("Amount (Rp)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    client_key = ClientKeyField()

    def __init__(self, *args, months, paid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (
                month.strftime("%Y-%m"),
                _("%(month)s (paid)") % {"month": date_format(month, "F Y")}
                if month in paid
                else date_format(month, "F Y"),
            )
            for month in months
        ]

    def clean_period(self):
        year, month = (int(part) for part in self.cleaned_data["period"].split("-"))
        return datetime.date(year, month, 1)


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, NIK or phone"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *PaymentStatus.choices])


class ContactForm(forms.Form):
    """What happened when the agent tried to reach a participant: one tap on an outcome (the button's value),
    and for a promise the day promised."""

    outcome = forms.ChoiceField(choices=ContactAttempt.Outcome.choices)
    promised_on = forms.DateField(label=_("Promised to pay on"), required=False, widget=DateInput)
    via = forms.ChoiceField(choices=[("", "")] + ContactAttempt.Via.choices, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    client_key = ClientKeyField()
