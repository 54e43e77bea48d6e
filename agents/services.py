"""Writes to the agent network: agents, their logins, Perisai offices and PKS.

Every function is keyword-only, validates with ``full_clean()`` and writes in a transaction. A row
that loses a race for a unique value (NIK, agent code, PKS number, a second renewal) raises the
same ``ValidationError`` a form shows, never an ``IntegrityError``. Nothing here deletes: agents,
offices and PKS are what reports count, so an agent who leaves is deactivated with a date.
"""

import datetime
import re
import secrets
import string
import uuid

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agents.documents import check_pdf
from agents.models import Agent, CooperationAgreement, PerisaiOffice, User
from agents.places import office_area_resolve, place_changes
from agents.terms import agreement_limit, reactivation_allowed_from
from perisai.formatting import long_date
from perisai.months import add_months

# A signed PKS is a scan of a few pages; 10 MB keeps room for a poor scanner without filling the disk.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"

TEMPORARY_PASSWORD_LENGTH = 14
# No 0/O, 1/l/I: the staff member reads the password out or writes it down for the agent.
PASSWORD_ALPHABET = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")

AGENT_FIELDS = (
    "office",
    "recruited_by",
    "code",
    "nik",
    "full_name",
    "gender",
    "birth_date",
    "phone",
    "kecamatan",
    "desa",
    "joined_on",
    "trained_on",
)
OFFICE_FIELDS = ("code", "name", "area", "address", "contact_person", "phone", "is_active")


