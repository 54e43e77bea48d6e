"""Writes of recruitment: registering candidates, the training sessions, invitations, attendance,
results, activation as an agent, withdrawal.

Every function is keyword-only, validates with ``full_clean()`` and writes in one transaction: a refusal
is a ``ValidationError`` with a message a branch can act on (on a field when it is one field's fault), and
nothing is changed. Rows another request may be changing at the same moment are locked first
(``select_for_update``: the session, then the seat, then the candidate, always in that order), and the
schema's constraints decide what a lock cannot (one candidate per NIK, one seat per candidate and
session, one open seat per candidate); a lost race gets the same message as the quiet case.

**Who a candidate may be** (one NIK, one person, as for agents and participants):

- a NIK registered once as a candidate, whatever the branch (the unique NIK decides a race);
- not an agent, active or not, of any branch: an agent who left comes back by reactivation on the
  agent's page, never as a candidate;
- not a participant of *another* branch: a candidate registers where they are a participant;
- declared not to be a BPJS Ketenagakerjaan employee (``declared_not_bpjs_employee``, its date kept and
  carried to the agent as the date of the declaration);
- a phone number in the one ``+62`` form (``perisai.phones``), as for agents;
- ``recruited_by``, when given, an active agent of the candidate's branch. An agent who registers a
  candidate (an account with the agent role) registers them for their own branch and as their own
  recruit; branch staff register for their own branch; a national administrator for any.

**BPU participation** is not needed to register (the branch often enrols the candidate on the training
day); it is needed to activate: the candidate's NIK must be an enrolled, not lapsed participant of the
candidate's branch (``recruitment.selectors.candidate_is_participant`` says how it is checked).

**Stages** (``Candidate.Stage``; ``stage_changed_on`` set on every change, and each change is one row of
the candidate's history, with ``changed_by`` as its user when given, else the signed-in user of the
request):

- *registered* → *invited* (``candidate_invite``): a session of the candidate's own branch, not yet held
  (held today is still open), not full. A candidate waits for one session at a time; a *failed*
  candidate may be invited again (a retake; the earlier seat stays);
- *invited* → back (``seat_cancel``): the invitation is cancelled before attendance, the seat removed, the
  stage back to *registered*, or *failed* for a retake;
- *invited* → *trained* (present) or back to *registered*/*failed* (absent) (``seat_attend``,
  ``attendance_record``): on the session's day or after, never before;
- *trained* → *passed*/*failed* (``result_record``): a score 0–100 against the session's pass mark, only
  for someone who attended. Attendance and a score may be corrected while they are the candidate's
  latest seat and the candidate is neither activated nor withdrawn; attendance no longer changes once a
  score is recorded;
- *passed* → *activated* (``candidate_activate``): the agent is created in an active office of the
  candidate's branch through ``agents.services.agent_create`` (with the training date of the session
  passed and the recruiter), and a login unless ``create_login=False``; joined on or after the training
  day and not in the future;
- any stage but *activated* → *withdrawn* (``candidate_withdraw``), with a reason; a seat still waiting
  for its session is given up. ``candidate_reinstate`` brings a withdrawn candidate back to the stage their
  seats say.

**Sessions**: created for a branch with a date (a past date is accepted, for a session recorded after
the fact, though no one can then be invited to it); the capacity never goes below the seats taken, the
pass mark is fixed once a result is recorded against it, the date once attendance is taken on it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agents.models import Agent
from agents.places import place_changes
from agents.services import agent_create, agent_set_login
from enrollment.models import Participant
from perisai.formatting import long_date
from perisai.roles import Role
from recruitment.models import Candidate, Seat, TrainingSession
from recruitment.selectors import candidate_is_participant

Stage = Candidate.Stage

CANDIDATE_FIELDS = ("nik", "full_name", "gender", "birth_date", "phone", "kecamatan", "desa", "recruited_by")
SESSION_FIELDS = ("held_on", "starts_at", "place", "trainer", "capacity", "materials", "pass_mark")
REASON_MAX_LENGTH = Candidate._meta.get_field("withdrawal_reason").max_length
HISTORY_REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column
CLOSED_STAGES = (Stage.ACTIVATED, Stage.WITHDRAWN)


def _today(today):
    return today or timezone.localdate()


def _attribute(instance, changed_by, reason=""):
    """Who made the change (and why) for the row's history; without ``changed_by`` the request's user."""
    if changed_by is not None:
        instance._history_user = changed_by
    if reason:
        instance._change_reason = reason[:HISTORY_REASON_MAX_LENGTH]


def _on(field, message, code):
    """A refusal that is one field's fault, with its code (a form puts it beside the field)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _conflict():
    return ValidationError(
        _("Someone else saved a conflicting record at the same moment. Check the data and save again."),
        code="conflict",
    )


