"""Keeping participants paying: who is at risk, whom the agents contacted, which promises were kept, and
how many lapses the follow-up prevented, for the period's month and year to date.

The definitions, decided here (the period's month is *M*, June for a period through June):

- **At risk** on the period's last day: participants *current* on that day (each counted once, by their
  standing acquisition: ``enrollment.paying.standing_acquisitions``; a lapse written down counts from
  its date) with nothing paid for M, split as the agent's list splits them
  (``enrollment.paying.with_payment_status`` read on that day): **late** when nothing was paid for
  M − 1 either, by a worker enrolled before M (if M + 1 stays unpaid too, they lapse at its end);
  **due** otherwise (M − 1 paid, or enrolled in M). Payments count by the month they pay for, whenever
  recorded, as in every continuity figure.
- **Contacted**: participants with at least one ``followup.ContactAttempt`` in M, whatever its outcome,
  by ``contacted_at`` in Asia/Jakarta time (the current time zone: 1 June 00:00 to 1 July 00:00 WIB).
- **Promises** falling due in M: contacts with the outcome *promised to pay* whose promised day is in M
  (the promise may have been made in an earlier month). A promise is **kept** when a contribution of
  that acquisition, for any month, was paid (``paid_on``) from the day of the contact through
  ``PROMISE_GRACE_DAYS`` (7) days after the promised day. Each promise counts: a participant who
  promised twice made two promises.
- **Saved** (paid after a contact: the lapses the follow-up prevented): participants with a contact
  in M, its outcome anything but *refuses* or *deceased* (``ContactAttempt.ENDS_FOLLOW_UP``), who at
  that contact were *late* or *due* (by the same rule, as paid before the contact's day: nothing paid
  for M before that day, something paid for one of M − 2 … M − 1 before it or enrolled since M − 2,
  and no lapse written down on or before it), and who then paid a contribution of that acquisition,
  for any month, from the contact's day (a payment collected on the visit counts) through the end of
  M + 1. So M's figure may still grow until the end of the month after it.
- **Year to date**: the same figures from January through M, each participant counted once however
  many months they were contacted or saved in (at risk is a day's figure and has none).

Figures count for the agent looking after the participant now (the acquisition's ``caretaker``, as on
the lapsed list and the agent's follow-up list), whoever logged the contact, and for the acquisition's
Perisai office and branch (``Scope.q(agent_field="caretaker")``). A participant counts once per
acquisition: a worker enrolled again counts under the new acquisition from then on.

Two queries whatever the number of participants or contacts: one over the standing acquisitions for
*at risk*, one over the contacts for the rest (grouped by agent and office for the report, a single
aggregate for the summary); the offices' and the agents' rows add up to the scope's. The dashboard's
card asks the contacts only (``with_at_risk=False``): at risk asks every standing acquisition of the
scope, seconds for a whole country, and stays on the report page and in the workbook.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Acquisition, Contribution
from enrollment.paying import LATE_AFTER_MONTHS, standing_acquisitions, window_start
from followup.models import ContactAttempt
from perisai.months import month_end, month_start, shift_month
from reports.acquisitions import share
from reports.memo import shared

PROMISE_GRACE_DAYS = 7
"""Days after the promised day a payment still keeps the promise."""

LEVELS = {
    "national": _("National"),
    "region": _("Regional office"),
    "branch": _("Branch"),
    "office": _("Perisai office"),
    "agent": _("Agent"),
}


@dataclass(frozen=True)
class FollowUpFigures:
    """The follow-up figures of one agent, office or scope for the period's month (``late`` and ``due`` on
    its last day), and the year to date's (``*_to_date``)."""

    late: int = 0
    due: int = 0
    contacted: int = 0
    promised: int = 0
    kept: int = 0
    saved: int = 0
    contacted_to_date: int = 0
    promised_to_date: int = 0
    kept_to_date: int = 0
    saved_to_date: int = 0

    @property
    def at_risk(self):
        return self.late + self.due

    @property
    def kept_share(self):
        return share(self.kept, self.promised)

    @property
    def kept_share_to_date(self):
        return share(self.kept_to_date, self.promised_to_date)

    def __add__(self, other):
        return FollowUpFigures(
            **{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__}
        )


