"""Setting, changing and removing yearly acquisition targets, one at a time or from a small workbook.

**Who.** A target is set by the people who answer for it: staff of the branch (and administrators, of
the branch or national), i.e. whoever holds ``enrollment.change_acquisitiontarget`` and reaches the
branch (``agents.scoping``); the branch head reads them. The services check this themselves
(``PermissionDenied``), so a command or a page that forgets cannot write for another branch. Removing a
target needs the same permission, not ``delete_…``: a target is the branch's plan, not a record a report
counts, and its removal is kept in the history like any change.

**What.** A target is for the branch, one of its Perisai offices or one of its agents (never another
branch's: ``ValidationError``), for a year between ``FIRST_YEAR`` and ``LAST_YEAR`` (the model's
constraint), at least 1. It either has no months (the reports spread it by the branch's season) or
exactly 12 month rows, each at least 0, adding up to the yearly figure: a split that does not add up is
refused with the sum it made.

**History.** Every write leaves an ``AcquisitionTargetChange``: who, when, the figure and months before
and after, and whether it was set, changed, removed or imported. Saving what is already stored writes
nothing and returns ``None``.

**Races.** The unique constraints on (year, holder) decide two people setting the same new target at
once: the loser's insert fails inside a nested ``atomic`` and becomes a ``ValidationError`` saying so,
with nothing written. A change locks the target's row first, so its "before" is what it replaced.

**The file** (``target_file_read`` → ``target_file_check`` → ``target_file_apply``): an .xlsx (or CSV)
with a header row and one target a row, read by the enrolment import's reader within ``TARGET_LIMITS``
(the upload size, the zip measured by decompressing it, openpyxl in read-only mode, rows counted while
streaming: ``enrollment.importing.reader.open_table``) and its header matcher (``find_columns``). The
columns, by their Indonesian or English header (case and punctuation do not matter):

- **Tahun** (Year): the year, e.g. 2023;
- **Tingkat** (Level): *Cabang*, *Kantor* or *Agen* (also Branch, Office, Agent, KC, KP);
- **Kode** (Code): the office's or agent's code; for the branch its code or nothing;
- **Target tahunan** (Yearly target): the year's acquisitions, a whole number of at least 1;
- **Januari … Desember** (optional, also Jan … Des): the months, all twelve adding up to the year, or
  all empty for a target without a split.

A row without a yearly target and without months is left out: the downloadable file lists the branch, every
active office and agent, and whoever is not given a figure keeps what they have (a file never removes a
target). A formula is refused in its cell (the import reads values, never computes them). Every problem is listed
with its row and cell; the same year and holder twice in a file is an error on the later row. Nothing is
written until the whole file checks, and ``target_file_apply`` checks it again against the database as it
is then: if any row would now do something else than the preview said (someone changed a target
meanwhile), it raises ``TargetsChanged`` and writes nothing, so the uploader confirms exactly what they saw.
"""

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from agents.models import Agent, Branch, PerisaiOffice
from agents.scoping import for_user
from enrollment.importing.columns import CellError, Column, check_formula, column_letter, find_columns, normalise
from enrollment.importing.limits import MAX_CELL_CHARS, Limits
from enrollment.importing.reader import open_table
from enrollment.importing.template import HEADER_FILL
from enrollment.models import AcquisitionTarget, AcquisitionTargetChange, AcquisitionTargetMonth
from perisai.apportion import largest_remainder
from perisai.formatting import number
from perisai.months import FIRST_YEAR, LAST_YEAR
from perisai.spreadsheets import neutralise

CHANGE_PERMISSION = "enrollment.change_acquisitiontarget"
READ_PERMISSION = "enrollment.view_acquisitiontarget"
CALENDAR = range(1, 13)
MAX_TARGET = 1_000_000
"""The largest yearly target accepted: a large branch acquires a few tens of thousands a year; more is a
typing mistake (and keeps every figure inside the database's integer columns)."""
Level = AcquisitionTargetChange.Level

