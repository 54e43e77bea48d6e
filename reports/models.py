"""The reports app reads other apps' data; its only tables are the pre-counted figures of ``reports.rollups``
and the version of the data they are computed from (``reports.freshness``)."""

from reports.freshness import FiguresVersion
from reports.rollups import AcquisitionMonth, AgentTotal, OfficeMonth, StandingChange, StandingInterval

__all__ = ["AcquisitionMonth", "AgentTotal", "FiguresVersion", "OfficeMonth", "StandingChange", "StandingInterval"]
