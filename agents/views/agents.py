"""Agent pages: list, detail, create, edit, deactivate, reactivate and the agent's login."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agents import selectors, services
from agents.forms import AgentDeactivateForm, AgentFilterForm, AgentForm, AgentLoginForm, add_service_errors
from agents.models import Agent
from agents.views.access import paginate, requires
from enrollment.models import NikDisclosure
from enrollment.selectors.history import history_for
from enrollment.services.disclosures import nik_disclosure_record
from incentives import activity
from incentives.statements import agent_earnings
from incentives.terms import terms_in_force
from perisai.privacy import may_see_phone


@requires("agents.view_agent")
def agent_list(request):
    filters = AgentFilterForm(request.GET, user=request.user)
    filters.is_valid()
    wanted = filters.cleaned_data
    sort = wanted.get("sort") if wanted.get("sort") in selectors.AGENT_SORTS else selectors.DEFAULT_AGENT_SORT
    agents = selectors.agent_list(
        user=request.user,
        search=wanted.get("q") or "",
        office=wanted.get("office"),
        status=wanted.get("status") or "",
        sort=sort,
    )
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
    agent = selectors.agent_get(user=request.user, pk=pk)
    years = selectors.agent_acquisition_years(agent=agent)
    year = _year(request, years)
    months = selectors.agent_acquisitions_by_month(agent=agent, year=year)
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
            "months_total": sum(row.acquisitions for row in months),
            "acquisitions_total": agent.acquisitions.count(),
            "participants": paginate(request, selectors.agent_participants(agent=agent)),
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
    agent = selectors.agent_get(user=request.user, pk=pk)
    if request.method == "GET":  # the form holds the full NIK, to correct it
        nik_disclosure_record(viewer=request.user, subject=agent, reason=NikDisclosure.Reason.EDIT_FORM)
    # The form works on its own copy, so the page heading keeps the saved name while errors are shown.
    form = AgentForm(request.POST or None, user=request.user, instance=selectors.agent_get(user=request.user, pk=pk))
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
    agent = selectors.agent_get(user=request.user, pk=pk)
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
    agent = selectors.agent_get(user=request.user, pk=pk)
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
    agent = selectors.agent_get(user=request.user, pk=pk)
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