TARGET_LIMITS = Limits(upload_bytes=1024 * 1024, rows=2000, uncompressed_bytes=20 * 1024 * 1024)
"""A branch's targets for a year are a row for the branch, a few offices and up to a few hundred agents;
1 MB of .xlsx holds far more. The zip, its parts and cells are capped as for the enrolment import."""


def may_change_targets(user):
    """Whether ``user``'s role lets them set targets (which branch is ``agents.scoping``'s to say)."""
    return user.has_perm(CHANGE_PERMISSION)


def _check_may_change(by, branch):
    if not may_change_targets(by) or not for_user(Branch.objects.filter(pk=branch.pk), by, branch_path=None).exists():
        raise PermissionDenied(_("Only staff of the branch can change its targets."))


def holder_label(*, branch, office=None, agent=None):
    """Whose target it is, as the history keeps it: "CLP-01 — Kantor Perisai Kroya"."""
    if agent is not None:
        return f"{agent.code} — {agent.full_name}"
    if office is not None:
        return f"{office.code} — {office.name}"
    return f"{branch.code} — {branch.name}"


def level_of(*, office=None, agent=None):
    if agent is not None:
        return Level.AGENT
    if office is not None:
        return Level.OFFICE
    return Level.BRANCH


def target_months(target):
    """The target's 12 monthly figures in calendar order, or ``None`` when it is not split by month
    (reads ``target.months``, so prefetch them for many targets)."""
    months = sorted(target.months.all(), key=lambda row: row.month)
    return [row.acquisitions for row in months] or None


def months_even(target):
    """``target`` spread over the 12 months as evenly as whole numbers allow, the extra ones early in the
    year (``perisai.apportion``): 1,000 is 84 for January to April and 83 after."""
    return largest_remainder(target, [1] * 12)


def target_for(*, branch, year, office=None, agent=None):
    """The target of ``year`` for ``branch``, its ``office`` or its ``agent``, or ``None``."""
    return _targets_of(branch=branch, year=year, office=office, agent=agent).first()


def check_year(year):
    """``year`` as an int within the years Perisai accepts (the model's constraint), or ``ValidationError``."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {"year": _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    return year


def check_split(target, months):
    """``months`` as a list of 12 ints adding up to ``target``, ``None`` for no split, or ``ValidationError``."""
    if isinstance(target, bool) or not isinstance(target, int) or target < 1:
        raise ValidationError({"target": _("The yearly target must be a whole number of at least 1.")})
    if target > MAX_TARGET:
        raise ValidationError({"target": _too_large()})
    if months is None:
        return None
    months = list(months)
    if len(months) != 12:
        raise ValidationError({"months": _("Give all 12 months, or none for a target without a monthly split.")})
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in months):
        raise ValidationError({"months": _("Each month's target must be a whole number, 0 or more.")})
    if sum(months) != target:
        raise ValidationError(
            {
                "months": _("The 12 months add up to %(sum)s, not to the yearly target of %(target)s.")
                % {"sum": number(sum(months)), "target": number(target)}
            }
        )
    return months


def _check_holder(branch, office, agent):
    if office is not None and agent is not None:
        raise ValidationError(_("A target is for the branch, one office or one agent, not several."))
    holder = office or agent
    if holder is not None and holder.branch_id != branch.pk:
        raise ValidationError(_("The office or agent belongs to another branch."))


def _targets_of(*, branch, year, office, agent):
    """The (at most one) target of this year and holder, as the unique constraints define it."""
    if agent is not None:
        return AcquisitionTarget.objects.filter(year=year, agent=agent)
    if office is not None:
        return AcquisitionTarget.objects.filter(year=year, office=office)
    return AcquisitionTarget.objects.filter(year=year, branch=branch, office__isnull=True, agent__isnull=True)


def target_set(*, branch, year, office=None, agent=None, target, months=None, by):
    """Set (create or change) the ``year`` target of ``branch``, or of its ``office`` or ``agent``, to
    ``target`` acquisitions, split by ``months`` (12 ints adding up to ``target``) or not (``None``).

    The ``AcquisitionTargetChange`` written, or ``None`` when the target already stood so. Refuses with
    ``PermissionDenied`` (``by`` may not change the branch's targets) or ``ValidationError`` (what is wrong,
    by field where there is one: ``year``, ``target``, ``months``), changing nothing.
    """
    _check_may_change(by, branch)
    return _set(branch=branch, year=year, office=office, agent=agent, target=target, months=months, by=by, imported="")


def _set(*, branch, year, office, agent, target, months, by, imported):
    """``target_set`` without the permission check; ``imported`` is the file's name for a row of a file."""
    _check_holder(branch, office, agent)
    check_year(year)
    months = check_split(target, months)
    try:
        with transaction.atomic():
            existing = (
                _targets_of(branch=branch, year=year, office=office, agent=agent)
                .select_for_update()
                .prefetch_related("months")
                .first()
            )
            before = (existing.target, target_months(existing)) if existing else (None, None)
            if before == (target, months):
                return None
            row = existing or AcquisitionTarget(year=year, branch=branch, office=office, agent=agent)
            row.target = target
            # The check constraints' rules were checked above with their own messages; uniqueness is the
            # database's to decide (a race), so it is not asked twice here.
            row.full_clean(validate_constraints=False)
            row.save()
            _write_months(row, months, replace=existing is not None)
            if imported:
                kind = AcquisitionTargetChange.Kind.IMPORTED
            else:
                kind = AcquisitionTargetChange.Kind.CHANGED if existing else AcquisitionTargetChange.Kind.SET
            return _record(
                kind=kind,
                by=by,
                branch=branch,
                year=year,
                office=office,
                agent=agent,
                before=before,
                after=(target, months),
                note=imported,
            )
    except IntegrityError:
        raise ValidationError(
            _("Someone else set this target at the same moment. Nothing was changed; open the targets again.")
        ) from None


