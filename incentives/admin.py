"""Incentive schemes: administrators change them; staff and heads may read them here too.

A scheme is edited with its fee tiers and its fees per new participant inline, so next year's terms are
one new scheme with its rows, on one page.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agents.admin_scope import NationalTable
from incentives.models import AcquisitionFee, FeeTier, IncentiveScheme


class FeeTierFormSet(forms.BaseInlineFormSet):
    """Tiers of one scheme may not cover the same membership month twice."""

    def clean(self):
        super().clean()
        tiers = [
            form.instance
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for index, tier in enumerate(tiers):
            for other in tiers[index + 1 :]:
                if tier.from_month and other.from_month and tier.overlaps(other):
                    raise ValidationError(
                        _("The tiers %(first)s and %(second)s cover the same membership months.")
                        % {"first": tier.months_label, "second": other.months_label}
                    )


class FeeTierInline(NationalTable, admin.TabularInline):
    model = FeeTier
    formset = FeeTierFormSet
    extra = 0
    min_num = 1
    fields = ["from_month", "to_month", "rate"]


class AcquisitionFeeInline(NationalTable, admin.TabularInline):
    model = AcquisitionFee
    extra = 0
    fields = ["package", "amount"]


@admin.register(IncentiveScheme)
class IncentiveSchemeAdmin(NationalTable, SimpleHistoryAdmin):
    list_display = [
        "name",
        "effective_from",
        "effective_to",
        "fee_tiers_text",
        "acquisition_minimum",
        "bonus_amount",
        "acquisition_fees_text",
        "recruitment_fee",
        "office_share_rate",
    ]
    date_hierarchy = "effective_from"
    inlines = [FeeTierInline, AcquisitionFeeInline]
    fieldsets = [
        (None, {"fields": ["name", "effective_from", "effective_to"]}),
        (
            _("Acquisition incentives"),
            {"fields": ["acquisition_minimum", "first_enrolments_only", "bonus_amount", "recruitment_fee"]},
        ),
        (_("Kantor Perisai"), {"fields": ["office_share_rate", "office_share_base"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("fee_tiers", "acquisition_fees")

    @admin.display(description=_("fee tiers"))
    def fee_tiers_text(self, scheme):
        return "; ".join(str(tier) for tier in scheme.tiers) or "—"

    @admin.display(description=_("fees per new participant"))
    def acquisition_fees_text(self, scheme):
        return "; ".join(str(fee) for fee in scheme.acquisition_fees.all()) or "—"
