"""The JSON API's endpoints: what the agent's phone pages do, for the phone's offline queue and for
integrations. Each endpoint validates with the page's form (``web.field.forms``), calls the page's
service or selector on the rows the page reaches, and says what the page says; no rule is written here
a second time.

- Who: a signed-in agent (``web.api.auth``); anyone else 403. Another agent's acquisition is a 404,
  as on the pages, before anything else is looked at (the key included).
- Writes (POST) carry ``Idempotency-Key: <uuid>`` (missing or not a UUID: 422). The key is the write's
  ``client_key``: sent again by the same agent for the same kind of write, the answer is the first
  write's (200, ``"replayed": true``) and nothing is written twice; the same key from another account or
  for another kind of write is refused (409). Two sends at the same moment write once too: the
  database's unique key decides and the loser reads the winner back (``enrollment.client_keys``).
- A refusal (bad data, a duplicate NIK, a month already paid) is 422 with one sentence (``message``)
  and every error by field (``errors``, ``__all__`` for the whole request); nothing is saved.
- Messages are in the request's language (the language cookie or ``Accept-Language``, Indonesian by
  default), as on the pages.
- Every answer carries ``Cache-Control: no-store``: it holds personal data (``web.middleware``).

The OpenAPI document is at ``/api/v1/openapi.json``; there is no interactive docs page (its assets
would come from a CDN).
"""

import json
import uuid

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from enrollment.client_keys import ClientKeyReused, prior_write
from enrollment.models import Acquisition, Contribution
from enrollment.paying import PaymentStatus
from enrollment.selectors import field as selectors
from enrollment.services import enrolment as services
from followup import services as followup_services
from followup.models import ContactAttempt
from perisai.privacy import mask_nik, phone_for
from web.api.auth import AgentSession, BearerToken
from web.api.schema_of_forms import form_schema
from web.field import confirmations
from web.field.forms import ContactForm, ContributionForm, EnrolForm, ParticipantFilterForm, QuoteForm

IDEMPOTENCY_HEADER = "Idempotency-Key"


class PerisaiAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        add_never_cache_headers(response)
        return response


api = PerisaiAPI(
    title="Perisai",
    version="1",
    description="The agent's phone pages as JSON: enrol, record a contribution, log a contact, the quote, "
    "my participants. README, 'The JSON API'.",
    urls_namespace="api",
    docs_url=None,
    auth=[BearerToken(), AgentSession()],
)


# --- answers --------------------------------------------------------------------------------------


class Problem(Schema):
    message: str
    errors: dict[str, list[str]]


class Written(Schema):
    id: int
    participant_id: int
    full_name: str
    monthly_contribution: int
    message: str
    url: str
    replayed: bool


