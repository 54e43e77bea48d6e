"""Progress against the yearly acquisition targets of the branch, its Perisai offices and agents.

Acquisitions count towards a target where they were credited (``Acquisition.branch``/``office``/
``agent``), from January through the period's month. *Expected by now* is the target spread evenly
over the year (a June period expects half); the pace needed spreads what is left over the remaining
months, rounded up.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from enrollment.models import AcquisitionTarget
from reports.acquisitions import share, whole
from reports.memo import shared
from reports.rollups import acquisition_months

LEVELS = {"branch": _("Branch"), "office": _("Perisai office"), "agent": _("Agent")}


@dataclass(frozen=True)
class TargetProgress:
    level: str
    code: str
    name: str
    target: int
    achieved: int
    through_month: int

    @property
    def level_label(self):
        return str(LEVELS[self.level])

    @property
    def achieved_share(self):
        return share(self.achieved, self.target)

    @property
    def expected(self):
        return whole(Decimal(self.target) * self.through_month / 12)

    @property
    def on_track(self):
        return self.achieved >= self.expected

    @property
    def remaining(self):
        return max(0, self.target - self.achieved)

    @property
    def pace(self):
        return whole(Decimal(self.achieved) / self.through_month)

    @property
    def pace_needed(self):
        """Acquisitions a month needed to reach the target; ``None`` when no month remains."""
        months_remaining = 12 - self.through_month
        if not months_remaining:
            return None
        return math.ceil(self.remaining / months_remaining)


@shared
def target_progress(*, scope, period):
    """Every target of the period's year in the scope: the branch's, then its offices', then its
    agents' (an office scope holds the office's and its agents' targets). Four queries."""
    targets = AcquisitionTarget.objects.filter(year=period.year).select_related("branch", "office", "agent")
    if scope.agent:
        targets = targets.filter(agent=scope.agent)
    elif scope.office:
        targets = targets.filter(Q(office=scope.office) | Q(agent__office=scope.office))
    elif scope.branch:
        targets = targets.filter(branch=scope.branch)
    targets = list(targets)
    achieved = {}
    for level, field in (("branch", "branch_id"), ("office", "office_id"), ("agent", "agent_id")):
        ids = {getattr(target, field) for target in targets if _level(target) == level}
        if ids:
            in_period = acquisition_months(by_agent=level == "agent").filter(month__range=(period.start, period.end))
            rows = in_period.filter(**{f"{field}__in": ids}).values(field).annotate(n=Sum("acquisitions")).order_by()
            achieved.update({(level, row[field]): row["n"] for row in rows})
    rows = []
    for target in targets:
        level = _level(target)
        holder = getattr(target, level)
        rows.append(
            TargetProgress(
                level=level,
                code=holder.code,
                name=holder.full_name if level == "agent" else holder.name,
                target=target.target,
                achieved=achieved.get((level, holder.pk), 0),
                through_month=period.through_month,
            )
        )
    order = list(LEVELS)
    return sorted(rows, key=lambda row: (order.index(row.level), -(row.achieved_share or 0), row.name))


def _level(target):
    if target.agent_id:
        return "agent"
    if target.office_id:
        return "office"
    return "branch"
