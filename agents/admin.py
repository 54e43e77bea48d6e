"""The network in the admin: national administrators only (regional offices, branches, accounts, offices,
PKS, agents).

Branch staff and the head keep the network on the app's own pages (``web/network``): what each role
reaches in the admin and why is in ``agents.admin_scope``. Programme terms are a national table
every branch reads here.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agents.admin_scope import BranchScopedAdmin, NationalOnly, NationalTable
from agents.models import Agent, Branch, BranchArea, CooperationAgreement, PerisaiOffice, ProgrammeTerms, Region, User
from perisai.admin_privacy import PersonalDataAdmin
from perisai.forms import NikConsistencyMixin

# Permissions follow from each user's role (agents/permissions.py), so groups are not used.
admin.site.unregister(Group)
admin.site.site_header = _("Perisai administration")
admin.site.site_title = "Perisai"


class BranchInline(admin.TabularInline):
    """The region's branches, read here; a branch is placed in a region on the branch's own page."""

    model = Branch
    fields = ["code", "name", "city"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(NationalOnly, admin.ModelAdmin):
    list_display = ["code", "name", "branch_count"]
    search_fields = ["code", "name"]
    inlines = [BranchInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(branch_count=Count("branches"))

    @admin.display(description=_("branches"), ordering="branch_count")
    def branch_count(self, region):
        return region.branch_count


class BranchAreaInline(admin.TabularInline):
    """The regencies the branch serves: where its people's kecamatan and desa are chosen from."""

    model = BranchArea
    extra = 1


@admin.register(Branch)
class BranchAdmin(NationalOnly, BranchScopedAdmin):
    branch_path = None
    inlines = [BranchAreaInline]
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "region__name"]


@admin.register(User)
class UserAdmin(NationalOnly, DjangoUserAdmin, BranchScopedAdmin):
    list_display = ["username", "first_name", "last_name", "role", "branch", "region", "is_active", "last_login"]
    list_filter = ["role", "branch", "region", "is_active"]
    list_select_related = ["branch", "region"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Perisai"), {"fields": ["role", "branch", "region"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Perisai"), {"fields": ["role", "branch", "region"]}),
    ]


class AgreementInline(admin.TabularInline):
    model = CooperationAgreement
    fields = ["number", "signed_on", "starts_on", "ends_on", "renews"]
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(PerisaiOffice)
class PerisaiOfficeAdmin(NationalOnly, BranchScopedAdmin):
    list_display = ["code", "name", "branch", "area", "contact_person", "phone", "is_active"]
    list_filter = ["branch", "is_active"]
    list_select_related = ["branch"]
    search_fields = ["code", "name", "area", "contact_person"]
    inlines = [AgreementInline]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(NationalOnly, BranchScopedAdmin):
    branch_path = "office__branch"
    list_display = ["number", "office", "signed_on", "starts_on", "ends_on", "status_label", "renews"]
    list_filter = ["office__branch", "office"]
    list_select_related = ["office", "renews"]
    search_fields = ["number", "office__name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["renews"]

    @admin.display(description=_("status"))
    def status_label(self, agreement):
        return agreement.status.label


class AgentAdminForm(NikConsistencyMixin, forms.ModelForm):
    pass


@admin.register(Agent)
class AgentAdmin(NationalOnly, PersonalDataAdmin, BranchScopedAdmin):
    """An agent leaves and comes back on the agent's page (``agents.services.agent_deactivate`` and
    ``agent_reactivate``), which asks why, keeps it in the history and stops or restores the login:
    here those fields are read-only."""

    form = AgentAdminForm
    list_display = ["code", "full_name", "office", "phone", "kecamatan", "joined_on", "status", "left_on"]
    list_filter = ["branch", "office", "status", "gender"]
    list_select_related = ["office"]
    search_fields = ["code", "full_name", "=nik", "phone"]
    date_hierarchy = "joined_on"
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status", "left_on", "deactivation_reason"]


@admin.register(ProgrammeTerms)
class ProgrammeTermsAdmin(NationalTable, SimpleHistoryAdmin):
    """National data every branch reads: administrators change it; staff and heads may read it."""

    list_display = [
        "name",
        "effective_from",
        "effective_to",
        "agent_at_risk_months",
        "agent_inactive_months",
        "reactivation_wait_months",
        "office_warning_months",
        "office_pks_loss_months",
    ]
