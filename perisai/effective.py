"""Terms that apply to whole calendar months, as data with effective dates (incentive schemes, programme terms).

A row takes effect on the first day of a month and, when it ends, ends on the last day of a month, so
exactly one row (or none) is in force in any month and a monthly statement never has to split a month
between two rows. The schema holds the first-of-month rule and the order of the dates
(``period_constraints``); ``clean`` gives the friendly messages and refuses overlapping periods.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from perisai.months import month_end


class InForceQuerySet(models.QuerySet):
    def in_force_in(self, month):
        """Rows in force in the month starting on ``month`` (the first of a month)."""
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month), effective_from__lte=month)

    def overlapping(self, first, last):
        """Rows in force on some day from ``first`` to ``last`` (``None``: open-ended)."""
        rows = self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first))
        return rows if last is None else rows.filter(effective_from__lte=last)


class EffectiveMonths(models.Model):
    """Effective from the first day of a month, to the last day of a month or open-ended; no overlaps."""

    name = models.CharField(_("name"), max_length=120)
    effective_from = models.DateField(_("effective from"), unique=True, help_text=_("The first day of a month."))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("The last day of a month; empty while in force.")
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-effective_from"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.effective_from and self.effective_from.day != 1:
            errors["effective_from"] = _("Terms take effect on the first day of a month.")
        if self.effective_to:
            if self.effective_to != month_end(self.effective_to):
                errors["effective_to"] = _("Terms end on the last day of a month.")
            elif self.effective_from and self.effective_to < self.effective_from:
                errors["effective_to"] = _("Terms cannot end before they take effect.")
        if errors:
            raise ValidationError(errors)
        if (
            self.effective_from
            and type(self).objects.exclude(pk=self.pk).overlapping(self.effective_from, self.effective_to).exists()
        ):
            raise ValidationError(_("This period overlaps the period of other terms of the same kind."))


def period_constraints(prefix):
    return [
        models.CheckConstraint(condition=Q(effective_from__day=1), name=f"{prefix}_starts_first_of_month"),
        models.CheckConstraint(
            condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
            name=f"{prefix}_ends_after_start",
            violation_error_message=_("Terms cannot end before they take effect."),
        ),
    ]
