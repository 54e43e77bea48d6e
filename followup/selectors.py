"""Who needs a word today: the agent's follow-up list, and a participant's contacts.

**Today's list** (``follow_up_list``) holds the participants an agent looks after (their standing
acquisition's caretaker) who need a word, by the paying rule of ``enrollment.paying`` as it stands today,
counting every channel's payments:

1. **one month from lapsing** (*late*): nothing paid for this month nor the last; if this month stays
   unpaid they lapse at its end;
2. **due this month**: this month not paid yet (last month was, or they were enrolled this month);
3. **lapsed recently and reachable**: lapsed, with their last month paid (or their enrolment) within
   ``LAPSED_RECENTLY_MONTHS`` before the lapse window, and a phone number to reach them by.

A participant whose latest contact says they refuse or have died is off the list; one who promised to
pay comes back on the promised day. Within each group the list runs by kecamatan and desa, so a visit
round is one walk. Each row says what is owed: the months unpaid in the paying window and their amount
(a lapsed worker restarts by paying the current month, with no fine: one month).

One query for the list, whatever its length; rows are plain data (``FollowUp``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When

from enrollment.models import Acquisition
from enrollment.paying import PAYING_WINDOW_MONTHS, PaymentStatus, with_payment_status
from enrollment.selectors.field import current_acquisitions_for_agent_user
from followup.models import ContactAttempt
from perisai.months import month_start, months_between, shift_month

LAPSED_RECENTLY_MONTHS = 3
"""How long after lapsing a worker is still on the list: a fresh lapse is the easiest to win back."""


class Urgency:
    LAPSING = 1
    DUE = 2
    LAPSED = 3


@dataclass(frozen=True)
class LastContact:
    outcome: str
    at: datetime.datetime
    promised_on: datetime.date | None

    @property
    def label(self):
        return ContactAttempt.Outcome(self.outcome).label


@dataclass(frozen=True)
class FollowUp:
    """One participant on the list, and what is owed."""

    acquisition_id: int
    participant_id: int
    full_name: str
    phone: str
    kecamatan: str
    desa: str
    urgency: int
    payment_status: str
    months_unpaid: tuple
    monthly_contribution: Decimal
    last_paid: datetime.date | None
    last_contact: LastContact | None

    @property
    def amount_due(self):
        months = 1 if self.urgency == Urgency.LAPSED else len(self.months_unpaid)
        return self.monthly_contribution * months

    @property
    def first_name(self):
        return self.full_name.split()[0] if self.full_name else ""


def _latest_contact():
    return ContactAttempt.objects.filter(acquisition=OuterRef("pk")).order_by("-contacted_at", "-pk")


def follow_up_acquisitions(user, *, today):
    """The acquisitions behind ``follow_up_list``, annotated and ordered: the list as a queryset."""
    this_month = month_start(today)
    recent = shift_month(this_month, -(PAYING_WINDOW_MONTHS + LAPSED_RECENTLY_MONTHS - 1))
    latest = _latest_contact()
    return (
        with_payment_status(current_acquisitions_for_agent_user(user), today=today)
        .annotate(
            contact_outcome=Subquery(latest.values("outcome")[:1]),
            contact_at=Subquery(latest.values("contacted_at")[:1]),
            contact_promised_on=Subquery(latest.values("promised_on")[:1]),
            urgency=Case(
                When(payment_status=PaymentStatus.LATE, then=Value(Urgency.LAPSING)),
                When(payment_status=PaymentStatus.DUE, then=Value(Urgency.DUE)),
                When(payment_status=PaymentStatus.LAPSED, then=Value(Urgency.LAPSED)),
                default=Value(None),
                output_field=IntegerField(),
            ),
        )
        .filter(
            Q(urgency__in=(Urgency.LAPSING, Urgency.DUE))
            | Q(
                urgency=Urgency.LAPSED,
                status=Acquisition.Status.ACTIVE,
                participant__phone__gt="",
            )
            & (Q(last_paid__gte=recent) | Q(last_paid__isnull=True, acquired_on__gte=recent))
        )
        # Spelled out for the participants never contacted: NOT (NULL IN (...)) is no "true" in SQL.
        .filter(Q(contact_outcome__isnull=True) | ~Q(contact_outcome__in=ContactAttempt.ENDS_FOLLOW_UP))
        .filter(
            Q(contact_outcome__isnull=True)
            | ~Q(contact_outcome=ContactAttempt.Outcome.PROMISED)
            | Q(contact_promised_on__lte=today)
        )
        .select_related("participant")
        .order_by("urgency", "participant__kecamatan", "participant__desa", "participant__full_name", "pk")
    )


def follow_up_list(user, *, today, only=None):
    """The ``FollowUp`` rows of the agent signed in as ``user``, most urgent first (one query); ``only``
    an acquisition's id for its row alone (empty when it is no longer on the list)."""
    acquisitions = follow_up_acquisitions(user, today=today)
    if only is not None:
        acquisitions = acquisitions.filter(pk=only)
    return [_row(acquisition, today) for acquisition in acquisitions]


def _row(acquisition, today):
    participant = acquisition.participant
    return FollowUp(
        acquisition_id=acquisition.pk,
        participant_id=participant.pk,
        full_name=participant.full_name,
        phone=participant.phone,
        kecamatan=participant.kecamatan,
        desa=participant.desa,
        urgency=acquisition.urgency,
        payment_status=acquisition.payment_status,
        months_unpaid=months_unpaid(acquisition, today=today),
        monthly_contribution=acquisition.monthly_contribution,
        last_paid=acquisition.last_paid,
        last_contact=LastContact(acquisition.contact_outcome, acquisition.contact_at, acquisition.contact_promised_on)
        if acquisition.contact_outcome
        else None,
    )


def months_unpaid(acquisition, *, today):
    """The months of the paying window (up to this one) after the last month paid, oldest first."""
    this_month = month_start(today)
    start = max(
        shift_month(acquisition.last_paid, 1) if acquisition.last_paid else month_start(acquisition.acquired_on),
        shift_month(this_month, 1 - PAYING_WINDOW_MONTHS),
    )
    return tuple(shift_month(start, offset) for offset in range(months_between(start, this_month) + 1))


def contacts_for(acquisitions):
    """The contacts about ``acquisitions`` (a queryset the caller has scoped), newest first, with who made them."""
    return ContactAttempt.objects.filter(acquisition__in=acquisitions).select_related(
        "agent", "recorded_by", "acquisition"
    )