def _save(instance, recheck=None):
    """Validate and save ``instance``; a race lost to a constraint becomes a ``ValidationError``.

    ``recheck`` runs first after the loss: it raises the friendly message for the row that won.
    """
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        if recheck is not None:
            recheck()
        instance.full_clean()
        raise _conflict() from None
    return instance


def _lock(instance):
    """Lock ``instance``'s row until the transaction ends and read it afresh (what another request saved)."""
    model = type(instance)
    if not model.objects.select_for_update().filter(pk=instance.pk).exists():
        raise _gone(instance)
    instance.refresh_from_db()
    return instance


def _gone(instance):
    if isinstance(instance, Seat):
        return ValidationError(_("This invitation no longer exists: it was cancelled meanwhile."), code="seat_gone")
    return ValidationError(_("This record no longer exists."), code="gone")


def _move(candidate, stage, today):
    """Put ``candidate`` at ``stage``; the date changes only when the stage does."""
    if candidate.stage != stage:
        candidate.stage = stage
        candidate.stage_changed_on = today


# --- who a candidate may be -----------------------------------------------------------------------


def _nik_refusal(nik, branch, candidate=None):
    """Why ``nik`` may not be a candidate of ``branch`` (one NIK, one person), or ``None``."""
    others = Candidate.objects.filter(nik=nik).select_related("branch")
    if candidate is not None and candidate.pk:
        others = others.exclude(pk=candidate.pk)
    existing = others.first()
    if existing is not None:
        return _on(
            "nik",
            _("This NIK is already registered as a candidate of %(branch)s (on %(date)s): one NIK, one person.")
            % {"branch": existing.branch.name, "date": long_date(existing.registered_on)},
            "already_a_candidate",
        )
    agent_refusal = _agent_refusal(nik)
    if agent_refusal is not None:
        return ValidationError({"nik": agent_refusal})
    participant = Participant.objects.filter(nik=nik).exclude(branch=branch).select_related("branch").first()
    if participant is not None:
        return _on(
            "nik",
            _(
                "This person is a participant of %(branch)s: a candidate registers at the branch where they "
                "are a participant."
            )
            % {"branch": participant.branch.name},
            "participant_of_another_branch",
        )
    return None


def _agent_refusal(nik):
    """Why ``nik`` cannot become an agent because it is one already, or ``None``."""
    agent = Agent.objects.filter(nik=nik).select_related("branch").first()
    if agent is None:
        return None
    if agent.status == Agent.Status.ACTIVE:
        return ValidationError(
            _("This person is already an agent (%(code)s, %(branch)s): one NIK, one agent.")
            % {"code": agent.code, "branch": agent.branch.name},
            code="already_an_agent",
        )
    return ValidationError(
        _(
            "This person was an agent (%(code)s, %(branch)s) until %(date)s: an agent who left comes back by "
            "reactivation on the agent's page, not as a candidate."
        )
        % {"code": agent.code, "branch": agent.branch.name, "date": long_date(agent.left_on)},
        code="already_an_agent",
    )


def _raise(refusal):
    if refusal is not None:
        raise refusal


