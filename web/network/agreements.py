"""PKS pages: list, detail, create, renew, and the signed PDF (upload, and download within the branch).

The signed PDF is never served from MEDIA_URL: ``agreement_document`` hands it out after the same
sign-in, permission and branch checks as the agreement's own page.
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agents import selectors, services
from agents.models import PerisaiOffice
from incentives.activity import office_standings
from web.access import paginate, requires
from web.network.forms import (
    AgreementDocumentForm,
    AgreementFilterForm,
    AgreementForm,
    AgreementRenewForm,
    add_service_errors,
)


def _agreement_or_404(request, pk):
    return get_object_or_404(selectors.agreements_for(user=request.user), pk=pk)


@requires("agents.view_cooperationagreement")
def agreement_list(request):
    filters = AgreementFilterForm(request.GET, user=request.user)
    filters.is_valid()
    wanted = filters.cleaned_data
    sort = wanted.get("sort") if wanted.get("sort") in selectors.AGREEMENT_SORTS else selectors.DEFAULT_AGREEMENT_SORT
    today = timezone.localdate()
    agreements = selectors.agreement_list(
        user=request.user, status=wanted.get("status") or "", office=wanted.get("office"), sort=sort, today=today
    )
    page_obj = paginate(request, agreements)
    standings = office_standings(offices=selectors.offices_for(user=request.user))
    for agreement in page_obj:
        agreement.office_standing = standings.get(agreement.office_id)
    return render(
        request,
        "agents/agreement_list.html",
        {"filters": filters, "page_obj": page_obj, "sort": sort, "today": today},
    )


@requires("agents.view_cooperationagreement")
def agreement_detail(request, pk):
    agreement = _agreement_or_404(request, pk)
    standings = office_standings(offices=PerisaiOffice.objects.filter(pk=agreement.office_id))
    agreement.office_standing = standings.get(agreement.office_id)
    return render(
        request,
        "agents/agreement_detail.html",
        {
            "agreement": agreement,
            "chain": selectors.agreement_chain(agreement=agreement),
            "document_form": AgreementDocumentForm(),
        },
    )


@requires("agents.add_cooperationagreement")
def agreement_create(request):
    form = AgreementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                office=data["office"],
                number=data["number"],
                signed_on=data["signed_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
                document=data["document"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Agreement %(number)s was added.") % {"number": agreement.number})
            return redirect("agents:agreement_detail", pk=agreement.pk)
    return render(request, "agents/agreement_form.html", {"form": form})


@requires("agents.add_cooperationagreement")
def agreement_renew(request, pk):
    """The next PKS of the same office, with suggested number and dates the staff member may change."""
    previous = _agreement_or_404(request, pk)
    if hasattr(previous, "renewal"):
        messages.error(
            request,
            _("Agreement %(number)s has already been renewed by %(renewal)s; renew that one instead.")
            % {"number": previous.number, "renewal": previous.renewal.number},
        )
        return redirect("agents:agreement_detail", pk=previous.pk)
    form = AgreementRenewForm(
        request.POST or None, request.FILES or None, previous=previous, initial=services.renewal_defaults(previous)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_renew(
                previous=previous,
                number=data["number"],
                signed_on=data["signed_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
                document=data["document"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Agreement %(number)s renews %(previous)s.") % {"number": agreement.number, "previous": previous},
            )
            return redirect("agents:agreement_detail", pk=agreement.pk)
    return render(request, "agents/agreement_renew.html", {"form": form, "previous": previous})


@requires("agents.change_cooperationagreement")
@require_POST
def agreement_upload(request, pk):
    """Attach (or replace) the signed PDF of a PKS."""
    agreement = _agreement_or_404(request, pk)
    form = AgreementDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agreement_attach_document(agreement=agreement, document=form.cleaned_data["document"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signed document was saved."))
            return redirect("agents:agreement_detail", pk=agreement.pk)
    context = {"agreement": agreement, "chain": selectors.agreement_chain(agreement=agreement), "document_form": form}
    return render(request, "agents/agreement_detail.html", context, status=400)


def _download_name(agreement):
    """A file name from the agreement number, letters, digits, dots and dashes only: PKS-CLP-01-2024-004.pdf."""
    return f"{re.sub(r'[^A-Za-z0-9.-]+', '-', agreement.number).strip('-.') or 'PKS'}.pdf"


@requires("agents.view_cooperationagreement")
def agreement_document(request, pk):
    agreement = _agreement_or_404(request, pk)
    if not agreement.document:
        raise Http404(_("This agreement has no signed document yet."))
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError:
        raise Http404(_("The signed document is missing from storage.")) from None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=_download_name(agreement)
    )
    response["Cache-Control"] = "private, no-store"
    return response
