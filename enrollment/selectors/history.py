"""Who created and who changed a record, when, and each field's old and new value.

Reads django-simple-history's tables: one query per model asked about, one for the users, and one
per kind of related record named in a change (e.g. the agents when a caretaker moved), however long
the history. Pair it with ``templates/enrollment/includes/history.html``::

    {% include "enrollment/includes/history.html" with history=history %}

with ``history = history_for(participant, participant.acquisitions.all(), contributions)`` in the view.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.models import Acquisition, Contribution
from perisai.privacy import mask_nik, mask_phone

ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: str
    action: str
    subject: str
    reason: str = ""
    changes: list = field(default_factory=list)


def _subject(model, record):
    """How a reader recognises the row: a contribution by its month, an acquisition by its date."""
    name = capfirst(model._meta.verbose_name)
    if model is Contribution:
        return f"{name} {formats.date_format(record.period, 'F Y')}"
    if model is Acquisition:
        return f"{name} {formats.date_format(record.acquired_on, 'j F Y')}"
    return name


def _display(model_field, value, related_names):
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return related_names.get((model_field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.DateField):
        return formats.date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _sources(sources):
    """``{model: [querysets or pks]}`` from instances and querysets."""
    by_model = defaultdict(list)
    for source in sources:
        if isinstance(source, models.QuerySet):
            by_model[source.model].append(source.values("pk"))
        else:
            by_model[type(source)].append([source.pk])
    return by_model


def history_for(*sources, full_phone=False, full_nik=False):
    """History entries, newest first, of the given instances and querysets (of models with
    ``HistoricalRecords``): who did it, when, created/changed/deleted, the reason given (simple-history's
    ``history_change_reason``), and for a change each field's old and new value, from ``diff_against``.

    NIK and phone values are masked unless asked for: a page passes ``full_phone=may_see_phone(user)``
    (staff see phone numbers, the head does not), and only a person's own data export (an access
    request) passes ``full_nik=True``; elsewhere the history says that a NIK changed and who changed it."""
    masks = {}
    if not full_nik:
        masks["nik"] = mask_nik
    if not full_phone:
        masks["phone"] = mask_phone
    records_by_model = {}
    for model, id_sources in _sources(sources).items():
        filters = models.Q()
        for ids in id_sources:
            filters |= models.Q(id__in=ids)
        records_by_model[model] = list(
            model.history.filter(filters).select_related("history_user").order_by("id", "history_date", "history_id")
        )

    pairs = []
    related_ids = defaultdict(set)
    for model, records in records_by_model.items():
        previous = None
        for record in records:
            delta = None
            if previous is not None and previous.id == record.id and record.history_type == "~":
                delta = record.diff_against(previous)
                for change in delta.changes:
                    model_field = model._meta.get_field(change.field)
                    if isinstance(model_field, models.ForeignKey):
                        related_ids[model_field.related_model].update(
                            value for value in (change.old, change.new) if value is not None
                        )
            pairs.append((model, record, delta))
            previous = record

    related_names = {
        (related_model, obj.pk): str(obj)
        for related_model, ids in related_ids.items()
        for obj in related_model._default_manager.filter(pk__in=ids)
    }

    entries = []
    for model, record, delta in pairs:
        user = record.history_user
        changes = []
        if delta is not None:
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                old, new = change.old, change.new
                if change.field in masks:
                    old, new = (masks[change.field](value) for value in (old, new))
                changes.append(
                    FieldChange(
                        field=capfirst(model_field.verbose_name),
                        old=_display(model_field, old, related_names),
                        new=_display(model_field, new, related_names),
                    )
                )
            if not changes:
                continue  # saved without changing anything
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("the system"),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                subject=_subject(model, record),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
