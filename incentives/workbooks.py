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

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from incentives.activity import office_standings
from incentives.models import AcquisitionFee, IncentiveScheme
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


@dataclass(frozen=True)
class _SheetParts:
    """Which optional columns a sheet has: only what its scheme pays, or what was earned anyway."""

    counted: bool
    acquisition_fees: bool
    bonus: bool
    recruitment: bool

    @classmethod
    def of(cls, sheet):
        scheme = sheet.scheme
        acquisition_fees = sheet.has_acquisition_fees
        return cls(
            counted=bool(scheme and scheme.first_enrolments_only),
            acquisition_fees=acquisition_fees,
            bonus=sheet.has_bonus or not acquisition_fees,
            recruitment=sheet.has_recruitment,
        )


def sheet_columns(sheet):
    parts = _SheetParts.of(sheet)
    columns = [
        (_("Agent code"), TEXT),
        (_("Agent"), TEXT),
        (_("Perisai office"), TEXT),
        (_("Contributions paid"), COUNT),
        (_("Amount paid"), RUPIAH),
        (_("Fee"), RUPIAH),
        (_("New participants"), COUNT),
    ]
    if parts.counted:
        columns.append((_("First enrolments"), COUNT))
    if parts.acquisition_fees:
        columns.append((_("Fees per new participant"), RUPIAH))
    if parts.bonus:
        columns.append((_("Bonus"), RUPIAH))
    if parts.recruitment:
        columns += [(_("New agents recruited"), COUNT), (_("Recruitment fee"), RUPIAH)]
    return columns + [(_("Total"), RUPIAH)]


def _sheet_values(incentive, parts):
    values = [incentive.contributions, incentive.contributions_amount, incentive.fee, incentive.new_participants]
    if parts.counted:
        values.append(incentive.new_counted)
    if parts.acquisition_fees:
        values.append(incentive.acquisition_fee)
    if parts.bonus:
        values.append(incentive.bonus)
    if parts.recruitment:
        values += [incentive.recruits, incentive.recruitment_fee]
    return values + [incentive.total]


def tier_description(tier):
    return _("%(months)s: %(rate)s%%") % {"months": tier.months_label, "rate": _percent(tier.rate_percent)}


def scheme_description(scheme, month):
    """The scheme in one sentence, or why nothing is earned."""
    if scheme is None:
        return _("No incentive scheme was in force in %(month)s: nothing is earned.") % {"month": month_label(month)}
    tiers = [tier_description(tier) for tier in scheme.tiers]
    if len(scheme.tiers) == 1 and scheme.tiers[0].from_month == 1 and scheme.tiers[0].to_month is None:
        parts = [
            _("Fee %(rate)s%% of the contributions paid in the month")
            % {"rate": _percent(scheme.tiers[0].rate_percent)}
        ]
    elif tiers:
        parts = [
            _("fee on the contributions paid in the month by the participant's membership month: %(tiers)s")
            % {"tiers": ", ".join(tiers)}
            + (" " + _("(none after)") if scheme.tiers[-1].to_month is not None else "")
        ]
    else:
        parts = [_("no fee on contributions")]
    counting = _("first enrolments") if scheme.first_enrolments_only else _("new participants")
    fees = scheme.package_fees
    if fees:
        amounts = ", ".join(
            _("Rp %(amount)s for %(package)s") % {"amount": number(amount), "package": AcquisitionFee.Package(p).label}
            for p, amount in sorted(fees.items(), key=lambda item: -item[1])
        )
        if scheme.acquisition_minimum:
            parts.append(
                _("per new participant %(amounts)s, from %(minimum)s %(counting)s in the month")
                % {"amounts": amounts, "minimum": number(scheme.acquisition_minimum), "counting": counting}
            )
        else:
            parts.append(_("per new participant %(amounts)s") % {"amounts": amounts})
    if scheme.has_bonus:
        parts.append(
            _("bonus Rp %(amount)s for %(threshold)s or more %(counting)s")
            % {"amount": number(scheme.bonus_amount), "threshold": scheme.acquisition_minimum, "counting": counting}
        )
    if scheme.recruitment_fee:
        parts.append(_("Rp %(amount)s per new agent recruited") % {"amount": number(scheme.recruitment_fee)})
    if scheme.office_share_rate:
        if scheme.office_share_base == IncentiveScheme.OfficeShareBase.INCENTIVES:
            text = _("the Kantor Perisai receives %(rate)s%% of everything its agents earn, on top")
        else:
            text = _("the Kantor Perisai receives %(rate)s%% of its agents' fees, on top")
        parts.append(text % {"rate": _percent(scheme.office_share_percent)})
    return f"{scheme.name}: {'; '.join(parts)}."


