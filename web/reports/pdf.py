"""The dashboard and each report as a PDF, for the evaluation meeting's screen and for the record.

A report's PDF is its page's table (the same ``Table`` the page, the CSV and the workbook sheet write, with the
viewer's masks: ``perisai.privacy.table_for``), every row of it, formatted as the page formats it
(``web.templatetags.report_tables.format_value``). The dashboard's PDF is what a meeting reads off the
dashboard: the period's sentences and key figures beside the same months of last year (the workbook's
summary, ``summary_facts``), the acquisitions by month against last year as a chart, and the Perisai
offices. Both in the reader's language, laid out by ``perisai.report_paper``; the same guard and scope as the
pages (branch staff, heads, regional and national users; an agent gets 403).
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from agents.letters import branch_office_name
from perisai.paper import ORGANISATION
from perisai.privacy import table_for
from perisai.report_paper import Bars, Grid, Heading, Para, ReportPaper, render_report
from reports import catalogue
from reports.acquisitions import monthly_comparison
from reports.catalogue import REPORTS
from reports.exports import export_filename
from web.reports.views import _report_or_404, _selection, branch_reports
from web.reports.workbook import key_figures, summary_facts, summary_sentences
from web.templatetags.report_tables import format_value

PDF = "application/pdf"
NUMERIC_KINDS = {catalogue.COUNT, catalogue.DECIMAL, catalogue.PERCENT, catalogue.CHANGE, catalogue.RUPIAH}


@branch_reports
def report_pdf(request, slug):
    report = _report_or_404(slug)
    selection = _selection(request)
    table = table_for(request.user, report.table(scope=selection.scope, period=selection.period))
    paper = _paper(selection, title=table.title, blocks=(Para(str(report.description)), table_grid(table)))
    return _pdf_response(
        paper, export_filename(table.title, scope=selection.scope, period=selection.period, extension="pdf")
    )


@branch_reports
def dashboard_pdf(request):
    selection = _selection(request)
    scope, period = selection.scope, selection.period
    facts = summary_facts(scope=scope, period=period, today=timezone.localdate())
    months = monthly_comparison(scope=scope, period=period)  # the monthly report's rows, without its chart geometry
    offices = table_for(request.user, REPORTS["offices"].table(scope=scope, period=period))
    blocks = (
        Heading(_("In short")),
        *(Para(sentence) for sentence in summary_sentences(facts)),
        month_bars(months, period),
        Heading(_("Key figures")),
        key_figure_grid(facts),
        Heading(str(offices.title)),
        table_grid(offices),
    )
    paper = _paper(selection, title=_("Dashboard"), blocks=blocks)
    return _pdf_response(paper, export_filename(_("Dashboard"), scope=scope, period=period, extension="pdf"))


def table_grid(table):
    """A report ``Table`` as a ``Grid`` of its cells formatted as its page shows them."""
    kinds = [column.kind for column in table.columns]
    rows = tuple(
        tuple(format_value(value, kind) for value, kind in zip(values, kinds, strict=True))
        for values in table.value_rows()
    )
    return Grid(
        header=tuple(table.headers),
        rows=rows,
        numeric=tuple(kind in NUMERIC_KINDS for kind in kinds),
        wraps=tuple(kind == catalogue.TEXT for kind in kinds),
    )


def key_figure_grid(facts):
    period = facts.period
    header = (_("Key figures"), _("Value"), f"{period.months_label} {period.year - 1}", _("Change (%)"))
    rows = tuple(
        (
            figure.label,
            format_value(figure.value, figure.kind),
            format_value(figure.previous, figure.kind),
            format_value(figure.change, catalogue.CHANGE),
        )
        for figure in key_figures(facts)
    )
    return Grid(header=header, rows=rows, numeric=(False, True, True, True))


def month_bars(months, period):
    """The acquisitions by month, this year against last: ``months`` are the monthly report's ``MonthTotal`` rows."""
    return Bars(
        title=_("Acquisitions by month: %(year)d against %(previous)d")
        % {"year": period.year, "previous": period.year - 1},
        categories=tuple(date_format(row.month, "M") for row in months),
        series=(
            (str(period.year - 1), tuple(row.last_year for row in months)),
            (str(period.year), tuple(row.this_year for row in months)),
        ),
    )


def _paper(selection, *, title, blocks):
    scope, period = selection.scope, selection.period
    issuer = branch_office_name(scope.branch) if scope.branch else str(scope.label)
    made = _("Made on %(when)s by Perisai") % {"when": date_format(timezone.localtime(), "j F Y H:i")}
    return ReportPaper(
        issuer=f"{ORGANISATION} · {issuer}",
        title=str(title),
        subtitle=f"{scope.label} · {period.label}",
        made=made,
        page_label=_("Page %(page)d of %(pages)d"),
        blocks=blocks,
    )


def _pdf_response(paper, filename):
    return HttpResponse(
        render_report(paper),
        content_type=PDF,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
