"""Recruitment pages (namespace ``recruitment``): candidates, training sessions (pembekalan), the door's
attendance, results, activation as an agent, the certificate and the letter of assignment; and the
agent's own phone pages for the people they recruit.

Reading needs ``recruitment.view_candidate`` / ``view_trainingsession`` (branch staff, the branch head,
administrators); an agent gets a 404, these pages do not exist for them. Every action needs the matching
``add_``/``change_`` permission, which the branch head lacks (403, and no button on the page). Which rows
a user reaches is the selectors' (``recruitment.selectors``, through ``agents.scoping``): another
branch's id is a 404. The rules are the services' (``recruitment.services``); a refusal is shown on the
page it came from and changes nothing. Actions that take several rows at once (a session's invitations,
its results) run in one transaction, so one refusal leaves all of them as they were.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agents.letters import assignment_letter_pdf
from agents.selectors import agents_for
from enrollment.models import NikDisclosure, Participant
from enrollment.services.disclosures import nik_disclosure_record
from recruitment import selectors, services
from recruitment.documents import certificate_pdf
from recruitment.models import Candidate, Seat
from web.access import agent_required, paginate, requires
from web.network.forms import add_service_errors
from web.recruitment.forms import (
    ActivateForm,
    CandidateFilterForm,
    CandidateForm,
    InviteForm,
    ResultsForm,
    SessionForm,
    SessionInviteForm,
    WithdrawForm,
    recruiters_for,
)

VIEW_CANDIDATE = "recruitment.view_candidate"
ADD_CANDIDATE = "recruitment.add_candidate"
CHANGE_CANDIDATE = "recruitment.change_candidate"
VIEW_SESSION = "recruitment.view_trainingsession"
ADD_SESSION = "recruitment.add_trainingsession"
CHANGE_SESSION = "recruitment.change_trainingsession"
ADD_SEAT = "recruitment.add_seat"
CHANGE_SEAT = "recruitment.change_seat"
ONLY_STAFF = gettext_lazy("Only branch staff can change recruitment.")
INVITABLE = (Candidate.Stage.REGISTERED, Candidate.Stage.FAILED)
"""Who may be invited to a session: registered candidates, and those who failed (a retake)."""
OPEN_STAGES = (
    Candidate.Stage.REGISTERED,
    Candidate.Stage.INVITED,
    Candidate.Stage.TRAINED,
    Candidate.Stage.PASSED,
    Candidate.Stage.FAILED,
)
"""Stages a candidate may withdraw from (anyone not yet activated or withdrawn)."""


def _refusal(error):
    """A service's ``ValidationError`` as one sentence for a message."""
    return " ".join(error.messages)


def _national(user):
    return getattr(user, "is_national", False)


def _branch_of(user, form):
    """The branch a new row belongs to: the user's own, or the one a national administrator chose."""
    return form.cleaned_data["branch"] if "branch" in form.fields else user.branch


def _candidate_or_404(request, pk):
    return get_object_or_404(selectors.candidates_for(user=request.user), pk=pk)


def _session_or_404(request, pk):
    return get_object_or_404(selectors.sessions_for(user=request.user), pk=pk)


def _seat_or_404(request, pk):
    """A seat whose candidate and session the user reaches."""
    seats = Seat.objects.select_related("candidate", "session").filter(
        candidate__in=selectors.candidates_for(user=request.user), session__in=selectors.sessions_for(user=request.user)
    )
    return get_object_or_404(seats, pk=pk)


def participation(candidate):
    """Whether the candidate is a BPU participant of their branch yet (``selectors.candidate_is_participant``:
    an agent must be insured, and activation asks it), and the participant record with their NIK, if any,
    for a link to it (it may exist and have lapsed)."""
    return {
        "is_participant": selectors.candidate_is_participant(candidate),
        "participant": Participant.objects.filter(branch=candidate.branch_id, nik=candidate.nik).only("pk").first(),
    }