def _save(instance):
    """Validate and save ``instance``; a race lost to a unique constraint becomes a ``ValidationError``."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # The winning row is visible now, so validation names the field that clashes.
        instance.full_clean()
        raise ValidationError(
            _("Someone else saved a conflicting record at the same moment. Check the data and save again.")
        ) from None
    return instance


# --- agents --------------------------------------------------------------------------------------


def _declaration_missing():
    return ValidationError(
        {
            "declared_not_bpjs_employee": _(
                "Confirm that the agent is not a BPJS Ketenagakerjaan employee: employees may not be agents."
            )
        },
        code="bpjs_employee_not_declared",
    )


@transaction.atomic
def agent_create(*, office, declared_not_bpjs_employee, today=None, **fields):
    """A new active agent of ``office``; the agent's branch is the office's branch.

    BPJS Ketenagakerjaan employees may not be agents, so the staff member must confirm that the new
    agent is not one (``declared_not_bpjs_employee``); the date of that declaration is kept.
    """
    unknown = set(fields) - set(AGENT_FIELDS)
    if unknown:
        raise TypeError(f"agent_create() got unexpected fields: {', '.join(sorted(unknown))}")
    if declared_not_bpjs_employee is not True:
        raise _declaration_missing()
    fields |= place_changes(branch=office.branch, fields=fields)
    agent = Agent(
        office=office,
        branch_id=office.branch_id,
        status=Agent.Status.ACTIVE,
        declared_not_bpjs_employee_on=today or timezone.localdate(),
        **fields,
    )
    return _save(agent)


@transaction.atomic
def agent_update(*, agent, declared_not_bpjs_employee=False, today=None, **fields):
    """Change an agent's data; moving to an office of another branch is refused by ``Agent.clean``.

    An agent added before the declaration was asked gets it the first time staff confirm it here.
    """
    unknown = set(fields) - set(AGENT_FIELDS)
    if unknown:
        raise TypeError(f"agent_update() got unexpected fields: {', '.join(sorted(unknown))}")
    stored = Agent.objects.get(pk=agent.pk)
    office = fields["office"] if fields.get("office") else stored.office
    fields |= place_changes(branch=office.branch, fields=fields, stored=stored)
    for name, value in fields.items():
        setattr(agent, name, value)
    if declared_not_bpjs_employee and agent.declared_not_bpjs_employee_on is None:
        agent.declared_not_bpjs_employee_on = today or timezone.localdate()
    return _save(agent)


REASONS_NEEDING_A_NOTE = (Agent.DeactivationReason.FRAUD, Agent.DeactivationReason.OTHER)


@transaction.atomic
def agent_deactivate(*, agent, left_on, reason, note="", changed_by=None, today=None):
    """Record that the agent left on ``left_on`` for ``reason``; their login stops working at once.

    The agent and their acquisitions stay: reports keep crediting them. ``left_on`` may not be before
    the agent joined (also a database constraint) nor in the future. A fraud removal or "other" needs
    a note saying what happened; the note is kept as the reason of the change in the agent's history.
    """
    today = today or timezone.localdate()
    note = (note or "").strip()
    if agent.status == Agent.Status.INACTIVE:
        raise ValidationError(_("This agent is already inactive."), code="already_inactive")
    if reason not in Agent.DeactivationReason.values:
        raise ValidationError({"reason": _("Choose why the agent leaves.")}, code="no_reason")
    if reason in REASONS_NEEDING_A_NOTE and not note:
        raise ValidationError({"note": _("Say what happened: this reason needs a note.")}, code="note_needed")
    if left_on > today:
        raise ValidationError({"left_on": _("The leaving date cannot be in the future.")}, code="left_in_future")
    if left_on < agent.joined_on:
        raise ValidationError(
            {"left_on": _("An agent cannot leave before joining (%(date)s).") % {"date": long_date(agent.joined_on)}},
            code="left_before_joining",
        )
    agent.status = Agent.Status.INACTIVE
    agent.left_on = left_on
    agent.deactivation_reason = reason
    _record_change(agent, changed_by=changed_by, note=note or Agent.DeactivationReason(reason).label)
    _save(agent)
    if agent.user_id and agent.user.is_active:
        agent.user.is_active = False
        agent.user.save(update_fields=["is_active"])
    return agent


def reactivation_refusal(agent, today=None):
    """Why ``agent`` may not be reactivated ``today``, or ``None`` when they may.

    A fraud removal is final. An agent deactivated for inactivity waits the programme terms'
    ``reactivation_wait_months`` (6) from their leaving date, under the terms in force when they left:
    left on 31 January, back from 31 July at the earliest.
    """
    today = today or timezone.localdate()
    if agent.status == Agent.Status.ACTIVE:
        return ValidationError(_("This agent is already active."), code="already_active")
    if agent.deactivation_reason == Agent.DeactivationReason.FRAUD:
        return ValidationError(
            _("An agent removed for fraud cannot be reactivated: the removal is final."), code="fraud_is_final"
        )
    allowed_from = reactivation_allowed_from(agent)
    if allowed_from is not None and today < allowed_from:
        return ValidationError(
            _(
                "An agent deactivated for inactivity may be reactivated from %(date)s at the earliest "
                "(they left on %(left)s)."
            )
            % {"date": long_date(allowed_from), "left": long_date(agent.left_on)},
            code="reactivation_too_soon",
        )
    return None


@transaction.atomic
def agent_reactivate(*, agent, note="", changed_by=None, today=None):
    """Take an agent back: active again, no leaving date or reason, their login (if any) works again.

    Refused as ``reactivation_refusal`` says (fraud; inactivity less than the waiting time ago). The
    earlier leaving date and reason stay in the agent's change history.
    """
    refusal = reactivation_refusal(agent, today)
    if refusal is not None:
        raise refusal
    agent.status = Agent.Status.ACTIVE
    agent.left_on = None
    agent.deactivation_reason = ""
    _record_change(agent, changed_by=changed_by, note=(note or "").strip() or _("Reactivated"))
    _save(agent)
    if agent.user_id and not agent.user.is_active:
        agent.user.is_active = True
        agent.user.save(update_fields=["is_active"])
    return agent


def _record_change(agent, *, changed_by, note):
    """Who made the change and why, for the agent's history (simple-history)."""
    agent._change_reason = note
    if changed_by is not None:
        agent._history_user = changed_by


def _temporary_password():
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH))


def _acceptable_password(user, attempts=20):
    """A temporary password that Django's password validators accept for ``user``."""
    for _attempt in range(attempts - 1):
        password = _temporary_password()
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    password = _temporary_password()
    validate_password(password, user)
    return password


