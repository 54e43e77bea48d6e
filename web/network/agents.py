"""Agent pages: list, detail, create, edit, deactivate, reactivate, the agent's login and their NIK.

Branch staff and administrators read and write; the branch head reads (403 on every write); agents have
no permission here (403). Which agents a user reaches is the selectors' (404 outside the branch).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agents import selectors, services
from agents.models import Agent
from agents.terms import terms_in_force
from enrollment.models import NikDisclosure
from enrollment.selectors.history import history_for
from enrollment.selectors.participants import agent_participants
from enrollment.services.disclosures import nik_disclosure_record
from incentives import activity
from incentives.statements import agent_earnings
from perisai.privacy import may_see_phone
from reports import track_record
from web.access import paginate, requires
from web.network.forms import AgentDeactivateForm, AgentFilterForm, AgentForm, AgentLoginForm, add_service_errors
from web.reveal import nik_revealed

SORTS = {
    "name": ("full_name", "code"),
    "-name": ("-full_name", "-code"),
    "code": ("code",),
    "-code": ("-code",),
    "joined": ("joined_on", "code"),
    "-joined": ("-joined_on", "-code"),
    "acquisitions": ("acquisition_count", "full_name", "code"),
    "-acquisitions": ("-acquisition_count", "full_name", "code"),
}
DEFAULT_SORT = "name"


def _agent_or_404(request, pk):
    return get_object_or_404(selectors.agents_for(user=request.user), pk=pk)


@requires("agents.view_agent")
def agent_list(request):
    filters = AgentFilterForm(request.GET, user=request.user)
    filters.is_valid()
    wanted = filters.cleaned_data
    sort = wanted.get("sort") if wanted.get("sort") in SORTS else DEFAULT_SORT
    agents = selectors.agent_list(
        user=request.user,
        search=wanted.get("q") or "",
        office=wanted.get("office"),
        status=wanted.get("status") or "",
    )
    agents = track_record.with_acquisition_count(agents, sorted_by_it=sort.lstrip("-") == "acquisitions")
    agents = agents.order_by(*SORTS[sort])
    listing = activity.with_activity(
        agents, month=activity.as_of_month(request.user), activity=wanted.get("activity") or ""
    )
    page_obj = paginate(request, listing.agents)
    for agent in page_obj:
        agent.activity_since = listing.since(agent)
    return render(
        request,
        "agents/agent_list.html",
        {"filters": filters, "page_obj": page_obj, "sort": sort, "as_of": listing.month, "terms": listing.terms},
    )


def _year(request, years):
    """The ``year`` asked for, if the agent has acquisitions that year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if year in years else None


@requires("agents.view_agent")
def agent_detail(request, pk):
    agent = _agent_or_404(request, pk)
    years = track_record.agent_acquisition_years(agent=agent)
    year = _year(request, years)
    months = track_record.agent_acquisitions_by_month(agent=agent, year=year)
    standing = activity.agent_activity(agent=agent)
    return render(
        request,
        "agents/agent_detail.html",
        {
            "agent": agent,
            "standing": standing,
            "earnings": agent_earnings(agent=agent, year=standing.month.year, month=standing.month.month),
            "reactivation_refusal": services.reactivation_refusal(agent)
            if agent.status == Agent.Status.INACTIVE
            else None,
            "history": history_for(agent, full_phone=may_see_phone(request.user)),
            "years": years,
            "year": year,
            "months": months,
            "months_total": sum(row.acquisitions or 0 for row in months),
            "acquisitions_total": track_record.agent_acquisitions_total(agent=agent),
            "participants": paginate(request, agent_participants(agent=agent)),
            "agreements": selectors.office_agreements(office=agent.office),
        },
    )


@requires("agents.add_agent")
def agent_create(request):
    form = AgentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.AGENT_FIELDS}
        try:
            agent = services.agent_create(
                declared_not_bpjs_employee=form.cleaned_data["declared_not_bpjs_employee"], **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Agent %(agent)s was added.") % {"agent": agent})
            return redirect("agents:agent_detail", pk=agent.pk)
    return render(request, "agents/agent_form.html", {"form": form})


@requires("agents.change_agent")
def agent_edit(request, pk):
    agent = _agent_or_404(request, pk)
    if request.method == "GET":  # the form holds the full NIK, to correct it
        nik_disclosure_record(viewer=request.user, subject=agent, reason=NikDisclosure.Reason.EDIT_FORM)
    # The form works on its own copy, so the page heading keeps the saved name while errors are shown.
    form = AgentForm(request.POST or None, user=request.user, instance=_agent_or_404(request, pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.AGENT_FIELDS}
        try:
            services.agent_update(
                agent=agent,
                declared_not_bpjs_employee=form.cleaned_data.get("declared_not_bpjs_employee", False),
                **fields,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agent's data was saved."))
            return redirect("agents:agent_detail", pk=agent.pk)
    return render(request, "agents/agent_form.html", {"form": form, "agent": agent})


@requires("agents.change_agent")
def agent_deactivate(request, pk):
    agent = _agent_or_404(request, pk)
    if agent.status != Agent.Status.ACTIVE:
        messages.info(request, _("This agent is already inactive."))
        return redirect("agents:agent_detail", pk=agent.pk)
    standing = activity.agent_activity(agent=agent)
    suggested = Agent.DeactivationReason.INACTIVITY if standing.activity == activity.Activity.INACTIVE else ""
    form = AgentDeactivateForm(request.POST or None, initial={"reason": request.GET.get("reason", suggested)})
    if request.method == "POST" and form.is_valid():
        try:
            services.agent_deactivate(
                agent=agent,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                changed_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(agent)s is now inactive.") % {"agent": agent})
            return redirect("agents:agent_detail", pk=agent.pk)
    context = {"form": form, "agent": agent, "standing": standing, "terms": terms_in_force(timezone.localdate())}
    return render(request, "agents/agent_deactivate.html", context)


@requires("agents.change_agent")
@require_POST
def agent_reactivate(request, pk):
    agent = _agent_or_404(request, pk)
    try:
        services.agent_reactivate(agent=agent, changed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(agent)s is active again.") % {"agent": agent})
    return redirect("agents:agent_detail", pk=agent.pk)


@never_cache
@requires("agents.change_agent")
def agent_login(request, pk):
    """Create or reset the agent's login; the new password is shown on this response only."""
    agent = _agent_or_404(request, pk)
    form = AgentLoginForm(request.POST or None, initial={"username": agent.code.lower()})
    if request.method == "POST" and form.is_valid():
        had_login = agent.user_id is not None
        try:
            password = services.agent_set_login(agent=agent, username=form.cleaned_data["username"] or None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context = {"agent": agent, "password": password, "had_login": had_login}
            return render(request, "agents/agent_login_done.html", context)
    return render(request, "agents/agent_login.html", {"form": form, "agent": agent})


@never_cache
@requires("agents.view_agent")
@require_POST
def agent_nik(request, pk):
    """ "Show NIK" on an agent's page: the full NIK, recorded in the NIK view log."""
    agent = _agent_or_404(request, pk)
    disclosure = nik_disclosure_record(viewer=request.user, subject=agent, reason=NikDisclosure.Reason.AGENT_PAGE)
    return nik_revealed(request, agent, disclosure, back=reverse("agents:agent_detail", args=[pk]))
