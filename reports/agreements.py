"""PKS status: each Perisai office's current agreement and how soon it ends.

Status is relative to today (``timezone.localdate()``), not to the report's period: a meeting wants
to know which PKS need renewing now. An office's *current* agreement is the latest one that has
started by today; an office whose first PKS has not started yet shows that one. The period counts
the offices that extended their PKS: renewals signed within it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from agents.models import CooperationAgreement, PerisaiOffice

Status = CooperationAgreement.Status
NEEDS_ATTENTION = (Status.EXPIRING, Status.EXPIRED)


@dataclass(frozen=True)
class OfficeAgreement:
    """An office and its current PKS (``number`` is ``None`` for an office without any)."""

    office_code: str
    office_name: str
    agreement_pk: int | None
    number: str | None
    signed_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str | None
    days_left: int | None
    renewal_number: str | None
    has_document: bool

    @property
    def status_label(self):
        return str(Status(self.status).label) if self.status else None


@dataclass(frozen=True)
class AgreementStatus:
    today: datetime.date
    offices: list
    renewed_in_period: int

    @property
    def attention(self):
        """Offices whose PKS expires within 60 days or has expired, most urgent first."""
        return [office for office in self.offices if office.status in NEEDS_ATTENTION or office.number is None]


def agreement_status(*, scope, period, today=None):
    """Every office in the scope with its current PKS, ending soonest first (none at all comes first).
    Two queries."""
    today = today or timezone.localdate()
    agreements = CooperationAgreement.objects.filter(office=OuterRef("pk"))
    started = agreements.filter(starts_on__lte=today).order_by("-starts_on", "-pk").values("pk")[:1]
    upcoming = agreements.filter(starts_on__gt=today).order_by("starts_on", "pk").values("pk")[:1]
    renewals = CooperationAgreement.objects.filter(
        renews__office=OuterRef("pk"), signed_on__range=(period.start, period.end)
    )
    offices = list(
        scope.filter_offices(PerisaiOffice.objects.all())
        .annotate(
            current_pk=Coalesce(Subquery(started), Subquery(upcoming)),
            renewed=Exists(renewals),
        )
        .values("code", "name", "current_pk", "renewed")
        .order_by("code")
    )
    current = {
        agreement.pk: agreement
        for agreement in CooperationAgreement.objects.filter(
            pk__in=[office["current_pk"] for office in offices if office["current_pk"]]
        ).select_related("renewal")
    }
    rows = []
    for office in offices:
        agreement = current.get(office["current_pk"])
        rows.append(_row(office, agreement, today))
    rows.sort(key=lambda row: (row.ends_on is not None, row.ends_on or today, row.office_code))
    return AgreementStatus(
        today=today, offices=rows, renewed_in_period=sum(1 for office in offices if office["renewed"])
    )


def _row(office, agreement, today):
    if agreement is None:
        return OfficeAgreement(office["code"], office["name"], None, None, None, None, None, None, None, None, False)
    renewal = getattr(agreement, "renewal", None)
    return OfficeAgreement(
        office_code=office["code"],
        office_name=office["name"],
        agreement_pk=agreement.pk,
        number=agreement.number,
        signed_on=agreement.signed_on,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        status=agreement.status_on(today),
        days_left=(agreement.ends_on - today).days,
        renewal_number=renewal.number if renewal else None,
        has_document=bool(agreement.document),
    )
