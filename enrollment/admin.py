"""Enrollment in the admin: national administrators correct any branch's records here; branch users
keep only their branch's yearly targets, which have no page yet (``agents.admin_scope``).

A participant changed here is changed as on the staff page: through
``enrollment.services.participants.participant_update``, with a reason that goes into the history.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agents.admin_scope import BranchScopedAdmin, NationalOnly, NationalTable, ViewOnly
from enrollment.models import (
    Acquisition,
    AcquisitionTarget,
    Contribution,
    ContributionRate,
    Participant,
    PaymentImport,
)
from enrollment.services.enrolment import acquisition_pricing
from enrollment.services.participants import EDITABLE_FIELDS, participant_update
from perisai.admin_privacy import PersonalDataAdmin
from perisai.forms import NikConsistencyMixin

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column


class ParticipantAdminForm(NikConsistencyMixin, forms.ModelForm):
    pass


class ParticipantChangeAdminForm(ParticipantAdminForm):
    """A change asks why, like the staff page: the reason goes into the participant's history.

    The NIK is read-only here (masked), but a birth date or gender changed to disagree with it needs the
    confirmation box, as on the staff page; a change to anything else does not ask again.
    """

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the participant's history, e.g. “Name corrected from the KTP”."),
    )

    def clean(self):
        self.cleaned_data.setdefault("nik", self.instance.nik)
        if not {"birth_date", "gender"} & set(self.changed_data):
            self.cleaned_data["confirm_nik_mismatch"] = True
        return super().clean()


class AcquisitionInline(admin.TabularInline):
    model = Acquisition
    fields = ["acquired_on", "agent", "status", "ended_on", "monthly_contribution"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(NationalOnly, PersonalDataAdmin, BranchScopedAdmin):
    """A change goes through ``participant_update`` with the reason asked for, so the history names who
    changed what and why, as after the staff page; the branch a participant belongs to is not changed
    here (``participant_update`` does not change it either)."""

    form = ParticipantAdminForm
    list_display = ["full_name", "nik", "gender", "birth_date", "kecamatan", "desa", "occupation", "kpj_number"]
    list_filter = ["branch", "occupation", "gender", "kecamatan"]
    search_fields = ["full_name", "=nik", "=kpj_number", "phone"]
    inlines = [AcquisitionInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = ParticipantChangeAdminForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None else ["branch", *readonly]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        participant_update(
            participant=obj,
            changed_by=request.user,
            reason=form.cleaned_data["reason"],
            **{name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data},
        )


class AcquisitionAdminForm(forms.ModelForm):
    """Branch, office, rate and contribution follow from the agent, the date and the income."""

    class Meta:
        model = Acquisition
        fields = ["participant", "agent", "acquired_on", "declared_income", "with_jht", "status", "ended_on"]

    def clean(self):
        cleaned = super().clean()
        agent, acquired_on, income = cleaned.get("agent"), cleaned.get("acquired_on"), cleaned.get("declared_income")
        if agent and acquired_on and income is not None:
            try:
                rate, total = acquisition_pricing(
                    acquired_on=acquired_on, declared_income=income, with_jht=cleaned.get("with_jht", False)
                )
            except ValidationError as error:
                self.add_error("declared_income" if error.code == "income_out_of_range" else "acquired_on", error)
                return cleaned
            self.instance.branch_id = agent.branch_id
            self.instance.office_id = agent.office_id
            self.instance.rate = rate
            self.instance.monthly_contribution = total
        return cleaned


@admin.register(Acquisition)
class AcquisitionAdmin(NationalOnly, BranchScopedAdmin):
    form = AcquisitionAdminForm
    list_display = ["participant", "agent", "office", "acquired_on", "status", "monthly_contribution"]
    list_filter = ["branch", "office", "status", "with_jht"]
    list_select_related = ["participant", "agent", "office"]
    search_fields = ["participant__full_name", "=participant__nik", "agent__full_name", "agent__code"]
    date_hierarchy = "acquired_on"
    raw_id_fields = ["participant", "agent"]
    readonly_fields = ["branch", "office", "rate", "monthly_contribution"]


@admin.register(Contribution)
class ContributionAdmin(NationalOnly, BranchScopedAdmin):
    branch_path = "acquisition__branch"
    list_display = ["acquisition", "period", "amount", "paid_on", "channel_name", "reference", "collected_by"]
    list_filter = ["channel", "acquisition__office"]
    list_select_related = ["acquisition__participant", "collected_by"]
    search_fields = [
        "=acquisition__participant__nik",
        "acquisition__participant__full_name",
        "receipt_number",
        "=reference",
    ]
    date_hierarchy = "period"
    raw_id_fields = ["acquisition", "collected_by", "credited_to", "payment_import"]


@admin.register(PaymentImport)
class PaymentImportAdmin(NationalOnly, ViewOnly, BranchScopedAdmin):
    """The payments files, read-only: they are brought and confirmed on the payments pages, whose rows
    (thousands a file) are listed there, not here."""

    list_display = ["file_name", "branch", "uploaded_by", "created_at", "status", "imported_at"]
    list_filter = ["status", "branch"]
    search_fields = ["file_name", "=file_sha256"]
    date_hierarchy = "created_at"
    readonly_fields = ["branch", "uploaded_by", "file_name", "file_sha256", "status", "counts", "imported_at"]


@admin.register(ContributionRate)
class ContributionRateAdmin(NationalTable, admin.ModelAdmin):
    list_display = ["name", "effective_from", "effective_to", "jkk_rate", "jkm_amount", "jht_rate"]


@admin.register(AcquisitionTarget)
class AcquisitionTargetAdmin(NationalOnly, ViewOnly, admin.ModelAdmin):
    """The targets as they stand, for national administrators to read. They are set on the targets pages
    (``web/targets``, ``enrollment.targets``), which check the month split and keep the history; a change
    here would keep neither, so nobody adds, changes or deletes a target in the admin."""

    list_display = ["year", "branch", "scope", "target"]
    list_filter = ["year", "branch"]
    list_select_related = ["branch", "office", "agent"]

    @admin.display(description=_("for"))
    def scope(self, target):
        return target.agent or target.office or target.branch
