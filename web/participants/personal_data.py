"""Personal data pages: show a participant's full NIK (recorded), the NIK view log, and a participant's
data on request.

Who may do what is ``enrollment.privacy``'s; which rows is ``agents.scoping``'s, through the selectors,
so another branch's participant is a 404 here as everywhere:

- "Show NIK" is a POST (a link followed by a browser's prefetch must not write the log). With htmx it
  answers the NIK in place of the masked one; without JavaScript, a small page with it
  (``web.reveal``). An agent's NIK and the agent's own participant's are shown from their pages
  (``web.network.agents``, ``web.field.views``) the same way.
- The NIK view log is for the branch head and administrators; branch staff get 403 (the log watches
  them), agents 404 (the page does not exist for them).
- A participant's data export answers their access request: staff and administrators, recorded in
  the log like any full NIK it carries; the head gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from enrollment.models import NikDisclosure
from enrollment.personal_data import participant_personal_data, personal_data_json, personal_data_workbook
from enrollment.privacy import may_export_personal_data, may_read_nik_log
from enrollment.selectors import disclosures as selectors
from enrollment.selectors.participants import participants_for
from enrollment.services.disclosures import nik_disclosure_record
from web.access import is_branch_user, requires
from web.participants.views import READ
from web.reveal import nik_revealed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("xlsx", "json")


def _participant_or_404(user, pk):
    return get_object_or_404(participants_for(user).select_related("branch"), pk=pk)


@never_cache
@requires(READ, hidden=True)
@require_POST
def participant_nik(request, pk):
    participant = _participant_or_404(request.user, pk)
    disclosure = nik_disclosure_record(
        viewer=request.user, subject=participant, reason=NikDisclosure.Reason.PARTICIPANT_PAGE
    )
    return nik_revealed(request, participant, disclosure, back=reverse("enrollment:participant_detail", args=[pk]))


def _viewer_filter(request):
    value = request.GET.get("viewer", "")
    return int(value) if value.isdigit() else None


@requires(is_branch_user, hidden=True)
@requires(may_read_nik_log, message=gettext_lazy("The NIK view log is for the branch head."))
@require_GET
def nik_disclosure_list(request):
    viewer_id = _viewer_filter(request)
    disclosures = selectors.nik_disclosure_list(user=request.user, viewer_id=viewer_id)
    page = Paginator(disclosures, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    recent = selectors.recent_viewers(user=request.user)
    return render(
        request,
        "enrollment/personal_data/disclosure_list.html",
        {
            "page_obj": page,
            "recent": recent,
            "recent_days": selectors.RECENT_DAYS,
            "viewer_id": viewer_id,
        },
    )


@never_cache
@requires(READ, hidden=True)
@require_POST
def participant_data_export(request, pk):
    """The participant's data as a file (``format`` = ``xlsx`` or ``json``), recorded as a disclosure."""
    participant = _participant_or_404(request.user, pk)
    if not may_export_personal_data(request.user):  # after the 404: another branch's id says nothing
        raise PermissionDenied(_("Branch staff answer access requests."))
    export_format = request.POST.get("format")
    if export_format not in EXPORT_FORMATS:
        return HttpResponse(_("Choose Excel or JSON."), status=400, content_type="text/plain; charset=utf-8")
    nik_disclosure_record(viewer=request.user, subject=participant, reason=NikDisclosure.Reason.ACCESS_REQUEST)
    sections = participant_personal_data(participant)
    exported_at = timezone.localtime()
    filename = f"Perisai personal data {participant.pk} {exported_at:%Y-%m-%d}.{export_format}"
    if export_format == "json":
        content, content_type = personal_data_json(sections, exported_at=exported_at), "application/json"
    else:
        content, content_type = personal_data_workbook(sections), XLSX
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": content_disposition_header(True, filename)}
    )
