"""Who is paying and who has lapsed: the one rule, in the two forms the product asks it.

A participant who pays nothing for three months running lapses (the programme's rule: no fine, simply
inactive). The stored ``Acquisition.status`` only records a lapse someone has already written down;
everything else is derived from the contributions, by the database.

**At a month end** (``standing_acquisitions``: the reports, the staff participant list, the exports):

- each participant counts once, through their *standing* acquisition: the latest one acquired on or
  before the day (a worker acquired again after lapsing is judged by the new acquisition);
- it is **lapsed** when its stored status is lapsed with ``ended_on`` on or before the day, or when no
  contribution was paid for any of the last ``PAYING_WINDOW_MONTHS`` (3) months up to the day (for June:
  April, May or June);
- otherwise it is **current**; a worker acquired within those three months counts as current even
  before the first payment arrives, since they have not yet gone three months without paying.

A participant's acquisitions are ordered by ``acquired_on``, then id (``later_acquisitions``,
``earlier_acquisitions``); one with an earlier acquisition enrols a *returning* worker, acquired again
after a lapse, the rest are new participants (``reports.money`` counts them apart).

**This month** (``with_payment_status``: the agent's own list, first match wins):

- *lapsed*: the acquisition has lapsed (its status), or nothing was paid for this month nor the two
  before it by a worker enrolled before those months: the same rule, so an agent's lapsed list is the
  one the branch discusses;
- *paid*: a contribution for this month is recorded;
- *late*: nothing paid for this month nor the month before (``LATE_AFTER_MONTHS`` = 2), by a worker
  enrolled before this month: a visit now keeps them from lapsing;
- *due*: not paid for this month yet (paid last month, or enrolled this month).
"""

from django.db.models import BooleanField, Case, Count, Exists, Max, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from enrollment.models import Acquisition, Contribution
from perisai.months import month_start, shift_month

PAYING_WINDOW_MONTHS = 3
"""Months without any payment after which a participant has lapsed."""
LATE_AFTER_MONTHS = 2
"""Months without a payment after which the agent's list calls a participant late."""


def window_start(day):
    """The first month of the three that decide whether an acquisition is current on ``day``."""
    return shift_month(day, -(PAYING_WINDOW_MONTHS - 1))


def later_acquisitions(day):
    """The same participant's acquisitions after the outer one (acquired later, or the same day with a
    higher id) and on or before ``day``: while one exists, the outer one is not their standing acquisition."""
    return Acquisition.objects.filter(participant=OuterRef("participant"), acquired_on__lte=day).filter(
        Q(acquired_on__gt=OuterRef("acquired_on")) | Q(acquired_on=OuterRef("acquired_on"), pk__gt=OuterRef("pk"))
    )


def earlier_acquisitions():
    """The same participant's acquisitions before the outer one, in the same order: when one exists, the
    outer one enrols a *returning* worker (acquired again after a lapse), not a new participant."""
    return Acquisition.objects.filter(participant=OuterRef("participant")).filter(
        Q(acquired_on__lt=OuterRef("acquired_on")) | Q(acquired_on=OuterRef("acquired_on"), pk__lt=OuterRef("pk"))
    )


def standing_acquisitions(*, scope, day, agent_field="agent"):
    """Each participant's standing acquisition on ``day`` within ``scope``, annotated with
    ``is_current`` (bool), ``last_paid`` (the latest month paid up to ``day``, or ``None``) and
    ``months_paid`` (how many months were paid up to ``day``)."""
    window = window_start(day)
    later = later_acquisitions(day)
    paid_in_window = Contribution.objects.filter(acquisition=OuterRef("pk"), period__range=(window, day))
    paid = Contribution.objects.filter(acquisition=OuterRef("pk"), period__lte=day).order_by().values("acquisition")
    return (
        scope.filter(Acquisition.objects.filter(acquired_on__lte=day), agent_field=agent_field)
        .filter(~Exists(later))
        .annotate(
            is_current=Case(
                When(Q(status=Acquisition.Status.LAPSED, ended_on__lte=day), then=Value(False)),
                When(Exists(paid_in_window) | Q(acquired_on__gte=window), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            last_paid=Subquery(paid.annotate(last=Max("period")).values("last")[:1]),
            months_paid=Subquery(paid.annotate(n=Count("pk")).values("n")[:1]),
        )
    )


# --- this month, for the agent's list --------------------------------------------------------


class PaymentStatus:
    PAID = "paid"
    DUE = "due"
    LATE = "late"
    LAPSED = "lapsed"

    choices = [
        (PAID, _("Paid this month")),
        (DUE, _("Due this month")),
        (LATE, _("Late")),
        (LAPSED, _("Lapsed")),
    ]


def with_payment_status(acquisitions, *, today):
    """``acquisitions`` annotated by the database with ``payment_status``, ``paid_this_month`` and
    ``last_paid`` (the latest month paid, or ``None``)."""
    this_month = month_start(today)
    late_window = shift_month(this_month, 1 - LATE_AFTER_MONTHS)
    lapse_window = shift_month(this_month, 1 - PAYING_WINDOW_MONTHS)
    contributions = Contribution.objects.filter(acquisition=OuterRef("pk"), period__lte=this_month)
    return acquisitions.annotate(
        paid_this_month=Exists(contributions.filter(period=this_month)),
        paid_lately=Exists(contributions.filter(period__gte=late_window)),
        paid_before_lapsing=Exists(contributions.filter(period__gte=lapse_window)),
        last_paid=Subquery(contributions.order_by("-period").values("period")[:1]),
        payment_status=Case(
            When(status=Acquisition.Status.LAPSED, then=Value(PaymentStatus.LAPSED)),
            When(paid_before_lapsing=False, acquired_on__lt=lapse_window, then=Value(PaymentStatus.LAPSED)),
            When(paid_this_month=True, then=Value(PaymentStatus.PAID)),
            When(paid_lately=False, acquired_on__lt=this_month, then=Value(PaymentStatus.LATE)),
            default=Value(PaymentStatus.DUE),
        ),
    )