@dataclass(frozen=True)
class FollowUpRow:
    """One line of the report: the scope, a Perisai office or an agent (``office``: the agent's office)."""

    level: str
    code: str
    name: str
    office: str | None
    figures: FollowUpFigures

    @property
    def level_label(self):
        return str(LEVELS[self.level])


@dataclass(frozen=True)
class FollowUpSummary:
    """The scope's figures: what the dashboard's card and the top of the report page say."""

    period: object
    figures: FollowUpFigures
    with_at_risk: bool = True

    grace_days = PROMISE_GRACE_DAYS

    @property
    def month(self):
        return month_start(self.period.end)


@dataclass(frozen=True)
class FollowUpReport:
    """The scope's line, then its offices' (by code), then its agents' (most at risk first)."""

    summary: FollowUpSummary
    scope_row: FollowUpRow
    offices: list
    agents: list

    @property
    def rows(self):
        return [self.scope_row, *self.offices, *self.agents]


# --- the two queries ----------------------------------------------------------------------------


def _at_risk(*, scope, period):
    """The standing acquisitions (by caretaker) current on the period's last day with nothing paid for its
    month, ``late`` when nothing was paid for the month before either, by a worker enrolled before it."""
    month = month_start(period.end)
    payments = Contribution.objects.filter(acquisition=OuterRef("pk"))
    return (
        standing_acquisitions(scope=scope, day=period.end, agent_field="caretaker")
        .filter(is_current=True)
        .filter(~Exists(payments.filter(period=month)))
        .alias(
            is_late=~Exists(payments.filter(period__gte=shift_month(month, 1 - LATE_AFTER_MONTHS), period__lt=month))
            & Q(acquired_on__lt=month)
        )
    )


AT_RISK = {
    "late": Count("pk", filter=Q(is_late=True)),
    "due": Count("pk", filter=Q(is_late=False)),
}


def _midnight(day):
    """00:00 of ``day`` in the current time zone (Asia/Jakarta), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _by_contact_month(months, value):
    """A ``Case`` giving ``value(month)`` for a contact made in one of ``months`` (local time), else NULL."""
    return Case(
        *(
            When(
                contacted_at__gte=_midnight(month),
                contacted_at__lt=_midnight(shift_month(month, 1)),
                then=Value(value(month)),
            )
            for month in months
        ),
        default=Value(None),
        output_field=DateField(),
    )


def _contacts(*, scope, period):
    """The contacts that count for the scope and period (made in the period, or promising a day in it),
    annotated with what the figures ask of each: its local ``day``, its ``month`` (``None`` before the
    period) and whether it ``saves`` the participant or ``keeps`` its promise."""
    months = period.month_starts()
    contacts = ContactAttempt.objects.filter(scope.q("acquisition__", agent_field="caretaker")).filter(
        Q(contacted_at__gte=_midnight(period.start), contacted_at__lt=_midnight(period.end + datetime.timedelta(1)))
        | Q(outcome=ContactAttempt.Outcome.PROMISED, promised_on__range=(period.start, period.end))
    )
    payments = Contribution.objects.filter(acquisition=OuterRef("acquisition"))
    paid_before = payments.filter(paid_on__lt=OuterRef("day"))
    contacts = contacts.annotate(
        day=TruncDate("contacted_at"),
        month=_by_contact_month(months, lambda month: month),
        window=_by_contact_month(months, window_start),
        saved_by=_by_contact_month(months, lambda month: month_end(shift_month(month, 1))),
        kept_by=ExpressionWrapper(
            F("promised_on") + datetime.timedelta(days=PROMISE_GRACE_DAYS), output_field=DateField()
        ),
    )
    owing = ~Exists(paid_before.filter(period=OuterRef("month")))
    not_lapsed = (
        Exists(paid_before.filter(period__gte=OuterRef("window"), period__lte=OuterRef("month")))
        | Q(acquisition__acquired_on__gte=F("window"))
    ) & ~Q(acquisition__status=Acquisition.Status.LAPSED, acquisition__ended_on__lte=F("day"))
    paid_after = Exists(payments.filter(paid_on__gte=OuterRef("day"), paid_on__lte=OuterRef("saved_by")))
    return contacts.alias(
        saves=Q(month__isnull=False) & ~Q(outcome__in=ContactAttempt.ENDS_FOLLOW_UP) & owing & not_lapsed & paid_after,
        keeps=Exists(payments.filter(paid_on__gte=OuterRef("day"), paid_on__lte=OuterRef("kept_by"))),
    )


def _work(period):
    """The contacts' figures as aggregates."""
    month = month_start(period.end)
    promise = Q(outcome=ContactAttempt.Outcome.PROMISED)
    due_in_month = promise & Q(promised_on__range=(month, period.end))
    due_in_period = promise & Q(promised_on__range=(period.start, period.end))
    return {
        "contacted": Count("acquisition", distinct=True, filter=Q(month=month)),
        "promised": Count("pk", filter=due_in_month),
        "kept": Count("pk", filter=due_in_month & Q(keeps=True)),
        "saved": Count("acquisition", distinct=True, filter=Q(month=month, saves=True)),
        "contacted_to_date": Count("acquisition", distinct=True, filter=Q(month__isnull=False)),
        "promised_to_date": Count("pk", filter=due_in_period),
        "kept_to_date": Count("pk", filter=due_in_period & Q(keeps=True)),
        "saved_to_date": Count("acquisition", distinct=True, filter=Q(month__isnull=False, saves=True)),
    }


