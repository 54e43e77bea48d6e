"""Reads for the staff participant screens: the list with its search and filters, and a participant's file.

Rows come from ``agents.scoping.for_user`` (a participant belongs to the branch in ``Participant.branch``);
an agent gets nothing here (the pages answer 404 to agents).

**Paying or lapsed** is enrollment's rule (``enrollment.paying``), the one the continuity report counts,
so the list and the dashboard agree: each participant is judged by their standing acquisition on the last day of the
"as of" month; it is *paying* when it has a contribution for one of the last three months up to that
month (or was acquired within them) and has not been recorded as lapsed; otherwise *lapsed*. The
"as of" month defaults to the latest month with a contribution in the user's branch (June 2022 for
the demo data, whose contributions end there), not today's month, so the filter still means
something when the data stops; staff may choose another month.

The list runs a fixed number of queries whatever the number of rows: the filter options, the count,
the page, and one prefetch of the page's acquisitions with their agents and offices.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Replace
from django.utils import timezone

from agents.models import Agent, PerisaiOffice
from agents.scoping import for_user, scope_for
from enrollment.models import Acquisition, Contribution, Participant
from enrollment.paying import standing_acquisitions
from perisai.months import month_end
from perisai.phones import searchable

PAGE_SIZE = 25
CALENDAR_MONTHS = range(1, 13)


class Payment:
    PAYING = "paying"
    LAPSED = "lapsed"


SORTS = {
    "name": ("full_name", "pk"),
    "-name": ("-full_name", "-pk"),
    "nik": ("nik",),
    "-nik": ("-nik",),
    "kecamatan": ("kecamatan", "full_name", "pk"),
    "-kecamatan": ("-kecamatan", "full_name", "pk"),
    "acquired": ("last_acquired_on", "pk"),
    "-acquired": ("-last_acquired_on", "-pk"),
}
DEFAULT_SORT = "-acquired"


@dataclass(frozen=True)
class ParticipantFilters:
    """What the list is asked for; every field optional (``None`` or blank means no filter)."""

    q: str = ""
    office: PerisaiOffice | None = None
    agent: Agent | None = None
    occupation: str = ""
    kecamatan: str = ""
    acquired_from: datetime.date | None = None
    acquired_to: datetime.date | None = None
    payment: str = ""
    as_of: datetime.date | None = None  # the first day of the "as of" month
    sort: str = DEFAULT_SORT


def participants_for(user):
    """The participants ``user`` may see."""
    return for_user(Participant.objects.all(), user, branch_path="branch")


def offices_for(user):
    return for_user(PerisaiOffice.objects.all(), user, branch_path="branch").order_by("name")


def agents_for(user):
    return for_user(Agent.objects.all(), user, branch_path="branch").order_by("full_name")


NOT_CODED = "-"
"""The kecamatan filter's choice for the participants whose place was typed before places were codes and not
matched then (README, "Places typed before codes"): the list staff work through to choose each place."""


def kecamatan_for(user):
    """The kecamatan the user's participants live in, for the filter."""
    return list(participants_for(user).order_by("kecamatan").values_list("kecamatan", flat=True).distinct())


def latest_contribution_month(*, user):
    """The first day of the latest month with a contribution the user may see; today's month when none."""
    latest = for_user(Contribution.objects.all(), user, branch_path="acquisition__branch").aggregate(
        latest=Max("period")
    )["latest"]
    return latest or timezone.localdate().replace(day=1)


def _search(queryset, text):
    """Name (any part), NIK or KPJ (from the start), phone (digits anywhere, ignoring - and spaces)."""
    text = text.strip()
    if not text:
        return queryset
    digits = text.replace(" ", "").replace("-", "")
    condition = Q(full_name__icontains=text)
    if digits.isdigit():
        queryset = queryset.annotate(
            phone_digits=Replace(Replace("phone", Value("-"), Value("")), Value(" "), Value(""))
        )
        condition |= (
            Q(nik__startswith=digits)
            | Q(kpj_number__startswith=digits)
            | Q(phone_digits__contains=searchable(digits))
        )
    return queryset.filter(condition)