def _percent(value):
    value = Decimal(value).normalize()
    decimals = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=decimals, use_l10n=True)


def _write_sheet(worksheet, sheet):
    parts = _SheetParts.of(sheet)
    columns = sheet_columns(sheet)
    rows = [
        [row.agent.code, row.agent.full_name, row.agent.office.name, *_sheet_values(row.incentive, parts)]
        for row in sheet.rows
    ]
    total = [
        _("Total"),
        _("%(count)d agents") % {"count": len(sheet.rows)},
        "",
        *_sheet_values(sheet.total, parts),
    ]
    last = _write_table(worksheet, columns, rows, total=total)
    _size_columns(worksheet)
    worksheet.cell(row=last + 2, column=1, value=_cell(scheme_description(sheet.scheme, sheet.month)))
    worksheet.cell(row=last + 3, column=1, value=_cell(rules_note()))
    if sheet.office_shares:
        start = last + 5
        base = (
            _("Agents' incentives")
            if sheet.scheme.office_share_base == IncentiveScheme.OfficeShareBase.INCENTIVES
            else _("Agents' fees")
        )
        headers = [_("Perisai office"), base, _("Kantor Perisai's share")]
        for index, header in enumerate(headers, start=1):
            cell = worksheet.cell(row=start, column=index + 2, value=_cell(header))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for offset, share in enumerate(sheet.office_shares, start=1):
            worksheet.cell(row=start + offset, column=3, value=_cell(share.office.name))
            worksheet.cell(row=start + offset, column=4, value=share.base).number_format = RUPIAH
            worksheet.cell(row=start + offset, column=5, value=share.share).number_format = RUPIAH
        total_row = start + len(sheet.office_shares) + 1
        worksheet.cell(row=total_row, column=3, value=_cell(_("Total"))).font = TOTAL_FONT
        cell = worksheet.cell(row=total_row, column=5, value=sheet.office_share_total)
        cell.number_format, cell.font = RUPIAH, TOTAL_FONT
    _print_setup(worksheet, sheet_title(sheet))


def rules_note():
    return _(
        "Contributions count in the month they were paid, for the agent credited with them, at the rate of "
        "the participant's membership month; new participants in the month they were enrolled. The fee is "
        "rounded once per agent and month, to whole Rupiah, half up."
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
        (_("Membership month"), COUNT),
        (_("Fee rate"), PERCENT),
        (_("Channel"), TEXT),
    ]


def acquisition_columns():
    return [
        (_("New participant"), TEXT),
        (_("KPJ number"), TEXT),
        (_("Enrolled on"), DATE),
        (_("Package"), TEXT),
        (_("First enrolment"), TEXT),
        (_("Fee"), RUPIAH),
    ]


def statement_figures(statement):
    """The statement's figures under its table, as ``(label, value, number format)``."""
    incentive, scheme = statement.incentive, statement.scheme
    pairs = [
        (_("Agent"), f"{statement.agent.full_name} ({statement.agent.code})", TEXT),
        (_("Month"), statement.month, MONTH),
        (_("Contributions counted"), incentive.contributions, COUNT),
        (_("Amount paid"), incentive.contributions_amount, RUPIAH),
    ]
    if scheme is None or len(scheme.tiers) <= 1:
        pairs.append((_("Fee rate"), scheme.tiers[0].rate if scheme and scheme.tiers else Decimal(0), PERCENT))
    if scheme is not None and len(scheme.tiers) > 1:
        for row in statement.tiers:
            label = tier_description(row.tier) if row.tier else _("Membership months no tier covers (no fee)")
            pairs.append((label, row.amount, RUPIAH))
    pairs += [(_("Fee"), incentive.fee, RUPIAH), (_("New participants"), incentive.new_participants, COUNT)]
    if scheme is not None and scheme.first_enrolments_only:
        pairs.append((_("First enrolments"), incentive.new_counted, COUNT))
    for row in statement.packages:
        label = _("%(package)s: %(count)s × Rp %(amount)s") % {
            "package": row.label,
            "count": number(row.counted),
            "amount": number(row.fee_each),
        }
        pairs.append((label, row.earned, RUPIAH))
    if statement.packages:
        pairs.append((_("Fees per new participant"), incentive.acquisition_fee, RUPIAH))
    if not statement.packages or (scheme and scheme.has_bonus) or incentive.bonus:
        pairs.append((_("Bonus"), incentive.bonus, RUPIAH))
    if incentive.recruits or (scheme and scheme.recruitment_fee):
        pairs += [
            (_("New agents recruited"), incentive.recruits, COUNT),
            (_("Recruitment fee"), incentive.recruitment_fee, RUPIAH),
        ]
    return pairs + [(_("Total"), incentive.total, RUPIAH)]


