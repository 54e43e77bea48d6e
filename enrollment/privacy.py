"""Who may see a person's full NIK, who reads the NIK view log, and who answers an access request.

The masks themselves and who reads phone numbers in full are the kernel's (``perisai.privacy``); these
rules need to know whom an agent looks after, so they live with the participants. PRIVACY.md says the
same for readers who do not read code.

A full NIK appears only when someone asks for it, and every time it does ``NikDisclosure`` records who
saw whose NIK, when and from which page (``enrollment.services.disclosures``):

- branch staff, the branch head and administrators press "Show NIK" on the page of a participant or
  an agent they may read (their branch; every branch for a national administrator), or open the
  participant's or agent's edit form (staff: correcting a NIK needs it), or export a participant's
  data for an access request;
- an agent presses "Show NIK" on the page of a participant they look after (``Acquisition.caretaker``),
  or enrols such a participant again (the form starts from their data); never anyone else's.

Searching with a NIK typed in full still finds the person: the search compares with the stored NIK.
"""

from perisai.privacy import subject_kind
from perisai.roles import Role

NIK_READER_PERMISSIONS = {"participant": "enrollment.view_participant", "agent": "agents.view_agent"}


def may_reveal_nik(user, subject):
    """Whether ``user`` may have ``subject``'s (a ``Participant`` or ``Agent``) full NIK shown, logged.

    Which *rows* a user reaches is ``agents.scoping``'s job and the view fetches ``subject`` through
    it first (404 outside the user's scope); this decides what the role may do with one it reached.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    kind = subject_kind(subject)
    if user.role == Role.AGENT:
        return kind == "participant" and _looks_after(user, subject)
    return user.has_perm(NIK_READER_PERMISSIONS[kind])


def _looks_after(user, participant):
    """The agent ``user`` looks after ``participant`` now (their latest acquisition's caretaker)."""
    latest = participant.acquisitions.order_by("-acquired_on", "-pk").values_list("caretaker__user", flat=True)
    return latest.first() == user.pk


def may_read_nik_log(user):
    """The NIK view log is for the branch head and administrators: it watches staff and agents, so
    they do not read it themselves."""
    return user is not None and user.is_authenticated and user.role in (Role.HEAD, Role.ADMIN)


def may_export_personal_data(user):
    """Answering a person's access request (their data as a file) is a staff task, like changing
    their data: branch staff and administrators, not the head."""
    return user is not None and user.is_authenticated and user.has_perm("enrollment.change_participant")
