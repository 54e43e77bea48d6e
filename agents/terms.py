"""Which programme terms are in force, and what they say about an agent who left.

The terms (``ProgrammeTerms``) are data with effective months: an agent with no new participant for
some months is at risk, then inactive (``incentives.activity`` applies that to the acquisitions); an
agent deactivated for inactivity waits some months before coming back (here); an office under its
minimum is warned, then its PKS is at risk.
"""

import datetime

from agents.models import Agent, ProgrammeTerms
from perisai.months import add_months, month_start


def terms_in_force(month):
    """The ``ProgrammeTerms`` in force in ``month``'s month, or ``None`` when none are recorded."""
    return ProgrammeTerms.objects.in_force_in(month_start(month)).first()


def reactivation_allowed_from(agent):
    """The first day an inactivity deactivation ends, under the terms in force when the agent left.

    ``None`` when the agent may come back at once (left for another reason, or no terms recorded);
    ``datetime.date.max`` after a fraud removal, which is final.
    """
    if agent.deactivation_reason == Agent.DeactivationReason.FRAUD:
        return datetime.date.max
    if agent.deactivation_reason != Agent.DeactivationReason.INACTIVITY or agent.left_on is None:
        return None
    terms = terms_in_force(agent.left_on)
    if terms is None:
        return None
    return add_months(agent.left_on, terms.reactivation_wait_months)
