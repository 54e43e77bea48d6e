"""Reads of the agent network for the staff screens, always within what the user may see.

Functions that take the requesting ``user`` narrow their queryset with ``agents.scoping.for_user``;
the pages fetch one row from them and answer 404 for an id outside the user's branch. Functions that
take an agent, office or agreement expect one fetched that way. The database does the counting
(annotations and subqueries); Python only lays out the few rows it returns (one office's PKS chain).
What agents and offices *acquired* is a figure, and figures come from ``reports``
(``reports.track_record``).
"""

import datetime

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone

from agents.models import EXPIRING_WITHIN_DAYS, Agent, CooperationAgreement, PerisaiOffice
from agents.scoping import for_user

AGREEMENT_BRANCH_PATH = "office__branch"

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


# --- the rows a user reaches ----------------------------------------------------------------------


def agents_for(*, user):
    """Agents ``user`` may see, with what their pages show beside them."""
    return for_user(Agent.objects.select_related("branch", "office", "user", "recruited_by"), user)


def agreements_for(*, user):
    """PKS ``user`` may see, with their office and what they renew or are renewed by."""
    queryset = CooperationAgreement.objects.select_related("office__branch", "renews", "renewal")
    return for_user(queryset, user, AGREEMENT_BRANCH_PATH)


def offices_for(*, user):
    """Offices ``user`` may pick in a form or a filter."""
    return for_user(PerisaiOffice.objects.select_related("branch"), user).order_by("name")


# --- agents --------------------------------------------------------------------------------------


def agent_list(*, user, search="", office=None, status=""):
    """Agents ``user`` may see, filtered (the page sorts them, by the reports' counts too).

    ``search`` matches the name or code (case-insensitive), the NIK (from its start) or the phone
    (digits only, so "0812 2671" finds "0812-2671-4410").
    """
    agents = for_user(Agent.objects.select_related("office"), user)
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
    return agents


# --- offices -------------------------------------------------------------------------------------


def _count_per_office(queryset):
    """A subquery counting ``queryset``'s rows for the outer office (0 when none)."""
    counted = queryset.filter(office=OuterRef("pk")).order_by().values("office").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def office_list(*, user):
    """Offices with ``active_agents``, ``agents_total`` and their PKS.

    Counts are subqueries, so the agents never multiply the offices' rows; the PKS come in one
    prefetch (newest first, each with its renewal, which its status reads) for ``current_agreement``.
    """
    return (
        for_user(PerisaiOffice.objects.select_related("branch"), user)
        .annotate(
            active_agents=_count_per_office(Agent.objects.filter(status=Agent.Status.ACTIVE)),
            agents_total=_count_per_office(Agent.objects.all()),
        )
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=CooperationAgreement.objects.select_related("renewal").order_by("-starts_on"),
                to_attr="newest_first",
            )
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
    """The office's agents, active ones first, by name."""
    return office.agents.order_by("status", "full_name")


def office_agreements(*, office):
    """The office's PKS, newest first, each with what it renews."""
    return office.agreements.select_related("renews", "renewal").order_by("-starts_on")


# --- agreements ----------------------------------------------------------------------------------


def _status_rank(today):
    """0 expiring, 1 active, 2 renewed (in its last days, its renewal signed), 3 not yet started, 4 expired:
    what needs attention first. The same rule as ``CooperationAgreement.status_on``."""
    soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    return Case(
        When(ends_on__lt=today, then=Value(4)),
        When(starts_on__gt=today, then=Value(3)),
        When(ends_on__lte=soon, renewal__isnull=False, then=Value(2)),
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
        CooperationAgreement.Status.RENEWED: 2,
        CooperationAgreement.Status.NOT_STARTED: 3,
        CooperationAgreement.Status.EXPIRED: 4,
    }
    if status in ranks:
        agreements = agreements.filter(status_rank=ranks[status])
    if office is not None:
        agreements = agreements.filter(office=office)
    return agreements.order_by(*AGREEMENT_SORTS.get(sort, AGREEMENT_SORTS[DEFAULT_AGREEMENT_SORT]))


def agreement_chain(*, agreement):
    """The renewal chain ``agreement`` belongs to, first PKS first (a chain never leaves its office)."""
    by_id = {a.pk: a for a in agreement.office.agreements.select_related("renewal")}
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
