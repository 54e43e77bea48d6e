"""The incentive sheet and fee statements as Excel, with the evaluation workbook's conventions.

Headers in the reader's language (call inside ``translation.override``), counts as ``#,##0``, money
as ``"Rp" #,##0``, dates as real dates, the header row frozen and filtered, columns sized to their
contents, every text cell through ``perisai.spreadsheets.neutralise``. Each figure is written from
the same ``incentives.statements`` function the pages show, so the file and the page cannot differ.

- ``write_incentive_sheet(worksheet, *, branch, month)``: the branch-wide sheet on a worksheet the
  caller made (the evaluation workbook adds it as one of its sheets);
- ``write_agent_statement(worksheet, *, agent, month)``: one agent's statement;
- ``incentive_workbook(*, branch, month, language)``: the branch sheet plus one sheet per agent
  (the download and ``manage.py incentive_statement``).
"""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from incentives.statements import agent_statement, branch_statements, incentive_sheet
from perisai.formatting import number
from perisai.spreadsheets import INVALID_SHEET_CHARACTERS, neutralise, sheet_name

COUNT = "#,##0"
RUPIAH = '"Rp" #,##0'
PERCENT = "0.0%"
DATE = "d mmm yyyy"
MONTH = "mmm yyyy"
TEXT = None

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
TOTAL_FONT = Font(bold=True)
LABEL_FONT = Font(bold=True)
MIN_WIDTH, MAX_WIDTH = 8, 48


def month_label(month):
    """ "Maret 2022" in the active language."""
    return date_format(month, "F Y")


def sheet_title(sheet):
    """ "Insentif agen — Cilacap — Maret 2022": the sheet's print header and the workbook's title."""
    return f"{_('Agent incentives')} — {sheet.branch.name} — {month_label(sheet.month)}"


def workbook_filename(sheet):
    return f"{sheet_title(sheet)}.xlsx".translate(INVALID_SHEET_CHARACTERS)


def statement_filename(statement):
    title = f"{_('Fee statement')} — {statement.agent.code} — {month_label(statement.month)}"
    return f"{title}.xlsx".translate(INVALID_SHEET_CHARACTERS)


# --- writing tables -----------------------------------------------------------------------------


def _cell(value):
    return neutralise(value) if isinstance(value, str) else value


def _write_table(worksheet, columns, rows, *, total=None):
    """``columns`` (header, number format) from A1, ``rows`` below, then an optional bold ``total`` row.

    The header row is styled, frozen and filtered (the filter stops above the total row, so sorting
    never moves it). Returns the number of the last row written.
    """
    worksheet.append([_cell(str(header)) for header, _format in columns])
    for row in rows:
        worksheet.append([_cell(value) for value in row])
    last_data_row = worksheet.max_row
    if total is not None:
        worksheet.append([_cell(value) for value in total])
        for cell in worksheet[worksheet.max_row]:
            cell.font = TOTAL_FONT
    for index, (_header, cell_format) in enumerate(columns, start=1):
        header = worksheet.cell(row=1, column=index)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        if cell_format:
            for (cell,) in worksheet.iter_rows(min_row=2, max_row=worksheet.max_row, min_col=index, max_col=index):
                cell.number_format = cell_format
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_data_row}"
    worksheet.row_dimensions[1].height = 45
    return worksheet.max_row


def _write_pairs(worksheet, pairs, *, start_row, label_column=1, value_column=2):
    """``(label, value, number format)`` lines from ``start_row``: a block of figures under a table."""
    row = start_row
    for label, value, cell_format in pairs:
        label_cell = worksheet.cell(row=row, column=label_column, value=_cell(str(label)))
        label_cell.font = LABEL_FONT
        value_cell = worksheet.cell(row=row, column=value_column, value=_cell(value))
        if cell_format:
            value_cell.number_format = cell_format
        row += 1
    return row - 1


def _size_columns(worksheet):
    """Each column as wide as its longest value so far (headers by their longest word), within limits.

    Called before the notes under a table are written, so a sentence does not widen its column.
    """
    widths = {}
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), _display_width(cell))
    for column, width in widths.items():
        worksheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def _display_width(cell):
    value = cell.value
    if cell.row == 1:
        return max((len(word) for word in str(value).split()), default=0)
    if cell.number_format in (DATE, MONTH):
        return 11
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return len(f"{value:,}") + (3 if cell.number_format == RUPIAH else 0)
    return len(str(value))


