"""Read-only report functions: each takes what the user may see and returns plain data.

The database does the counting (``annotate``/``aggregate``); nothing here loads rows into Python.
"""

from django.db.models import Count
from django.db.models.functions import ExtractYear

from enrollment.models import Acquisition
from perisai.scoping import for_user


def acquisitions_per_year(*, user):
    """``[{"year": 2021, "acquisitions": 5628}, ...]`` for the acquisitions ``user`` may see, oldest first."""
    return list(
        for_user(Acquisition.objects.all(), user)
        .annotate(year=ExtractYear("acquired_on"))
        .values("year")
        .annotate(acquisitions=Count("id"))
        .order_by("year")
    )