def _write_months(target, months, *, replace):
    if replace:
        target.months.all().delete()
    if months is not None:
        rows = [
            AcquisitionTargetMonth(target=target, month=month, acquisitions=value)
            for month, value in zip(CALENDAR, months, strict=True)
        ]
        for row in rows:
            row.full_clean(exclude=["target"], validate_constraints=False)
        AcquisitionTargetMonth.objects.bulk_create(rows)


def _record(*, kind, by, branch, year, office, agent, before, after, note=""):
    change = AcquisitionTargetChange(
        kind=kind,
        changed_by=by,
        year=year,
        branch=branch,
        level=level_of(office=office, agent=agent),
        office=office,
        agent=agent,
        holder=holder_label(branch=branch, office=office, agent=agent)[:200],
        old_target=before[0],
        old_months=before[1],
        new_target=after[0],
        new_months=after[1],
        note=note[:255],
    )
    # Built here from checked values; its check constraints hold by construction and stay the database's.
    change.full_clean(validate_constraints=False)
    change.save()
    return change


def target_remove(*, target, by):
    """Remove ``target`` (and its months); the ``AcquisitionTargetChange`` that keeps what it was.

    ``ValidationError`` when it is gone already (removed meanwhile by someone else)."""
    _check_may_change(by, target.branch)
    with transaction.atomic():
        locked = (
            AcquisitionTarget.objects.select_for_update(of=("self",))
            .select_related("branch", "office", "agent")
            .prefetch_related("months")
            .filter(pk=target.pk)
            .first()
        )
        if locked is None:
            raise ValidationError(_("This target was removed meanwhile; nothing was changed."))
        before = (locked.target, target_months(locked))
        locked.delete()
        return _record(
            kind=AcquisitionTargetChange.Kind.REMOVED,
            by=by,
            branch=locked.branch,
            year=locked.year,
            office=locked.office,
            agent=locked.agent,
            before=before,
            after=(None, None),
        )


# --- the file ------------------------------------------------------------------------------------------

MONTH_ALIASES = {
    1: ("jan", "januari", "january"),
    2: ("feb", "februari", "february", "pebruari"),
    3: ("mar", "maret", "march"),
    4: ("apr", "april"),
    5: ("mei", "may"),
    6: ("jun", "juni", "june"),
    7: ("jul", "juli", "july"),
    8: ("agu", "agt", "agus", "agustus", "aug", "august"),
    9: ("sep", "sept", "september"),
    10: ("okt", "oktober", "oct", "october"),
    11: ("nov", "nopember", "november"),
    12: ("des", "desember", "dec", "december"),
}

