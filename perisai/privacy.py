"""Personal data on screen and in files: the masks, and who reads phone numbers in full (UU PDP 27/2022).

The kernel's part of the privacy rules: what a masked NIK or phone number looks like and which roles
read phone numbers in full. Who may have a *full NIK* shown, who reads the NIK view log and who answers
an access request need the participants and the agents they look after, so they are enrollment's
(``enrollment.privacy``). Pages, exports and the admin ask these two modules instead of deciding for
themselves; PRIVACY.md says the same for readers who do not read code.

**NIK** (``mask_nik``: ``3301••••••••0001``, province, regency and serial, enough to tell two people
apart in a list) is masked for everyone in every list, export, history and import preview.

**Phone numbers** (``mask_phone``: ``0812••••7890``) are shown in full to those who call people as
their job: branch staff (participants and agents) and agents (the participants they look after,
which are the only ones their pages reach). The branch head and administrators read them masked,
on pages and in the files they download (``may_see_phone``); a file made without a signed-in user
(a scheduled report) masks them too.
"""

from dataclasses import replace

from perisai.roles import Role

MASK = "•"
VISIBLE_DIGITS = 4
PHONE_ROLES = frozenset({Role.STAFF, Role.AGENT})


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
