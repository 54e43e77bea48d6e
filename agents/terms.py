"""Which programme terms are in force, and what they say about an agent who left.

The terms (``ProgrammeTerms``) are data with effective months: an agent with no new participant for
some months is at risk, then inactive (``incentives.activity`` applies that to the acquisitions); an
agent deactivated for inactivity waits some months before coming back (here); an office under its
minimum is warned, then its PKS is at risk; a PKS runs at most some months (here, for the PKS forms
and services) and an office needs some active agents (``incentives.activity``); a worker is enrolled
only within the working age the terms set, on the day of enrolment (here, for the enrolment service, the
import and a correction of a birth date).
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


def age_on(birth_date, day):
    """Whole years from ``birth_date`` to ``day`` (a birthday on 29 February comes on 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class WorkingAge:
    """The ages at which the terms in force on a day enrol a worker (``None``: no bound on that side)."""

    youngest: int | None
    oldest: int | None

    def refusal(self, birth_date, day):
        """Why a worker born on ``birth_date`` cannot be enrolled on ``day``, or ``None`` when they can."""
        age = age_on(birth_date, day)
        if (self.youngest is None or age >= self.youngest) and (self.oldest is None or age <= self.oldest):
            return None
        if self.oldest is None:
            bounds = _("aged %(youngest)d or older") % {"youngest": self.youngest}
        elif self.youngest is None:
            bounds = _("aged up to %(oldest)d") % {"oldest": self.oldest}
        else:
            bounds = _("aged %(youngest)d to %(oldest)d") % {"youngest": self.youngest, "oldest": self.oldest}
        return _(
            "A worker born on %(birth_date)s is %(age)d years old on %(day)s; the programme enrols workers %(bounds)s."
        ) % {
            "birth_date": date_format(birth_date, "j F Y"),
            "age": age,
            "day": date_format(day, "j F Y"),
            "bounds": bounds,
        }


def _bounds(terms):
    return WorkingAge(youngest=terms.participant_min_age, oldest=terms.participant_max_age)


def working_age(day):
    """The ``WorkingAge`` of the terms in force on ``day``; ``None`` when no terms are recorded."""
    terms = terms_in_force(day)
    return _bounds(terms) if terms is not None else None


def working_ages():
    """``day -> WorkingAge | None`` for any day, from every terms row read in one query: for a file of rows."""
    every = list(ProgrammeTerms.objects.order_by("effective_from"))

    def on(day):
        month = month_start(day)
        for terms in every:
            if terms.effective_from <= month and (terms.effective_to is None or terms.effective_to >= month):
                return _bounds(terms)
        return None

    return on


def working_age_refusal(*, birth_date, day):
    """Why a worker born on ``birth_date`` cannot be enrolled on ``day`` under the terms then, or ``None``."""
    bounds = working_age(day)
    return bounds.refusal(birth_date, day) if bounds is not None else None