MONTHS_HINT = gettext_lazy(
    "Optional: all 12 months, adding up to the yearly target, or all empty for a target without a monthly split."
)

COLUMNS = (
    Column("year", gettext_lazy("Year"), True, gettext_lazy("e.g. 2023"), ("tahun", "thn"), 8, "number"),
    Column(
        "level",
        gettext_lazy("Level"),
        True,
        gettext_lazy("Cabang, Kantor or Agen (branch, office or agent)."),
        ("tingkat", "jenis", "level target"),
        10,
    ),
    Column(
        "code",
        gettext_lazy("Code"),
        True,
        gettext_lazy("The office's or agent's code; for the branch its code or nothing."),
        ("kode", "kode kantor", "kode agen"),
        14,
    ),
    Column(
        "target",
        gettext_lazy("Yearly target"),
        True,
        gettext_lazy("Acquisitions in the year, at least 1."),
        ("target", "target tahunan", "target setahun", "target akuisisi"),
        14,
        "number",
    ),
    *(
        Column(
            f"month_{month}",
            MONTHS[month],
            False,
            MONTHS_HINT if month == 1 else "",
            MONTH_ALIASES[month],
            width=9,
            kind="number",
        )
        for month in CALENDAR
    ),
)
"""The file's columns. The month headers are Django's own month names (Januari … in Indonesian), so the
template speaks the downloader's language and either language's header is recognised."""

MONTH_KEYS = tuple(f"month_{month}" for month in CALENDAR)
LEVEL_WORDS = {
    Level.BRANCH: ("cabang", "kantor cabang", "kc", "branch"),
    Level.OFFICE: ("kantor", "kantor perisai", "kp", "office", "perisai office"),
    Level.AGENT: ("agen", "agen perisai", "agent"),
}
LEVEL_BY_WORD = {normalise(word): level for level, words in LEVEL_WORDS.items() for word in words}
WHOLE_NUMBER_TEXT = re.compile(r"\d{1,3}([.,])\d{3}(?:\1\d{3})*|\d{1,9}")
"""A count typed as text: 1200, 1.200 or 1,200 (thousands grouped either way, never a decimal part)."""


class TargetsChanged(Exception):
    """The file would no longer do what its preview said; nothing was written. ``check`` is the new check."""

    def __init__(self, check):
        super().__init__()
        self.check = check


@dataclass(frozen=True)
class TargetFile:
    """A file's rows as read (plain JSON cells by column key), kept between the preview and the confirmation."""

    file_name: str
    letters: dict
    rows: list

    def as_json(self):
        return asdict(self)

    @classmethod
    def from_json(cls, data):
        return cls(file_name=str(data["file_name"]), letters=dict(data["letters"]), rows=list(data["rows"]))


@dataclass(frozen=True)
class Problem:
    """What is wrong in one row: ``cell`` ("D7") when one cell is to blame."""

    row: int
    cell: str
    message: str


@dataclass(frozen=True)
class PlannedTarget:
    """What one good row will do: ``before`` and ``after`` are ``(figure, months)``; ``action`` is
    "new", "changed" or "unchanged"."""

    row: int
    year: int
    level: str
    holder: str
    office_id: int | None
    agent_id: int | None
    before: tuple
    after: tuple

    @property
    def action(self):
        if self.before[0] is None:
            return "new"
        return "unchanged" if tuple(self.before) == tuple(self.after) else "changed"


@dataclass
class TargetCheck:
    """The whole file checked: its problems (every one, by row) and what each good row will do."""

    problems: list = field(default_factory=list)
    planned: list = field(default_factory=list)

    @property
    def can_apply(self):
        return not self.problems and any(line.action != "unchanged" for line in self.planned)

    @property
    def rows_with_problems(self):
        return len({problem.row for problem in self.problems})

    def fingerprint(self):
        """A digest of what applying would write, from what each row replaces to what it sets: the
        confirmation is refused when it differs from the preview's."""
        lines = [
            [line.year, line.level, line.office_id, line.agent_id, list(line.before), list(line.after)]
            for line in self.planned
        ]
        return hashlib.sha256(json.dumps(lines, sort_keys=True).encode()).hexdigest()


