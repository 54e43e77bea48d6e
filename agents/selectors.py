"""Reads of the agent network for the staff screens, always within what the user may see.

Functions that take the requesting ``user`` narrow their queryset with ``perisai.scoping.for_user``
(an id outside the user's branch is a 404); those that take an agent, office or agreement expect one
fetched that way. The database does the counting (annotations and subqueries); Python only lays out
the few rows it returns (twelve months, one office's PKS chain).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Replace, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agents.models import EXPIRING_WITHIN_DAYS, Agent, CooperationAgreement, PerisaiOffice
from enrollment.models import Acquisition
from perisai.scoping import for_user

AGREEMENT_BRANCH_PATH = "office__branch"

AGENT_SORTS = {
    "name": ("full_name", "code"),
    "-name": ("-full_name", "-code"),
    "code": ("code",),
    "-code": ("-code",),
    "joined": ("joined_on", "code"),
    "-joined": ("-joined_on", "-code"),
    "acquisitions": ("acquisition_count", "full_name", "code"),
    "-acquisitions": ("-acquisition_count", "full_name", "code"),
}
DEFAULT_AGENT_SORT = "name"

AGREEMENT_SORTS = {
    # Expiring first, then active, not yet started, expired; within each, those not yet renewed first.
    "expiring": ("status_rank", F("renewal").asc(nulls_first=True), "ends_on", "number"),
    "number": ("number",),
    "office": ("office__name", "-starts_on"),
    "ends": ("ends_on", "number"),
    "-ends": ("-ends_on", "number"),
    "-starts": ("-starts_on", "number"),
}
DEFAULT_AGREEMENT_SORT = "expiring"


# --- fetching one object -----------------------------------------------------------------------


def agent_get(*, user, pk):
    """The agent ``pk`` if ``user`` may see it, else 404."""
    return get_object_or_404(
        for_user(Agent.objects.select_related("branch", "office", "user", "recruited_by"), user), pk=pk
    )


def office_get(*, user, pk):
    return get_object_or_404(for_user(PerisaiOffice.objects.select_related("branch"), user), pk=pk)


def agreement_get(*, user, pk):
    queryset = CooperationAgreement.objects.select_related("office__branch", "renews", "renewal")
    return get_object_or_404(for_user(queryset, user, AGREEMENT_BRANCH_PATH), pk=pk)


def offices_for(*, user):
    """Offices ``user`` may pick in a form or a filter."""
    return for_user(PerisaiOffice.objects.select_related("branch"), user).order_by("name")


# --- agents --------------------------------------------------------------------------------------


def agent_list(*, user, search="", office=None, status="", sort=DEFAULT_AGENT_SORT):
    """Agents ``user`` may see with their ``acquisition_count`` (all time), filtered and sorted.

    ``search`` matches the name or code (case-insensitive), the NIK (from its start) or the phone
    (digits only, so "0812 2671" finds "0812-2671-4410").
    """
    agents = for_user(Agent.objects.select_related("office"), user).annotate(acquisition_count=Count("acquisitions"))
    search = search.strip()
    if search:
        matches = Q(full_name__icontains=search) | Q(code__icontains=search)
        digits = search.replace(" ", "").replace("-", "")
        if digits.isascii() and digits.isdigit():
            agents = agents.annotate(phone_digits=Replace(Replace("phone", Value("-")), Value(" ")))
            matches |= Q(nik__startswith=digits) | Q(phone_digits__contains=digits)
        agents = agents.filter(matches)
    if office is not None:
        agents = agents.filter(office=office)
    if status:
        agents = agents.filter(status=status)
    return agents.order_by(*AGENT_SORTS.get(sort, AGENT_SORTS[DEFAULT_AGENT_SORT]))


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    acquisitions: int


def add_months(day, months):
    """``day`` moved by whole months; the 31st becomes the month's last day where it has fewer."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def agent_acquisition_years(*, agent):
    """Years in which ``agent`` made acquisitions, newest first."""
    return list(
        agent.acquisitions.annotate(year=ExtractYear("acquired_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def agent_acquisitions_by_month(*, agent, year=None, today=None):
    """Twelve ``MonthCount`` rows: January-December of ``year``, or the twelve months up to the latest.

    Without a year the window ends in the month of the latest acquisition recorded in the agent's
    branch (the dashboard's default period), so recent silent months show as zeros while data that
    stops in the past (the demo ends in June 2022) still shows; with no acquisitions at all, this month.
    """
    if year is not None:
        first = datetime.date(year, 1, 1)
    else:
        latest = (
            Acquisition.objects.filter(branch_id=agent.branch_id)
            .order_by("-acquired_on")
            .values_list("acquired_on", flat=True)
            .first()
        )
        first = add_months((latest or today or timezone.localdate()).replace(day=1), -11)
    months = [add_months(first, i) for i in range(12)]
    counted = dict(
        agent.acquisitions.filter(acquired_on__gte=months[0], acquired_on__lt=add_months(months[-1], 1))
        .annotate(month=TruncMonth("acquired_on"))
        .values_list("month")
        .annotate(count=Count("id"))
        .values_list("month", "count")
    )
    return [MonthCount(month, counted.get(month, 0)) for month in months]


def agent_participants(*, agent):
    """Acquisitions the agent made or whose participant they look after now, newest first."""
    return (
        Acquisition.objects.filter(Q(agent=agent) | Q(caretaker=agent))
        .select_related("participant", "agent", "caretaker")
        .order_by("-acquired_on", "-id")
    )


# --- offices -------------------------------------------------------------------------------------


def _count_per_office(queryset):
    """A subquery counting ``queryset``'s rows for the outer office (0 when none)."""
    counted = queryset.filter(office=OuterRef("pk")).order_by().values("office").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def office_list(*, user, today=None):
    """Offices with ``active_agents``, ``agents_total``, ``acquisitions_this_year`` and their PKS.

    Counts are subqueries, so agents and acquisitions never multiply each other's rows; the PKS come
    in one prefetch (newest first) for ``current_agreement``.
    """
    today = today or timezone.localdate()
    return (
        for_user(PerisaiOffice.objects.select_related("branch"), user)
        .annotate(
            active_agents=_count_per_office(Agent.objects.filter(status=Agent.Status.ACTIVE)),
            agents_total=_count_per_office(Agent.objects.all()),
            acquisitions_this_year=_count_per_office(Acquisition.objects.filter(acquired_on__year=today.year)),
        )
        .prefetch_related(
            Prefetch("agreements", queryset=CooperationAgreement.objects.order_by("-starts_on"), to_attr="newest_first")
        )
        .order_by("branch__name", "code")
    )


def current_agreement(agreements, today=None):
    """From an office's PKS (any order): the one in force today, else the latest started, else the next."""
    today = today or timezone.localdate()
    started = [a for a in agreements if a.starts_on <= today]
    in_force = [a for a in started if a.ends_on >= today]
    if in_force:
        return max(in_force, key=lambda a: a.starts_on)
    if started:
        return max(started, key=lambda a: a.ends_on)
    return min(agreements, key=lambda a: a.starts_on, default=None)


def office_agents(*, office):
    return office.agents.annotate(acquisition_count=Count("acquisitions")).order_by("status", "full_name")


def office_agreements(*, office):
    """The office's PKS, newest first, each with what it renews."""
    return office.agreements.select_related("renews", "renewal").order_by("-starts_on")


@dataclass(frozen=True)
class YearRow:
    year: int
    months: list
    total: int


def office_acquisitions_by_year_and_month(*, office):
    """One ``YearRow`` per year with acquisitions credited to ``office``, newest first, months 1-12."""
    counted = (
        Acquisition.objects.filter(office=office)
        .annotate(year=ExtractYear("acquired_on"), month=ExtractMonth("acquired_on"))
        .values("year", "month")
        .annotate(count=Count("id"))
        .values_list("year", "month", "count")
    )
    by_year = {}
    for year, month, count in counted:
        by_year.setdefault(year, [0] * 12)[month - 1] = count
    return [YearRow(year, months, sum(months)) for year, months in sorted(by_year.items(), reverse=True)]


# --- agreements ----------------------------------------------------------------------------------


def _status_rank(today):
    """0 expiring, 1 active, 2 not yet started, 3 expired: what needs attention first."""
    soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    return Case(
        When(ends_on__lt=today, then=Value(3)),
        When(starts_on__gt=today, then=Value(2)),
        When(ends_on__lte=soon, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def agreement_list(*, user, status="", office=None, sort=DEFAULT_AGREEMENT_SORT, today=None):
    """PKS ``user`` may see, filtered by status (as ``CooperationAgreement.status_on`` decides it) and office."""
    today = today or timezone.localdate()
    agreements = (
        for_user(CooperationAgreement.objects.all(), user, AGREEMENT_BRANCH_PATH)
        .select_related("office", "renewal")
        .annotate(status_rank=_status_rank(today))
    )
    ranks = {
        CooperationAgreement.Status.EXPIRING: 0,
        CooperationAgreement.Status.ACTIVE: 1,
        CooperationAgreement.Status.NOT_STARTED: 2,
        CooperationAgreement.Status.EXPIRED: 3,
    }
    if status in ranks:
        agreements = agreements.filter(status_rank=ranks[status])
    if office is not None:
        agreements = agreements.filter(office=office)
    return agreements.order_by(*AGREEMENT_SORTS.get(sort, AGREEMENT_SORTS[DEFAULT_AGREEMENT_SORT]))


def agreement_chain(*, agreement):
    """The renewal chain ``agreement`` belongs to, first PKS first (a chain never leaves its office)."""
    by_id = {a.pk: a for a in agreement.office.agreements.all()}
    first = agreement
    seen = {first.pk}
    while first.renews_id in by_id and first.renews_id not in seen:
        first = by_id[first.renews_id]
        seen.add(first.pk)
    renewal_of = {a.renews_id: a for a in by_id.values() if a.renews_id}
    chain = [first]
    while chain[-1].pk in renewal_of and len(chain) <= len(by_id):
        chain.append(renewal_of[chain[-1].pk])
    return chain
