"""A participant's own data for their access request (UU PDP 27/2022, art. 7 and 32): everything Perisai
holds about them and the record of its processing, in full, as JSON or as an Excel workbook that staff
can hand over or print.

Five sections: the person (every field of ``Participant``), their acquisitions (who enrolled them,
who looks after them, the package and contribution), every contribution recorded, the change history
with old and new values in full, and when their full NIK was shown, to which role and from which
page (the NIK view log; the names of the office's people stay in the head's log). The same sections
feed both formats, so the JSON and the workbook always hold the same facts.
"""

import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from enrollment.models import Contribution
from enrollment.selectors.history import history_for
from perisai.spreadsheets import neutralise

TEXT, DATE, MONTH, MONEY, MOMENT, YES_NO = "text", "date", "month", "money", "moment", "yes_no"
CELL_FORMATS = {DATE: "d mmm yyyy", MONTH: "mmm yyyy", MONEY: '"Rp" #,##0', MOMENT: "d mmm yyyy hh:mm"}
COLUMN_WIDTH = 22


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Section:
    """One table of the export: ``rows`` are dicts keyed by the fields' keys."""

    key: str
    title: str
    fields: list
    rows: list


def _person(participant):
    fields = [
        Field("nik", "NIK"),
        Field("full_name", _("Full name")),
        Field("gender", _("Gender")),
        Field("birth_date", _("Birth date"), DATE),
        Field("phone", _("Phone")),
        Field("address", _("Address")),
        Field("kecamatan", _("Kecamatan")),
        Field("desa", _("Desa/kelurahan")),
        Field("occupation", _("Occupation")),
        Field("kpj_number", _("KPJ number")),
        Field("branch", _("Branch office")),
    ]
    row = {
        "nik": participant.nik,
        "full_name": participant.full_name,
        "gender": participant.get_gender_display(),
        "birth_date": participant.birth_date,
        "phone": participant.phone,
        "address": participant.address,
        "kecamatan": participant.kecamatan,
        "desa": participant.desa,
        "occupation": participant.get_occupation_display(),
        "kpj_number": participant.kpj_number or "",
        "branch": participant.branch.name,
    }
    return Section("participant", _("Personal data"), fields, [row])


def _acquisitions(acquisitions):
    fields = [
        Field("acquired_on", _("Acquired on"), DATE),
        Field("agent", _("Acquired by")),
        Field("caretaker", _("Looked after by")),
        Field("office", _("Perisai office")),
        Field("status", _("Status")),
        Field("ended_on", _("Lapsed on"), DATE),
        Field("declared_income", _("Declared monthly income"), MONEY),
        Field("with_jht", _("With JHT (old-age savings)"), YES_NO),
        Field("monthly_contribution", _("Monthly contribution"), MONEY),
        Field("rate", _("Rate applied")),
    ]
    rows = [
        {
            "acquired_on": acquisition.acquired_on,
            "agent": str(acquisition.agent),
            "caretaker": str(acquisition.caretaker),
            "office": acquisition.office.name,
            "status": acquisition.get_status_display(),
            "ended_on": acquisition.ended_on,
            "declared_income": acquisition.declared_income,
            "with_jht": acquisition.with_jht,
            "monthly_contribution": acquisition.monthly_contribution,
            "rate": acquisition.rate.name,
        }
        for acquisition in acquisitions
    ]
    return Section("acquisitions", _("Acquisitions"), fields, rows)


def _contributions(contributions):
    fields = [
        Field("period", _("Month"), MONTH),
        Field("amount", _("Amount"), MONEY),
        Field("paid_on", _("Paid on"), DATE),
        Field("channel", _("Channel")),
        Field("channel_name", _("Paid through")),
        Field("reference", _("Channel reference")),
        Field("receipt_number", _("Receipt number")),
        Field("collected_by", _("Collected by")),
        Field("acquired_on", _("For the acquisition of"), DATE),
    ]
    rows = [
        {
            "period": contribution.period,
            "amount": contribution.amount,
            "paid_on": contribution.paid_on,
            "channel": contribution.get_channel_display(),
            "channel_name": contribution.channel_name,
            "reference": contribution.reference,
            "receipt_number": contribution.receipt_number,
            "collected_by": str(contribution.collected_by) if contribution.collected_by else "",
            "acquired_on": contribution.acquisition.acquired_on,
        }
        for contribution in contributions
    ]
    return Section("contributions", _("Contributions"), fields, rows)