WRITE_ANSWERS = {200: Written, 201: Written, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


class Refused(Exception):
    """An answer of ``status`` with one sentence and the errors by field; nothing was saved."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status, self.message = status, str(message)
        self.errors = errors or {NON_FIELD_ERRORS: [self.message]}

    @classmethod
    def invalid(cls, form):
        """422 for ``form``'s errors: the first error of the whole request, or the first field's, named."""
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        if NON_FIELD_ERRORS in errors:
            message = errors[NON_FIELD_ERRORS][0]
        else:
            name, messages = next(iter(errors.items()))
            label = form.fields[name].label if name in form.fields else None
            message = f"{label or name}: {messages[0]}"
        return cls(422, message, errors)

    @classmethod
    def from_error(cls, error, form):
        """A service's ``ValidationError`` as the page shows it: on its field when the form has it, else
        on the whole request; a reused key is 409."""
        if isinstance(error, ClientKeyReused):
            return cls(409, error.messages[0])
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, ValidationError(errors))
        else:
            form.add_error(None, error)
        return cls.invalid(form)


@api.exception_handler(Refused)
def refused(request, exc):
    return api.create_response(request, {"message": exc.message, "errors": exc.errors}, status=exc.status)


@api.exception_handler(AuthenticationError)
def not_an_agent(request, exc):
    return refused(request, Refused(403, _("Sign in as an agent to use this.")))


@api.exception_handler(HttpError)
def http_error(request, exc):
    if exc.status_code == 403:  # ninja's session authentication: the CSRF check failed
        return refused(request, Refused(403, _("The request's CSRF token is missing or wrong. Reload the page.")))
    return refused(request, Refused(exc.status_code, str(exc.message)))


@api.exception_handler(Http404)
def not_found(request, exc):
    return refused(request, Refused(404, _("Not found.")))


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return refused(request, Refused(403, str(exc) or _("Sign in as an agent to use this.")))


@api.exception_handler(NinjaValidationError)
def bad_parameter(request, exc):
    errors = {}
    for error in exc.errors:
        errors.setdefault(str(error.get("loc", ["?"])[-1]), []).append(str(error.get("msg", "")))
    name, messages = next(iter(errors.items()))
    return refused(request, Refused(422, f"{name}: {messages[0]}", errors))


# --- requests -------------------------------------------------------------------------------------


def _idempotency_key(request):
    try:
        return uuid.UUID(request.headers.get(IDEMPOTENCY_HEADER, ""))
    except ValueError:
        raise Refused(
            422, _("Send an Idempotency-Key header with a new UUID for each write; a retry sends the same one.")
        ) from None


def _data(request, key):
    """The JSON object in the body, with the key as the form's ``client_key``."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise Refused(422, _("Send the fields as one JSON object."))
    return {**data, "client_key": str(key)}


def _write_docs(form_class, **overrides):
    """The OpenAPI of a write: its JSON body (the form's fields) and the ``Idempotency-Key`` header."""
    return {
        "parameters": [
            {
                "in": "header",
                "name": IDEMPOTENCY_HEADER,
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
                "description": "A new UUID for each write; a retry of the same write sends the same one.",
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": form_schema(form_class, **overrides)}},
        },
    }


def _written(acquisition, row, message, *, replayed):
    """201 for a new write, 200 with ``"replayed": true`` for a key seen before."""
    participant = acquisition.participant
    return Status(
        200 if replayed else 201,
        {
            "id": row.pk,
            "participant_id": participant.pk,
            "full_name": participant.full_name,
            "monthly_contribution": int(acquisition.monthly_contribution),
            "message": message,
            "url": reverse("enrollment:my_participant_detail", args=[participant.pk]),
            "replayed": replayed,
        },
    )


def _prior(key, model, agent):
    try:
        return prior_write(key, model=model, user=agent.user)
    except ClientKeyReused as error:
        raise Refused(409, error.messages[0]) from None


# --- writes ---------------------------------------------------------------------------------------


@api.post("/enrolments", response=WRITE_ANSWERS, url_name="enrolments", openapi_extra=_write_docs(EnrolForm))
def enrolment_create(request):
    """Enrol a worker (the enrol page's Save). A NIK that disagrees with the birth date or gender is
    refused until ``confirm_nik_mismatch`` is true, as on the page."""
    agent = request.auth
    key = _idempotency_key(request)
    acquisition = _prior(key, Acquisition, agent)
    if acquisition is None:
        form = EnrolForm(_data(request, key))
        if not form.is_valid():
            raise Refused.invalid(form)
        try:
            acquisition = services.acquisition_enrol(agent=agent, **form.enrolment_data())
        except ValidationError as error:
            raise Refused.from_error(error, form) from None
    replayed = getattr(acquisition, "replayed", False)
    return _written(acquisition, acquisition, confirmations.enrolled(acquisition), replayed=replayed)


@api.post(
    "/acquisitions/{acquisition_id}/contributions",
    response=WRITE_ANSWERS,
    url_name="contributions",
    openapi_extra=_write_docs(ContributionForm, period={"pattern": r"^\d{4}-\d{2}$", "description": "YYYY-MM"}),
)
def contribution_create(request, acquisition_id: int):
    """Record a month's contribution the agent collected (the contribution page's Save)."""
    agent = request.auth
    acquisition = get_object_or_404(selectors.current_acquisitions_with_participants(agent.user), pk=acquisition_id)
    key = _idempotency_key(request)
    contribution = _prior(key, Contribution, agent)
    if contribution is None:
        today = timezone.localdate()
        months = selectors.contribution_months(acquisition, today=today)
        form = ContributionForm(_data(request, key), months=months, paid=selectors.paid_periods(acquisition))
        if not form.is_valid():
            raise Refused.invalid(form)
        try:
            contribution = services.contribution_record(acquisition=acquisition, agent=agent, **form.cleaned_data)
        except ValidationError as error:
            raise Refused.from_error(error, form) from None
    replayed = getattr(contribution, "replayed", False)
    message = confirmations.contribution_recorded(contribution)
    return _written(contribution.acquisition, contribution, message, replayed=replayed)


@api.post(
    "/acquisitions/{acquisition_id}/contacts",
    response=WRITE_ANSWERS,
    url_name="contacts",
    openapi_extra=_write_docs(ContactForm),
)
def contact_create(request, acquisition_id: int):
    """Log how a follow-up contact went (the follow-up list's outcome buttons)."""
    agent = request.auth
    acquisition = get_object_or_404(selectors.current_acquisitions_with_participants(agent.user), pk=acquisition_id)
    key = _idempotency_key(request)
    contact = _prior(key, ContactAttempt, agent)
    if contact is None:
        form = ContactForm(_data(request, key))
        if not form.is_valid():
            raise Refused.invalid(form)
        try:
            contact = followup_services.contact_record(
                acquisition=acquisition, user=agent.user, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            raise Refused.from_error(error, form) from None
    replayed = getattr(contact, "replayed", False)
    return _written(contact.acquisition, contact, confirmations.contact_logged(contact), replayed=replayed)


# --- reads ----------------------------------------------------------------------------------------


class QuoteOut(Schema):
    declared_income: int
    with_jht: bool
    jkk: int
    jkm: int
    jht: int
    total: int
    rate: str
    on: str


@api.get("/quote", response={200: QuoteOut, 403: Problem, 422: Problem}, url_name="quote")
def quote(request, declared_income: str = "", with_jht: str = "false"):
    """The monthly contribution for a declared income, with or without JHT, at the rate in force today
    (the enrol page's preview). ``with_jht``: ``true`` or ``false``."""
    today = timezone.localdate()
    form = QuoteForm({"declared_income": declared_income, "with_jht": with_jht})
    if not form.is_valid():
        raise Refused.invalid(form)
    income, jht = form.cleaned_data["declared_income"], form.cleaned_data["with_jht"]
    try:
        found = selectors.contribution_quote(declared_income=income, with_jht=jht, on=today)
    except ValidationError as error:
        field = {"declared_income": error} if error.code == "income_out_of_range" else error
        raise Refused.from_error(ValidationError(field), form) from None
    return {
        "declared_income": income,
        "with_jht": jht,
        "jkk": int(found.jkk),
        "jkm": int(found.jkm),
        "jht": int(found.jht),
        "total": int(found.total),
        "rate": found.rate.name,
        "on": today.isoformat(),
    }


class ParticipantRow(Schema):
    participant_id: int
    acquisition_id: int
    full_name: str
    nik: str
    phone: str
    kecamatan: str
    desa: str
    district: str  # the kecamatan's Kemendagri code; "" for a place recorded before codes and not matched
    village: str  # the desa's code, or ""
    status: str
    status_label: str
    monthly_contribution: int
    acquired_on: str
    last_paid: str | None
    url: str


class ParticipantPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: int | None
    previous: int | None
    results: list[ParticipantRow]


@api.get("/participants", response={200: ParticipantPage, 403: Problem, 422: Problem}, url_name="participants")
def participants(request, q: str = "", status: str = "", page: int = 1):
    """The agent's participants with this month's paying state (``paid``, ``due``, ``late``, ``lapsed``),
    by name, as "My participants" shows them (``q``: name, NIK or phone digits; ``status``: one state),
    25 a page. The NIK is masked."""
    agent = request.auth
    filters = ParticipantFilterForm({"q": q, "status": status})
    if not filters.is_valid():
        raise Refused.invalid(filters)
    today = timezone.localdate()
    search, status = filters.cleaned_data["q"], filters.cleaned_data["status"]
    rows = selectors.my_participants(agent.user, today=today, search=search, status=status)
    paginator = Paginator(rows, selectors.PAGE_SIZE)
    if not 1 <= page <= paginator.num_pages:
        raise Refused(422, _("There is no page %(page)s.") % {"page": page}, {"page": [_("Out of range.")]})
    current = paginator.page(page)
    labels = dict(PaymentStatus.choices)
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "page_size": selectors.PAGE_SIZE,
        "next": current.next_page_number() if current.has_next() else None,
        "previous": current.previous_page_number() if current.has_previous() else None,
        "results": [
            {
                "participant_id": row.participant_id,
                "acquisition_id": row.pk,
                "full_name": row.participant.full_name,
                "nik": mask_nik(row.participant.nik),
                "phone": phone_for(agent.user, row.participant.phone),
                "kecamatan": row.participant.kecamatan,
                "desa": row.participant.desa,
                "district": row.participant.district,
                "village": row.participant.village,
                "status": row.payment_status,
                "status_label": str(labels[row.payment_status]),
                "monthly_contribution": int(row.monthly_contribution),
                "acquired_on": row.acquired_on.isoformat(),
                "last_paid": row.last_paid.strftime("%Y-%m") if row.last_paid else None,
                "url": reverse("enrollment:my_participant_detail", args=[row.participant_id]),
            }
            for row in current
        ],
    }
