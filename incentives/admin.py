"""Incentive schemes: administrators change them; staff and heads may read them here too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from incentives.models import IncentiveScheme


@admin.register(IncentiveScheme)
class IncentiveSchemeAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "effective_from",
        "effective_to",
        "fee_rate",
        "bonus_threshold",
        "bonus_amount",
        "recruitment_fee",
        "office_share_rate",
    ]
    date_hierarchy = "effective_from"