@transaction.atomic
def agent_set_login(*, agent, username=None):
    """Create the agent's login, or reset its password; return the new temporary password.

    A new login is an agent account of the agent's branch, never a staff account, named ``username``
    or the agent code in lower case. An existing login keeps its name and gets a new password. The
    password is random (``secrets``), passes Django's password validators, and is returned once for
    the staff member to hand over: it is stored only as a hash.
    """
    if agent.status != Agent.Status.ACTIVE:
        raise ValidationError(_("An inactive agent cannot sign in. Reactivate the agent first."), code="inactive")
    user = agent.user
    if user is not None and (user.role != User.Role.AGENT or user.is_staff or user.is_superuser):
        raise ValidationError(
            _("This agent is linked to an account that is not an agent's; ask an administrator to check it."),
            code="not_an_agent_account",
        )
    if user is None:
        first_name, _sep, last_name = agent.full_name.partition(" ")
        user = User(
            username=(username or agent.code).strip().lower(),
            role=User.Role.AGENT,
            branch_id=agent.branch_id,
            first_name=first_name[:150],
            last_name=last_name[:150],
            is_staff=False,
            is_superuser=False,
        )
    user.is_active = True
    password = _acceptable_password(user)
    user.set_password(password)
    is_new = user.pk is None
    _save(user)
    if is_new:
        agent.user = user
        _save(agent)
    return password


# --- offices -------------------------------------------------------------------------------------


@transaction.atomic
def office_create(*, branch, **fields):
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"office_create() got unexpected fields: {', '.join(sorted(unknown))}")
    if "area" in fields:
        fields["area"] = office_area_resolve(branch=branch, area=fields["area"])
    return _save(PerisaiOffice(branch=branch, **fields))


@transaction.atomic
def office_update(*, office, **fields):
    """Change an office's data; its branch never changes (its agents and acquisitions belong there)."""
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"office_update() got unexpected fields: {', '.join(sorted(unknown))}")
    if "area" in fields:
        stored = PerisaiOffice.objects.get(pk=office.pk).area
        fields["area"] = office_area_resolve(branch=office.branch, area=fields["area"], stored=stored)
    for name, value in fields.items():
        setattr(office, name, value)
    return _save(office)


# --- agreements (PKS) ----------------------------------------------------------------------------


def validate_pdf(uploaded):
    """Refuse anything but a PDF of at most ``MAX_DOCUMENT_BYTES``: by name, by size, by its first bytes, and
    by what it holds once parsed (no active content, no polyglot: ``agents.documents``)."""
    if not (uploaded.name or "").lower().endswith(".pdf"):
        raise ValidationError(_("Upload the signed agreement as a PDF file (.pdf)."), code="not_pdf_name")
    if uploaded.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(limit)d MB.") % {"limit": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(len(PDF_SIGNATURE))
    uploaded.seek(0)
    if head != PDF_SIGNATURE:
        raise ValidationError(_("This file is not a PDF, whatever its name says."), code="not_pdf_content")
    check_pdf(uploaded)


def agreement_attach_document(*, agreement, document):
    """Store the signed PDF under a generated name (never the uploader's) and link it to the PKS.

    A replaced document stays on disk: the agreement's change history still points at it.
    """
    validate_pdf(document)
    with transaction.atomic():
        agreement.document.save(f"{uuid.uuid4().hex}.pdf", document, save=False)
        _save(agreement)
    return agreement


def _refuse_longer_than_the_terms(starts_on, ends_on):
    """A PKS longer than the programme terms in force in its first month allow is refused, with the last
    day it may run to (``agents.terms.agreement_limit``)."""
    limit = agreement_limit(starts_on) if starts_on and ends_on else None
    if limit is not None and not limit.allows(ends_on):
        raise ValidationError(
            {
                "ends_on": _(
                    "Under the programme terms in force when it starts (%(terms)s) a PKS runs at most "
                    "%(months)d months: starting on %(start)s, it ends on %(last)s at the latest."
                )
                % {
                    "terms": limit.terms.name,
                    "months": limit.months,
                    "start": long_date(starts_on),
                    "last": long_date(limit.last_day),
                }
            },
            code="longer_than_the_terms",
        )


@transaction.atomic
def agreement_create(*, office, number, signed_on, starts_on, ends_on, notes="", document=None, renews=None):
    """A new PKS of ``office``; with ``document`` the signed PDF is stored too. A PKS longer than the
    programme terms allow (12 months since April 2022) is refused, at entry and at renewal alike."""
    _refuse_longer_than_the_terms(starts_on, ends_on)
    if document is not None:
        validate_pdf(document)
    agreement = _save(
        CooperationAgreement(
            office=office,
            number=number,
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            notes=notes,
            renews=renews,
        )
    )
    if document is not None:
        agreement_attach_document(agreement=agreement, document=document)
    return agreement


