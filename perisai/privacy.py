"""Personal data on screen and in files: what is masked, and who may see what in full (UU PDP 27/2022).

The one place these rules live; pages, exports and the admin ask here instead of deciding for
themselves. PRIVACY.md says the same for readers who do not read code.

**NIK** (``mask_nik``: ``3301••••••••0001``, province, regency and serial, enough to tell two people
apart in a list) is masked for everyone in every list, export, history and import preview. A full
NIK appears only when someone asks for it, and every time it does ``NikDisclosure`` records who saw
whose NIK, when and from which page (``enrollment.services.disclosures``):

- branch staff, the branch head and administrators press "Show NIK" on the page of a participant or
  an agent they may read (their branch; every branch for a national administrator), or open the
  participant's or agent's edit form (staff: correcting a NIK needs it), or export a participant's
  data for an access request;
- an agent presses "Show NIK" on the page of a participant they look after (``Acquisition.caretaker``),
  or enrols such a participant again (the form starts from their data); never anyone else's.

Searching with a NIK typed in full still finds the person: the search compares with the stored NIK.

**Phone numbers** (``mask_phone``: ``0812••••7890``) are shown in full to those who call people as
their job: branch staff (participants and agents) and agents (the participants they look after,
which are the only ones their pages reach). The branch head and administrators read them masked,
on pages and in the files they download (``may_see_phone``); a file made without a signed-in user
(a scheduled report) masks them too.
"""

from dataclasses import replace

from agents.models import User

MASK = "•"
VISIBLE_DIGITS = 4
PHONE_ROLES = frozenset({User.Role.STAFF, User.Role.AGENT})
NIK_READER_PERMISSIONS = {"participant": "enrollment.view_participant", "agent": "agents.view_agent"}


def mask_nik(nik):
    """``3301234567890001`` → ``3301••••••••0001``: the first and last four digits, the rest hidden."""
    if not nik:
        return ""
    nik = str(nik)
    if len(nik) <= 2 * VISIBLE_DIGITS:
        return MASK * len(nik)
    return nik[:VISIBLE_DIGITS] + MASK * (len(nik) - 2 * VISIBLE_DIGITS) + nik[-VISIBLE_DIGITS:]


def mask_phone(phone):
    """``0812-3456-7890`` → ``0812••••7890``: the first and last four digits, the middle hidden.

    Dashes and spaces go, so the mask does not tell how the number was typed; a leading ``+`` stays.
    """
    if not phone:
        return ""
    phone = str(phone)
    prefix = "+" if phone.startswith("+") else ""
    digits = "".join(character for character in phone if character.isdigit())
    if len(digits) <= 2 * VISIBLE_DIGITS:
        return prefix + MASK * len(digits)
    return f"{prefix}{digits[:VISIBLE_DIGITS]}{MASK * 4}{digits[-VISIBLE_DIGITS:]}"


def subject_kind(subject):
    """``"participant"`` or ``"agent"``: whose NIK ``subject`` holds."""
    return subject._meta.model_name


def may_reveal_nik(user, subject):
    """Whether ``user`` may have ``subject``'s (a ``Participant`` or ``Agent``) full NIK shown, logged.

    Which *rows* a user reaches is ``perisai.scoping``'s job and the view fetches ``subject`` through
    it first (404 outside the user's scope); this decides what the role may do with one it reached.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    kind = subject_kind(subject)
    if user.role == User.Role.AGENT:
        return kind == "participant" and _looks_after(user, subject)
    return user.has_perm(NIK_READER_PERMISSIONS[kind])


def _looks_after(user, participant):
    """The agent ``user`` looks after ``participant`` now (their latest acquisition's caretaker)."""
    latest = participant.acquisitions.order_by("-acquired_on", "-pk").values_list("caretaker__user", flat=True)
    return latest.first() == user.pk


def may_see_phone(user):
    """Whether ``user`` reads phone numbers in full: staff and agents, who call people; not the head,
    not administrators, and not a file made without a signed-in user."""
    return user is not None and user.is_authenticated and user.role in PHONE_ROLES


def phone_for(user, phone):
    """``phone`` as ``user`` may see it."""
    return phone if may_see_phone(user) else mask_phone(phone)


def is_phone_column(column):
    """A report column that reads a field named ``phone`` (``phone``, ``participant__phone`` ...)."""
    return isinstance(column.key, str) and (column.key == "phone" or column.key.endswith("__phone"))


def columns_for(user, columns):
    """Report columns (``reports.catalogue.Column``) with phone numbers masked unless ``user`` may see them."""
    if may_see_phone(user):
        return list(columns)
    return [
        replace(column, key=_masked_phone_of(column.key)) if is_phone_column(column) else column for column in columns
    ]


def _masked_phone_of(key):
    def masked(row):
        return mask_phone(row[key] if isinstance(row, dict) else getattr(row, key))

    return masked


def table_for(user, table):
    """A report ``Table`` as ``user`` may see it: the same rows, phone columns masked when they must be."""
    return replace(table, columns=columns_for(user, table.columns))


def may_read_nik_log(user):
    """The NIK view log is for the branch head and administrators: it watches staff and agents, so
    they do not read it themselves."""
    return user is not None and user.is_authenticated and user.role in (User.Role.HEAD, User.Role.ADMIN)


def may_export_personal_data(user):
    """Answering a person's access request (their data as a file) is a staff task, like changing
    their data: branch staff and administrators, not the head."""
    return user is not None and user.is_authenticated and user.has_perm("enrollment.change_participant")
