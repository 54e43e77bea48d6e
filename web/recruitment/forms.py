"""Forms of the recruitment pages. They check and present; ``recruitment.services`` decides and writes.

Service refusals (``ValidationError``) are put on the form by ``web.network.forms.add_service_errors``,
so a refused save shows the same page with the reason and nothing changed.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, Branch, PerisaiOffice, phone_validator
from agents.scoping import for_user
from agents.selectors import offices_for
from perisai.forms import NikConsistencyMixin
from perisai.nik import Gender, nik_mismatches, validate_nik
from perisai.privacy import mask_nik
from recruitment.models import Candidate, TrainingSession
from web.network.forms import DateInput
from web.places import desa_field, kecamatan_field

CANDIDATE_FIELDS = ("nik", "full_name", "gender", "birth_date", "phone", "kecamatan", "desa")
SESSION_FIELDS = ("held_on", "starts_at", "place", "trainer", "capacity", "materials", "pass_mark")
SCORE_PREFIX = "score-"


class TimeInput(forms.TimeInput):
    """The browser's time picker (24-hour ``HH:MM`` whatever the language)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _branch_field():
    """A national administrator (no branch) says which branch a new candidate or session belongs to."""
    return forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.all())


class CandidateForm(NikConsistencyMixin, forms.Form):
    """Register a candidate (staff, or an agent for someone they recruit), or correct one's data.

    ``recruiters`` is the queryset of agents staff may name as the recruiter (``None``: no such field,
    as on the agent's phone page, where the agent is the recruiter). On the edit form (``candidate``
    given) the NIK box starts empty and shows the masked NIK: a candidate's full NIK is not put on a
    page, and typing a new one corrects it. The declaration that the candidate is not a BPJS
    Ketenagakerjaan employee is asked when registering (employees may not become agents).
    """

    nik = forms.CharField(
        label="NIK",
        min_length=16,
        max_length=16,
        validators=[validate_nik],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 16}),
        help_text=_("16 digits, from the candidate's ID card (KTP)."),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Birth date"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    kecamatan = kecamatan_field()
    desa = desa_field()
    recruited_by = forms.ModelChoiceField(
        label=_("Recruited by"),
        queryset=Agent.objects.none(),
        required=False,
        empty_label=_("Nobody (found by the branch)"),
        help_text=_("The agent who brought the candidate in."),
    )
    declared_not_bpjs_employee = forms.BooleanField(
        label=_("The candidate has declared that they are not a BPJS Ketenagakerjaan employee."),
        help_text=_("BPJS Ketenagakerjaan employees may not be agents."),
        required=True,
    )

    field_order = ["branch", *CANDIDATE_FIELDS, "recruited_by", "declared_not_bpjs_employee"]

    def __init__(self, *args, recruiters=None, candidate=None, national=False, branch=None, **kwargs):
        self.candidate = candidate
        self.place_branch = candidate.branch if candidate is not None else branch  # the places suggested
        if candidate is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                **{name: getattr(candidate, name) for name in CANDIDATE_FIELDS if name != "nik"},
                "recruited_by": candidate.recruited_by_id,
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        if national and candidate is None:
            self.fields["branch"] = _branch_field()
            self.order_fields(self.field_order)
        if recruiters is None:
            del self.fields["recruited_by"]
        else:
            keep = Q(pk=candidate.recruited_by_id) if candidate is not None else Q(pk__in=[])
            self.fields["recruited_by"].queryset = recruiters.filter(Q(status=Agent.Status.ACTIVE) | keep).order_by(
                "full_name"
            )
            if national:
                self.fields["recruited_by"].label_from_instance = lambda agent: f"{agent} ({agent.branch})"
        if candidate is not None:
            del self.fields["declared_not_bpjs_employee"]
            nik = self.fields["nik"]
            nik.required = False
            nik.label = _("New NIK")
            nik.help_text = _("Now %(nik)s. Leave empty to keep it; type the 16 digits only to correct it.") % {
                "nik": mask_nik(candidate.nik)
            }

    def clean(self):
        if self.candidate is not None and not self.cleaned_data.get("nik"):
            self.cleaned_data["nik"] = self.candidate.nik
        data = self.cleaned_data
        self.nik_needs_confirmation = bool(
            nik_mismatches(data.get("nik"), birth_date=data.get("birth_date"), gender=data.get("gender"))
        )
        return super().clean()

    def candidate_fields(self):
        """The fields the services take, as cleaned."""
        fields = {name: self.cleaned_data[name] for name in CANDIDATE_FIELDS}
        if "recruited_by" in self.fields:
            fields["recruited_by"] = self.cleaned_data["recruited_by"]
        return fields