def stage_history(candidate):
    """Each change of the candidate's stage, oldest first: ``{"stage", "label", "when", "who", "reason"}``.

    Read from the candidate's history (``HistoricalRecords``): the first record and every record whose
    stage differs from the one before; the other edits (a phone number corrected) are not stage changes.
    """
    labels = dict(Candidate.Stage.choices)
    entries, previous = [], None
    records = candidate.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if record.stage != previous:
            user = record.history_user
            entries.append(
                {
                    "stage": record.stage,
                    "label": labels.get(record.stage, record.stage),
                    "when": record.history_date,
                    "on": record.stage_changed_on,
                    "who": (user.get_full_name() or user.username) if user else "",
                    "reason": record.withdrawal_reason if record.stage == Candidate.Stage.WITHDRAWN else "",
                }
            )
            previous = record.stage
    return entries


def _attachment(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- candidates ----------------------------------------------------------------------------------


@requires(VIEW_CANDIDATE, hidden=True)
@require_GET
def candidate_list(request):
    sessions = selectors.sessions_for(user=request.user).order_by("-held_on", "-id")
    recruiters = recruiters_for(request.user).filter(candidates__isnull=False).distinct().order_by("full_name")
    filters = CandidateFilterForm(request.GET, sessions=sessions, recruiters=recruiters)
    filters.is_valid()
    wanted = filters.cleaned_data
    candidates = selectors.candidate_list(
        user=request.user,
        stage=wanted.get("stage") or "",
        search=wanted.get("q") or "",
        session=wanted.get("session"),
        recruiter=wanted.get("recruiter"),
    )
    return render(
        request,
        "recruitment/candidate_list.html",
        {"filters": filters, "page_obj": paginate(request, candidates)},
    )


@requires(VIEW_CANDIDATE, hidden=True)
@requires(ADD_CANDIDATE, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    national = _national(request.user)
    form = CandidateForm(
        request.POST or None, recruiters=recruiters_for(request.user), national=national, branch=request.user.branch
    )
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_register(
                branch=_branch_of(request.user, form),
                registered_by=request.user,
                declared_not_bpjs_employee=form.cleaned_data["declared_not_bpjs_employee"],
                **form.candidate_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered as a candidate.") % {"name": candidate.full_name})
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    return render(request, "recruitment/candidate_form.html", {"form": form})


@requires(VIEW_CANDIDATE, hidden=True)
@require_GET
def candidate_detail(request, pk):
    candidate = _candidate_or_404(request, pk)
    today = timezone.localdate()
    upcoming = selectors.sessions_for(user=request.user).filter(branch=candidate.branch_id, held_on__gte=today)
    return render(
        request,
        "recruitment/candidate_detail.html",
        {
            "candidate": candidate,
            "seats": selectors.candidate_seats(candidate=candidate),
            "history": stage_history(candidate),
            **participation(candidate),
            "invite_form": InviteForm(sessions=upcoming.order_by("held_on", "id"))
            if candidate.stage in INVITABLE
            else None,
            "may_withdraw": candidate.stage in OPEN_STAGES,
            "may_activate": candidate.stage == Candidate.Stage.PASSED,
        },
    )


@requires(VIEW_CANDIDATE, hidden=True)
@requires(CHANGE_CANDIDATE, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = _candidate_or_404(request, pk)
    form = CandidateForm(
        request.POST or None,
        recruiters=recruiters_for(request.user).filter(branch=candidate.branch_id),
        candidate=candidate,
    )
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: a refused update leaves the page's heading with the saved name.
            services.candidate_update(
                candidate=_candidate_or_404(request, pk), changed_by=request.user, **form.candidate_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The candidate's data was saved."))
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    return render(request, "recruitment/candidate_form.html", {"form": form, "candidate": candidate})


@requires(VIEW_CANDIDATE, hidden=True)
@requires(ADD_SEAT, message=ONLY_STAFF)
@require_POST
def candidate_invite(request, pk):
    candidate = _candidate_or_404(request, pk)
    sessions = selectors.sessions_for(user=request.user).filter(branch=candidate.branch_id)
    form = InviteForm(request.POST, sessions=sessions)
    if not form.is_valid():
        messages.error(request, _("Choose a training session."))
    else:
        session = form.cleaned_data["session"]
        try:
            services.candidate_invite(candidate=candidate, session=session, changed_by=request.user)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(
                request,
                _("%(name)s is invited to the training on %(session)s.")
                % {"name": candidate.full_name, "session": session},
            )
    return redirect("recruitment:candidate_detail", pk=candidate.pk)


@requires(VIEW_CANDIDATE, hidden=True)
@requires(CHANGE_SEAT, message=ONLY_STAFF)
@require_POST
def seat_cancel(request, pk):
    """Cancel an invitation; back to the page it was pressed on (the candidate's or the session's)."""
    seat = _seat_or_404(request, pk)
    try:
        services.seat_cancel(seat=seat, changed_by=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _("The invitation of %(name)s to %(session)s is cancelled.")
            % {"name": seat.candidate.full_name, "session": seat.session},
        )
    if request.POST.get("back") == "session":
        return redirect("recruitment:session_detail", pk=seat.session_id)
    return redirect("recruitment:candidate_detail", pk=seat.candidate_id)


@requires(VIEW_CANDIDATE, hidden=True)
@requires(CHANGE_CANDIDATE, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def candidate_withdraw(request, pk):
    candidate = _candidate_or_404(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_withdraw(
                candidate=_candidate_or_404(request, pk), reason=form.cleaned_data["reason"], changed_by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has withdrawn.") % {"name": candidate.full_name})
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    return render(request, "recruitment/candidate_withdraw.html", {"form": form, "candidate": candidate})


@never_cache
@requires(VIEW_CANDIDATE, hidden=True)
@requires(CHANGE_CANDIDATE, message=ONLY_STAFF)
@requires("agents.add_agent", message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def candidate_activate(request, pk):
    """Make a candidate who passed an agent; the login's temporary password is shown on this response only."""
    candidate = _candidate_or_404(request, pk)
    form = ActivateForm(request.POST or None, user=request.user, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            agent, password = services.candidate_activate(
                candidate=_candidate_or_404(request, pk),
                office=form.cleaned_data["office"],
                code=form.cleaned_data["code"],
                joined_on=form.cleaned_data["joined_on"],
                changed_by=request.user,
                create_login=form.cleaned_data["create_login"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if password is None:
                messages.success(request, _("%(name)s is now agent %(code)s.") % {"name": agent, "code": agent.code})
                return redirect("recruitment:candidate_detail", pk=candidate.pk)
            context = {"candidate": candidate, "agent": agent, "password": password}
            return render(request, "recruitment/candidate_activated.html", context)
    return render(request, "recruitment/candidate_activate.html", {"form": form, "candidate": candidate})


@requires(VIEW_CANDIDATE, hidden=True)
@require_GET
def seat_certificate(request, pk):
    """The certificate of a training the candidate passed, as a PDF download."""
    seat = _seat_or_404(request, pk)
    try:
        pdf = certificate_pdf(seat=seat)
    except ValueError as refusal:
        messages.error(request, str(refusal))
        return redirect("recruitment:candidate_detail", pk=seat.candidate_id)
    return _attachment(pdf, f"sertifikat-{seat.session.held_on:%Y%m%d}-{seat.pk}.pdf")


@requires("agents.view_agent", hidden=True)
@require_GET
def agent_letter(request, pk):
    """The agent's letter of assignment (surat tugas), as a PDF download."""
    agent = get_object_or_404(agents_for(user=request.user), pk=pk)
    try:
        pdf = assignment_letter_pdf(agent=agent)
    except ValueError as refusal:
        messages.error(request, str(refusal))
        return redirect("agents:agent_detail", pk=agent.pk)
    # The letter prints the full NIK (it is the agent's credential): recorded like any full NIK shown.
    nik_disclosure_record(viewer=request.user, subject=agent, reason=NikDisclosure.Reason.ASSIGNMENT_LETTER)
    return _attachment(pdf, f"surat-tugas-{agent.code}.pdf")


# --- training sessions ---------------------------------------------------------------------------

WHEN_CHOICES = {"upcoming", "past"}


@requires(VIEW_SESSION, hidden=True)
@require_GET
def session_list(request):
    when = request.GET.get("when", "")
    when = when if when in WHEN_CHOICES else ""
    sessions = selectors.session_list(user=request.user, when=when)
    return render(
        request,
        "recruitment/session_list.html",
        {"page_obj": paginate(request, sessions), "when": when, "today": timezone.localdate()},
    )


@requires(VIEW_SESSION, hidden=True)
@requires(ADD_SESSION, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = SessionForm(request.POST or None, national=_national(request.user))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            session = services.session_create(branch=_branch_of(request.user, form), created_by=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training session on %(session)s was added.") % {"session": session})
            return redirect("recruitment:session_detail", pk=session.pk)
    return render(request, "recruitment/session_form.html", {"form": form})


@requires(VIEW_SESSION, hidden=True)
@requires(CHANGE_SESSION, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _session_or_404(request, pk)
    form = SessionForm(request.POST or None, instance=_session_or_404(request, pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            services.session_update(session=_session_or_404(request, pk), changed_by=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training session was saved."))
            return redirect("recruitment:session_detail", pk=session.pk)
    return render(request, "recruitment/session_form.html", {"form": form, "session": session})


def _session_counts(session, seats):
    return {
        "invited": len(seats),
        "attended": sum(1 for seat in seats if seat.attended),
        "passed": sum(1 for seat in seats if seat.passed),
        "failed": sum(1 for seat in seats if seat.passed is False),
    }


@requires(VIEW_SESSION, hidden=True)
@require_GET
def session_detail(request, pk):
    session = _session_or_404(request, pk)
    seats = list(selectors.session_roster(session=session))
    return render(
        request,
        "recruitment/session_detail.html",
        {
            "session": session,
            "seats": seats,
            "counts": _session_counts(session, seats),
            "materials": [line.strip() for line in session.materials.splitlines() if line.strip()],
            "today": timezone.localdate(),
        },
    )


def _invitable(request, session):
    """The branch's candidates this session may invite: registered or failed, not already seated in it."""
    return (
        selectors.candidates_for(user=request.user)
        .filter(branch=session.branch_id, stage__in=INVITABLE)
        .exclude(seats__session=session)
        .select_related("recruited_by")
        .order_by("full_name", "pk")
    )


@requires(VIEW_SESSION, hidden=True)
@requires(ADD_SEAT, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def session_invite(request, pk):
    """Invite several candidates at once: all of them are invited, or (one refused) none."""
    session = _session_or_404(request, pk)
    form = SessionInviteForm(request.POST or None, candidates=_invitable(request, session))
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["candidates"])
        refusals = []
        with transaction.atomic():
            for candidate in chosen:
                try:
                    with transaction.atomic():
                        services.candidate_invite(candidate=candidate, session=session, changed_by=request.user)
                except ValidationError as error:
                    refusals.append(f"{candidate.full_name}: {_refusal(error)}")
            if refusals:
                transaction.set_rollback(True)
        if refusals:
            form.add_error(None, [_("Nobody was invited."), *refusals])
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d candidate invited.",
                    "%(count)d candidates invited.",
                    len(chosen),
                )
                % {"count": len(chosen)},
            )
            return redirect("recruitment:session_detail", pk=session.pk)
    seats_taken = session.seats.count()
    return render(
        request,
        "recruitment/session_invite.html",
        {"session": session, "form": form, "seats_taken": seats_taken, "seats_left": session.capacity - seats_taken},
    )


@requires(VIEW_SESSION, hidden=True)
@requires(CHANGE_SEAT, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    """Attendance at the door. Each tick is saved at once with htmx (``seat_attend``); without JavaScript
    the boxes are ticked and saved together here (``attendance_record``)."""
    session = _session_or_404(request, pk)
    error = None
    if request.method == "POST":
        present = [value for value in request.POST.getlist("present") if value.isdigit()]
        try:
            services.attendance_record(
                session=session, present=[int(value) for value in present], changed_by=request.user
            )
        except ValidationError as refusal:
            error = _refusal(refusal)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("recruitment:session_detail", pk=session.pk)
    seats = list(selectors.session_roster(session=session))
    return render(
        request,
        "recruitment/session_attendance.html",
        {"session": session, "seats": seats, "error": error, "counts": _session_counts(session, seats)},
    )


@requires(VIEW_SESSION, hidden=True)
@requires(CHANGE_SEAT, message=ONLY_STAFF)
@require_POST
def seat_attend(request, pk):
    """One tick at the door: the seat's box posted with its form, ticked (present) or not (absent). With
    htmx the row is swapped for its new state; without JavaScript the door's page is shown again."""
    seat = _seat_or_404(request, pk)
    attended = str(seat.pk) in request.POST.getlist("present")
    error = None
    try:
        seat = services.seat_attend(seat=seat, attended=attended, changed_by=request.user)
    except ValidationError as refusal:
        error = _refusal(refusal)
        seat.refresh_from_db()
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("recruitment:session_attendance", args=[seat.session_id]) + f"#seat-{seat.pk}")
    present_count = Seat.objects.filter(session=seat.session_id, attended=True).count()
    return render(
        request,
        "recruitment/_attendance_row.html",
        {"seat": seat, "error": error, "saved": not error, "present_count": present_count},
    )


@requires(VIEW_SESSION, hidden=True)
@requires(CHANGE_SEAT, message=ONLY_STAFF)
@require_http_methods(["GET", "POST"])
def session_results(request, pk):
    """Test scores for the seats whose candidate attended: all saved, or (one refused) none."""
    session = _session_or_404(request, pk)
    seats = list(selectors.session_roster(session=session))
    form = ResultsForm(request.POST or None, seats=seats)
    if request.method == "POST" and form.is_valid():
        scores = form.scores()
        refused = False
        with transaction.atomic():
            for seat, score in scores:
                try:
                    with transaction.atomic():
                        services.result_record(seat=seat, score=score, changed_by=request.user)
                except ValidationError as error:
                    form.add_seat_error(seat, error)
                    refused = True
            if refused:
                transaction.set_rollback(True)
        if refused:
            form.add_error(None, _("No score was saved: correct the marked rows and save again."))
            for seat in seats:  # the rows show what is on record, not what the rolled-back loop left
                seat.refresh_from_db()
        else:
            messages.success(
                request,
                ngettext("%(count)d result saved.", "%(count)d results saved.", len(scores)) % {"count": len(scores)},
            )
            return redirect("recruitment:session_detail", pk=session.pk)
    return render(
        request,
        "recruitment/session_results.html",
        {"session": session, "form": form, "not_present": [seat for seat in seats if not seat.attended]},
    )


@requires(VIEW_SESSION, hidden=True)
@require_GET
def session_print(request, pk):
    """The session's list to print and sign at the door."""
    session = _session_or_404(request, pk)
    return render(
        request,
        "recruitment/session_print.html",
        {"session": session, "seats": list(selectors.session_roster(session=session))},
    )


# --- the agent's phone pages ---------------------------------------------------------------------


def _my_candidates(request):
    """The candidates the signed-in agent recruited (``candidates_for`` gives an agent only theirs)."""
    return selectors.candidates_for(user=request.user)


@agent_required
@require_GET
def my_candidates(request, agent):
    stage = request.GET.get("stage", "")
    stage = stage if stage in Candidate.Stage.values else ""
    search = request.GET.get("q", "").strip()[:100]
    candidates = selectors.candidate_list(user=request.user, stage=stage, search=search)
    return render(
        request,
        "recruitment/my_candidates.html",
        {
            "agent": agent,
            "page": paginate(request, candidates),
            "stage": stage,
            "search": search,
            "stages": Candidate.Stage.choices,
        },
    )


@agent_required
@require_http_methods(["GET", "POST"])
def my_candidate_register(request, agent):
    """Register someone the agent recruits; the agent is their recruiter."""
    form = CandidateForm(request.POST or None, branch=agent.branch)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_register(
                branch=agent.branch,
                registered_by=request.user,
                recruited_by=agent,
                declared_not_bpjs_employee=form.cleaned_data["declared_not_bpjs_employee"],
                **form.candidate_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. The branch will invite them to a training session.")
                % {"name": candidate.full_name},
            )
            return redirect("recruitment:my_candidate_detail", pk=candidate.pk)
    return render(request, "recruitment/my_candidate_form.html", {"form": form, "agent": agent})


@agent_required
@require_GET
def my_candidate_detail(request, agent, pk):
    candidate = get_object_or_404(_my_candidates(request), pk=pk)
    return render(
        request,
        "recruitment/my_candidate_detail.html",
        {
            "candidate": candidate,
            "seats": selectors.candidate_seats(candidate=candidate),
            "history": stage_history(candidate),
            **participation(candidate),
        },
    )