def _already_renewed(previous):
    return ValidationError(
        _("Agreement %(number)s has already been renewed by %(renewal)s; renew that one instead.")
        % {"number": previous.number, "renewal": previous.renewal.number},
        code="already_renewed",
    )


@transaction.atomic
def agreement_renew(*, previous, number, signed_on, starts_on, ends_on, notes="", document=None):
    """The next PKS of ``previous``'s office, linked to it; an agreement is renewed only once.

    A renewal starts after the agreement it renews has ended: one that would start on or before
    ``previous.ends_on`` is refused (on ``starts_on``, naming that end date), rather than ending
    ``previous`` early. Two PKS of one office never run on the same day, so which one is in force is never
    in doubt, and the signed term of ``previous`` is never changed behind the reader's back; a PKS that
    must end early is a matter for the branch and the office, not a side effect of entering the next one.
    """
    previous = CooperationAgreement.objects.select_related("renewal").get(pk=previous.pk)
    if hasattr(previous, "renewal"):
        raise _already_renewed(previous)
    if starts_on <= previous.ends_on:
        raise ValidationError(
            {
                "starts_on": _(
                    "A renewal starts after the agreement it renews ends: %(number)s runs until %(date)s, "
                    "so the renewal starts on %(next)s at the earliest."
                )
                % {
                    "number": previous.number,
                    "date": long_date(previous.ends_on),
                    "next": long_date(previous.ends_on + datetime.timedelta(days=1)),
                }
            },
            code="overlaps_previous",
        )
    try:
        with transaction.atomic():
            return agreement_create(
                office=previous.office,
                number=number,
                signed_on=signed_on,
                starts_on=starts_on,
                ends_on=ends_on,
                notes=notes,
                document=document,
                renews=previous,
            )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "renews" in error.error_dict:
            raise _already_renewed(CooperationAgreement.objects.select_related("renewal").get(pk=previous.pk)) from None
        raise


def _months_between(first, after_last):
    """Whole months from ``first`` to ``after_last`` when that is exact, else ``None``."""
    months = (after_last.year - first.year) * 12 + after_last.month - first.month
    return months if months > 0 and add_months(first, months) == after_last else None


def suggest_renewal_number(previous, starts_on):
    """The previous number with its start year moved on and its trailing sequence incremented.

    "PKS/CLP-01/2024/004" starting 2026 becomes "PKS/CLP-01/2026/005". A number that does not end in a
    sequence gets "/P1" (then "/P2" ...). A suggestion already taken moves on to the next free one.
    """
    number = previous.number
    old_year, new_year = str(previous.starts_on.year), str(starts_on.year)
    parts = re.split(r"(\d+)", number)
    trailing_sequence = len(parts) > 1 and parts[-1] == "" and parts[-2] != old_year
    parts = [new_year if part == old_year else part for part in parts]
    if not trailing_sequence:
        parts += ["/P", "1", ""]
    taken = set(
        CooperationAgreement.objects.filter(number__startswith="".join(parts[:-2])).values_list("number", flat=True)
    )
    width = len(parts[-2])
    sequence = int(parts[-2])
    while True:
        sequence += 1 if trailing_sequence else 0
        candidate = "".join([*parts[:-2], f"{sequence:0{width}d}"])
        if candidate not in taken:
            return candidate
        trailing_sequence = True


def renewal_defaults(previous, today=None):
    """What a renewal of ``previous`` most likely says: the next term, of the same length, signed today.

    It starts the day after ``previous`` ends and runs as many whole months as ``previous`` did (one
    year when ``previous`` was not a whole number of months), at most what the programme terms in force
    then allow (``agents.terms.agreement_limit``).
    """
    starts_on = previous.ends_on + datetime.timedelta(days=1)
    months = _months_between(previous.starts_on, starts_on) or 12
    limit = agreement_limit(starts_on)
    if limit is not None:
        months = min(months, limit.months)
    return {
        "number": suggest_renewal_number(previous, starts_on),
        "signed_on": today or timezone.localdate(),
        "starts_on": starts_on,
        "ends_on": add_months(starts_on, months) - datetime.timedelta(days=1),
    }