def target_file_read(*, upload):
    """The ``TargetFile`` in ``upload``; ``SpreadsheetError`` (its messages for the uploader) when the
    file cannot be read as one: too large, not a workbook, hostile, or without the needed columns."""
    table = open_table(upload, limits=TARGET_LIMITS)
    index = find_columns(table.header, columns=COLUMNS, needed=[column for column in COLUMNS if column.required])
    rows = []
    for row_number, values in table.rows:
        cells = {key: values[position] if position < len(values) else None for key, position in index.items()}
        if any(value is not None for value in cells.values()):
            rows.append({"row": row_number, "cells": cells})
    letters = {key: column_letter(position) for key, position in index.items()}
    return TargetFile(file_name=(upload.name or "")[:255], letters=letters, rows=rows)


def target_file_check(*, target_file, branch):
    """Check every row of ``target_file`` for ``branch`` against the database as it is now (four queries,
    whatever the file's length): each problem with its row and cell, and what each good row would do."""
    check = TargetCheck()
    offices = {_code_key(code): (pk, code, name) for pk, code, name in _codes(PerisaiOffice, branch, "name")}
    agents = {_code_key(code): (pk, code, name) for pk, code, name in _codes(Agent, branch, "full_name")}
    read = []
    for line in target_file.rows:
        row, problems = _read_row(line, target_file.letters, branch=branch, offices=offices, agents=agents)
        check.problems.extend(problems)
        if row is not None:
            read.append(row)
    read = _without_repeats(read, check, target_file.letters)
    existing = _existing(branch, {row["year"] for row in read})
    for row in read:
        key = (row["year"], row["level"], row["holder_id"])
        check.planned.append(
            PlannedTarget(
                row=row["row"],
                year=row["year"],
                level=row["level"],
                holder=row["holder"],
                office_id=row["holder_id"] if row["level"] == Level.OFFICE else None,
                agent_id=row["holder_id"] if row["level"] == Level.AGENT else None,
                before=existing.get(key, (None, None)),
                after=(row["target"], row["months"]),
            )
        )
    check.problems.sort(key=lambda problem: (problem.row, problem.cell))
    return check


def target_file_apply(*, target_file, branch, by, fingerprint):
    """Write every row of ``target_file`` in one transaction, or nothing; the changes written.

    ``TargetsChanged`` (with the new check) when the file no longer checks, or would now write something
    other than the preview whose ``fingerprint`` the uploader confirmed."""
    _check_may_change(by, branch)
    check = target_file_check(target_file=target_file, branch=branch)
    if check.problems or check.fingerprint() != fingerprint:
        raise TargetsChanged(check)
    offices = PerisaiOffice.objects.in_bulk([line.office_id for line in check.planned if line.office_id])
    agents = Agent.objects.in_bulk([line.agent_id for line in check.planned if line.agent_id])
    changes = []
    try:
        with transaction.atomic():
            for line in check.planned:
                if line.action == "unchanged":
                    continue
                change = _set(
                    branch=branch,
                    year=line.year,
                    office=offices.get(line.office_id),
                    agent=agents.get(line.agent_id),
                    target=line.after[0],
                    months=line.after[1],
                    by=by,
                    imported=target_file.file_name or "-",
                )
                changes.append(change)
    except ValidationError:  # a target set by someone else between the check and the write
        raise TargetsChanged(target_file_check(target_file=target_file, branch=branch)) from None
    return [change for change in changes if change is not None]


def _code_key(code):
    """Codes are matched as typed but for case and surrounding spaces ("clp-01" finds CLP-01)."""
    return str(code).strip().casefold()


def _codes(model, branch, name_field):
    return model.objects.filter(branch=branch).values_list("pk", "code", name_field)


