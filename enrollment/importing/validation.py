"""Every imported row checked with the rules of the agent's enrol form, in a few set-based queries.

Per row, without the database: each cell read (``columns``), formulas refused, the NIK parsed with
``perisai.nik.parse_nik`` (a malformed NIK is an error; a NIK that disagrees with the birth date or
gender is a *warning*, as ``nik_mismatches`` says), the participant's fields checked by the model's own
validators, the acquisition date not in the future. Then, for the whole file at once: duplicate NIKs
and KPJ numbers inside the file; agents by code (of the user's branch, active on the acquisition
date); the rate in force on each date and the income within its range (the ``ContributionRate``
rows are few, so they are read once and chosen in Python exactly as ``in_force_on`` does); existing
participants by NIK (one with an active acquisition is an error, "already enrolled on <date> by
<agent>"; one whose acquisitions have all lapsed may be acquired again, after the lapse, and is listed
as a warning: as on the enrol form, their contact details are updated and they move to the branch);
KPJ numbers already held by someone else. Queries run per ``LOOKUP_CHUNK`` NIKs, never per row.
"""

import datetime
import hashlib
import json
import operator
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from agents.models import Agent
from agents.places import branch_regencies, place_resolve
from agents.terms import working_ages
from enrollment.importing.columns import (
    COLUMN_BY_KEY,
    CellError,
    check_formula,
    normalise,
    read_date,
    read_digits,
    read_gender,
    read_occupation,
    read_rupiah,
    read_text,
    read_yes_no,
)
from enrollment.importing.limits import LOOKUP_CHUNK, MAX_CELL_CHARS
from enrollment.models import Acquisition, ContributionRate, Participant
from perisai.formatting import long_date
from perisai.nik import Gender, build_nik, nik_mismatches, parse_nik
from perisai.phones import clean_phone

EXAMPLE_NIKS = (
    build_nik("330106", datetime.date(1985, 3, 15), Gender.MALE, 1),
    build_nik("330102", datetime.date(1990, 11, 2), Gender.FEMALE, 2),
)
"""The template's example rows; uploading them by mistake is an error, not two new participants."""

PARTICIPANT_FIELDS = ("nik", "full_name", "gender", "birth_date", "phone", "address", "kecamatan", "desa", "occupation")


@dataclass(frozen=True)
class Finding:
    """An error or warning about one row (``row`` as numbered in the spreadsheet, header = row 1)."""

    row: int
    column: str | None
    cell: str | None
    code: str
    message: str


@dataclass(frozen=True)
class ValidRow:
    """A row that passed every check: what the import writes."""

    row: int
    participant_id: int | None  # set when an existing (lapsed) participant is acquired again
    nik: str
    full_name: str
    gender: str
    birth_date: datetime.date
    phone: str
    address: str
    kecamatan: str
    desa: str
    district: str
    village: str
    occupation: str
    kpj_number: str | None
    agent_id: int
    office_id: int
    acquired_on: datetime.date
    declared_income: Decimal
    with_jht: bool
    rate_id: int
    monthly_contribution: Decimal


CHECKED_MODEL_FIELDS = [
    Participant._meta.get_field(name) for name in (*PARTICIPANT_FIELDS, "kpj_number") if name != "nik"
]
"""The participant's fields whose model validators every imported row passes (the NIK has its own parser)."""

VALID_ROW_VALUES = operator.attrgetter(*(row_field.name for row_field in fields(ValidRow)))
"""A ``ValidRow``'s values as a tuple, in field order (far quicker than ``asdict`` for 10,000 rows)."""