def _print_setup(worksheet, title):
    worksheet.oddHeader.center.text = title.replace("&", "&&")
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth = 1
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_setup.fitToHeight = 0


# --- the branch-wide sheet ----------------------------------------------------------------------


def sheet_columns(sheet):
    columns = [
        (_("Agent code"), TEXT),
        (_("Agent"), TEXT),
        (_("Perisai office"), TEXT),
        (_("Contributions paid"), COUNT),
        (_("Amount paid"), RUPIAH),
        (_("Fee"), RUPIAH),
        (_("New participants"), COUNT),
        (_("Bonus"), RUPIAH),
    ]
    if _has_recruitment(sheet):
        columns += [(_("New agents recruited"), COUNT), (_("Recruitment fee"), RUPIAH)]
    return columns + [(_("Total"), RUPIAH)]


def _has_recruitment(sheet):
    return bool(sheet.scheme and sheet.scheme.recruitment_fee) or sheet.total.recruitment_fee > 0


def _sheet_values(incentive, with_recruitment):
    values = [
        incentive.contributions,
        incentive.contributions_amount,
        incentive.fee,
        incentive.new_participants,
        incentive.bonus,
    ]
    if with_recruitment:
        values += [incentive.recruits, incentive.recruitment_fee]
    return values + [incentive.total]


def scheme_description(scheme, month):
    """The scheme in one sentence, or why nothing is earned."""
    if scheme is None:
        return _("No incentive scheme was in force in %(month)s: nothing is earned.") % {"month": month_label(month)}
    parts = [_("Fee %(rate)s%% of the contributions paid in the month") % {"rate": _percent(scheme.fee_percent)}]
    if scheme.has_bonus:
        parts.append(
            _("bonus Rp %(amount)s for %(threshold)s or more new participants")
            % {"amount": number(scheme.bonus_amount), "threshold": scheme.bonus_threshold}
        )
    if scheme.recruitment_fee:
        parts.append(_("Rp %(amount)s per new agent recruited") % {"amount": number(scheme.recruitment_fee)})
    if scheme.office_share_rate:
        parts.append(
            _("office head's share %(rate)s%% of the agents' fees") % {"rate": _percent(scheme.office_share_percent)}
        )
    return f"{scheme.name}: {'; '.join(parts)}."


def _percent(value):
    value = Decimal(value).normalize()
    decimals = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=decimals, use_l10n=True)


def _write_sheet(worksheet, sheet):
    with_recruitment = _has_recruitment(sheet)
    columns = sheet_columns(sheet)
    rows = [
        [row.agent.code, row.agent.full_name, row.agent.office.name, *_sheet_values(row.incentive, with_recruitment)]
        for row in sheet.rows
    ]
    total = [
        _("Total"),
        _("%(count)d agents") % {"count": len(sheet.rows)},
        "",
        *_sheet_values(sheet.total, with_recruitment),
    ]
    last = _write_table(worksheet, columns, rows, total=total)
    _size_columns(worksheet)
    worksheet.cell(row=last + 2, column=1, value=_cell(scheme_description(sheet.scheme, sheet.month)))
    worksheet.cell(row=last + 3, column=1, value=_cell(rules_note()))
    if sheet.office_shares:
        start = last + 5
        headers = [_("Perisai office"), _("Agents' fees"), _("Office head's share")]
        for index, header in enumerate(headers, start=1):
            cell = worksheet.cell(row=start, column=index + 2, value=_cell(header))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for offset, share in enumerate(sheet.office_shares, start=1):
            worksheet.cell(row=start + offset, column=3, value=_cell(share.office.name))
            worksheet.cell(row=start + offset, column=4, value=share.fees).number_format = RUPIAH
            worksheet.cell(row=start + offset, column=5, value=share.share).number_format = RUPIAH
        total_row = start + len(sheet.office_shares) + 1
        worksheet.cell(row=total_row, column=3, value=_cell(_("Total"))).font = TOTAL_FONT
        cell = worksheet.cell(row=total_row, column=5, value=sheet.office_share_total)
        cell.number_format, cell.font = RUPIAH, TOTAL_FONT
    _print_setup(worksheet, sheet_title(sheet))


