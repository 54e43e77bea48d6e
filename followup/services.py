"""Writes of follow-up: logging a contact with a participant.

``contact_record`` is what an agent's two taps (or a staff member's form) end in. Only the agent who
looks after the participant (or staff of the participant's branch) may log; the caller has already
reached the acquisition through a scoped selector, and the rule is checked here again.

A contact given a ``client_key`` (the phone's offline queue, the list's hidden key) is logged once: the
same key from the same account returns the contact the first send logged (``enrollment.client_keys``).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agents.models import Agent
from enrollment.client_keys import prior_write
from followup.models import ContactAttempt
from perisai.roles import Role

PROMISE_WITHIN_DAYS = 62
"""A promise to pay is for a day within about two months; anything later is no promise to plan by."""


def contact_record(*, acquisition, user, outcome, via="", promised_on=None, note="", today=None, client_key=None):
    """Log a contact about ``acquisition`` by ``user``; the new ``ContactAttempt``.

    ``PermissionDenied`` when ``user`` is an agent who does not look after the participant, or staff
    of another branch; ``ValidationError`` for an unknown outcome, a promise without a date or with a
    date in the past or too far ahead, or a date given with another outcome. With ``client_key``, the
    contact ``user`` already logged under that key is returned as it is (``replayed``).
    """
    prior = prior_write(client_key, model=ContactAttempt, user=user)
    if prior is not None:
        return prior
    today = today or timezone.localdate()
    agent = None
    if user.role == Role.AGENT:
        agent = Agent.objects.filter(user=user).first()
        if agent is None or acquisition.caretaker_id != agent.pk:
            raise PermissionDenied(_("Only the agent who looks after this participant logs contacts."))
    elif user.branch_id is not None and acquisition.branch_id != user.branch_id:
        raise PermissionDenied(_("This participant belongs to another branch."))
    if outcome == ContactAttempt.Outcome.PROMISED:
        if promised_on is None:
            raise ValidationError({"promised_on": _("Give the day they promised to pay.")}, code="promise_without_day")
        latest = today + datetime.timedelta(days=PROMISE_WITHIN_DAYS)
        if not today <= promised_on <= latest:
            raise ValidationError(
                {
                    "promised_on": _("A promise is for a day from today to %(latest)s.")
                    % {"latest": date_format(latest, "j F Y")}
                },
                code="promise_out_of_range",
            )
    else:
        promised_on = None
    contact = ContactAttempt(
        acquisition=acquisition,
        agent=agent,
        recorded_by=user,
        outcome=outcome,
        via=via or "",
        promised_on=promised_on,
        note=(note or "").strip(),
        client_key=client_key,
    )
    contact.full_clean(exclude=["acquisition", "agent", "recorded_by", "client_key"])
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        # The same key sent twice at once (the only unique column): the first send's contact is the answer.
        prior = prior_write(client_key, model=ContactAttempt, user=user)
        if prior is None:
            raise
        return prior
    return contact