def _recruiter_refusal(recruited_by, branch):
    if recruited_by is None:
        return None
    if recruited_by.branch_id != branch.pk:
        return _on("recruited_by", _("The recruiting agent belongs to another branch."), "recruiter_other_branch")
    if recruited_by.status != Agent.Status.ACTIVE:
        return _on(
            "recruited_by",
            _("The recruiting agent is no longer active: only an active agent recruits."),
            "recruiter_inactive",
        )
    return None


def _registrant_rules(registered_by, branch, recruited_by):
    """The recruiter, after the rules of who registers: an agent their own recruit in their own branch,
    branch staff in their own branch, a national administrator anywhere."""
    if registered_by is None:
        return recruited_by
    if getattr(registered_by, "role", None) == Role.AGENT:
        agent = Agent.objects.filter(user=registered_by).first()
        if agent is None or agent.status != Agent.Status.ACTIVE:
            raise ValidationError(_("Only an active agent registers the candidates they recruit."), code="not_an_agent")
        if agent.branch_id != branch.pk:
            raise ValidationError(_("An agent registers candidates for their own branch."), code="other_branch")
        if recruited_by is not None and recruited_by.pk != agent.pk:
            raise _on(
                "recruited_by",
                _("An agent registers only the candidates they recruit themselves."),
                "recruiter_not_self",
            )
        return agent
    if not getattr(registered_by, "is_national", False) and registered_by.branch_id != branch.pk:
        raise ValidationError(_("You register candidates for your own branch only."), code="other_branch")
    return recruited_by


def _closed_refusal(candidate):
    """Why an activated or withdrawn candidate's record no longer moves, or ``None``."""
    if candidate.stage == Stage.ACTIVATED:
        return ValidationError(
            _("%(name)s is already an agent (%(code)s): their candidacy is closed.")
            % {"name": candidate.full_name, "code": candidate.agent.code},
            code="already_activated",
        )
    if candidate.stage == Stage.WITHDRAWN:
        return ValidationError(
            _("%(name)s has withdrawn: their candidacy is closed.") % {"name": candidate.full_name},
            code="withdrawn",
        )
    return None


# --- candidates ----------------------------------------------------------------------------------


@transaction.atomic
def candidate_register(
    *,
    branch,
    registered_by,
    declared_not_bpjs_employee,
    recruited_by=None,
    today=None,
    nik,
    full_name,
    gender,
    birth_date,
    phone,
    kecamatan,
    desa="",
):
    """A new candidate of ``branch``, at stage *registered*, by the rules of the module docstring."""
    today = _today(today)
    if declared_not_bpjs_employee is not True:
        raise _on(
            "declared_not_bpjs_employee",
            _("Confirm that the candidate is not a BPJS Ketenagakerjaan employee: employees may not be agents."),
            "bpjs_employee_not_declared",
        )
    recruited_by = _registrant_rules(registered_by, branch, recruited_by)
    _raise(_recruiter_refusal(recruited_by, branch))
    nik = (nik or "").strip()
    _raise(_nik_refusal(nik, branch))
    candidate = Candidate(
        branch=branch,
        nik=nik,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        phone=phone,
        **place_changes(branch=branch, fields={"nik": nik, "kecamatan": kecamatan, "desa": desa}),
        recruited_by=recruited_by,
        registered_on=today,
        registered_by=registered_by,
        declared_not_bpjs_employee_on=today,
        stage=Stage.REGISTERED,
        stage_changed_on=today,
    )
    _attribute(candidate, registered_by)
    return _save(candidate, recheck=lambda: _raise(_nik_refusal(nik, branch)))


@transaction.atomic
def candidate_update(*, candidate, changed_by=None, **fields):
    """Correct a candidate's data (``CANDIDATE_FIELDS``); refused once activated or withdrawn.

    A new NIK is checked as at registration; a new recruiter must be an active agent of the branch.
    """
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"candidate_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _lock(candidate)
    _raise(_closed_refusal(candidate))
    if "nik" in fields:
        fields["nik"] = (fields["nik"] or "").strip()
        if fields["nik"] != candidate.nik:
            _raise(_nik_refusal(fields["nik"], candidate.branch, candidate))
    if "recruited_by" in fields and getattr(fields["recruited_by"], "pk", None) != candidate.recruited_by_id:
        _raise(_recruiter_refusal(fields["recruited_by"], candidate.branch))
    fields |= place_changes(branch=candidate.branch, fields=fields, stored=candidate)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _attribute(candidate, changed_by)
    return _save(candidate, recheck=lambda: _raise(_nik_refusal(candidate.nik, candidate.branch, candidate)))