def _existing(branch, years):
    """``{(year, level, holder id): (figure, months)}`` of the branch's targets in ``years``."""
    targets = AcquisitionTarget.objects.filter(branch=branch, year__in=years).prefetch_related("months")
    existing = {}
    for target in targets:
        if target.agent_id:
            key = (target.year, Level.AGENT, target.agent_id)
        elif target.office_id:
            key = (target.year, Level.OFFICE, target.office_id)
        else:
            key = (target.year, Level.BRANCH, branch.pk)
        existing[key] = (target.target, target_months(target))
    return existing


def _read_row(line, letters, *, branch, offices, agents):
    """One row's values (``None`` when any cell is wrong) and its problems, every cell looked at."""
    row_number, cells = line["row"], line["cells"]
    problems = []
    if all(cells.get(key) is None for key in ("target", *MONTH_KEYS)):
        return None, problems  # a holder the template lists and nobody gave a target: left as it is

    def problem(key, message):
        problems.append(Problem(row=row_number, cell=f"{letters.get(key, '')}{row_number}", message=message))

    values = {}
    for key, reader in (("year", _read_year), ("level", _read_level), ("target", _read_target)):
        try:
            check_formula(cells.get(key))
            values[key] = reader(cells.get(key))
        except CellError as error:
            problem(key, str(error))
    months = []
    for key in MONTH_KEYS:
        if key not in cells:
            continue
        try:
            check_formula(cells[key])
            months.append((key, _read_month(cells[key])))
        except CellError as error:
            problem(key, str(error))
    holder = None
    try:
        check_formula(cells.get("code"))
        if "level" in values:
            holder = _holder(values["level"], cells.get("code"), branch=branch, offices=offices, agents=agents)
    except CellError as error:
        problem("code", str(error))
    split = _split(months, values.get("target"), problem)
    if problems:
        return None, problems
    holder_id, holder_text = holder
    return {
        "row": row_number,
        "year": values["year"],
        "level": values["level"],
        "holder_id": holder_id,
        "holder": holder_text,
        "target": values["target"],
        "months": split,
    }, problems


def _split(months, target, problem):
    """The 12 months of the row, ``None`` when all are empty; a problem when only some are given or they do
    not add up to ``target``."""
    given = [(key, value) for key, value in months if value is not None]
    if not given:
        return None
    if len(given) < 12:
        problem(
            given[0][0],
            _("Only %(count)d of the 12 months are filled in: fill in every month, or leave them all empty.")
            % {"count": len(given)},
        )
        return None
    split = [value for _key, value in given]
    if target is not None and sum(split) != target:
        problem(
            MONTH_KEYS[0],
            _("The 12 months add up to %(sum)s, not to the yearly target of %(target)s.")
            % {"sum": number(sum(split)), "target": number(target)},
        )
    return split


def _without_repeats(read, check, letters):
    """The rows with the first of each (year, holder); a later one is a problem naming the first."""
    first = {}
    kept = []
    for row in read:
        key = (row["year"], row["level"], row["holder_id"])
        if key in first:
            check.problems.append(
                Problem(
                    row=row["row"],
                    cell=f"{letters.get('code', '')}{row['row']}",
                    message=_("Row %(first)d already sets the %(year)d target of %(holder)s; keep one of the two.")
                    % {"first": first[key], "year": row["year"], "holder": row["holder"]},
                )
            )
        else:
            first[key] = row["row"]
            kept.append(row)
    return kept


