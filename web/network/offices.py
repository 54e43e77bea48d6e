"""Perisai office pages: list, detail, create and edit."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agents import selectors, services
from agents.models import PerisaiOffice
from incentives.activity import office_standings
from reports import track_record
from web.access import paginate, requires
from web.network.forms import OfficeForm, add_service_errors


def _office_or_404(request, pk):
    return get_object_or_404(selectors.offices_for(user=request.user), pk=pk)


@requires("agents.view_perisaioffice")
def office_list(request):
    today = timezone.localdate()
    offices = track_record.with_acquisitions_in_year(selectors.office_list(user=request.user), year=today.year)
    page_obj = paginate(request, offices)
    standings = office_standings(offices=selectors.offices_for(user=request.user))
    for office in page_obj:
        office.current_agreement = selectors.current_agreement(office.newest_first, today)
        office.standing = standings.get(office.pk)
    return render(request, "agents/office_list.html", {"page_obj": page_obj, "today": today})


@requires("agents.view_perisaioffice")
def office_detail(request, pk):
    office = _office_or_404(request, pk)
    agreements = list(selectors.office_agreements(office=office))
    return render(
        request,
        "agents/office_detail.html",
        {
            "office": office,
            "agents": paginate(request, track_record.with_acquisition_count(selectors.office_agents(office=office))),
            "agreements": agreements,
            "current_agreement": selectors.current_agreement(agreements),
            "standing": office_standings(offices=PerisaiOffice.objects.filter(pk=office.pk)).get(office.pk),
            "years": track_record.office_acquisitions_by_year_and_month(office=office),
            "month_heads": [datetime.date(2000, month, 1) for month in range(1, 13)],
        },
    )


def _office_fields(form):
    return {name: form.cleaned_data[name] for name in services.OFFICE_FIELDS}


@requires("agents.add_perisaioffice")
def office_create(request):
    form = OfficeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        branch = form.cleaned_data.get("branch") or request.user.branch
        try:
            office = services.office_create(branch=branch, **_office_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perisai office %(office)s was added.") % {"office": office})
            return redirect("agents:office_detail", pk=office.pk)
    return render(request, "agents/office_form.html", {"form": form})


@requires("agents.change_perisaioffice")
def office_edit(request, pk):
    office = _office_or_404(request, pk)
    form = OfficeForm(request.POST or None, user=request.user, instance=_office_or_404(request, pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.office_update(office=office, **_office_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The office's data was saved."))
            return redirect("agents:office_detail", pk=office.pk)
    return render(request, "agents/office_form.html", {"form": form, "office": office})
