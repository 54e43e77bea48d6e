"""The proof of enrolment (bukti pendaftaran peserta) of one acquisition, as a PDF download.

One view for both who may print it (``enrollment.documents.acquisitions_for_proof``): staff of the
participant's branch (and the head, and those above them), from the participant's staff page, and the
agent who looks after the acquisition, from their own participant page. Anyone else, a colleague agent or
another branch's staff, gets a 404. The proof shows the NIK masked, so nothing is logged.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enrollment.documents import acquisitions_for_proof, proof_of_enrolment_pdf
from web.access import is_agent, requires

READ = "enrollment.view_participant"


def may_print_proof(user):
    """Those who read participants on the staff pages, and agents (the rows say whose)."""
    return is_agent(user) or user.has_perm(READ)


@requires(may_print_proof, hidden=True)
@require_GET
@never_cache
def acquisition_proof(request, pk):
    """The proof of one enrolment; its QR code opens the participant's staff page (sign-in required)."""
    acquisition = get_object_or_404(acquisitions_for_proof(request.user), pk=pk)
    url = request.build_absolute_uri(reverse("enrollment:participant_detail", args=[acquisition.participant_id]))
    pdf = proof_of_enrolment_pdf(acquisition=acquisition, url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"bukti-pendaftaran-{acquisition.acquired_on:%Y%m%d}-{acquisition.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
