"""The reports app reads other apps' data; its only tables are the pre-counted figures of ``reports.rollups``."""

from reports.rollups import AcquisitionMonth, OfficeMonth, StandingChange, StandingInterval

__all__ = ["AcquisitionMonth", "OfficeMonth", "StandingChange", "StandingInterval"]
