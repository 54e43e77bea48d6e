"""How long personal data is kept, and deleting what has outlived its purpose (UU PDP 27/2022, art. 43-44).

The rules (PRIVACY.md explains them for readers who do not read code):

- **Participants**: kept while enrolled and for ``RECORDS_KEPT_YEARS`` (10) years after their last
  acquisition ended, because their contributions are the programme's financial records, which
  Indonesian law keeps for ten years (UU 8/1997 on company documents, art. 11). Then the
  participant, their acquisitions and contributions, the change history of all three and the NIK
  view log about them are deleted. Figures for those years in the reports drop them too: by then
  they are past every report anyone runs.
- **Agents**: kept while they work and for the same ten years after they left, and as long as any
  kept record names them (an acquisition, a contribution, a recruit, an upload): those records need
  to say who did the work. Their disabled login account goes with them when nothing names it.
- **NIK view log**: ``DISCLOSURES_KEPT_FOR`` (two years): long enough for a head to look back over
  a year and for a complaint to be investigated, short enough not to become a record of its own.
- **Unconfirmed uploads**: 24 hours (``enrollment.importing.limits.BATCH_KEPT_FOR`` and
  ``PAYMENT_IMPORT_KEPT_FOR``, enrolments and payments files alike); they are also deleted whenever
  someone uploads.
- **The rows of an imported payments file**: ``PAYMENT_ROWS_KEPT_FOR`` (one year), long enough to follow
  up the rows that did not match and to answer a question about a month's file; they hold the NIKs the
  channel sent, some of people who are no participants. The file itself stays listed with its counts,
  and every contribution it brought keeps its channel, reference and the file it came in.
- **Sign-in records** (django-axes' log of sign-ins and failed attempts, with addresses):
  ``SIGN_IN_RECORDS_KEPT_FOR`` (one year), to trace an account's use after a breach; axes itself
  forgets the attempts that count towards a lockout after its cool-off.

``purge_expired`` (a management command, run daily) applies them all in one transaction.
"""

import datetime
from dataclasses import dataclass

from axes.models import AccessFailureLog, AccessLog
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agents.models import Agent, User
from enrollment.models import Acquisition, Contribution, NikDisclosure, Participant, PaymentLine
from enrollment.services.imports import import_batches_purge
from enrollment.services.payments import payment_imports_purge

RECORDS_KEPT_YEARS = 10
DISCLOSURES_KEPT_FOR = datetime.timedelta(days=2 * 365)
SIGN_IN_RECORDS_KEPT_FOR = datetime.timedelta(days=365)
PAYMENT_ROWS_KEPT_FOR = datetime.timedelta(days=365)
PURGE_CHUNK = 500


@dataclass(frozen=True)
class Purged:
    """How many of each were deleted."""

    disclosures: int
    sign_in_records: int
    import_batches: int
    payment_files: int
    payment_rows: int
    participants: int
    agents: int
    logins: int


def records_cutoff(today):
    """The day before which an acquisition must have ended, or an agent left, for their data to go."""
    try:
        return today.replace(year=today.year - RECORDS_KEPT_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RECORDS_KEPT_YEARS, day=28)


def expired_participants(*, today):
    """Participants with acquisitions, none active and every one ended before ``records_cutoff``."""
    kept = Acquisition.objects.filter(participant=OuterRef("pk")).filter(
        Q(status=Acquisition.Status.ACTIVE) | Q(ended_on__gte=records_cutoff(today))
    )
    return Participant.objects.filter(Exists(Acquisition.objects.filter(participant=OuterRef("pk")))).filter(
        ~Exists(kept)
    )


def unreferenced(queryset):
    """The rows of ``queryset`` that no protecting foreign key points at, i.e. that can be deleted."""
    for relation in queryset.model._meta.related_objects:
        if relation.on_delete is models.PROTECT:
            referring = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
            queryset = queryset.filter(~Exists(referring))
    return queryset


def expired_agents(*, today):
    """Agents who left before ``records_cutoff`` and whom no kept record names."""
    return unreferenced(Agent.objects.filter(status=Agent.Status.INACTIVE, left_on__lt=records_cutoff(today)))


def participants_purge(*, today):
    """Delete expired participants with their acquisitions, contributions and the history of all three,
    ``PURGE_CHUNK`` participants at a time (so no statement carries more ids than a database takes)."""
    participant_ids = list(expired_participants(today=today).values_list("pk", flat=True))
    for start in range(0, len(participant_ids), PURGE_CHUNK):
        chunk = participant_ids[start : start + PURGE_CHUNK]
        acquisition_ids = list(Acquisition.objects.filter(participant__in=chunk).values_list("pk", flat=True))
        Contribution.objects.filter(acquisition__in=acquisition_ids).delete()
        Contribution.history.filter(acquisition_id__in=acquisition_ids).delete()
        Acquisition.objects.filter(pk__in=acquisition_ids).delete()
        Acquisition.history.filter(id__in=acquisition_ids).delete()
        Participant.objects.filter(pk__in=chunk).delete()
        Participant.history.filter(id__in=chunk).delete()
    return len(participant_ids)


def agents_purge(*, today):
    """Delete expired agents; returns ``(agents, login accounts)`` deleted."""
    agents = list(expired_agents(today=today).values_list("pk", "user"))
    Agent.objects.filter(pk__in=[pk for pk, _user in agents]).delete()
    Agent.history.filter(id__in=[pk for pk, _user in agents]).delete()
    logins = unreferenced(User.objects.filter(pk__in=[user for _pk, user in agents if user], is_active=False))
    deleted_logins = logins.count()
    logins.delete()
    return len(agents), deleted_logins


def disclosures_purge(*, now):
    deleted, _by_model = NikDisclosure.objects.filter(disclosed_at__lt=now - DISCLOSURES_KEPT_FOR).delete()
    return deleted


def sign_in_records_purge(*, now):
    cutoff = now - SIGN_IN_RECORDS_KEPT_FOR
    return sum(model.objects.filter(attempt_time__lt=cutoff).delete()[0] for model in (AccessLog, AccessFailureLog))


def payment_rows_purge(*, now):
    """Delete the rows of payments files imported more than ``PAYMENT_ROWS_KEPT_FOR`` ago; how many rows."""
    deleted, _by_model = PaymentLine.objects.filter(
        payment_import__imported_at__lt=now - PAYMENT_ROWS_KEPT_FOR
    ).delete()
    return deleted


def expired_data_purge(*, now=None, dry_run=False):
    """Apply every retention rule at ``now`` (default: the current time; unconfirmed uploads always go by
    the clock) in one transaction; with ``dry_run`` count what would go and roll back."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        disclosures = disclosures_purge(now=now)
        sign_in_records = sign_in_records_purge(now=now)
        import_batches = import_batches_purge()
        payment_files = payment_imports_purge()
        payment_rows = payment_rows_purge(now=now)
        participants = participants_purge(today=today)
        agents, logins = agents_purge(today=today)  # after the participants, whose acquisitions named them
        if dry_run:
            transaction.set_rollback(True)
    return Purged(
        disclosures=disclosures,
        sign_in_records=sign_in_records,
        import_batches=import_batches,
        payment_files=payment_files,
        payment_rows=payment_rows,
        participants=participants,
        agents=agents,
        logins=logins,
    )
