"""The evaluation workbook: "Laporan Evaluasi Perisai — <branch> — <period>.xlsx".

A summary sheet first (the year-on-year figures, the pace and the money collected in sentences a
meeting reads, then the same figures as numbers), the plan to beat last year ("Rencana": what remains,
the months ahead, quotas per office and agent) and the year's months against the target (a month
behind shaded), then one sheet per report of ``reports.catalogue`` with the same columns as its page
and CSV. Headers in the language asked for; counts with thousands
separators, money in Rupiah, percentages as real percentages, dates as real dates; the header row
frozen and filtered. After the summary, a sheet of the charts a meeting expects (``write_chart_sheet``), each a
native Excel chart whole on its own printed page. Every text
cell goes through ``perisai.spreadsheets.neutralise`` so no text can turn into a formula.

It composes the reports with the incentives' sheet (``incentives.workbooks``), so it is built here, over
both, for the page's download and for ``manage.py export_report``.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from agents.models import PerisaiOffice
from incentives.workbooks import write_incentive_sheet, write_office_minimums
from perisai.formatting import number, rupiah
from perisai.privacy import table_for
from perisai.spreadsheets import INVALID_SHEET_CHARACTERS, neutralise, sheet_name
from reports import catalogue
from reports.acquisitions import percent_change, year_summary, yearly_totals
from reports.agreements import agreement_status
from reports.continuity import contribution_continuity, participant_standing
from reports.follow_up import follow_up_report
from reports.memo import sharing_results
from reports.money import money_summary
from reports.network import agent_network
from reports.plan import acquisition_plan
from reports.recruitment import recruitment_funnel
from reports.targets import month_expectations, target_progress

NUMBER_FORMATS = {
    catalogue.YEAR: "0",
    catalogue.COUNT: "#,##0",
    catalogue.DECIMAL: "#,##0.0",
    catalogue.PERCENT: "0.0%",
    catalogue.CHANGE: "+0.0%;-0.0%;0.0%",
    catalogue.RUPIAH: '"Rp" #,##0',
    catalogue.DATE: "d mmm yyyy",
    catalogue.MONTH: "mmm yyyy",
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
MIN_WIDTH, MAX_WIDTH = 8, 48
SUMMARY_LABEL_WIDTH = 64
SENTENCE_LINE = 85


def workbook_title(*, scope, period):
    """ "Laporan Evaluasi Perisai — Cilacap — Januari–Juni 2022" in the active language."""
    report = _("Perisai Evaluation Report")  # not inside the f-string, where makemessages cannot see it
    return f"{report} — {scope.label} — {period.label}"


def workbook_filename(*, scope, period):
    return f"{workbook_title(scope=scope, period=period)}.xlsx".translate(INVALID_SHEET_CHARACTERS)


def cell_value(value, kind):
    """What goes in a cell: text neutralised, percentages as fractions, the rest as they are."""
    if isinstance(value, str):
        return neutralise(value)
    if value is not None and kind in (catalogue.PERCENT, catalogue.CHANGE):
        return Decimal(value) / 100
    return value


def evaluation_workbook(*, scope, period, language, today=None, viewer=None, progress=None):
    """The workbook for ``scope`` and ``period`` with headers and words in ``language``; phone numbers
    as ``viewer`` may see them (``perisai.privacy``: masked when made without a signed-in user).
    ``progress``, when given, is called as ``progress(sheets_done, sheets_in_all)`` (a background job's bar)."""
    reports = [report for report in catalogue.REPORTS.values() if report.in_workbook]
    sheets = 4 + len(reports) + (1 if scope.branch and not scope.office else 0)
    report_progress = progress or (lambda done, total: None)
    report_progress(0, sheets)
    with translation.override(language), sharing_results():  # the summary's figures are the sheets' figures
        workbook = Workbook()
        summary = workbook.active
        summary.title = sheet_name(_("Summary"), set())
        _write_summary(summary, scope=scope, period=period, today=today or timezone.localdate())
        names = {summary.title}
        plan = workbook.create_sheet(sheet_name(_("Plan"), names))
        names.add(plan.title)
        write_plan_sheet(plan, acquisition_plan(scope=scope, period=period), scope=scope)
        months = workbook.create_sheet(sheet_name(_("Target by month"), names))
        names.add(months.title)
        write_month_expectations(months, month_expectations(scope=scope, period=period, today=today))
        written = {}
        report_progress(3, sheets)
        for done, report in enumerate(reports, start=3):
            table = table_for(viewer, report.table(scope=scope, period=period))
            sheet = workbook.create_sheet(sheet_name(table.title, names))
            names.add(sheet.title)
            write_table(sheet, table)
            written[report.slug] = (sheet, table)
            report_progress(done + 1, sheets)
        # The offices against their minimums (acquisitions and active agents), as the dashboard flags them.
        minimums = workbook.create_sheet(sheet_name(_("Office minimums"), names))
        names.add(minimums.title)
        write_office_minimums(minimums, offices=scope.filter_offices(PerisaiOffice.objects.all()), month=period.end)
        if scope.branch and not scope.office:
            incentives = workbook.create_sheet(sheet_name(_("Incentives"), names))
            names.add(incentives.title)
            write_incentive_sheet(incentives, branch=scope.branch, month=period.end)
        charts = workbook.create_sheet(sheet_name(_("Charts"), names), 1)  # read after the summary
        names.add(charts.title)
        write_chart_sheet(charts, written, period=period)
        workbook.properties.title = workbook_title(scope=scope, period=period)
        set_up_printing(workbook, title=workbook.properties.title)
        workbook.properties.creator = "Perisai"
        workbook.properties.language = language
    report_progress(sheets, sheets)
    return workbook


def set_up_printing(workbook, *, title):
    """Every sheet prints as a meeting expects: A4, the report's title at the head of each page and the page
    number at its foot, each sheet as wide as its page. The summary (label beside value) is one portrait
    page; the tables are landscape, as many pages down as they take, their header row repeated on each
    page (the row a sheet freezes on screen)."""
    header = title.replace("&", "&&")  # "&" starts a header code in Excel
    page = _("Page &P of &N")
    for index, sheet in enumerate(workbook.worksheets):
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "portrait" if index == 0 else "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 1 if index == 0 else 0  # 0: as many pages down as it takes
        if sheet.freeze_panes:
            frozen_rows = sheet[sheet.freeze_panes].row - 1
            if frozen_rows:
                sheet.print_title_rows = f"1:{frozen_rows}"
        sheet.oddHeader.center.text = header
        sheet.oddHeader.center.size = 9
        sheet.oddFooter.left.text = sheet.title.replace("&", "&&")
        sheet.oddFooter.right.text = page
        sheet.print_options.gridLines = False


def write_table(sheet, table):
    """``table`` on ``sheet`` from A1: styled, frozen and filtered header row, formatted columns."""
    sheet.append([neutralise(header) for header in table.headers])
    rows = 1
    for values in table.value_rows():
        sheet.append([cell_value(value, column.kind) for value, column in zip(values, table.columns, strict=True)])
        rows += 1
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        number_format = NUMBER_FORMATS.get(column.kind)
        widest = _longest_word(str(column.label))
        for (cell,) in sheet.iter_rows(min_row=2, max_row=rows, min_col=index, max_col=index):
            if number_format:
                cell.number_format = number_format
            widest = max(widest, _display_width(cell.value, column.kind))
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{rows}"
    sheet.row_dimensions[1].height = 45


def _longest_word(text):
    return max((len(word) for word in text.split()), default=0)


def _display_width(value, kind):
    if value is None:
        return 0
    if kind in (catalogue.DATE, catalogue.MONTH):
        return 11
    if kind in (catalogue.PERCENT, catalogue.CHANGE):
        return 7
    if isinstance(value, int | Decimal):
        return len(f"{value:,}") + (3 if kind == catalogue.RUPIAH else 0)
    return len(str(value))


# --- the charts a meeting expects -----------------------------------------------------------------

CHART_ROWS = 30
"""Rows a chart and the gap under it take on the charts sheet: a landscape page each, broken before the next."""
CHART_HEIGHT, CHART_WIDTH = 14, 25  # centimetres: within the printable area of landscape A4 (about 26 x 17 cm)
OFFICES_CHARTED = 20
THIS_YEAR, LAST_YEAR, THIRD = "0B6E4F", "A9C8BC", "D97706"
CONTINUITY_MONTH = 3


def write_chart_sheet(sheet, written, *, period):
    """The charts a meeting expects, native Excel charts each whole on its own landscape page: acquisitions by
    month this year against last, the year's pace (acquisitions since January) against last year's, the
    Perisai offices (the first ``OFFICES_CHARTED``) and continuity (the share of each month's workers still
    paying ``CONTINUITY_MONTH`` months on). Each reads the cells of its report's sheet (``written``: slug to
    ``(sheet, table)``), so the chart and the table can never disagree."""
    makers = (
        ("monthly", _month_chart),
        ("monthly", _pace_chart),
        ("offices", _office_chart),
        ("continuity", _continuity_chart),
    )
    charts = [make(*written[slug], period) for slug, make in makers if slug in written and written[slug][1].rows]
    for index, chart in enumerate(charts):
        row = 1 + index * CHART_ROWS
        chart.height, chart.width = CHART_HEIGHT, CHART_WIDTH
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        if chart.legend is not None:
            chart.legend.position = "b"
        sheet.add_chart(chart, f"A{row}")
        if index:
            sheet.row_breaks.append(Break(id=row - 2))  # a row above each chart, so it starts inside its page
    sheet.sheet_view.showGridLines = False


def _years(period):
    return {"year": period.year, "previous": period.year - 1}


def _month_chart(sheet, table, period):
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = _("Acquisitions by month: %(year)d against %(previous)d") % _years(period)
    chart.y_axis.title = _("Acquisitions")
    chart.y_axis.numFmt = NUMBER_FORMATS[catalogue.COUNT]
    rows = len(table.rows) + 1
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
    chart.series[0].graphicalProperties.solidFill = THIS_YEAR
    chart.series[1].graphicalProperties.solidFill = LAST_YEAR
    return chart


def _pace_chart(sheet, table, period):
    """The running totals since January (the monthly sheet's last two columns): where the year stands."""
    chart = LineChart()
    chart.title = _("The year's pace: acquisitions since January, %(year)d against %(previous)d") % _years(period)
    chart.y_axis.title = _("Acquisitions since January")
    chart.y_axis.numFmt = NUMBER_FORMATS[catalogue.COUNT]
    rows = len(table.rows) + 1
    chart.add_data(Reference(sheet, min_col=5, max_col=6, min_row=1, max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
    for series, colour in zip(chart.series, (THIS_YEAR, LAST_YEAR), strict=True):
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 38100  # 3 pt, in EMU
        series.smooth = False
    return chart


def _office_chart(sheet, table, period):
    chart = BarChart()
    chart.type, chart.grouping = "bar", "clustered"
    shown = min(len(table.rows), OFFICES_CHARTED)
    title = _("Acquisitions by Perisai office, against the same period last year")
    if shown < len(table.rows):
        title = _("%(title)s (the first %(count)d)") % {"title": title, "count": shown}
    chart.title = title
    chart.y_axis.numFmt = NUMBER_FORMATS[catalogue.COUNT]
    chart.x_axis.scaling.orientation = "maxMin"  # the first office on top, as in the table
    chart.add_data(Reference(sheet, min_col=3, max_col=4, min_row=1, max_row=shown + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=shown + 1))
    chart.series[0].graphicalProperties.solidFill = THIS_YEAR
    chart.series[1].graphicalProperties.solidFill = LAST_YEAR
    return chart


def _continuity_chart(sheet, table, period):
    """Of the workers acquired each month, the share who paid ``CONTINUITY_MONTH`` months on (the continuity
    sheet's column for that month: after the month and the cohort's size, month 0 first)."""
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = _("Contribution continuity: paid %(months)d months after acquisition, by month acquired") % {
        "months": CONTINUITY_MONTH
    }
    chart.y_axis.numFmt = NUMBER_FORMATS[catalogue.PERCENT]
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    column = 3 + CONTINUITY_MONTH
    rows = len(table.rows) + 1
    chart.add_data(Reference(sheet, min_col=column, max_col=column, min_row=1, max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
    chart.series[0].graphicalProperties.solidFill = THIRD
    chart.legend = None
    return chart


# --- the summary sheet --------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryFacts:
    """What the summary sheet says, from the same report functions as the other sheets."""

    period: object
    today: object
    acquisitions: object
    previous_acquisitions: object
    network: object
    standing: object
    continuity: object
    agreements: object
    target: object
    money: object
    follow_up: object
    recruitment: object


def summary_facts(*, scope, period, today):
    years = yearly_totals(scope=scope, period=period)
    return SummaryFacts(
        period=period,
        today=today,
        acquisitions=year_summary(years, period),
        previous_acquisitions=next((row for row in years if row.year == period.year - 1), None),
        network=agent_network(scope=scope, period=period),
        standing=participant_standing(scope=scope, period=period),
        continuity=contribution_continuity(scope=scope, period=period),
        agreements=agreement_status(scope=scope, period=period, today=today),
        target=next(
            (row for row in target_progress(scope=scope, period=period) if row.level == scope.level),
            None,
        ),
        money=money_summary(scope=scope, period=period),
        follow_up=follow_up_report(scope=scope, period=period).summary,  # the follow-up sheet's own figures
        recruitment=recruitment_funnel(scope=scope, period=period).summary,  # the recruitment sheet's query
    )


class KeyFigure(NamedTuple):
    """A row of the summary's key figures. A figure of the period to date has the same months of the
    previous year beside it (``previous``; blank when there is none, e.g. before an agent joined) and,
    for a count or an amount, the change between the two."""

    label: str
    value: object
    kind: str
    previous: object = None
    change: object = None


def key_figures(facts):
    """The summary's figures as ``KeyFigure`` rows, in the active language."""
    period, summary = facts.period, facts.acquisitions
    previous, end = period.year - 1, date_format(period.end, "j F Y")
    previous_pace = facts.previous_acquisitions.pace if facts.previous_acquisitions else None
    rows = [
        KeyFigure(
            _("Acquisitions %(period)s") % {"period": period.label},
            summary.year_to_date,
            catalogue.COUNT,
            summary.previous_year_to_date,
            summary.change_same_period,
        ),
        KeyFigure(_("Acquisitions a month so far"), summary.pace, catalogue.COUNT, previous_pace),
        (_("Acquisitions in the whole of %(year)d") % {"year": previous}, summary.previous_full_year, catalogue.COUNT),
        (
            _("%(period)s against the whole of %(year)d (share reached)") % {"period": period.label, "year": previous},
            summary.share_of_previous_year,
            catalogue.PERCENT,
        ),
        (_("Acquisitions a month needed to beat %(year)d") % {"year": previous}, summary.pace_needed, catalogue.COUNT),
        (_("Projection for %(year)d at this pace") % {"year": period.year}, summary.projection, catalogue.COUNT),
    ]
    if facts.target:
        rows += [
            (_("Target for %(year)d") % {"year": period.year}, facts.target.target, catalogue.COUNT),
            (_("Share of the target achieved"), facts.target.achieved_share, catalogue.PERCENT),
        ]
    rows += [
        (_("Agents active on %(date)s") % {"date": end}, facts.network.active_at_end, catalogue.COUNT),
        (_("Agents recruited in the period"), facts.network.recruited, catalogue.COUNT),
        (_("Agents who left in the period"), facts.network.left, catalogue.COUNT),
        (_("Participants paying (current) on %(date)s") % {"date": end}, facts.standing.current, catalogue.COUNT),
        (_("Participants lapsed on %(date)s") % {"date": end}, facts.standing.lapsed, catalogue.COUNT),
        (_("Share of participants lapsed"), facts.standing.lapsed_share, catalogue.PERCENT),
    ]
    rows += _recruitment_figures(facts)
    rows += _money_figures(facts)
    rows += _follow_up_figures(facts)
    rows += [
        (_("Still paying %(months)d months after acquisition") % {"months": months}, share, catalogue.PERCENT)
        for months, share in facts.continuity.retention.items()
    ]
    rows += [
        (
            _("Perisai offices that extended their PKS in the period"),
            facts.agreements.renewed_in_period,
            catalogue.COUNT,
        ),
        (
            _("PKS expiring within 60 days or expired on %(date)s") % {"date": date_format(facts.today, "j F Y")},
            len(facts.agreements.attention),
            catalogue.COUNT,
        ),
    ]
    return [KeyFigure(*row) for row in rows]


def _recruitment_figures(facts):
    period, recruitment = facts.period, facts.recruitment
    return [
        (
            _("Candidates in progress on %(date)s") % {"date": date_format(recruitment.as_of, "j F Y")},
            recruitment.in_progress,
            catalogue.COUNT,
        ),
        (_("Candidates trained %(period)s") % {"period": period.label}, recruitment.trained, catalogue.COUNT),
        (
            _("Candidates activated as agents %(period)s") % {"period": period.label},
            recruitment.activated,
            catalogue.COUNT,
        ),
        (
            _("New agents still active 6 months after joining (candidates registered since January %(year)d)")
            % {"year": period.year - 1},
            recruitment.active_6_share,
            catalogue.PERCENT,
        ),
    ]


def _recruitment_sentence(facts):
    period, recruitment = facts.period, facts.recruitment
    sentence = _("In %(period)s, %(trained)s candidates were trained and %(activated)s became agents.") % {
        "period": period.label,
        "trained": number(recruitment.trained),
        "activated": number(recruitment.activated),
    }
    if recruitment.known_6:
        sentence += " " + _(
            "Of the %(known)s new agents from candidates registered since January %(year)d who have been agents "
            "for 6 months, %(share)s%% were still active then."
        ) % {
            "known": number(recruitment.known_6),
            "year": period.year - 1,
            "share": number(recruitment.active_6_share, 1),
        }
    return sentence


def _money_figures(facts):
    period, collected, cover, acquired = facts.period, facts.money.collected, facts.money.cover, facts.money.acquired
    end = date_format(period.end, "j F Y")
    return [
        KeyFigure(
            _("Contributions collected %(period)s") % {"period": period.label},
            collected.amount,
            catalogue.RUPIAH,
            collected.previous,
            collected.change,
        ),
        (_("Share of participants with JHT on %(date)s") % {"date": end}, cover.jht_share, catalogue.PERCENT),
        (
            _("Average declared income of the participants on %(date)s") % {"date": end},
            cover.average_income,
            catalogue.RUPIAH,
        ),
        KeyFigure(
            _("New participants %(period)s") % {"period": period.label},
            acquired.this_year.new,
            catalogue.COUNT,
            acquired.last_year.new,
            percent_change(acquired.this_year.new, acquired.last_year.new),
        ),
        KeyFigure(
            _("Returning participants (acquired again) %(period)s") % {"period": period.label},
            acquired.this_year.returning,
            catalogue.COUNT,
            acquired.last_year.returning,
            percent_change(acquired.this_year.returning, acquired.last_year.returning),
        ),
    ]


def summary_sentences(facts):
    """What the figures say, in plain sentences a meeting reads out."""
    period, summary, previous = facts.period, facts.acquisitions, facts.period.year - 1
    values = {
        "period": period.label,
        "year": period.year,
        "previous": previous,
        "count": number(summary.year_to_date),
        "before": number(summary.previous_year_to_date),
        "total": number(summary.previous_full_year),
        "change": number(abs(summary.change_same_period or 0), 1),
        "needed": number(summary.pace_needed or 0),
        "month": period.next_month_label,
        "pace": number(summary.pace),
        "projection": number(summary.projection),
    }
    change = summary.change_same_period
    if change is None:
        first = _("In %(period)s, %(count)s workers were acquired.")
    elif change > 0:
        first = _(
            "In %(period)s, %(count)s workers were acquired: "
            "%(change)s%% more than in the same months of %(previous)d (%(before)s)."
        )
    elif change < 0:
        first = _(
            "In %(period)s, %(count)s workers were acquired: "
            "%(change)s%% fewer than in the same months of %(previous)d (%(before)s)."
        )
    else:
        first = _(
            "In %(period)s, %(count)s workers were acquired: "
            "as many as in the same months of %(previous)d (%(before)s)."
        )
    sentences = [first % values]
    if summary.previous_full_year:
        sentences.append(_pace_sentence(summary) % values)
    acquired = facts.money.acquired
    if acquired.this_year.acquisitions:
        sentences.append(
            _(
                "Of the %(count)s workers acquired, %(new)s were new participants and %(returning)s returning "
                "(acquired again after a lapse); in the same months of %(previous)d, %(last_new)s new and "
                "%(last_returning)s returning."
            )
            % {
                "count": number(acquired.this_year.acquisitions),
                "new": number(acquired.this_year.new),
                "returning": number(acquired.this_year.returning),
                "previous": previous,
                "last_new": number(acquired.last_year.new),
                "last_returning": number(acquired.last_year.returning),
            }
        )
    network, standing = facts.network, facts.standing
    sentences.append(
        _("On %(date)s, %(active)s agents were active; %(recruited)s were recruited and %(left)s left in the period.")
        % {
            "date": date_format(period.end, "j F Y"),
            "active": number(network.active_at_end),
            "recruited": number(network.recruited),
            "left": number(network.left),
        }
    )
    recruitment = facts.recruitment
    if recruitment.trained or recruitment.activated or recruitment.known_6:
        sentences.append(_recruitment_sentence(facts))
    if standing.total:
        sentences.append(
            _("%(current)s participants were paying and %(lapsed)s had lapsed (%(share)s%%).")
            % {
                "current": number(standing.current),
                "lapsed": number(standing.lapsed),
                "share": number(standing.lapsed_share, 1),
            }
        )
    sentences += _money_sentences(facts)
    sentences.append(_follow_up_sentence(facts))
    sentences.append(
        _(
            "%(renewed)s Perisai offices extended their PKS in the period; today %(attention)s PKS are "
            "expiring within 60 days or have expired."
        )
        % {
            "renewed": number(facts.agreements.renewed_in_period),
            "attention": number(len(facts.agreements.attention)),
        }
    )
    return sentences


def _money_sentences(facts):
    period, collected, cover = facts.period, facts.money.collected, facts.money.cover
    values = {
        "period": period.label,
        "previous": period.year - 1,
        "amount": rupiah(collected.amount),
        "before": rupiah(collected.previous),
        "change": number(abs(collected.change or 0), 1),
    }
    if collected.change is None:
        first = _("%(amount)s was collected in contributions in %(period)s.")
    elif collected.change > 0:
        first = _(
            "%(amount)s was collected in contributions in %(period)s: "
            "%(change)s%% more than in the same months of %(previous)d (%(before)s)."
        )
    elif collected.change < 0:
        first = _(
            "%(amount)s was collected in contributions in %(period)s: "
            "%(change)s%% less than in the same months of %(previous)d (%(before)s)."
        )
    else:
        first = _(
            "%(amount)s was collected in contributions in %(period)s: "
            "as much as in the same months of %(previous)d (%(before)s)."
        )
    sentences = [first % values]
    if cover.participants:
        sentences.append(
            _(
                "On %(date)s, %(share)s%% of the %(participants)s participants had JHT; their average declared "
                "income was %(income)s a month."
            )
            % {
                "date": date_format(period.end, "j F Y"),
                "share": number(cover.jht_share, 1),
                "participants": number(cover.participants),
                "income": rupiah(cover.average_income),
            }
        )
    return sentences


def _follow_up_figures(facts):
    period, figures = facts.period, facts.follow_up.figures
    month = date_format(period.end, "F Y")
    return [
        (
            _("Participants at risk on %(date)s (due or one month from lapsing)")
            % {"date": date_format(period.end, "j F Y")},
            figures.at_risk,
            catalogue.COUNT,
        ),
        (_("Participants contacted in %(month)s") % {"month": month}, figures.contacted, catalogue.COUNT),
        (_("Promises to pay falling due in %(month)s") % {"month": month}, figures.promised, catalogue.COUNT),
        (_("Promises to pay kept in %(month)s") % {"month": month}, figures.kept, catalogue.COUNT),
        (_("Saved in %(month)s: paid after a contact") % {"month": month}, figures.saved, catalogue.COUNT),
        (
            _("Saved %(period)s: lapses the follow-up prevented") % {"period": period.label},
            figures.saved_to_date,
            catalogue.COUNT,
        ),
    ]


def _follow_up_sentence(facts):
    period, figures = facts.period, facts.follow_up.figures
    values = {
        "period": period.label,
        "month": date_format(period.end, "F"),
        "date": date_format(period.end, "j F Y"),
        "saved": number(figures.saved_to_date),
        "saved_month": number(figures.saved),
        "contacted": number(figures.contacted),
        "kept": number(figures.kept),
        "promised": number(figures.promised),
        "at_risk": number(figures.at_risk),
        "late": number(figures.late),
    }
    if not figures.contacted_to_date:
        return (
            _(
                "No contact with a participant was logged in %(period)s. On %(date)s, %(at_risk)s participants were "
                "due or one month from lapsing (%(late)s of them one month from lapsing)."
            )
            % values
        )
    return (
        _(
            "The follow-up prevented %(saved)s lapses in %(period)s (%(saved_month)s in %(month)s): participants "
            "contacted while due or one month from lapsing who then paid. In %(month)s the agents contacted "
            "%(contacted)s participants and %(kept)s of %(promised)s promises to pay were kept; on %(date)s, "
            "%(at_risk)s participants were at risk (%(late)s of them one month from lapsing)."
        )
        % values
    )


def _pace_sentence(summary):
    if summary.beats_previous_year:
        return _("%(year)d has already passed the whole of %(previous)d (%(total)s).")
    if summary.pace_needed is None:
        return _("%(year)d ended without beating the %(total)s of %(previous)d.")
    return _(
        "To beat the %(total)s of %(previous)d, %(needed)s acquisitions a month are needed from %(month)s; "
        "the pace so far is %(pace)s a month, which would make %(projection)s for the year."
    )


def _write_summary(sheet, *, scope, period, today):
    facts = summary_facts(scope=scope, period=period, today=today)
    sheet.append([neutralise(workbook_title(scope=scope, period=period))])
    sheet["A1"].font = TITLE_FONT
    sheet.append([neutralise(_("Prepared on")), today])
    sheet["B2"].number_format = NUMBER_FORMATS[catalogue.DATE]
    sheet["B2"].alignment = Alignment(horizontal="left")
    sheet.append([])
    sheet.append([neutralise(_("In short"))])
    sheet.cell(row=sheet.max_row, column=1).font = SECTION_FONT
    for sentence in summary_sentences(facts):
        sheet.append([neutralise(sentence)])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * (1 + len(sentence) // SENTENCE_LINE)
    sheet.append([])
    # The period to date and the same months of the previous year side by side, with the change.
    same_months = f"{period.months_label} {period.year - 1}"
    sheet.append([neutralise(text) for text in (_("Key figures"), _("Value"), same_months, _("Change (%)"))])
    for column in range(1, 5):
        cell = sheet.cell(row=sheet.max_row, column=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for figure in key_figures(facts):
        sheet.append(
            [
                neutralise(figure.label),
                "—" if figure.value is None else cell_value(figure.value, figure.kind),
                cell_value(figure.previous, figure.kind),
                cell_value(figure.change, catalogue.CHANGE),
            ]
        )
        for column, kind in ((2, figure.kind), (3, figure.kind), (4, catalogue.CHANGE)):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.number_format = NUMBER_FORMATS[kind]
            cell.alignment = Alignment(horizontal="right")
    sheet.column_dimensions["A"].width = SUMMARY_LABEL_WIDTH
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 18


# --- the plan to beat last year, and the months against the target ---------------------------------

BEHIND_FILL = PatternFill("solid", fgColor="FDE68A")


def _header_row(sheet, labels):
    sheet.append([neutralise(str(label)) for label in labels])
    for column in range(1, len(labels) + 1):
        cell = sheet.cell(row=sheet.max_row, column=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _figure_rows(sheet, rows, kinds):
    """``rows`` of values, each column formatted by its kind in ``kinds``."""
    for values in rows:
        sheet.append([cell_value(value, kind) for value, kind in zip(values, kinds, strict=True)])
        for column, kind in enumerate(kinds, start=1):
            if kind in NUMBER_FORMATS:
                sheet.cell(row=sheet.max_row, column=column).number_format = NUMBER_FORMATS[kind]


def _section(sheet, title):
    sheet.append([])
    sheet.append([neutralise(title)])
    sheet.cell(row=sheet.max_row, column=1).font = SECTION_FONT


def write_plan_sheet(sheet, plan, *, scope):
    """The plan to beat last year (``reports.plan``): what remains, the months ahead, the quotas per office
    and per agent (each adding up exactly), the network's capacity and the agents at risk."""
    period, last = plan.period, plan.previous_year
    count, decimal, text = catalogue.COUNT, catalogue.DECIMAL, catalogue.TEXT
    sheet.append([neutralise(_("Plan to beat %(year)d") % {"year": last} + f" — {scope.label} — {period.label}")])
    sheet["A1"].font = TITLE_FONT
    _section(sheet, _("What remains"))
    _header_row(sheet, [_("Figure"), _("Value")])
    figures = [
        (_("Whole of %(year)d") % {"year": last}, plan.previous_full_year, count),
        (_("Acquisitions %(period)s") % {"period": period.label}, plan.year_to_date, count),
        (_("Still needed to beat %(year)d") % {"year": last}, plan.remaining, count),
        (_("Months left"), plan.months_remaining, count),
        (_("Acquisitions a month needed"), plan.needed_per_month, count),
        (_("Acquisitions a month recently, by today's agents"), plan.pace_per_month, decimal),
        (_("The months left at the recent pace"), plan.at_recent_pace, count),
        (_("Active agents on %(date)s") % {"date": date_format(period.end, "j F Y")}, plan.active_agents, count),
        (_("Acquisitions a month per active agent, recently"), plan.per_active_agent, decimal),
        (_("Active agents it takes at that output"), plan.agents_needed, count),
        (_("More active agents needed"), plan.more_agents_needed, count),
        (_("Agents at risk"), len(plan.silent), count),
        (_("Their pace before they fell silent (a month)"), plan.reactivation_per_month, decimal),
        (_("Reactivating them would bring, in the months left"), plan.reactivation_rest_of_year, count),
    ]
    for label, value, kind in figures:
        _figure_rows(sheet, [(label, "—" if value is None else value)], [text, kind])
    if plan.months:
        _section(sheet, _("The months ahead, spread %(basis)s") % {"basis": plan.season.label})
        _header_row(sheet, [_("Month"), str(last), _("Plan %(year)d") % {"year": period.year}])
        _figure_rows(
            sheet,
            [(date_format(month.month, "F"), month.last_year, month.planned) for month in plan.months],
            [text, count, count],
        )
        _figure_rows(
            sheet, [(_("Total"), sum(month.last_year for month in plan.months), plan.remaining)], [text, count, count]
        )
    recent = _("Acquisitions %(first)s–%(last)s") % {
        "first": date_format(plan.pace_from, "F Y"),
        "last": date_format(period.end, "F Y"),
    }
    _section(sheet, _("Quotas per office"))
    _header_row(sheet, [_("Code"), _("Perisai office"), _("Agents"), recent, _("Quota")])
    _figure_rows(
        sheet,
        [(office.code, office.name, len(office.agents), office.recent, office.quota) for office in plan.offices],
        [text, text, count, count, count],
    )
    _figure_rows(sheet, [(_("Total"), "", plan.agents, plan.recent, plan.assigned)], [text, text, count, count, count])
    _section(sheet, _("Quotas per agent"))
    _header_row(sheet, [_("Office code"), _("Perisai office"), _("Agent code"), _("Agent"), recent, _("Quota")])
    _figure_rows(
        sheet,
        [
            (office.code, office.name, agent.code, agent.name, agent.recent, agent.quota)
            for office in plan.offices
            for agent in office.agents
        ],
        [text, text, text, text, count, count],
    )
    if plan.silent:
        _section(sheet, _("Agents at risk"))
        _header_row(sheet, [_("Agent code"), _("Agent"), _("Perisai office"), _("Pace before (a month)")])
        _figure_rows(
            sheet,
            [(agent.code, agent.name, agent.office, agent.pace) for agent in plan.silent],
            [text, text, text, decimal],
        )
    for letter, width in zip("ABCDEF", (SUMMARY_LABEL_WIDTH, 28, 14, 28, 16, 12), strict=True):
        sheet.column_dimensions[letter].width = width


def write_month_expectations(sheet, expectations):
    """Each month of the year against the target (``reports.targets.month_expectations``), the header saying
    how the target was spread; a finished month below its expectation says so and is shaded."""
    count, text = catalogue.COUNT, catalogue.TEXT
    if expectations.target:
        expected = _("Expected (the target spread %(basis)s)") % {"basis": expectations.basis_label}
    else:
        expected = _("Expected (no target for the year)")
    _header_row(
        sheet,
        [
            _("Month"),
            _("Acquired"),
            expected,
            _("Acquired since January"),
            _("Expected since January"),
            _("Last year"),
            _("Behind"),
        ],
    )
    for month in expectations.months:
        verdict = (_("Yes") if month.behind else _("No")) if month.finished and month.expected is not None else ""
        _figure_rows(
            sheet,
            [
                (
                    date_format(month.month, "F"),
                    month.actual,
                    month.expected,
                    month.actual_cumulative,
                    month.expected_cumulative,
                    month.last_year,
                    verdict,
                )
            ],
            [text, count, count, count, count, count, text],
        )
        if month.behind:
            for cell in sheet[sheet.max_row]:
                cell.fill = BEHIND_FILL
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.row_dimensions[1].height = 45
    for letter, width in zip("ABCDEFG", (14, 12, 30, 14, 14, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width
