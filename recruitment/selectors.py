"""Reads of recruitment for the pages, always within what the user may see.

**Scope** (``agents.scoping.for_user``, the one place it is decided): branch staff and the head see their
branch's candidates and sessions, a national administrator every branch's; an agent sees only the
candidates they recruited (``recruited_by`` is their ``Agent``) and no session (sessions are the branch's
planning, and a candidate's page shows the seats). A page fetches one row from ``candidates_for`` or
``sessions_for`` and answers 404 for an id outside them; the functions that take a candidate or a session
expect one fetched that way.

**Is the candidate a BPU participant?** An agent must be insured as a BPU worker themselves. The check
is by NIK against enrollment's records: the candidate is a participant when a ``Participant`` with their
NIK belongs to the candidate's branch and has an *active* acquisition (enrolled through the usual enrol
form and not lapsed). Registration does not need it (the branch often enrols the candidate on the
training day); activation does (``recruitment.services.candidate_activate``). Pages read it from
``candidate_is_participant`` for one candidate, or from the ``is_participant`` annotation that
``candidate_list`` adds (``with_participation`` for any queryset of candidates).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from agents.scoping import for_user
from enrollment.models import Acquisition
from perisai.phones import searchable
from recruitment.models import Candidate, Seat, TrainingSession

# --- the BPU participation rule --------------------------------------------------------------------


def _active_enrolment(nik, branch_id):
    return Acquisition.objects.filter(
        participant__nik=nik, participant__branch_id=branch_id, status=Acquisition.Status.ACTIVE
    )


def candidate_is_participant(candidate):
    """Whether ``candidate``'s NIK is an enrolled, not lapsed BPU participant of the candidate's branch."""
    return _active_enrolment(candidate.nik, candidate.branch_id).exists()


def with_participation(candidates):
    """``candidates`` annotated ``is_participant`` (the rule above), one subquery for the whole list."""
    return candidates.annotate(is_participant=Exists(_active_enrolment(OuterRef("nik"), OuterRef("branch_id"))))


# --- the rows a user reaches ----------------------------------------------------------------------


def candidates_for(*, user):
    """Candidates ``user`` may see: their branch's, every branch's (national), or an agent's own recruits."""
    queryset = Candidate.objects.select_related("branch", "recruited_by", "agent")
    return for_user(queryset, user, "branch", "recruited_by")


def sessions_for(*, user):
    """Training sessions ``user`` may see: their branch's, or every branch's (national); agents see none."""
    return for_user(TrainingSession.objects.select_related("branch"), user, "branch")


# --- lists ---------------------------------------------------------------------------------------


def candidate_list(*, user, stage="", search="", session=None, recruiter=None):
    """Candidates ``user`` may see, filtered, by name, each with ``is_participant``.

    ``search`` matches the name (case-insensitive), the NIK (from its start) or the phone (stored as
    +62…, found however it is typed: "0812 2671" finds "+6281226714410"); ``session`` keeps those with a
    seat in it; ``recruiter`` (an ``Agent``) those they recruited.
    """
    candidates = with_participation(candidates_for(user=user))
    if stage:
        candidates = candidates.filter(stage=stage)
    search = (search or "").strip()
    if search:
        matches = Q(full_name__icontains=search)
        digits = search.replace(" ", "").replace("-", "").replace("+", "")
        if digits.isascii() and digits.isdigit():
            matches |= Q(nik__startswith=digits) | Q(phone__contains=searchable(digits))
        candidates = candidates.filter(matches)
    if session is not None:
        candidates = candidates.filter(seats__session=session)
    if recruiter is not None:
        candidates = candidates.filter(recruited_by=recruiter)
    return candidates.order_by("full_name", "pk")


def session_list(*, user, when="", today=None):
    """Sessions ``user`` may see with ``seats_taken``, ``attended_count`` and ``passed_count``.

    ``when``: ``"upcoming"`` (held today or later, soonest first), ``"past"`` (held before today, latest
    first), anything else all of them, latest first. The counts are one join, so they never multiply.
    """
    today = today or timezone.localdate()
    sessions = sessions_for(user=user).annotate(
        seats_taken=Count("seats"),
        attended_count=Count("seats", filter=Q(seats__attended=True)),
        passed_count=Count("seats", filter=Q(seats__passed=True)),
    )
    if when == "upcoming":
        return sessions.filter(held_on__gte=today).order_by("held_on", "starts_at", "pk")
    if when == "past":
        return sessions.filter(held_on__lt=today).order_by("-held_on", "-pk")
    return sessions.order_by("-held_on", "-pk")


def session_roster(*, session):
    """The seats of ``session`` with their candidates, by name: the list at the door and for the results."""
    return Seat.objects.filter(session=session).select_related("candidate").order_by("candidate__full_name", "pk")


def candidate_seats(*, candidate):
    """Every seat ``candidate`` held, with its session, newest first (a retake above the session failed)."""
    return (
        Seat.objects.filter(candidate=candidate)
        .select_related("session")
        .order_by("-session__held_on", "-invited_on", "-pk")
    )