def participant_list(*, user, filters):
    """The participants matching ``filters``, annotated with ``last_acquired_on``, ordered, with their
    acquisitions (newest first) prefetched. ``mark_payment_standing`` adds paying/lapsed to a page."""
    queryset = _search(participants_for(user), filters.q)
    acquired = Acquisition.objects.all()  # filters on acquisitions are IN (...) subqueries, evaluated once
    if filters.office:
        queryset = queryset.filter(pk__in=acquired.filter(office=filters.office).values("participant"))
    if filters.agent:
        by_agent = acquired.filter(Q(agent=filters.agent) | Q(caretaker=filters.agent))
        queryset = queryset.filter(pk__in=by_agent.values("participant"))
    if filters.occupation:
        queryset = queryset.filter(occupation=filters.occupation)
    if filters.kecamatan == NOT_CODED:
        queryset = queryset.filter(district="")
    elif filters.kecamatan:
        queryset = queryset.filter(kecamatan=filters.kecamatan)
    if filters.acquired_from or filters.acquired_to:
        within = acquired
        if filters.acquired_from:
            within = within.filter(acquired_on__gte=filters.acquired_from)
        if filters.acquired_to:
            within = within.filter(acquired_on__lte=filters.acquired_to)
        queryset = queryset.filter(pk__in=within.values("participant"))
    latest = Acquisition.objects.filter(participant=OuterRef("pk")).order_by("-acquired_on", "-pk")
    queryset = queryset.annotate(last_acquired_on=Subquery(latest.values("acquired_on")[:1]))
    if filters.payment in (Payment.PAYING, Payment.LAPSED):
        as_of = filters.as_of or latest_contribution_month(user=user)
        judged = _standing(user, as_of).filter(is_current=filters.payment == Payment.PAYING)
        queryset = queryset.filter(pk__in=judged.values("participant"))
    return queryset.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT])).prefetch_related(
        Prefetch(
            "acquisitions",
            queryset=Acquisition.objects.select_related("agent", "caretaker", "office").order_by("-acquired_on", "-pk"),
        )
    )


def participant_detail(*, user, pk):
    """The participant ``pk`` the user may see, with acquisitions (agents, office, rate) and contributions.

    Raises ``Participant.DoesNotExist`` outside the user's scope (the view answers 404).
    """
    return (
        participants_for(user)
        .prefetch_related(
            Prefetch(
                "acquisitions",
                queryset=Acquisition.objects.select_related("agent", "caretaker", "office", "rate")
                .prefetch_related(Prefetch("contributions", queryset=Contribution.objects.order_by("period")))
                .order_by("-acquired_on", "-pk"),
            )
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class MonthCell:
    month: datetime.date
    state: str  # "paid", "unpaid" (due, nothing recorded) or "none" (not covered by the acquisition)
    contribution: Contribution | None = None


@dataclass(frozen=True)
class CalendarYear:
    year: int
    months: list


def contribution_calendar(acquisition, *, through):
    """The acquisition's months from its first through ``through`` (or until it lapsed), year by year.

    Uses the prefetched ``acquisition.contributions``: one participant's few dozen rows, arranged for
    reading, not counted.
    """
    paid = {contribution.period: contribution for contribution in acquisition.contributions.all()}
    first = acquisition.acquired_on.replace(day=1)
    last = through
    if acquisition.ended_on:
        last = min(last, acquisition.ended_on.replace(day=1))
    if paid:
        last = max(last, max(paid))
    years = []
    for year in range(first.year, max(first, last).year + 1):
        months = []
        for number in CALENDAR_MONTHS:
            month = datetime.date(year, number, 1)
            if month in paid:
                months.append(MonthCell(month, "paid", paid[month]))
            elif first <= month <= last:
                months.append(MonthCell(month, "unpaid"))
            else:
                months.append(MonthCell(month, "none"))
        years.append(CalendarYear(year, months))
    return years


def _standing(user, as_of):
    return standing_acquisitions(scope=scope_for(user), day=month_end(as_of))


def mark_payment_standing(participants, *, user, as_of):
    """Set ``is_paying`` and ``is_lapsed`` on each of ``participants`` (a page) as of the month starting
    ``as_of``; neither is set for someone acquired after that month. One query for the page.

    Judging only the page's rows keeps the list fast: the standing acquisition is a correlated
    query, cheap for 25 participants, slow when repeated for every participant of a branch.
    """
    participants = list(participants)
    current = dict(
        _standing(user, as_of)
        .filter(participant__in=[participant.pk for participant in participants])
        .values_list("participant", "is_current")
    )
    for participant in participants:
        standing = current.get(participant.pk)
        participant.is_paying = standing is True
        participant.is_lapsed = standing is False
    return participants


def payment_standing(*, user, participant, as_of):
    """``True`` (paying) or ``False`` (lapsed) as of the month starting ``as_of``, by the list's
    definition; ``None`` when the participant was acquired after that month."""
    return _standing(user, as_of).filter(participant=participant).values_list("is_current", flat=True).first()


def agent_participants(*, agent):
    """Acquisitions ``agent`` made or whose participant they look after now, newest first (their page's list)."""
    return (
        Acquisition.objects.filter(Q(agent=agent) | Q(caretaker=agent))
        .select_related("participant", "agent", "caretaker")
        .order_by("-acquired_on", "-id")
    )