@transaction.atomic
def candidate_withdraw(*, candidate, reason, changed_by=None, today=None):
    """The candidate stops, for ``reason`` (required, kept on the candidate and in the history).

    Any stage but *activated* (an agent who leaves is deactivated on the agent's page). A seat still
    waiting for its session is given up, so the place goes to someone else; seats whose attendance was
    taken stay, as what happened.
    """
    today = _today(today)
    reason = (reason or "").strip()
    if not reason:
        raise _on("reason", _("Say why the candidate withdraws."), "no_reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise _on(
            "reason", _("Say it in at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}, "reason_too_long"
        )
    waiting = list(Seat.objects.select_for_update().filter(candidate=candidate, attended__isnull=True))
    _lock(candidate)
    if candidate.stage == Stage.ACTIVATED:
        raise ValidationError(
            _("%(name)s is already an agent (%(code)s): an agent who leaves is deactivated on the agent's page.")
            % {"name": candidate.full_name, "code": candidate.agent.code},
            code="already_activated",
        )
    if candidate.stage == Stage.WITHDRAWN:
        raise ValidationError(_("%(name)s has already withdrawn.") % {"name": candidate.full_name}, code="withdrawn")
    for seat in waiting:
        _attribute(seat, changed_by, reason)
        seat.delete()
    _move(candidate, Stage.WITHDRAWN, today)
    candidate.withdrawal_reason = reason
    _attribute(candidate, changed_by, reason)
    return _save(candidate)


@transaction.atomic
def candidate_reinstate(*, candidate, changed_by=None, today=None):
    """A withdrawn candidate comes back, at the stage their seats say (registered, failed, trained or
    passed); the NIK is checked again, since they may have become an agent or a participant elsewhere."""
    today = _today(today)
    _lock(candidate)
    if candidate.stage != Stage.WITHDRAWN:
        raise ValidationError(
            _("Only a withdrawn candidate comes back; %(name)s has not withdrawn.") % {"name": candidate.full_name},
            code="not_withdrawn",
        )
    _raise(_nik_refusal(candidate.nik, candidate.branch, candidate))
    candidate.withdrawal_reason = ""
    _move(candidate, _settled_stage(candidate), today)
    _attribute(candidate, changed_by)
    return _save(candidate)


def _settled_stage(candidate):
    """The stage ``candidate``'s seats say, absences left out: no seat *registered*, a seat waiting for its
    session *invited*, attended without a result *trained*, else the latest result."""
    latest = Seat.objects.filter(candidate=candidate).exclude(attended=False).order_by("-pk").first()
    if latest is None:
        return Stage.REGISTERED
    if latest.attended is None:
        return Stage.INVITED
    if latest.passed is None:
        return Stage.TRAINED
    return Stage.PASSED if latest.passed else Stage.FAILED


def _latest_seat_id(candidate):
    return Seat.objects.filter(candidate=candidate).order_by("-pk").values_list("pk", flat=True).first()


# --- sessions ------------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *, branch, created_by=None, held_on, place, trainer, capacity, materials="", pass_mark=70, starts_at=None
):
    """A new training session (pembekalan) of ``branch``."""
    session = TrainingSession(
        branch=branch,
        created_by=created_by,
        held_on=held_on,
        starts_at=starts_at,
        place=place,
        trainer=trainer,
        capacity=capacity,
        materials=materials,
        pass_mark=pass_mark,
    )
    _attribute(session, created_by)
    return _save(session)


