"""Writing the NIK view log: one ``NikDisclosure`` row each time a full NIK is shown.

Views call ``nik_disclosure_record`` *before* they render or send a full NIK, after checking
``enrollment.privacy.may_reveal_nik``, so no full NIK leaves the server without its row.
"""

from django.core.exceptions import PermissionDenied

from enrollment.models import NikDisclosure
from enrollment.privacy import may_reveal_nik
from perisai.privacy import subject_kind


def nik_disclosure_record(*, viewer, subject, reason):
    """Record that ``viewer`` is shown the full NIK of ``subject`` (a ``Participant`` or ``Agent``).

    Refuses (``PermissionDenied``) when the rules of ``enrollment.privacy`` do not let ``viewer`` see it,
    so a view that forgot to ask cannot show it.
    """
    if not may_reveal_nik(viewer, subject):
        raise PermissionDenied
    disclosure = NikDisclosure(viewer=viewer, branch_id=subject.branch_id, reason=reason)
    setattr(disclosure, subject_kind(subject), subject)
    disclosure.full_clean()
    disclosure.save()
    return disclosure
