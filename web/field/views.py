"""The agent's phone pages: landing page, enrol a worker, my participants, record a contribution, my
performance, and today's follow-up list with its one-tap reminders and the contact log.

Only a signed-in agent whose account is linked to an ``Agent`` may use them; anyone else gets a 404
(``web.access.agent_required``, checked before anything else), and an agent asking for another agent's
participant or acquisition gets a 404 too (the ``*_for_agent_user`` selectors). A method a page does
not take (a POST to a read-only page) is a 405 and changes nothing.

Pages are light: no images, one small script, and every form works without JavaScript.
"""

import datetime
import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrollment import paying
from enrollment.models import Acquisition, NikDisclosure
from enrollment.selectors import field as selectors
from enrollment.services import enrolment as services
from enrollment.services.disclosures import nik_disclosure_record
from followup import services as followup_services
from followup.messages import participant_message, sms_link, templates_for, whatsapp_link
from followup.models import ContactAttempt, MessageTemplate
from followup.selectors import Urgency, contacts_for, follow_up_acquisitions, follow_up_list
from incentives.statements import agent_earnings, fee_on
from incentives.terms import membership_month, scheme_in_force
from reports.performance import agent_performance
from web.access import agent_required
from web.field import confirmations
from web.field.forms import ContactForm, ContributionForm, EnrolForm, ParticipantFilterForm, QuoteForm
from web.reveal import nik_revealed


def _participant_or_404(request, pk):
    """One of the participants the signed-in agent follows up; 404 for anyone else's."""
    return get_object_or_404(selectors.participants_for_agent_user(request.user), pk=pk)


def _add_errors(form, error):
    """A service's ``ValidationError`` on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def _quote(data, today):
    """``{"quote": Quote | None, "quote_error": str | None}`` for the income and JHT in ``data``."""
    form = QuoteForm(data)
    if not form.is_valid():
        return {"quote": None, "quote_error": " ".join(form.errors.get("declared_income", []))}
    try:
        quote = selectors.contribution_quote(
            declared_income=form.cleaned_data["declared_income"], with_jht=form.cleaned_data["with_jht"], on=today
        )
    except ValidationError as error:
        return {"quote": None, "quote_error": " ".join(error.messages)}
    return {"quote": quote, "quote_error": None}


@agent_required
@require_GET
def agent_home(request, agent):
    today = timezone.localdate()
    summary = selectors.agent_home_summary(request.user, today=today)
    return render(
        request,
        "enrollment/field/home.html",
        {
            "agent": agent,
            "summary": summary,
            "today": today,
            "follow_up_count": follow_up_acquisitions(request.user, today=today).count(),
        },
    )


def _initial_from_participant(request):
    """Enrolling one of the agent's own lapsed participants again starts from what is on record."""
    pk = request.GET.get("participant", "")
    if not pk.isdigit():
        return {"declared_income": QuoteForm.base_fields["declared_income"].initial}
    participant = _participant_or_404(request, pk)
    nik_disclosure_record(viewer=request.user, subject=participant, reason=NikDisclosure.Reason.ENROL_AGAIN)
    last = participant.acquisitions.order_by("-acquired_on", "-pk").first()
    initial = {
        name: getattr(participant, name)
        for name in ("nik", "full_name", "birth_date", "gender", "phone", "address", "kecamatan", "desa", "occupation")
    }
    return {**initial, "declared_income": last.declared_income, "with_jht": last.with_jht}


@agent_required
@require_http_methods(["GET", "POST"])
def enrol(request, agent):
    """Daftarkan peserta. "Check" (the no-JavaScript preview) re-renders with the contribution;
    "Save" enrols, or shows what is wrong and saves nothing."""
    today = timezone.localdate()
    already_enrolled_here = None
    if request.method == "POST" and "check" in request.POST:
        form = EnrolForm(initial=request.POST.dict())
        quote_data = request.POST
    elif request.method == "POST":
        form = EnrolForm(request.POST)
        quote_data = request.POST
        if form.is_valid():
            try:
                acquisition = services.acquisition_enrol(agent=agent, **form.enrolment_data())
            except services.AlreadyEnrolled as error:
                form.add_error(None, error)
                if error.existing.caretaker_id == agent.pk:
                    already_enrolled_here = error.existing.participant_id
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, confirmations.enrolled(acquisition))
                return redirect("enrollment:my_participant_detail", pk=acquisition.participant_id)
    else:
        initial = _initial_from_participant(request)
        form = EnrolForm(initial=initial)
        quote_data = {"declared_income": initial["declared_income"], "with_jht": initial.get("with_jht", False)}
    return render(
        request,
        "enrollment/field/enrol.html",
        {
            "form": form,
            "agent": agent,
            "already_enrolled_here": already_enrolled_here,
            "today": today,
            **_quote(quote_data, today),
        },
    )


