"""Admin classes that show each user only their own branch's rows and choices."""

from django.contrib import admin

from agents.scoping import for_user


class BranchScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose list, detail pages and foreign-key choices stop at the user's branch.

    ``branch_path`` is the lookup from this admin's model to its branch. Related models declare
    theirs in ``branch_path`` too, so a staff member cannot pick another branch's office or agent.
    """

    branch_path = "branch"

    def get_queryset(self, request):
        return for_user(super().get_queryset(request), request.user, self.branch_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if field is not None and isinstance(related_admin, BranchScopedAdmin):
            field.queryset = for_user(field.queryset, request.user, related_admin.branch_path)
        return field
