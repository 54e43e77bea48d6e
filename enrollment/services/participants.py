"""Staff changes to participants: correct their data with a reason, move them to another agent.

Both write simple-history rows with the reason as ``history_change_reason`` and the staff member as
``history_user``, so the participant's page shows who changed what and why. Moving participants
uses one ``UPDATE`` and writes the acquisitions' history rows explicitly (signals do not fire on
``update()``).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agents.models import Agent
from agents.places import place_changes
from agents.terms import working_ages
from enrollment.models import Acquisition, Participant

EDITABLE_FIELDS = (
    "nik",
    "full_name",
    "gender",
    "birth_date",
    "phone",
    "address",
    "kecamatan",
    "desa",
    "occupation",
    "kpj_number",
)
HISTORY_BATCH_SIZE = 1000


def _check_working_age(participant):
    """A corrected birth date must still put every enrolment of the participant within the working age then."""
    bounds_on = working_ages()
    for acquired_on in participant.acquisitions.order_by("acquired_on").values_list("acquired_on", flat=True):
        bounds = bounds_on(acquired_on)
        refusal = bounds.refusal(participant.birth_date, acquired_on) if bounds is not None else None
        if refusal is not None:
            raise ValidationError({"birth_date": refusal}, code="working_age")


def participant_update(*, participant, changed_by, reason, **changes):
    """Change ``participant``'s personal data (``EDITABLE_FIELDS``) for ``reason``; the list of fields changed.

    Nothing is saved when nothing changed. A NIK or KPJ number already registered for someone else is
    refused with ``ValidationError``, also when another save wins the race (the unique constraint).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"participant_update() cannot change {', '.join(sorted(unknown))}")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the change.")})
    stored = Participant.objects.get(pk=participant.pk)
    changes = {**changes, **place_changes(branch=stored.branch, fields=changes, stored=stored)}
    changed = [name for name, value in changes.items() if getattr(stored, name) != value]
    for name, value in changes.items():
        setattr(participant, name, value)
    if not changed:
        return []
    if "birth_date" in changed:
        _check_working_age(participant)
    participant.full_clean()
    participant._change_reason = reason.strip()
    participant._history_user = changed_by
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(
            _("Another participant is already registered with this NIK or KPJ number. Nothing was changed.")
        ) from None
    return changed


def participants_move(*, from_agent, to_agent, moved_by, reason):
    """Hand every active participant ``from_agent`` looks after to ``to_agent``; how many moved.

    Only the caretaker changes: each acquisition keeps its acquiring ``agent``, branch and office, so
    the reports keep crediting whoever made it. ``to_agent`` must be active and of the same branch.
    """
    if from_agent.pk == to_agent.pk:
        raise ValidationError(_("Choose two different agents."))
    if from_agent.branch_id != to_agent.branch_id:
        raise ValidationError(_("Both agents must belong to the same branch."))
    if to_agent.status != Agent.Status.ACTIVE:
        raise ValidationError(_("Participants can only be moved to an active agent."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the move.")})
    with transaction.atomic():
        moving = list(
            Acquisition.objects.select_for_update().filter(caretaker=from_agent, status=Acquisition.Status.ACTIVE)
        )
        if not moving:
            raise ValidationError(
                _("%(agent)s looks after no active participants; nothing was moved.") % {"agent": from_agent}
            )
        Acquisition.objects.filter(pk__in=[acquisition.pk for acquisition in moving]).update(caretaker=to_agent)
        for acquisition in moving:
            acquisition.caretaker = to_agent
        Acquisition.history.bulk_history_create(
            moving,
            batch_size=HISTORY_BATCH_SIZE,
            update=True,
            default_user=moved_by,
            default_change_reason=reason.strip(),
        )
    return len(moving)