# --- the summary and the report -----------------------------------------------------------------


@shared
def follow_up_summary(*, scope, period, with_at_risk=True):
    """The scope's ``FollowUpSummary``. Two queries; one without the participants at risk
    (``with_at_risk=False``, the dashboard's card: counting them asks every standing acquisition of the
    scope, about 1.8 s for a whole country, where the contacts are a small table)."""
    at_risk = _at_risk(scope=scope, period=period).order_by().aggregate(**AT_RISK) if with_at_risk else {}
    work = _contacts(scope=scope, period=period).order_by().aggregate(**_work(period))
    return FollowUpSummary(period=period, figures=FollowUpFigures(**at_risk, **work), with_at_risk=with_at_risk)


AGENT = ("caretaker", "caretaker__code", "caretaker__full_name", "caretaker__office__name")
OFFICE = ("office", "office__code", "office__name")


def _grouped(queryset, prefix, aggregates):
    """``queryset`` counted by caretaker and office (fields reached through ``prefix``)."""
    names = [f"{prefix}{name}" for name in (*AGENT, *OFFICE)]
    for row in queryset.values(*names).annotate(**aggregates).order_by():
        yield {name: row[f"{prefix}{name}"] for name in (*AGENT, *OFFICE)}, {key: row[key] for key in aggregates}


@shared
def follow_up_report(*, scope, period):
    """``FollowUpReport``: the scope, each Perisai office and each agent with a participant at risk or a
    contact that counts. Two queries, grouped by agent and office; the rows are added up from them."""
    groups = {}
    sources = (
        (_at_risk(scope=scope, period=period), "", AT_RISK),
        (_contacts(scope=scope, period=period), "acquisition__", _work(period)),
    )
    for queryset, prefix, aggregates in sources:
        for names, counts in _grouped(queryset, prefix, aggregates):
            key = tuple(names.items())
            groups[key] = groups.get(key, FollowUpFigures()) + FollowUpFigures(**counts)
    offices, agents = {}, {}
    for key, figures in groups.items():
        names = dict(key)
        office = (names["office"], names["office__code"], names["office__name"])
        agent = (
            names["caretaker"],
            names["caretaker__code"],
            names["caretaker__full_name"],
            names["caretaker__office__name"],
        )
        offices[office] = offices.get(office, FollowUpFigures()) + figures
        agents[agent] = agents.get(agent, FollowUpFigures()) + figures
    total = sum(offices.values(), FollowUpFigures())
    office_rows = sorted(
        (FollowUpRow("office", code, name, name, figures) for (_pk, code, name), figures in offices.items()),
        key=lambda row: (row.code, row.name),
    )
    agent_rows = sorted(
        (FollowUpRow("agent", code, name, office, figures) for (_pk, code, name, office), figures in agents.items()),
        key=lambda row: (-row.figures.at_risk, -row.figures.saved, row.name, row.code),
    )
    return FollowUpReport(
        summary=FollowUpSummary(period=period, figures=total),
        scope_row=FollowUpRow(scope.level, _scope_code(scope), str(scope.label), None, total),
        offices=office_rows,
        agents=agent_rows,
    )


def _scope_code(scope):
    for level in (scope.agent, scope.office, scope.branch, scope.region):
        if level is not None:
            return level.code
    return ""
