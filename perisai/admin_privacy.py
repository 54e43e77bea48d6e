"""NIK and phone numbers in the Django admin, by the rules of ``perisai.privacy``.

Staff and the branch head use the admin too, so it must not be the back door around the masks:
lists show the NIK masked; an existing person's page shows it masked and read-only (a NIK is
corrected on the app's edit page, which records who saw it); a phone number is masked and read-only
for those who may not see it (the branch head, administrators). Adding a person takes both as typed.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from perisai.privacy import mask_nik, mask_phone, may_see_phone


class PersonalDataAdmin(admin.ModelAdmin):
    """For a model with ``nik`` and ``phone`` fields; put it before the other admin bases."""

    def _masked(self, request, obj):
        """``{field: read-only stand-in}`` for the fields this page must not show as they are."""
        if obj is None:
            return {}
        masked = {"nik": "masked_nik"}
        if not may_see_phone(request.user):
            masked["phone"] = "masked_phone"
        return masked

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self._masked(request, obj).values()]

    def get_fields(self, request, obj=None):
        masked = self._masked(request, obj)
        fields = [field for field in super().get_fields(request, obj) if field not in masked.values()]
        return [masked.get(field, field) for field in fields]

    def get_list_display(self, request):
        masked = (
            {"nik": "masked_nik"} if may_see_phone(request.user) else {"nik": "masked_nik", "phone": "masked_phone"}
        )
        return [
            masked.get(field, field) if isinstance(field, str) else field for field in super().get_list_display(request)
        ]

    @admin.display(description="NIK")
    def masked_nik(self, obj):
        return mask_nik(obj.nik)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)
