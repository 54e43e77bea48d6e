"""Reads for the NIK view log: who saw whose full NIK, within what the reader may see.

The log belongs to the branch whose person's NIK was seen (``NikDisclosure.branch``), so
``agents.scoping.for_user`` narrows it like any branch data: the branch head reads their branch's,
a national administrator every branch's. The page costs the same few queries whatever its length:
the count, the page with its people joined, and the tally of the last ``RECENT_DAYS``.
"""

import datetime

from django.db.models import Count
from django.utils import timezone

from agents.scoping import for_user
from enrollment.models import NikDisclosure
from perisai.roles import Role

PAGE_SIZE = 50
RECENT_DAYS = 30
TOP_VIEWERS = 10


def disclosures_for(user):
    return for_user(NikDisclosure.objects.all(), user, branch_path="branch")


def nik_disclosure_list(*, user, viewer_id=None):
    """The disclosures ``user`` may read, newest first, with who saw and whose NIK; ``viewer_id``
    narrows them to one person's."""
    disclosures = disclosures_for(user).select_related("viewer", "participant", "agent", "branch")
    if viewer_id is not None:
        disclosures = disclosures.filter(viewer_id=viewer_id)
    return disclosures.order_by("-disclosed_at", "-pk")


def recent_viewers(*, user, now=None):
    """Who saw the most full NIKs in the last ``RECENT_DAYS``: ``[{"viewer", "name", "role", "count"}]``,
    most first, at most ``TOP_VIEWERS`` people: the first thing a head looks at for unusual curiosity."""
    since = (now or timezone.now()) - datetime.timedelta(days=RECENT_DAYS)
    rows = (
        disclosures_for(user)
        .filter(disclosed_at__gte=since)
        .values("viewer", "viewer__username", "viewer__first_name", "viewer__last_name", "viewer__role")
        .annotate(count=Count("pk"))
        .order_by("-count", "viewer__username")[:TOP_VIEWERS]
    )
    return [
        {
            "viewer": row["viewer"],
            "name": f"{row['viewer__first_name']} {row['viewer__last_name']}".strip() or row["viewer__username"],
            "role": Role(row["viewer__role"]).label,
            "count": row["count"],
        }
        for row in rows
    ]