def _whole_number(value, *, empty_message):
    """A whole number from a number cell or text ("1.200", "1,200", "1200"); ``CellError`` otherwise."""
    if value is None:
        raise CellError(empty_message, "required")
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}, "not_whole")
    if isinstance(value, int):
        return value
    text = str(value).replace(" ", "").replace("\u00a0", "")
    if isinstance(value, float) or not WHOLE_NUMBER_TEXT.fullmatch(text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": str(value)[:40]}, "not_whole")
    return int(re.sub(r"[.,]", "", text))


def _read_year(value):
    year = _whole_number(value, empty_message=_("This cell is empty; the year is needed."))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            _("The year must be between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            "bad_year",
        )
    return year


def _read_level(value):
    level = LEVEL_BY_WORD.get(normalise(value or ""))
    if level is None:
        raise CellError(
            _("“%(value)s” is not a level; write Cabang, Kantor or Agen.") % {"value": str(value or "")[:40]},
            "bad_level" if value else "required",
        )
    return level


def _read_target(value):
    target = _whole_number(value, empty_message=_("This cell is empty; the yearly target is needed."))
    if target < 1:
        raise CellError(_("The yearly target must be a whole number of at least 1."), "bad_target")
    if target > MAX_TARGET:
        raise CellError(_too_large(), "bad_target")
    return target


def _too_large():
    return _("The yearly target can be at most %(limit)s.") % {"limit": number(MAX_TARGET)}


def _read_month(value):
    if value is None:
        return None
    return _whole_number(value, empty_message="")


def _holder(level, code, *, branch, offices, agents):
    """``(id, label)`` of the row's holder in ``branch``; another branch's code reads as unknown."""
    text = "" if code is None else str(code).strip()[:MAX_CELL_CHARS]
    if level == Level.BRANCH:
        if text and _code_key(text) != _code_key(branch.code):
            raise CellError(
                _("“%(code)s” is not your branch's code (%(branch)s); leave it empty for the branch's target.")
                % {"code": text[:40], "branch": branch.code},
                "not_branch",
            )
        return branch.pk, holder_label(branch=branch)
    known = offices if level == Level.OFFICE else agents
    if not text:
        raise CellError(_("This cell is empty; the office's or agent's code is needed."), "required")
    found = known.get(_code_key(text))
    if found is None:
        message = (
            _("No Perisai office of your branch has the code “%(code)s”.")
            if level == Level.OFFICE
            else _("No agent of your branch has the code “%(code)s”.")
        )
        raise CellError(message % {"code": text[:40]}, "unknown_code")
    pk, stored_code, name = found
    return pk, f"{stored_code} — {name}"


TEMPLATE_LEVEL_WORDS = {Level.BRANCH: "Cabang", Level.OFFICE: "Kantor", Level.AGENT: "Agen"}
"""The level as the template writes it: the Indonesian word, whatever the downloader's language (the
English words are read too)."""


def target_template_workbook(*, branch, year):
    """The file to fill in, as .xlsx bytes: the header in the downloader's language, then a row for the
    branch, each active office and each active agent, with the ``year`` targets already set (and their
    months) filled in, so editing the download and uploading it back changes only what was edited. A
    "Name" column helps the reader and is ignored when the file is read (unknown columns are)."""
    existing = _existing(branch, {year})
    offices = PerisaiOffice.objects.filter(branch=branch, is_active=True).order_by("code")
    agents = Agent.objects.filter(branch=branch, status=Agent.Status.ACTIVE).select_related("office")
    holders = [(Level.BRANCH, branch.pk, "", branch.name)]
    holders += [(Level.OFFICE, office.pk, office.code, office.name) for office in offices]
    holders += [
        (Level.AGENT, agent.pk, agent.code, agent.full_name)
        for agent in sorted(agents, key=lambda agent: (agent.office.code, agent.code))
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Targets"))[:31]
    header = [str(column.label) for column in COLUMNS[:3]] + [str(_("Name"))]
    header += [str(column.label) for column in COLUMNS[3:]]
    sheet.append(header)
    hints = [column.hint for column in COLUMNS[:3]] + [""] + [column.hint for column in COLUMNS[3:]]
    for cell, hint in zip(sheet[1], hints, strict=True):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        if hint:
            cell.comment = Comment(str(hint), "Perisai")
    for level, pk, code, name in holders:
        figure, months = existing.get((year, level, pk), (None, None))
        sheet.append(
            [year, TEMPLATE_LEVEL_WORDS[level], neutralise(code), neutralise(name), figure, *(months or [None] * 12)]
        )
    for position, width in enumerate([8, 10, 14, 30, 14, *[10] * 12]):
        sheet.column_dimensions[column_letter(position)].width = width
    sheet.freeze_panes = "E2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