def rules_note():
    return _(
        "Contributions count in the month they were paid, for the agent credited with them. "
        "The fee is rounded once per agent and month, to whole Rupiah, half up."
    )


def write_incentive_sheet(worksheet, *, branch, month, sheet=None):
    """The branch-wide incentive sheet for ``month`` on ``worksheet``; returns the ``IncentiveSheet`` written."""
    sheet = sheet or incentive_sheet(branch=branch, month=month)
    _write_sheet(worksheet, sheet)
    return sheet


# --- one agent's statement ----------------------------------------------------------------------


def statement_columns():
    return [
        (_("Participant"), TEXT),
        (_("KPJ number"), TEXT),
        (_("Period"), MONTH),
        (_("Amount"), RUPIAH),
        (_("Paid on"), DATE),
    ]


def statement_figures(statement):
    """The statement's figures under its table, as ``(label, value, number format)``."""
    incentive, scheme = statement.incentive, statement.scheme
    pairs = [
        (_("Agent"), f"{statement.agent.full_name} ({statement.agent.code})", TEXT),
        (_("Month"), statement.month, MONTH),
        (_("Contributions counted"), incentive.contributions, COUNT),
        (_("Amount paid"), incentive.contributions_amount, RUPIAH),
        (_("Fee rate"), scheme.fee_rate if scheme else Decimal(0), PERCENT),
        (_("Fee"), incentive.fee, RUPIAH),
        (_("New participants"), incentive.new_participants, COUNT),
        (_("Bonus"), incentive.bonus, RUPIAH),
    ]
    if incentive.recruits or (scheme and scheme.recruitment_fee):
        pairs += [
            (_("New agents recruited"), incentive.recruits, COUNT),
            (_("Recruitment fee"), incentive.recruitment_fee, RUPIAH),
        ]
    return pairs + [(_("Total"), incentive.total, RUPIAH)]


def _write_statement(worksheet, statement):
    columns = statement_columns()
    rows = [
        [line.participant, line.kpj_number or "", line.period, line.amount, line.paid_on] for line in statement.lines
    ]
    last = _write_table(worksheet, columns, rows)
    end = _write_pairs(worksheet, statement_figures(statement), start_row=last + 2, label_column=1, value_column=4)
    _size_columns(worksheet)
    worksheet.cell(row=end + 2, column=1, value=_cell(scheme_description(statement.scheme, statement.month)))
    title = (
        f"{_('Fee statement')} — {statement.agent.full_name} ({statement.agent.code}) — {month_label(statement.month)}"
    )
    _print_setup(worksheet, title)


def write_agent_statement(worksheet, *, agent, month, statement=None):
    """``agent``'s fee statement for ``month`` on ``worksheet``; returns the ``AgentStatement`` written."""
    statement = statement or agent_statement(agent=agent, month=month)
    _write_statement(worksheet, statement)
    return statement


# --- whole workbooks ----------------------------------------------------------------------------


def incentive_workbook(*, branch, month, language):
    """The branch-wide sheet for ``month``, then one statement sheet per agent (named by agent code).

    Six queries whatever the number of agents: the sheet's five and the statements' lines.
    """
    with translation.override(language):
        sheet = incentive_sheet(branch=branch, month=month)
        workbook = Workbook()
        first = workbook.active
        first.title = sheet_name(f"{_('Incentives')} {month_label(sheet.month)}", set())
        _write_sheet(first, sheet)
        taken = {first.title}
        for statement in branch_statements(sheet=sheet):
            worksheet = workbook.create_sheet(sheet_name(statement.agent.code, taken))
            taken.add(worksheet.title)
            _write_statement(worksheet, statement)
        workbook.properties.title = sheet_title(sheet)
        workbook.properties.creator = "Perisai"
        workbook.properties.language = language
    return workbook, sheet


def statement_workbook(*, agent, month, language):
    """One agent's statement as a workbook of one sheet."""
    with translation.override(language):
        statement = agent_statement(agent=agent, month=month)
        workbook = Workbook()
        worksheet = workbook.active
        worksheet.title = sheet_name(statement.agent.code, set())
        _write_statement(worksheet, statement)
        workbook.properties.title = statement_filename(statement)[: -len(".xlsx")]
        workbook.properties.creator = "Perisai"
        workbook.properties.language = language
    return workbook, statement
