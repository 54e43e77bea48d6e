"""The downloadable import template: the right headers in the user's language, two example rows,
and a second sheet listing the occupations, the kecamatan and desa of the branch's area (official names,
``agents.places``) and its active agents.

NIK, phone and KPJ columns are formatted as text so Excel keeps every digit and the leading 0; the
header cells carry a comment saying what each column takes; drop-down lists offer the genders, the
occupations and Yes/No. The example rows use NIKs the import recognises and refuses, so a template
uploaded with its examples still in it adds nobody.
"""

import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from agents.models import Agent
from agents.places import branch_regencies, place_options
from enrollment.importing.columns import COLUMNS, NO_LABEL, YES_LABEL, column_letter
from enrollment.importing.validation import EXAMPLE_NIKS
from enrollment.models import Occupation
from perisai.nik import Gender
from perisai.spreadsheets import neutralise

DROP_DOWN_ROWS = 2000
"""Rows below the header that offer the drop-down lists."""

HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
NUMBER_FORMATS = {"text": "@", "date": "DD-MM-YYYY", "number": "#,##0"}
EXAMPLE_PEOPLE = (
    ("Slamet Riyadi", datetime.date(1985, 3, 15), Gender.MALE, "0812-2671-0001", "Dusun Krajan RT 02/RW 03",
     "Kroya", "Bajing", Occupation.FARMER, Decimal(1_000_000), False, ""),
    ("Siti Rahayu", datetime.date(1990, 11, 2), Gender.FEMALE, "0857-4101-0002", "Jl. Kenanga No. 5",
     "Kesugihan", "Slarang", Occupation.TRADER, Decimal(1_500_000), True, "22012345678"),
)  # fmt: skip


def template_workbook(*, branch, today):
    """The template for ``branch`` (``None`` for a national administrator) as .xlsx bytes."""
    agents = list(
        Agent.objects.filter(status=Agent.Status.ACTIVE, **({"branch": branch} if branch else {}))
        .select_related("office")
        .order_by("code")
    )
    options = place_options(branch_regencies(branch)) if branch else None
    kecamatan = [label for _code, label in options.districts] if options else []
    names = dict(options.districts) if options else {}
    villages = [(names[district], name) for district, _code, name in options.villages] if options else []
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    lists = workbook.create_sheet(_("Lists")[:31])
    _fill_lists(lists, agents, kecamatan, villages)
    _fill_participants(sheet, lists.title, agents, kecamatan, today)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_participants(sheet, lists_title, agents, kecamatan, today):
    sheet.append([str(column.label) for column in COLUMNS])
    for position, column in enumerate(COLUMNS):
        letter = column_letter(position)
        header = sheet[f"{letter}1"]
        header.font = Font(bold=True, color="FFFFFF")
        header.fill = HEADER_FILL
        if column.hint:
            header.comment = Comment(str(column.hint), "Perisai")
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = NUMBER_FORMATS[column.kind]
    agent_code = agents[0].code if agents else ""
    for number, (nik, person) in enumerate(zip(EXAMPLE_NIKS, EXAMPLE_PEOPLE, strict=True)):
        name, birth_date, gender, phone, address, district, desa, occupation, income, jht, kpj = person
        if kecamatan and district not in kecamatan:
            district = kecamatan[min(number, len(kecamatan) - 1)]
        values = {
            "nik": nik,
            "full_name": name,
            "birth_date": birth_date,
            "gender": str(Gender(gender).label),
            "phone": phone,
            "address": address,
            "kecamatan": district,
            "desa": desa,
            "occupation": str(Occupation(occupation).label),
            "declared_income": int(income),
            "with_jht": str(YES_LABEL if jht else NO_LABEL),
            "acquired_on": today,
            "kpj_number": kpj,
            "agent_code": agent_code,
        }
        sheet.append([neutralise(values[column.key]) for column in COLUMNS])
        for position, column in enumerate(COLUMNS):
            sheet.cell(row=number + 2, column=position + 1).number_format = NUMBER_FORMATS[column.kind]
    sheet.freeze_panes = "B2"
    _drop_downs(sheet, lists_title)


def _drop_downs(sheet, lists_title):
    letters = {column.key: column_letter(position) for position, column in enumerate(COLUMNS)}
    last_row = DROP_DOWN_ROWS + 1
    choices = {
        "gender": f'"{Gender.MALE.label},{Gender.FEMALE.label}"',
        "with_jht": f'"{YES_LABEL},{NO_LABEL}"',
        "occupation": f"'{lists_title}'!$B$2:$B${len(Occupation) + 1}",
    }
    for key, formula in choices.items():
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
        validation.add(f"{letters[key]}2:{letters[key]}{last_row}")
        sheet.add_data_validation(validation)


def _fill_lists(sheet, agents, kecamatan, villages):
    bold = Font(bold=True)
    sheet.append(
        [
            _("Occupation code"),
            _("Occupation"),
            None,
            _("Kecamatan"),
            None,
            _("Agent code"),
            _("Agent"),
            _("Perisai office"),
            None,
            _("Kecamatan"),
            _("Desa/kelurahan"),
        ]
    )
    for cell in sheet[1]:
        cell.font = bold
    rows = max(len(Occupation), len(kecamatan), len(agents), len(villages))
    occupations = list(Occupation)
    for index in range(rows):
        occupation = occupations[index] if index < len(occupations) else None
        agent = agents[index] if index < len(agents) else None
        village = villages[index] if index < len(villages) else (None, None)
        sheet.append(
            [
                occupation.value if occupation else None,
                str(occupation.label) if occupation else None,
                None,
                neutralise(kecamatan[index]) if index < len(kecamatan) else None,
                None,
                neutralise(agent.code) if agent else None,
                neutralise(agent.full_name) if agent else None,
                neutralise(agent.office.name) if agent else None,
                None,
                village[0],
                village[1],
            ]
        )
    for letter, width in (("A", 22), ("B", 28), ("D", 22), ("F", 14), ("G", 28), ("H", 30), ("J", 22), ("K", 26)):
        sheet.column_dimensions[letter].width = width