@agent_required
@require_POST
def enrol_preview(request, agent):
    """The contribution preview (an htmx partial) as income and JHT change."""
    today = timezone.localdate()
    return render(request, "enrollment/field/_quote.html", {"today": today, **_quote(request.POST, today)})


@agent_required
@require_GET
def my_participants(request, agent):
    today = timezone.localdate()
    filters = ParticipantFilterForm(request.GET)
    filters.is_valid()
    search, status = filters.cleaned_data.get("q", ""), filters.cleaned_data.get("status", "")
    rows = selectors.my_participants(request.user, today=today, search=search, status=status)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enrollment/field/my_participants.html",
        {
            "filters": filters,
            "page": page,
            "search": search,
            "status": status,
            "status_labels": dict(paying.PaymentStatus.choices),
            "late_after_months": paying.LATE_AFTER_MONTHS,
            "lapsed_after_months": paying.PAYING_WINDOW_MONTHS,
            "today": today,
        },
    )


@agent_required
@require_GET
def my_participant_detail(request, agent, pk):
    today = timezone.localdate()
    participant = _participant_or_404(request, pk)
    return render(
        request,
        "enrollment/field/my_participant_detail.html",
        {
            "participant": participant,
            "acquisitions": selectors.participant_acquisitions(request.user, participant, today=today),
            "status_labels": dict(paying.PaymentStatus.choices),
            "today": today,
            "contacts": contacts_for(
                selectors.acquisitions_for_agent_user(request.user).filter(participant=participant)
            ),
        },
    )


@agent_required
@require_http_methods(["GET", "POST"])
def contribution_record(request, agent, pk):
    """Record a month's contribution the agent collected. The form starts at the newest unpaid month,
    the acquisition's monthly contribution and today."""
    today = timezone.localdate()
    acquisition = get_object_or_404(selectors.current_acquisitions_with_participants(request.user), pk=pk)
    paid = selectors.paid_periods(acquisition)
    months = selectors.contribution_months(acquisition, today=today)
    unpaid = [month for month in months if month not in paid]
    initial = {
        "period": unpaid[0].strftime("%Y-%m") if unpaid else None,
        "amount": acquisition.monthly_contribution,
        "paid_on": today,
    }
    form = ContributionForm(request.POST or None, initial=initial, months=months, paid=paid)
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.contribution_record(acquisition=acquisition, agent=agent, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, confirmations.contribution_recorded(contribution))
            return redirect("enrollment:my_participant_detail", pk=acquisition.participant_id)
    return render(
        request,
        "enrollment/field/contribution_record.html",
        {
            "acquisition": acquisition,
            "participant": acquisition.participant,
            "form": form,
            "lapsed": acquisition.status == Acquisition.Status.LAPSED,
            "all_paid": not unpaid,
        },
    )


@agent_required
@require_GET
def my_performance(request, agent):
    today = timezone.localdate()
    return render(
        request,
        "enrollment/field/my_performance.html",
        {
            "agent": agent,
            "performance": agent_performance(request.user, today=today),
            "earnings": agent_earnings(agent=agent, year=today.year, month=today.month),
        },
    )


@never_cache
@agent_required
@require_POST
def my_participant_nik(request, agent, pk):
    """ "Show NIK" on the agent's own participant's page: the full NIK, recorded in the NIK view log."""
    participant = _participant_or_404(request, pk)
    disclosure = nik_disclosure_record(viewer=request.user, subject=participant, reason=NikDisclosure.Reason.FIELD_PAGE)
    return nik_revealed(request, participant, disclosure, back=reverse("enrollment:my_participant_detail", args=[pk]))


# --- follow-up ----------------------------------------------------------------------------------


