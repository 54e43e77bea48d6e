"""Who reaches what in the Django admin, and the admin classes that stop at the user's branch.

**What the admin is for.** The admin is the national administrators' tool: accounts, branches, rates,
incentive schemes, programme terms, sign-in lockouts, and corrections to any branch's records. Branch
staff and the branch head work on the app's own pages (agents, offices, PKS, participants changed with a
reason, acquisitions enrolled and contributions recorded by the rules of the enrolment, the payments
files, the outbox), which keep the rules and the reasons those pages ask for. In the admin a *branch
user* (staff, the head, or an administrator bound to a branch: anyone who is not ``is_national``)
reaches only what no page does yet:

- the branch's own reminder wording (``MessageTemplate``), and the national texts, read-only;
- the national tables every branch reads (``NationalTable``: rates, incentive schemes, programme
  terms), read-only.

Every other model's admin is ``NationalOnly`` (the sign-in records' admins, which are not ours, are
closed the same way by ``agents.permissions.ADMIN_ONLY_APPS``): a branch user gets a 403 and does not
see it in the admin's index. ``tests/test_admin.py`` lists what branch users reach: a model added to the admin
that a branch user could open fails it until its admin is ``NationalOnly`` or the list says why not.

**Scope** in what a branch user does reach (``BranchScopedAdmin``): the rows, the foreign-key choices,
the label a raw-id field prints beside an id (typed, prefilled from the query string, or posted back
with a form that failed), the autocomplete answers and the list filters' choices all stop at the
user's branch, so no admin page names another branch, its offices or its people.
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ValidationError

from agents.scoping import for_user


def is_national(user):
    """A national administrator (or superuser): the only user who reaches the whole admin."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_national", False))


class NationalOnly:
    """Mixin (before the ModelAdmin base): only national administrators reach this model in the admin.

    Branch users do this work on the app's own pages; here they get a 403, and the model is left out
    of their admin index. Their role permissions stay as they are, since the pages read them.
    """

    def has_module_permission(self, request):
        return is_national(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_national(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return is_national(request.user) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return is_national(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_national(request.user) and super().has_delete_permission(request, obj)


class ViewOnly:
    """Mixin (before the ModelAdmin base): rows to read, never to add, change or delete here, because their
    own pages or services write them with what the admin would skip (a history, a file's checks, a
    message actually sent)."""

    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NationalTable:
    """Mixin (before the ModelAdmin base) for data of no branch that every branch reads: rates, incentive
    schemes, programme terms. Anyone whose role may view it reads it; only national administrators
    add, change or delete it (not an administrator bound to one branch: it is every branch's)."""

    def has_add_permission(self, request, *args, **kwargs):
        return is_national(request.user) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return is_national(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_national(request.user) and super().has_delete_permission(request, obj)


def scoped_choices(queryset, user, site):
    """``queryset`` (of any model an admin form or filter points to) narrowed to what ``user`` may see.

    A model whose admin is a ``BranchScopedAdmin`` is narrowed by its ``branch_path``; a national table
    is everyone's; anything else (a model with no admin, or none that says where its branch is) offers
    a branch user nothing, so a relation added later cannot list another branch's rows by default.
    """
    if is_national(user):
        return queryset
    related_admin = site._registry.get(queryset.model)
    if isinstance(related_admin, BranchScopedAdmin):
        return for_user(queryset, user, related_admin.branch_path)
    if isinstance(related_admin, NationalTable):
        return queryset
    return queryset.none()


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id input that prints the name beside an id only for an id among ``queryset``.

    Django's widget looks the id up in the whole table, so ``?participant=<id>`` on an add form, or an
    id posted back with a form that failed, would print another branch's person with their masked
    NIK; here such an id stays a bare number.
    """

    def __init__(self, rel, admin_site, queryset, attrs=None, using=None):
        super().__init__(rel, admin_site, attrs=attrs, using=using)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            reachable = self.queryset.using(self.db).filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            return "", ""
        return super().label_and_url_for_value(value) if reachable else ("", "")


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation that offers only the related rows the user may see.

    Django's own offers every row of the related table: every branch and every office by name.
    """

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        reachable = scoped_choices(field.related_model._default_manager.all(), request.user, model_admin.admin_site)
        if reachable.query.is_empty():
            return []
        if is_national(request.user):
            return field.get_choices(include_blank=False, ordering=ordering)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to={"pk__in": reachable.values("pk")}
        )


class BranchScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows, choices, raw-id labels and list filters stop at the user's branch.

    ``branch_path`` is the lookup from this admin's model to its branch (``None`` for branches
    themselves). Related models declare theirs in their own admin, which is how a form here knows
    which offices, agents or participants a user may pick, name or filter by.
    """

    branch_path = "branch"

    def get_queryset(self, request):
        return for_user(super().get_queryset(request), request.user, self.branch_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None:
            return field
        field.queryset = scoped_choices(field.queryset, request.user, self.admin_site)
        if isinstance(field.widget, widgets.ForeignKeyRawIdWidget):
            field.widget = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, field.queryset, attrs=field.widget.attrs, using=field.widget.db
            )
        return field

    def get_list_filter(self, request):
        return [self._scoped_filter(item) for item in super().get_list_filter(request)]

    def _scoped_filter(self, item):
        """A filter named by a path to a relation gets the scoped filter; any other stays as declared."""
        if not isinstance(item, str):
            return item
        try:
            field = get_fields_from_path(self.model, item)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return item
        if getattr(field, "remote_field", None) is not None and not field.auto_created:
            return (item, ScopedRelatedFieldListFilter)
        return item