def _yes_no(value):
    return _("Yes") if value else _("No")


def _write_statement(worksheet, statement):
    columns = statement_columns()
    rows = [
        [
            line.participant,
            line.kpj_number or "",
            line.period,
            line.amount,
            line.paid_on,
            line.membership_month,
            line.rate,
            str(line.channel_label),
        ]
        for line in statement.lines
    ]
    last = _write_table(worksheet, columns, rows)
    end = _write_pairs(worksheet, statement_figures(statement), start_row=last + 2, label_column=1, value_column=4)
    _size_columns(worksheet)
    row = end + 2
    worksheet.cell(row=row, column=1, value=_cell(scheme_description(statement.scheme, statement.month)))
    if statement.acquisitions:
        row += 2
        for index, (header, _format) in enumerate(acquisition_columns(), start=1):
            cell = worksheet.cell(row=row, column=index, value=_cell(str(header)))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for line in statement.acquisitions:
            row += 1
            values = [
                line.participant,
                line.kpj_number or "",
                line.acquired_on,
                str(line.package_label),
                _yes_no(line.first_enrolment),
                line.fee,
            ]
            for index, ((_header, cell_format), value) in enumerate(zip(acquisition_columns(), values, strict=True), 1):
                cell = worksheet.cell(row=row, column=index, value=_cell(value))
                if cell_format:
                    cell.number_format = cell_format
    title = (
        f"{_('Fee statement')} — {statement.agent.full_name} ({statement.agent.code}) — {month_label(statement.month)}"
    )
    _print_setup(worksheet, title)


def write_agent_statement(worksheet, *, agent, month, statement=None):
    """``agent``'s fee statement for ``month`` on ``worksheet``; returns the ``AgentStatement`` written."""
    statement = statement or agent_statement(agent=agent, month=month)
    _write_statement(worksheet, statement)
    return statement


# --- the offices against their minimums ---------------------------------------------------------


def office_minimum_columns(month):
    as_of = month_label(month)
    return [
        (_("Code"), TEXT),
        (_("Perisai office"), TEXT),
        (_("Monthly minimum"), COUNT),
        (_("Acquisitions in %(month)s") % {"month": as_of}, COUNT),
        (_("Months under the minimum"), COUNT),
        (_("Standing"), TEXT),
        (_("Active agents"), COUNT),
        (_("Active agents needed"), COUNT),
        (_("Short of agents"), TEXT),
    ]


def write_office_minimums(worksheet, *, offices, month):
    """Every office of ``offices`` against its monthly minimum of acquisitions (the yearly target divided by
    12, rounded up) and its minimum of active agents (active or at risk) as of ``month``
    (``incentives.activity.office_standings``), the flagged ones first; returns the standings written.
    A table like the workbook's report sheets. Six queries."""
    standings = office_standings(offices=offices, month=month)
    flagged, others = [], []
    for office in offices.order_by("code"):
        standing = standings.get(office.pk)
        if standing is None:
            others.append([office.code, office.name, None, None, None, "", None, None, ""])
            continue
        row = [
            office.code,
            office.name,
            standing.monthly_minimum,
            standing.acquisitions,
            standing.months_under,
            str(standing.label),
            standing.active_agents,
            standing.minimum_agents,
            _yes_no(standing.short_of_agents) if standing.minimum_agents else "",
        ]
        (flagged if standing.needs_attention else others).append(row)
    _write_table(worksheet, office_minimum_columns(month), flagged + others)
    _size_columns(worksheet)
    _print_setup(worksheet, f"{_('Office minimums')} — {month_label(month)}")
    return standings


# --- whole workbooks ----------------------------------------------------------------------------


def incentive_workbook(*, branch, month, language):
    """The branch-wide sheet for ``month``, then one statement sheet per agent (named by agent code).

    Eleven queries whatever the number of agents: the sheet's eight and the statements' three.
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