class CandidateFilterForm(forms.Form):
    """The candidate list's search and filters, from the query string; anything invalid is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("All")), *Candidate.Stage.choices], required=False)
    session = forms.ModelChoiceField(
        label=_("Training session"), queryset=TrainingSession.objects.none(), required=False
    )
    recruiter = forms.ModelChoiceField(label=_("Recruited by"), queryset=Agent.objects.none(), required=False)

    def __init__(self, *args, sessions, recruiters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].empty_label = _("All sessions")
        self.fields["recruiter"].queryset = recruiters
        self.fields["recruiter"].empty_label = _("Anyone")
        for name in ("stage", "session", "recruiter"):
            self.fields[name].widget.attrs.update({"class": "form-select"})


class InviteForm(forms.Form):
    """Invite one candidate to one of the branch's upcoming sessions (from the candidate's page)."""

    session = forms.ModelChoiceField(label=_("Training session"), queryset=TrainingSession.objects.none())

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].widget.attrs.update({"class": "form-select"})


class SessionInviteForm(forms.Form):
    """The checklist of a session's invitations: registered candidates and those who failed (a retake)."""

    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"), queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the candidate does not go on; it is kept in the candidate's history."),
    )


class ActivateForm(forms.Form):
    """Make a candidate who passed an agent: of which office, under which code, from which day."""

    office = forms.ModelChoiceField(label=_("Perisai office"), queryset=PerisaiOffice.objects.none())
    code = forms.CharField(label=_("Agent code"), max_length=20)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput(), initial=timezone.localdate)
    create_login = forms.BooleanField(
        label=_("Create the agent's login now"),
        required=False,
        initial=True,
        help_text=_("A temporary password is shown once, on the next page."),
    )

    def __init__(self, *args, user, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for(user=user).filter(branch=candidate.branch_id, is_active=True)
        self.fields["office"].widget.attrs.update({"class": "form-select"})
        self.fields["code"].max_length = Agent._meta.get_field("code").max_length


class SessionForm(forms.ModelForm):
    """A training session (pembekalan); a national administrator picks the branch of a new one."""

    class Meta:
        model = TrainingSession
        fields = SESSION_FIELDS
        widgets = {
            "held_on": DateInput(),
            "starts_at": TimeInput(),
            "materials": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        if national and self.instance.pk is None:
            self.fields["branch"] = _branch_field()
            self.order_fields(["branch", *SESSION_FIELDS])
        for name in ("capacity", "pass_mark"):
            self.fields[name].widget.attrs.update(inputmode="numeric")


class ResultsForm(forms.Form):
    """A test score (0–100) for each seat whose candidate attended; an empty box records nothing."""

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = [seat for seat in seats if seat.attended]
        for seat in self.seats:
            self.fields[f"{SCORE_PREFIX}{seat.pk}"] = forms.IntegerField(
                label=seat.candidate.full_name,
                min_value=0,
                max_value=100,
                required=False,
                initial=seat.score,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control score-input"}),
            )

    def rows(self):
        """``(seat, bound field)`` in roster order, for the template."""
        return [(seat, self[f"{SCORE_PREFIX}{seat.pk}"]) for seat in self.seats]

    def scores(self):
        """``[(seat, score)]`` for the boxes filled in whose score is new or changed."""
        return [
            (seat, self.cleaned_data[f"{SCORE_PREFIX}{seat.pk}"])
            for seat in self.seats
            if self.cleaned_data.get(f"{SCORE_PREFIX}{seat.pk}") is not None
            and self.cleaned_data[f"{SCORE_PREFIX}{seat.pk}"] != seat.score
        ]

    def add_seat_error(self, seat, error):
        self.add_error(f"{SCORE_PREFIX}{seat.pk}", error)


def recruiters_for(user):
    """Agents ``user`` may name as a candidate's recruiter (the branch's; every branch's, nationally)."""
    return for_user(Agent.objects.select_related("branch"), user)
