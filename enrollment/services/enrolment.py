"""Writes to enrollment data: the rules for pricing and recording an acquisition live here."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enrollment.models import ContributionRate


def acquisition_pricing(*, acquired_on, declared_income, with_jht):
    """The rate in force on ``acquired_on`` and the monthly contribution it gives.

    Raises ``ValidationError`` when no rate covers the date or the income is outside the rate's range.
    """
    try:
        rate = ContributionRate.objects.in_force_on(acquired_on)
    except ContributionRate.DoesNotExist:
        raise ValidationError(
            _("No contribution rate is in force on %(date)s.") % {"date": acquired_on.strftime("%d-%m-%Y")},
            code="no_rate",
        ) from None
    return rate, rate.breakdown(declared_income, with_jht=with_jht).total