URGENCY_HEADINGS = {
    Urgency.LAPSING: _lazy("One month from lapsing"),
    Urgency.DUE: _lazy("Due this month"),
    Urgency.LAPSED: _lazy("Lapsed recently"),
}


def _follow_up_rows(request, agent, *, today, only=None):
    """Today's list (``followup.selectors``) with each row's reminder text, its WhatsApp and SMS links and
    the fresh ``client_key`` its contact form carries (``web.field.forms.ClientKeyField``)."""
    rows = follow_up_list(request.user, today=today, only=only)
    texts = templates_for(agent.branch)
    purposes = {Urgency.LAPSING: MessageTemplate.Purpose.LATE, Urgency.DUE: MessageTemplate.Purpose.DUE,
                Urgency.LAPSED: MessageTemplate.Purpose.LAPSED}  # fmt: skip
    reminded = []
    for row in rows:
        text = participant_message(texts.get(purposes[row.urgency], ""), row=row, agent=agent)
        reminded.append(
            {
                "row": row,
                "whatsapp": whatsapp_link(row.phone, text),
                "sms": sms_link(row.phone, text),
                "text": text,
                "client_key": uuid.uuid4(),
            }
        )
    return reminded


def _owed(rows, today):
    """``(membership month, amount)`` of what the follow-up list owes, for the fee at stake: each unpaid
    month of its acquisition; a lapsed worker restarts with one month of a new enrolment (month 1).
    One query (the acquisitions' enrolment dates)."""
    ids = [item["row"].acquisition_id for item in rows if item["row"].urgency != Urgency.LAPSED]
    acquired = dict(Acquisition.objects.filter(pk__in=ids).values_list("pk", "acquired_on")) if ids else {}
    owed = []
    for item in rows:
        row = item["row"]
        if row.urgency == Urgency.LAPSED:
            owed.append((1, row.amount_due))
        else:
            owed += [
                (membership_month(acquired[row.acquisition_id], period), row.monthly_contribution)
                for period in row.months_unpaid
            ]
    return owed


@agent_required
@require_GET
def follow_up(request, agent):
    """Whom to contact today: most urgent first, by kecamatan and desa, each a tap from WhatsApp or SMS,
    with the fee the agent stands to keep if they pay this month."""
    today = timezone.localdate()
    rows = _follow_up_rows(request, agent, today=today)
    groups = {}
    for item in rows:
        groups.setdefault(item["row"].urgency, []).append(item)
    scheme = scheme_in_force(today)
    due = sum((item["row"].amount_due for item in rows), Decimal(0))
    fee_at_stake = fee_on(scheme, _owed(rows, today)) if scheme else None
    return render(
        request,
        "enrollment/field/follow_up.html",
        {
            "agent": agent,
            "today": today,
            "groups": [(urgency, URGENCY_HEADINGS[urgency], groups[urgency]) for urgency in sorted(groups)],
            "count": len(rows),
            "amount_due": due,
            "fee_at_stake": fee_at_stake,
            "outcomes": ContactAttempt.Outcome.choices,
            "promise_default": today + datetime.timedelta(days=7),
        },
    )


@agent_required
@require_POST
def contact_record(request, agent, pk):
    """Log how a contact went: a small POST from the list. With htmx the row is swapped for its new state;
    without JavaScript the list is shown again at that row."""
    today = timezone.localdate()
    acquisition = get_object_or_404(selectors.current_acquisitions_for_agent_user(request.user), pk=pk)
    form = ContactForm(request.POST)
    error = None
    if form.is_valid():
        try:
            contact = followup_services.contact_record(
                acquisition=acquisition, user=request.user, today=today, **form.cleaned_data
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            if not request.htmx:
                messages.success(request, confirmations.contact_logged(contact))
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("enrollment:follow_up") + f"#follow-up-{pk}")
    rows = _follow_up_rows(request, agent, today=today, only=pk)
    return render(
        request,
        "enrollment/field/_follow_up_row.html",
        {
            "item": rows[0] if rows else None,
            "acquisition": acquisition,
            "error": error,
            "logged": None if error else form.cleaned_data.get("outcome"),
            "outcomes": ContactAttempt.Outcome.choices,
            "promise_default": today + datetime.timedelta(days=7),
        },
    )
