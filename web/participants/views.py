"""Staff participant screens: list, detail, edit with a reason, move an agent's participants.

Reading needs ``enrollment.view_participant`` (branch staff, the branch head, administrators; ``READ``),
changing needs ``enrollment.change_participant`` (not the head; ``CHANGE``); an agent gets 404, as these
pages do not exist for them (``web.access.requires``). Which rows is decided by ``agents.scoping.for_user``
in the selectors: another branch's participant is a 404.
"""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from enrollment.models import Contribution, NikDisclosure, Participant
from enrollment.privacy import may_export_personal_data, may_read_nik_log
from enrollment.selectors import participants as selectors
from enrollment.selectors.history import history_for
from enrollment.services.disclosures import nik_disclosure_record
from enrollment.services.participants import EDITABLE_FIELDS, participant_update, participants_move
from followup.selectors import contacts_for
from perisai.privacy import may_see_phone
from web.access import requires
from web.participants.forms import ParticipantFilterForm, ParticipantForm, ParticipantMoveForm

READ = "enrollment.view_participant"
CHANGE = "enrollment.change_participant"
IMPORT = "enrollment.add_participant"
"""Importing creates participants: branch staff and administrators, not the head."""
ONLY_STAFF_CHANGE = gettext_lazy("Only branch staff can change participants.")


def may_change_participants(user):
    return user.has_perm(CHANGE)


def may_import(user):
    return user.has_perm(IMPORT)


def _participant_or_404(user, pk):
    try:
        return selectors.participant_detail(user=user, pk=pk)
    except Participant.DoesNotExist:
        raise Http404 from None


@requires(READ, hidden=True)
def participant_list(request):
    latest_month = selectors.latest_contribution_month(user=request.user)
    data = request.GET.copy()
    data.setdefault("as_of", latest_month.strftime("%Y-%m"))  # the month input shows the month in effect
    form = ParticipantFilterForm(
        data,
        offices=selectors.offices_for(request.user),
        agents=selectors.agents_for(request.user),
        kecamatan=selectors.kecamatan_for(request.user),
    )
    form.is_valid()
    filters = form.filters()
    filters = replace(filters, as_of=filters.as_of or latest_month)
    page = Paginator(selectors.participant_list(user=request.user, filters=filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.mark_payment_standing(page.object_list, user=request.user, as_of=filters.as_of)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enrollment/participants/list.html",
        {
            "form": form,
            "page": page,
            "as_of": filters.as_of,
            "query": query.urlencode(),
            "may_change": may_change_participants(request.user),
            "may_import": may_import(request.user),
            "may_read_nik_log": may_read_nik_log(request.user),
        },
    )


@requires(READ, hidden=True)
def participant_detail(request, pk):
    participant = _participant_or_404(request.user, pk)
    as_of = selectors.latest_contribution_month(user=request.user)
    acquisitions = list(participant.acquisitions.all())
    standing = selectors.payment_standing(user=request.user, participant=participant, as_of=as_of)
    return render(
        request,
        "enrollment/participants/detail.html",
        {
            "participant": participant,
            "acquisitions": [
                (acquisition, selectors.contribution_calendar(acquisition, through=as_of))
                for acquisition in acquisitions
            ],
            "as_of": as_of,
            "is_paying": standing is True,
            "is_lapsed": standing is False,
            "history": history_for(
                participant,
                participant.acquisitions.all(),
                Contribution.objects.filter(acquisition__participant=participant),
                full_phone=may_see_phone(request.user),
            ),
            "may_change": may_change_participants(request.user),
            "may_export": may_export_personal_data(request.user),
            "contacts": contacts_for(participant.acquisitions.all()),
        },
    )


@requires(READ, hidden=True)
@requires(CHANGE, message=ONLY_STAFF_CHANGE)
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk):
    participant = _participant_or_404(request.user, pk)
    if request.method == "GET":  # the form holds the full NIK, to correct it
        nik_disclosure_record(viewer=request.user, subject=participant, reason=NikDisclosure.Reason.EDIT_FORM)
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            changed = participant_update(
                participant=participant,
                changed_by=request.user,
                reason=form.cleaned_data["reason"],
                **{name: form.cleaned_data[name] for name in EDITABLE_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The changes are saved, with the reason, in the participant's history."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("enrollment:participant_detail", pk=participant.pk)
    return render(request, "enrollment/participants/edit.html", {"participant": participant, "form": form})


@requires(READ, hidden=True)
@requires(CHANGE, message=ONLY_STAFF_CHANGE)
@require_http_methods(["GET", "POST"])
def participant_move(request):
    agents = selectors.agents_for(request.user)
    initial = {"from_agent": request.GET.get("from_agent")} if request.method == "GET" else None
    form = ParticipantMoveForm(request.POST or None, agents=agents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            moved = participants_move(
                from_agent=form.cleaned_data["from_agent"],
                to_agent=form.cleaned_data["to_agent"],
                moved_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d participant now looked after by %(agent)s.",
                    "%(count)d participants now looked after by %(agent)s.",
                    moved,
                )
                % {"count": moved, "agent": form.cleaned_data["to_agent"]},
            )
            return redirect(reverse("enrollment:participant_list") + f"?agent={form.cleaned_data['to_agent'].pk}")
    return render(request, "enrollment/participants/move.html", {"form": form})
