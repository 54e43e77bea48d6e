"""Which programme terms are in force, and what they say about an agent who left.

The terms (``ProgrammeTerms``) are data with effective months: an agent with no new participant for
some months is at risk, then inactive (``incentives.activity`` applies that to the acquisitions); an
agent deactivated for inactivity waits some months before coming back (here); an office under its
minimum is warned, then its PKS is at risk; a PKS runs at most some months (here, for the PKS forms
and services) and an office needs some active agents (``incentives.activity``).
"""

import datetime
from dataclasses import dataclass

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


@dataclass(frozen=True)
class AgreementLimit:
    """How long a PKS starting on ``starts_on`` may run under ``terms``: to ``last_day`` at the latest."""

    terms: ProgrammeTerms
    starts_on: datetime.date
    months: int

    @property
    def last_day(self):
        """A PKS of 12 months starting on 1 July 2022 ends on 30 June 2023 at the latest."""
        return add_months(self.starts_on, self.months) - datetime.timedelta(days=1)

    def allows(self, ends_on):
        return ends_on <= self.last_day


def agreement_limit(starts_on):
    """The ``AgreementLimit`` for a PKS starting on ``starts_on``: the terms in force in the month it starts
    decide (a PKS runs under the terms of its start), or ``None`` when they set no maximum."""
    terms = terms_in_force(starts_on)
    if terms is None or terms.agreement_max_months is None:
        return None
    return AgreementLimit(terms=terms, starts_on=starts_on, months=terms.agreement_max_months)