@dataclass
class Validation:
    total: int
    valid_rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def rows_with_errors(self):
        return len({finding.row for finding in self.errors})

    @property
    def can_import(self):
        return not self.errors and bool(self.valid_rows)

    def fingerprint(self):
        """A digest of what would be written and why: equal digests mean nothing changed since the preview."""
        content = {
            "rows": [VALID_ROW_VALUES(row) for row in self.valid_rows],
            "findings": [(f.row, f.column, f.code) for f in (*self.errors, *self.warnings)],
        }
        return hashlib.sha256(json.dumps(content, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class _Row:
    """A row on its way through the checks; ``values`` is filled once every cell could be read."""

    number: int
    cells: dict
    values: dict = field(default_factory=dict)
    agent_code: str = ""
    failed: bool = False


def validate_rows(raw_rows, *, letters, branch, agent, today):
    """Check ``raw_rows`` (``[{"row": 5, "cells": {"nik": ...}}]``) for an import into ``branch``.

    ``agent`` is the agent chosen on the upload page, or ``None`` when rows name theirs by code;
    ``letters`` maps column keys to the file's column letters, so messages can name the cell.
    """
    validation = Validation(total=len(raw_rows))
    checker = _Checker(validation, letters)
    rows = [_Row(raw["row"], raw["cells"]) for raw in raw_rows]
    regencies = branch_regencies(branch)
    for row in rows:
        checker.read_row(row, agent_chosen=agent is not None, regencies=regencies, today=today)
    live = [row for row in rows if row.values]  # every cell readable; later checks may still fail them
    checker.working_age(live, today=today)
    checker.file_duplicates(live)
    checker.agents(live, branch=branch, chosen=agent)
    checker.pricing(live, rates=list(ContributionRate.objects.all()))
    checker.existing_participants(live, branch=branch)
    checker.kpj_numbers(live)
    for row in rows:
        if not row.failed:
            validation.valid_rows.append(ValidRow(row=row.number, **row.values))
    validation.errors.sort(key=lambda finding: finding.row)
    validation.warnings.sort(key=lambda finding: finding.row)
    return validation


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


class _Checker:
    def __init__(self, validation, letters):
        self.validation = validation
        self.letters = letters

    def _finding(self, row, column, code, message):
        cell = f"{self.letters[column]}{row.number}" if column in self.letters else None
        return Finding(row=row.number, column=column, cell=cell, code=code, message=str(message))

    def error(self, row, column, code, message):
        row.failed = True
        self.validation.errors.append(self._finding(row, column, code, message))

    def warn(self, row, column, code, message):
        self.validation.warnings.append(self._finding(row, column, code, message))

    def _cell(self, row, key, reader, *, required=False):
        value = row.cells.get(key)
        try:
            check_formula(value)
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise CellError(
                    _("This cell is longer than %(limit)d characters.") % {"limit": MAX_CELL_CHARS}, "too_long"
                )
            result = reader(value)
            if required and result in ("", None):
                raise CellError(_("“%(label)s” is required.") % {"label": COLUMN_BY_KEY[key].label}, "required")
            return result
        except CellError as problem:
            self.error(row, key, problem.code, problem)
            return None

    def read_row(self, row, *, agent_chosen, regencies, today):
        """The cells of one row, each read and checked on its own and against the others in the row."""
        values = {
            "nik": self._cell(row, "nik", read_digits, required=True),
            "full_name": self._cell(row, "full_name", read_text, required=True),
            "birth_date": self._cell(row, "birth_date", read_date),
            "gender": self._cell(row, "gender", read_gender),
            "phone": self._cell(row, "phone", read_digits),
            "address": self._cell(row, "address", read_text),
            "kecamatan": self._cell(row, "kecamatan", read_text, required=True),
            "desa": self._cell(row, "desa", read_text),
            "occupation": self._cell(row, "occupation", read_occupation),
            "declared_income": self._cell(row, "declared_income", read_rupiah),
            "with_jht": self._cell(row, "with_jht", read_yes_no),
            "acquired_on": self._cell(row, "acquired_on", read_date),
            "kpj_number": self._cell(row, "kpj_number", read_digits) or None,
        }
        agent_code = self._cell(row, "agent_code", read_text)
        row.agent_code = agent_code or ""
        if not agent_chosen and agent_code == "":
            self.error(
                row,
                "agent_code",
                "required",
                _("“%(label)s” is required.") % {"label": COLUMN_BY_KEY["agent_code"].label},
            )
        if row.failed:
            return
        if isinstance(row.cells.get("nik"), int | float):
            self.warn(
                row,
                "nik",
                "nik_as_number",
                _("The NIK was stored as a number; Excel keeps only 15 digits, so check the last digit."),
            )
        self._nik(row, values, today)
        self._dates(row, values, today)
        self._place(row, values, regencies)
        if "phone" not in self._model_fields(row, values):
            try:
                values["phone"] = clean_phone(values["phone"])  # one form, +62…, whatever Excel did to the 0
            except ValidationError as problem:
                self.error(row, "phone", problem.code, problem.messages[0])
        row.values = values

    def _nik(self, row, values, today):
        try:
            parse_nik(values["nik"], today=today)
        except ValidationError as problem:
            self.error(row, "nik", problem.code or "bad_nik", problem.messages[0])
            return
        if values["nik"] in EXAMPLE_NIKS:
            self.error(row, "nik", "example_row", _("This is one of the template's example rows; delete it."))
        for mismatch in nik_mismatches(values["nik"], birth_date=values["birth_date"], gender=values["gender"]):
            self.warn(row, "nik", "nik_mismatch", mismatch)

    def _place(self, row, values, regencies):
        """The kecamatan and desa as codes with their official names, by the rule every way in follows
        (``agents.places``); a place that is none of the branch's is an error on its cell."""
        values["district"] = values["village"] = ""
        try:
            place = place_resolve(
                regencies=regencies, nik=values["nik"], kecamatan=values["kecamatan"], desa=values["desa"]
            )
        except ValidationError as problem:
            for column, messages in problem.message_dict.items():
                self.error(row, column, "unknown_place", messages[0])
            return
        values.update(place.fields())

    def _dates(self, row, values, today):
        if values["birth_date"] > today:
            self.error(row, "birth_date", "future_birth_date", _("The birth date is in the future."))
        if values["acquired_on"] > today:
            self.error(row, "acquired_on", "future_acquisition", _("The acquisition date is in the future."))
        elif values["acquired_on"] < values["birth_date"]:
            self.error(row, "acquired_on", "before_birth", _("The acquisition date is before the birth date."))

    def working_age(self, rows, *, today):
        """A worker younger or older than the terms in force on the enrolment day allow (one query a file)."""
        bounds_on = working_ages()
        for row in rows:
            acquired_on, birth_date = row.values["acquired_on"], row.values["birth_date"]
            if acquired_on > today or acquired_on < birth_date:
                continue  # already refused by ``_dates``
            bounds = bounds_on(acquired_on)
            refusal = bounds.refusal(birth_date, acquired_on) if bounds is not None else None
            if refusal is not None:
                self.error(row, "birth_date", "working_age", refusal)

    def _model_fields(self, row, values):
        """The participant model's own validators (lengths, phone, KPJ format): the rules every form obeys,
        run as ``Model.clean_fields`` runs them (a blank optional field is not checked), without building
        a model instance per row; the names of the fields refused."""
        refused = set()
        for model_field in CHECKED_MODEL_FIELDS:
            value = values[model_field.name]
            if model_field.blank and value in model_field.empty_values:
                continue
            try:
                model_field.clean(value, None)
            except ValidationError as problem:
                self.error(row, model_field.name, "invalid", problem.messages[0])
                refused.add(model_field.name)
        return refused

    def file_duplicates(self, rows):
        """A NIK or KPJ number on two rows: every row after the first is an error naming the first."""
        for key, code, message in (
            ("nik", "duplicate_nik_in_file", _("The same NIK is already on row %(row)d of this file.")),
            ("kpj_number", "duplicate_kpj_in_file", _("The same KPJ number is already on row %(row)d of this file.")),
        ):
            first_row = {}
            for row in rows:
                value = row.values.get(key)
                if not value:
                    continue
                if value in first_row:
                    self.error(row, key, code, message % {"row": first_row[value]})
                else:
                    first_row[value] = row.number

    def agents(self, rows, *, branch, chosen):
        """Each row's agent: the chosen one, or the one its code names, in the branch and active on the date."""
        if chosen is not None:
            by_code = {chosen.code.casefold(): chosen}
        else:
            codes = {code for row in rows for code in (row.agent_code, row.agent_code.upper())}
            by_code = {}
            for chunk in _chunks(codes):
                by_code.update({agent.code.casefold(): agent for agent in Agent.objects.filter(code__in=chunk)})
        for row in rows:
            code = row.agent_code.casefold()
            if chosen is not None and code and code != chosen.code.casefold():
                self.error(
                    row,
                    "agent_code",
                    "other_agent",
                    _("This row names agent %(code)s but the import is for %(agent)s.")
                    % {"code": row.agent_code, "agent": chosen},
                )
                continue
            agent = chosen or by_code.get(code)
            if agent is None or agent.branch_id != branch.pk:
                self.error(
                    row,
                    "agent_code",
                    "unknown_agent",
                    _("No agent of your branch has the code %(code)s.") % {"code": row.agent_code},
                )
                continue
            day = row.values["acquired_on"]
            if day < agent.joined_on or (agent.left_on is not None and day > agent.left_on):
                self.error(
                    row,
                    "acquired_on",
                    "agent_not_active",
                    _("%(agent)s was not an active agent on %(date)s.") % {"agent": agent, "date": long_date(day)},
                )
                continue
            if agent.left_on is not None:
                self.warn(
                    row,
                    "agent_code",
                    "agent_left",
                    _("%(agent)s has left; after the import, move their participants to an active agent.")
                    % {"agent": agent},
                )
            row.values.update(agent_id=agent.pk, office_id=agent.office_id)

    def pricing(self, rows, *, rates):
        """The rate in force on the acquisition date and the monthly contribution, as ``acquisition_pricing``."""
        for row in rows:
            day = row.values["acquired_on"]
            in_force = [
                rate
                for rate in rates
                if rate.effective_from <= day and (rate.effective_to is None or rate.effective_to >= day)
            ]
            if not in_force:
                self.error(
                    row,
                    "acquired_on",
                    "no_rate",
                    _("No contribution rate is in force on %(date)s.") % {"date": day.strftime("%d-%m-%Y")},
                )
                continue
            rate = max(in_force, key=lambda rate: rate.effective_from)
            try:
                breakdown = rate.breakdown(row.values["declared_income"], with_jht=row.values["with_jht"])
            except ValidationError as problem:
                self.error(row, "declared_income", "income_out_of_range", problem.messages[0])
                continue
            row.values.update(rate_id=rate.pk, monthly_contribution=breakdown.total)

    def existing_participants(self, rows, *, branch):
        """Workers already registered: enrolled now (error), or lapsed and acquired again (warning)."""
        active = Acquisition.objects.filter(participant=OuterRef("pk"), status=Acquisition.Status.ACTIVE)
        existing = {}
        for chunk in _chunks(row.values["nik"] for row in rows):
            existing.update(
                (found["nik"], found)
                for found in Participant.objects.filter(nik__in=chunk)
                .annotate(
                    enrolled_on=Subquery(active.values("acquired_on")[:1]),
                    enrolled_by=Subquery(active.values("agent__full_name")[:1]),
                    lapsed_on=Max("acquisitions__ended_on"),
                )
                .values("pk", "nik", "branch_id", "full_name", "enrolled_on", "enrolled_by", "lapsed_on")
            )
        for row in rows:
            found = existing.get(row.values["nik"])
            if found is None:
                row.values["participant_id"] = None
            elif found["enrolled_on"] is not None:
                self.error(
                    row,
                    "nik",
                    "already_enrolled",
                    _("This worker is already enrolled on %(date)s by %(agent)s.")
                    % {"date": long_date(found["enrolled_on"]), "agent": found["enrolled_by"]},
                )
            elif found["lapsed_on"] is not None and row.values["acquired_on"] <= found["lapsed_on"]:
                self.error(
                    row,
                    "acquired_on",
                    "before_lapse",
                    _("This worker's previous acquisition lapsed on %(date)s; a new one must start after that.")
                    % {"date": long_date(found["lapsed_on"])},
                )
            else:
                row.values["participant_id"] = found["pk"]
                message = _(
                    "Acquired again: the earlier acquisition has lapsed. Phone, address, kecamatan, desa and "
                    "occupation are updated from the file; name, birth date and gender stay as registered."
                )
                if found["branch_id"] != branch.pk:
                    message += " " + _("The worker moves to your branch from another branch office.")
                elif normalise(found["full_name"]) != normalise(row.values["full_name"]):
                    message += " " + _("The register names them %(name)s.") % {"name": found["full_name"]}
                self.warn(row, "nik", "reacquisition", message)

    def kpj_numbers(self, rows):
        """A KPJ number already held by another participant (a re-acquired worker may keep their own)."""
        rows = [row for row in rows if row.values["kpj_number"]]
        holders = {}
        for chunk in _chunks(row.values["kpj_number"] for row in rows):
            holders.update(Participant.objects.filter(kpj_number__in=chunk).values_list("kpj_number", "nik"))
        for row in rows:
            holder = holders.get(row.values["kpj_number"])
            if holder is not None and holder != row.values["nik"]:
                self.error(row, "kpj_number", "kpj_taken", _("Another participant already has this KPJ number."))
