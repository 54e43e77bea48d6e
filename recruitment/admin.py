"""Recruitment in the admin: national administrators read any branch's candidates, sessions and seats,
and their history; nobody changes them here.

The branch keeps its candidates on the app's own pages, through ``recruitment.services``, which hold the
rules (one NIK one person, capacity, attendance before results, activation through ``agents.services``)
and record each stage change with who made it. An admin form saving a row directly would step around
every one of them, so these admins are read-only: no add, change or delete, and a history whose old
versions are shown but never reverted to. Branch users do not reach them at all (``NationalOnly``; what
they do reach and why is ``agents.admin_scope``). NIK and phone numbers are masked as everywhere in the
admin (``perisai.admin_privacy``).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from agents.admin_scope import BranchScopedAdmin, NationalOnly, ViewOnly
from perisai.admin_privacy import PersonalDataAdmin
from recruitment.models import Candidate, Seat, TrainingSession


class ReadOnlyHistoryAdmin(ViewOnly, SimpleHistoryAdmin):
    """Rows and their history to read: no add, change, delete, nor a revert from an old version.

    simple-history's version page saves a posted form whatever its "revert disabled" flag says, so a
    POST to it is refused here outright.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SeatInline(admin.TabularInline):
    model = Seat
    fields = ["session", "candidate", "invited_on", "attended", "score", "passed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(NationalOnly, ReadOnlyHistoryAdmin, BranchScopedAdmin):
    list_display = ["held_on", "starts_at", "place", "branch", "trainer", "capacity", "pass_mark"]
    list_filter = ["branch"]
    list_select_related = ["branch"]
    search_fields = ["place", "trainer"]
    date_hierarchy = "held_on"
    inlines = [SeatInline]


class CandidateSeatInline(SeatInline):
    fields = ["session", "invited_on", "attended", "score", "passed"]
    readonly_fields = fields


@admin.register(Candidate)
class CandidateAdmin(NationalOnly, PersonalDataAdmin, ReadOnlyHistoryAdmin, BranchScopedAdmin):
    list_display = ["full_name", "nik", "branch", "phone", "kecamatan", "recruited_by", "stage", "stage_changed_on"]
    list_filter = ["branch", "stage", "gender"]
    list_select_related = ["branch", "recruited_by"]
    search_fields = ["full_name", "=nik", "phone"]
    date_hierarchy = "registered_on"
    inlines = [CandidateSeatInline]


@admin.register(Seat)
class SeatAdmin(NationalOnly, ReadOnlyHistoryAdmin, BranchScopedAdmin):
    branch_path = "session__branch"
    list_display = ["candidate", "session", "invited_on", "attended", "score", "passed"]
    list_filter = ["session__branch", "attended", "passed"]
    list_select_related = ["candidate", "session"]
    search_fields = ["candidate__full_name", "=candidate__nik", "session__place"]
    date_hierarchy = "invited_on"