def _history(entries):
    fields = [
        Field("when", _("When"), MOMENT),
        Field("who", _("Who")),
        Field("what", _("What")),
        Field("reason", _("Reason")),
        Field("changes", _("Changes")),
    ]
    rows = [
        {
            "when": timezone.localtime(entry.when),
            "who": entry.who,
            "what": f"{entry.subject} · {entry.action}",
            "reason": entry.reason,
            "changes": "; ".join(f"{change.field}: {change.old} → {change.new}" for change in entry.changes),
        }
        for entry in entries
    ]
    return Section("history", _("History"), fields, rows)


def _nik_views(disclosures):
    fields = [Field("when", _("When"), MOMENT), Field("role", _("Seen by")), Field("reason", _("From"))]
    rows = [
        {
            "when": timezone.localtime(disclosure.disclosed_at),
            "role": disclosure.viewer.get_role_display(),
            "reason": disclosure.get_reason_display(),
        }
        for disclosure in disclosures
    ]
    return Section("nik_views", _("NIK shown"), fields, rows)


def participant_personal_data(participant):
    """The sections of ``participant``'s data (fetched by the caller within the user's scope)."""
    acquisitions = list(
        participant.acquisitions.select_related("agent", "caretaker", "office", "rate").order_by("acquired_on", "pk")
    )
    contributions = (
        Contribution.objects.filter(acquisition__participant=participant)
        .select_related("acquisition", "collected_by")
        .order_by("period", "acquisition__acquired_on", "pk")
    )
    history = history_for(
        participant,
        participant.acquisitions.all(),
        Contribution.objects.filter(acquisition__participant=participant),
        full_phone=True,
        full_nik=True,
    )
    disclosures = participant.nik_disclosures.select_related("viewer").order_by("disclosed_at", "pk")
    return [
        _person(participant),
        _acquisitions(acquisitions),
        _contributions(contributions),
        _history(history),
        _nik_views(disclosures),
    ]


def _json_value(value, kind):
    if kind == MONTH and value is not None:
        return value.strftime("%Y-%m")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def personal_data_json(sections, *, exported_at):
    """The sections as a JSON document: the person as an object, the rest as lists, keys in English."""
    document = {"exported_at": exported_at}
    for section in sections:
        rows = [{f.key: _json_value(row[f.key], f.kind) for f in section.fields} for row in section.rows]
        document[section.key] = rows[0] if section.key == "participant" else rows
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _cell_value(value, kind):
    if isinstance(value, str):
        return neutralise(value)
    if kind == YES_NO:
        return _("Yes") if value else _("No")
    if kind == MOMENT and value is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: the office's local time
    if kind == MONEY and value is not None:
        return int(value)
    return value


def personal_data_workbook(sections):
    """The sections as an .xlsx file's bytes: the person's fields one per line, then one sheet per table."""
    workbook = Workbook()
    bold = Font(bold=True)
    for index, section in enumerate(sections):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = neutralise(section.title)[:31]
        if section.key == "participant":
            (row,) = section.rows
            for field in section.fields:
                sheet.append([neutralise(field.label), _cell_value(row[field.key], field.kind)])
                sheet.cell(row=sheet.max_row, column=1).font = bold
                _format(sheet.cell(row=sheet.max_row, column=2), field.kind)
            sheet.column_dimensions["A"].width = COLUMN_WIDTH
            sheet.column_dimensions["B"].width = 2 * COLUMN_WIDTH
            continue
        sheet.append([neutralise(field.label) for field in section.fields])
        for cell in sheet[1]:
            cell.font = bold
        for row in section.rows:
            sheet.append([_cell_value(row[field.key], field.kind) for field in section.fields])
            for column, field in enumerate(section.fields, start=1):
                _format(sheet.cell(row=sheet.max_row, column=column), field.kind)
        for column in range(1, len(section.fields) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = COLUMN_WIDTH
        sheet.freeze_panes = "A2"
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _format(cell, kind):
    if kind in CELL_FORMATS and isinstance(cell.value, datetime.date | int):
        cell.number_format = CELL_FORMATS[kind]