@transaction.atomic
def session_update(*, session, changed_by=None, **fields):
    """Change a session (``SESSION_FIELDS``): never fewer seats than are taken, the pass mark fixed once a
    result is recorded, the date once attendance is taken."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _lock(session)
    seats = Seat.objects.filter(session=session)
    if "capacity" in fields and fields["capacity"] is not None:
        taken = seats.count()
        if fields["capacity"] < taken:
            raise _on(
                "capacity",
                ngettext(
                    "%(taken)d seat is already taken: the capacity cannot be lower.",
                    "%(taken)d seats are already taken: the capacity cannot be lower.",
                    taken,
                )
                % {"taken": taken},
                "capacity_below_seats",
            )
    if fields.get("pass_mark", session.pass_mark) != session.pass_mark and seats.filter(score__isnull=False).exists():
        raise _on(
            "pass_mark",
            _("Test results are already recorded against this pass mark: it no longer changes."),
            "pass_mark_fixed",
        )
    if fields.get("held_on", session.held_on) != session.held_on and seats.filter(attended__isnull=False).exists():
        raise _on(
            "held_on", _("Attendance has been taken on this date: the session's date no longer changes."), "date_fixed"
        )
    for name, value in fields.items():
        setattr(session, name, value)
    _attribute(session, changed_by)
    return _save(session)


def _seats_taken(session):
    """Seats of ``session`` (invited, present or absent: a seat is taken once given)."""
    return Seat.objects.filter(session=session).count()


# --- invitations ---------------------------------------------------------------------------------


def _invitation_refusal(candidate):
    """Why ``candidate`` may not be invited to a session now, by their stage, or ``None``."""
    name = {"name": candidate.full_name}
    if candidate.stage in CLOSED_STAGES:
        return _closed_refusal(candidate)
    if candidate.stage == Stage.PASSED:
        return ValidationError(
            _("%(name)s has already passed the training: activate them as an agent.") % name, code="already_passed"
        )
    if candidate.stage in (Stage.INVITED, Stage.TRAINED):
        seat = Seat.objects.filter(candidate=candidate).select_related("session").order_by("-pk").first()
        held_on = long_date(seat.session.held_on) if seat else "?"
        if candidate.stage == Stage.INVITED:
            return ValidationError(
                _(
                    "%(name)s is already invited to the session of %(date)s: one session at a time. Cancel that "
                    "invitation first."
                )
                % {**name, "date": held_on},
                code="already_invited",
            )
        return ValidationError(
            _("%(name)s attended the session of %(date)s and is waiting for the test result.")
            % {**name, "date": held_on},
            code="waiting_for_result",
        )
    return None


@transaction.atomic
def candidate_invite(*, candidate, session, today=None, changed_by=None):
    """Give ``candidate`` a seat in ``session``: stage *invited*.

    The session row is locked while its seats are counted, so two invitations at the same moment cannot
    both take its last seat; the candidate row, so they cannot be invited to two sessions at once.
    """
    today = _today(today)
    _lock(session)
    _lock(candidate)
    if session.branch_id != candidate.branch_id:
        raise ValidationError(
            _("This session belongs to another branch: a candidate is invited to their own branch's sessions."),
            code="other_branch",
        )
    if session.held_on < today:
        raise ValidationError(
            _("This session was held on %(date)s: invite the candidate to a coming one.")
            % {"date": long_date(session.held_on)},
            code="session_held",
        )
    _raise(_invitation_refusal(candidate))
    if Seat.objects.filter(session=session, candidate=candidate).exists():
        raise ValidationError(
            _("%(name)s already had a seat in this session: invite them to another one.")
            % {"name": candidate.full_name},
            code="seat_in_session",
        )
    taken = _seats_taken(session)
    if taken >= session.capacity:
        raise ValidationError(
            ngettext(
                "This session is full: its %(capacity)d seat is taken.",
                "This session is full: all %(capacity)d seats are taken.",
                session.capacity,
            )
            % {"capacity": session.capacity},
            code="session_full",
        )
    seat = Seat(session=session, candidate=candidate, invited_on=today)
    _attribute(seat, changed_by)
    _save(seat)
    _move(candidate, Stage.INVITED, today)
    _attribute(candidate, changed_by)
    _save(candidate)
    return seat


@transaction.atomic
def seat_cancel(*, seat, today=None, changed_by=None):
    """Take an invitation back before attendance is taken: the seat goes (its history keeps it), the
    candidate is back at *registered*, or *failed* when this was a retake."""
    today = _today(today)
    _lock(seat)
    candidate = _lock(seat.candidate)
    if seat.attended is not None:
        raise ValidationError(
            _("Attendance has been taken for this seat: an invitation is cancelled only before that."),
            code="attendance_taken",
        )
    _attribute(seat, changed_by)
    seat.delete()
    _move(candidate, _settled_stage(candidate), today)
    _attribute(candidate, changed_by)
    _save(candidate)
    return candidate


# --- attendance and results ----------------------------------------------------------------------


def _attend(seat, candidate, attended, today, changed_by):
    """Record ``attended`` on ``seat`` (both rows locked by the caller); ``False`` when nothing changed."""
    if attended not in (True, False):
        raise TypeError("attended is True or False")
    session = seat.session
    if today < session.held_on:
        raise ValidationError(
            _("Attendance is taken on the day of the session (%(date)s) or after, not before.")
            % {"date": long_date(session.held_on)},
            code="too_early",
        )
    if seat.attended is attended:
        return False
    _raise(_closed_refusal(candidate))
    name = {"name": candidate.full_name}
    if seat.score is not None:
        raise ValidationError(
            _("%(name)s already has a test result for this session: their attendance no longer changes.") % name,
            code="result_recorded",
        )
    if seat.pk != _latest_seat_id(candidate):
        raise ValidationError(
            _("%(name)s has since been invited to another session: this attendance no longer changes.") % name,
            code="later_seat",
        )
    seat.attended = attended
    _attribute(seat, changed_by)
    _save(seat)
    _move(candidate, Stage.TRAINED if attended else _settled_stage(candidate), today)
    _attribute(candidate, changed_by)
    _save(candidate)
    return True


@transaction.atomic
def seat_attend(*, seat, attended, today=None, changed_by=None):
    """One tap at the door: present (stage *trained*) or absent (back to *registered*, or *failed* for a
    retake). A tap may be corrected until a result is recorded."""
    today = _today(today)
    _lock(seat)
    candidate = _lock(seat.candidate)
    _attend(seat, candidate, attended, today, changed_by)
    return seat


@transaction.atomic
def attendance_record(*, session, present, today=None, changed_by=None):
    """The whole attendance of ``session`` at once: the seats in ``present`` (ids) attended, every other
    seat of the session did not. Seats already as marked are left alone; a seat that may no longer change
    (a result recorded, a candidate withdrawn) refuses the whole list. Returns the seats changed."""
    today = _today(today)
    try:
        present_ids = {int(pk) for pk in present}
    except (TypeError, ValueError):
        raise ValidationError(_("Mark attendance with the seats of this session."), code="not_a_seat") from None
    seats = list(
        Seat.objects.select_for_update(of=("self",))
        .filter(session=session)
        .select_related("session", "candidate")
        .order_by("pk")
    )
    if present_ids - {seat.pk for seat in seats}:
        raise ValidationError(
            _("Some of the seats marked present are not of this session. Nothing was saved."), code="other_session"
        )
    if today < session.held_on:
        raise ValidationError(
            _("Attendance is taken on the day of the session (%(date)s) or after, not before.")
            % {"date": long_date(session.held_on)},
            code="too_early",
        )
    changed = []
    for seat in seats:
        candidate = _lock(seat.candidate)
        if _attend(seat, candidate, seat.pk in present_ids, today, changed_by):
            changed.append(seat)
    return changed


def _whole_score(score):
    if not isinstance(score, bool):
        if isinstance(score, int):
            return score
        if isinstance(score, str) and score.strip().isdigit():
            return int(score)
    raise _on("score", _("A test score is a whole number from 0 to 100."), "bad_score")


@transaction.atomic
def result_record(*, seat, score, today=None, changed_by=None):
    """The test score of a candidate who attended: *passed* at the session's pass mark or above, else
    *failed* (who may then be invited to a retake). A score may be corrected while this is the candidate's
    latest seat and they are not activated or withdrawn."""
    today = _today(today)
    score = _whole_score(score)
    if not 0 <= score <= 100:
        raise _on("score", _("A test score is a whole number from 0 to 100."), "bad_score")
    _lock(seat)
    candidate = _lock(seat.candidate)
    name = {"name": candidate.full_name}
    if seat.attended is None:
        raise ValidationError(
            _("Take the attendance first: a result is recorded only for someone who attended."),
            code="attendance_not_taken",
        )
    if seat.attended is False:
        raise ValidationError(
            _("%(name)s did not attend this session, so they have no test result.") % name, code="did_not_attend"
        )
    _raise(_closed_refusal(candidate))
    if seat.pk != _latest_seat_id(candidate):
        raise ValidationError(
            _("%(name)s has since been invited to another session: this result no longer changes.") % name,
            code="later_seat",
        )
    if seat.score == score:
        return seat
    seat.score = score
    seat.passed = score >= seat.session.pass_mark
    _attribute(seat, changed_by)
    _save(seat)
    _move(candidate, Stage.PASSED if seat.passed else Stage.FAILED, today)
    _attribute(candidate, changed_by)
    _save(candidate)
    return seat


# --- activation ----------------------------------------------------------------------------------


@transaction.atomic
def candidate_activate(*, candidate, office, code, joined_on, changed_by=None, today=None, create_login=True):
    """Make a candidate who passed an agent of ``office``: ``(agent, temporary password or None)``.

    The agent is created by ``agents.services.agent_create`` with the candidate's person and contact
    fields, the recruiter, the day of the session they passed as the training date, and the candidate's
    declaration (its date kept); with ``create_login`` also their login (``agent_set_login``), whose
    temporary password is returned once. One transaction: a refusal anywhere (the code or the username
    taken) leaves no agent, no login and the candidate as they were.
    """
    today = _today(today)
    _lock(candidate)
    name = {"name": candidate.full_name}
    if candidate.stage != Stage.PASSED:
        _raise(_closed_refusal(candidate))
        raise ValidationError(
            _("Only a candidate who passed the training is activated as an agent; %(name)s is at “%(stage)s”.")
            % {**name, "stage": candidate.get_stage_display()},
            code="not_passed",
        )
    if office.branch_id != candidate.branch_id:
        raise _on("office", _("This Perisai office belongs to another branch."), "office_elsewhere")
    if not office.is_active:
        raise _on("office", _("This Perisai office is closed: choose an active one."), "office_closed")
    passed = Seat.objects.filter(candidate=candidate, passed=True).select_related("session").order_by("-pk").first()
    trained_on = passed.session.held_on if passed is not None else None
    if trained_on is not None and joined_on < trained_on:
        raise _on(
            "joined_on",
            _("An agent joins on or after their training (%(date)s).") % {"date": long_date(trained_on)},
            "joined_before_training",
        )
    if joined_on > today:
        raise _on("joined_on", _("The joining date cannot be in the future."), "joined_in_future")
    if not candidate_is_participant(candidate):
        raise ValidationError(
            _(
                "%(name)s is not a BPU participant of this branch yet: enrol them first (again, if their "
                "membership lapsed), then activate them."
            )
            % name,
            code="not_a_participant",
        )
    _raise(_agent_refusal(candidate.nik))
    agent = agent_create(
        office=office,
        declared_not_bpjs_employee=True,
        today=candidate.declared_not_bpjs_employee_on,
        code=code,
        nik=candidate.nik,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        phone=candidate.phone,
        kecamatan=candidate.kecamatan,
        desa=candidate.desa,
        joined_on=joined_on,
        trained_on=trained_on,
        recruited_by=candidate.recruited_by,
    )
    password = None
    if create_login:
        _attribute(agent, changed_by)
        password = agent_set_login(agent=agent)
    candidate.agent = agent
    _move(candidate, Stage.ACTIVATED, today)
    _attribute(candidate, changed_by)
    _save(candidate)
    return agent, password
