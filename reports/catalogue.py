"""The reports as tables: one definition of columns serves the page, the CSV file and the workbook sheet.

Each ``Report`` turns what its report function returns into a ``Table``: headers in the active
language (``gettext_lazy``, read when the table is written), a kind per column that says how a value
is shown (a count with thousands separators, a percentage, a date ...), and the rows themselves.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.acquisitions import (
    acquisition_summary,
    by_agent,
    by_desa,
    by_gender_and_age,
    by_kecamatan,
    by_occupation,
    by_office,
    monthly_comparison,
    year_summary,
    yearly_totals,
)
from reports.agreements import agreement_status
from reports.charts import month_chart
from reports.continuity import (
    FOLLOWING_MONTHS,
    RETENTION_MONTHS,
    contribution_continuity,
    lapsed_by_caretaker,
    lapsed_participants,
    months_unpaid,
)
from reports.follow_up import follow_up_report
from reports.money import (
    collected_by_agent,
    collected_by_month,
    collected_by_office,
    money_summary,
    new_and_returning,
)
from reports.network import agent_network
from reports.recruitment import FIRST_MONTHS, STAYING_MONTHS, recruitment_funnel
from reports.targets import target_progress

TEXT = "text"
YEAR = "year"
COUNT = "count"
DECIMAL = "decimal"
PERCENT = "percent"
CHANGE = "change"
RUPIAH = "rupiah"
DATE = "date"
MONTH = "month"


@dataclass(frozen=True)
class Column:
    """``key`` names an attribute or dict key of a row, or is a function of the row."""

    key: object
    label: object
    kind: str = COUNT

    def value(self, row):
        if callable(self.key):
            value = self.key(row)
        elif isinstance(row, dict):
            value = row[self.key]
        else:
            value = getattr(row, self.key)
        return str(value) if isinstance(value, Promise) else value

    @property
    def numeric(self):
        return self.kind not in (TEXT, DATE, MONTH)


@dataclass
class Table:
    title: str
    columns: list
    rows: list
    extra: dict = field(default_factory=dict)

    @property
    def headers(self):
        return [str(column.label) for column in self.columns]

    def values(self, row):
        return [column.value(row) for column in self.columns]

    def value_rows(self):
        for row in self.rows:
            yield self.values(row)


@dataclass(frozen=True)
class Report:
    slug: str
    title: object
    description: object
    build: object
    in_workbook: bool = True

    def table(self, *, scope, period):
        return self.build(scope=scope, period=period, title=str(self.title))


def _month_name(row):
    return date_format(row.month, "F")


def _yearly(*, scope, period, title):
    rows = yearly_totals(scope=scope, period=period)
    columns = [
        Column("year", gettext_lazy("Year"), YEAR),
        Column("year_to_date", period.months_label),
        Column("full_year", gettext_lazy("Full year")),
        Column("change_same_period", gettext_lazy("Change against the same months of the previous year (%)"), CHANGE),
        Column(
            "share_of_previous_year",
            _("%(months)s against the whole previous year (%% reached)") % {"months": period.months_label},
            PERCENT,
        ),
        Column("change_full_year", gettext_lazy("Full year change (%)"), CHANGE),
        Column("pace", gettext_lazy("Acquisitions a month so far")),
        Column("pace_needed", gettext_lazy("A month needed to beat the previous year")),
        Column("projection", gettext_lazy("Projection for the year")),
    ]
    return Table(title, columns, rows, extra={"summary": year_summary(rows, period)})


def _monthly(*, scope, period, title):
    columns = [
        Column(_month_name, gettext_lazy("Month"), TEXT),
        Column("this_year", str(period.year)),
        Column("last_year", str(period.year - 1)),
        Column("change", gettext_lazy("Change (%)"), CHANGE),
        Column("this_year_cumulative", _("%(year)d since January") % {"year": period.year}),
        Column("last_year_cumulative", _("%(year)d since January") % {"year": period.year - 1}),
    ]
    rows = monthly_comparison(scope=scope, period=period)
    summary = acquisition_summary(scope=scope, period=period)
    charts = tuple(
        month_chart(rows, year=period.year, pace_needed=summary.pace_needed, compact=compact)
        for compact in (False, True)
    )
    return Table(title, columns, rows, extra={"summary": summary, "charts": charts})


def _group_columns(key_label, with_key):
    columns = [Column("key", gettext_lazy("Code"), TEXT)] if with_key else []
    return columns + [
        Column("label", key_label, TEXT),
        Column("acquisitions", gettext_lazy("Acquisitions")),
        Column("previous", gettext_lazy("Same period last year")),
        Column("change", gettext_lazy("Change (%)"), CHANGE),
        Column("share", gettext_lazy("Share of total (%)"), PERCENT),
    ]


def _offices(*, scope, period, title):
    columns = _group_columns(gettext_lazy("Perisai office"), with_key=True)
    return Table(title, columns, by_office(scope=scope, period=period))


def _occupations(*, scope, period, title):
    return Table(title, _group_columns(gettext_lazy("Occupation"), False), by_occupation(scope=scope, period=period))


def _kecamatan(*, scope, period, title):
    return Table(title, _group_columns(gettext_lazy("Kecamatan"), True), by_kecamatan(scope=scope, period=period))


def _desa(*, scope, period, title):
    return Table(title, _group_columns(gettext_lazy("Desa/kelurahan"), True), by_desa(scope=scope, period=period))


def _agents(*, scope, period, title):
    columns = [
        Column("rank", gettext_lazy("Rank")),
        Column("code", gettext_lazy("Agent code"), TEXT),
        Column("name", gettext_lazy("Agent"), TEXT),
        Column("office", gettext_lazy("Perisai office"), TEXT),
        Column("status", gettext_lazy("Status"), TEXT),
        Column("acquisitions", gettext_lazy("Acquisitions")),
        Column("previous", gettext_lazy("Same period last year")),
        Column("months_active", gettext_lazy("Months active")),
        Column("per_active_month", gettext_lazy("Acquisitions per active month"), DECIMAL),
        Column("share", gettext_lazy("Share of total (%)"), PERCENT),
        Column("joined_on", gettext_lazy("Joined on"), DATE),
        Column("left_on", gettext_lazy("Left on"), DATE),
    ]
    return Table(title, columns, by_agent(scope=scope, period=period))


def _gender_age(*, scope, period, title):
    columns = [
        Column("band", gettext_lazy("Age band"), TEXT),
        Column("women", gettext_lazy("Women")),
        Column("men", gettext_lazy("Men")),
        Column("total", gettext_lazy("Total")),
        Column("share", gettext_lazy("Share of total (%)"), PERCENT),
        Column("women_share", gettext_lazy("Women (%)"), PERCENT),
    ]
    return Table(title, columns, by_gender_and_age(scope=scope, period=period))


def _network(*, scope, period, title):
    network = agent_network(scope=scope, period=period)
    columns = [
        Column("month_end", gettext_lazy("Month end"), DATE),
        Column("active", gettext_lazy("Active agents")),
        Column("recruited", gettext_lazy("Recruited")),
        Column("left", gettext_lazy("Left")),
        Column("acquisitions", gettext_lazy("Acquisitions")),
        Column("agents_acquiring", gettext_lazy("Agents who acquired")),
        Column("per_active_agent", gettext_lazy("Acquisitions per active agent"), DECIMAL),
    ]
    return Table(title, columns, network.months, extra={"network": network})


def _still_active(months):
    return lambda row: row.still_active(months)


def _active_share(months):
    return lambda row: row.active_share(months)


def _not_yet_known(months):
    return lambda row: row.not_yet_known(months)


def _funnel_columns(candidates, trained):
    """The counts every breakdown of the recruitment funnel shares, after its own first columns."""
    columns = [
        Column("candidates", candidates),
        Column("trained", trained),
        Column("passed", gettext_lazy("Passed")),
        Column("activated", gettext_lazy("Activated as agents")),
    ]
    for months in STAYING_MONTHS:
        columns += [
            Column(_still_active(months), _("Still active after %(months)d months") % {"months": months}),
            Column(
                _active_share(months),
                _("Still active after %(months)d months (%% of those known)") % {"months": months},
                PERCENT,
            ),
            Column(_not_yet_known(months), _("Not yet %(months)d months as agents") % {"months": months}),
        ]
    first = {"months": FIRST_MONTHS}
    return columns + [
        Column("acquisitions_first", _("Acquisitions in their first %(months)d months") % first),
        Column("first_per_agent", _("In their first %(months)d months, per activated agent") % first, DECIMAL),
        Column("acquisitions", gettext_lazy("Acquisitions to date")),
        Column("per_agent", gettext_lazy("Acquisitions to date per activated agent"), DECIMAL),
    ]


def recruitment_tables(funnel):
    """The funnel's three breakdowns as the page shows them, each with its own first columns."""
    return {
        "months": Table(
            _("By month registered"),
            [Column("month", gettext_lazy("Registered in"), MONTH)]
            + _funnel_columns(gettext_lazy("Candidates registered"), gettext_lazy("Trained")),
            funnel.months,
        ),
        "recruiters": Table(
            _("By recruiter"),
            [
                Column("code", gettext_lazy("Agent code"), TEXT),
                Column("recruiter", gettext_lazy("Recruited by"), TEXT),
                Column("office", gettext_lazy("Perisai office"), TEXT),
            ]
            + _funnel_columns(gettext_lazy("Candidates"), gettext_lazy("Trained")),
            funnel.recruiters,
        ),
        "sessions": Table(
            _("By training session"),
            [
                Column("held_on", gettext_lazy("Held on"), DATE),
                Column("place", gettext_lazy("Place"), TEXT),
                Column("trainer", gettext_lazy("Trainer"), TEXT),
            ]
            + _funnel_columns(gettext_lazy("Invited"), gettext_lazy("Attended")),
            funnel.sessions,
        ),
    }


def _recruitment(*, scope, period, title):
    """The three breakdowns in one table, a column saying which (the file and the workbook sheet); the
    page shows them apart (``recruitment_tables``)."""
    funnel = recruitment_funnel(scope=scope, period=period)
    columns = [
        Column("breakdown_label", gettext_lazy("Breakdown"), TEXT),
        Column("label", gettext_lazy("Cohort"), TEXT),
        Column("detail", gettext_lazy("Perisai office (recruiter) or trainer (session)"), TEXT),
    ] + _funnel_columns(gettext_lazy("Candidates (invited, for a session)"), gettext_lazy("Trained (attended)"))
    return Table(title, columns, funnel.rows, extra={"funnel": funnel, "tables": recruitment_tables(funnel)})


def _paid_after(months):
    return lambda cohort: cohort.share_paid(months)


def _continuity(*, scope, period, title):
    continuity = contribution_continuity(scope=scope, period=period)
    columns = [
        Column("month", gettext_lazy("Acquired in"), MONTH),
        Column("size", gettext_lazy("Workers acquired")),
    ] + [
        Column(_paid_after(months), _("Paid month %(month)d (%%)") % {"month": months}, PERCENT)
        for months in range(FOLLOWING_MONTHS + 1)
    ]
    return Table(
        title,
        columns,
        continuity.cohorts,
        extra={"continuity": continuity, "retention_months": RETENTION_MONTHS},
    )


def _lapsed(*, scope, period, title):
    columns = [
        Column("code", gettext_lazy("Agent code"), TEXT),
        Column("name", gettext_lazy("Looked after by"), TEXT),
        Column("office", gettext_lazy("Perisai office"), TEXT),
        Column("phone", gettext_lazy("Agent phone"), TEXT),
        Column("current", gettext_lazy("Current")),
        Column("lapsed", gettext_lazy("Lapsed")),
        Column("lapsed_share", gettext_lazy("Lapsed (%)"), PERCENT),
    ]
    return Table(title, columns, lapsed_by_caretaker(scope=scope, period=period))


def lapsed_list_columns(period):
    return [
        Column("caretaker__code", gettext_lazy("Agent code"), TEXT),
        Column("caretaker__full_name", gettext_lazy("Looked after by"), TEXT),
        Column("participant__full_name", gettext_lazy("Participant"), TEXT),
        Column("participant__kpj_number", gettext_lazy("KPJ number"), TEXT),
        Column("participant__phone", gettext_lazy("Phone"), TEXT),
        Column("participant__kecamatan", gettext_lazy("Kecamatan"), TEXT),
        Column("participant__desa", gettext_lazy("Desa/kelurahan"), TEXT),
        Column("acquired_on", gettext_lazy("Acquired on"), DATE),
        Column("agent__full_name", gettext_lazy("Acquired by"), TEXT),
        Column("last_paid", gettext_lazy("Last month paid"), MONTH),
        Column(lambda row: months_unpaid(row, period), gettext_lazy("Months unpaid")),
    ]


def _lapsed_list(*, scope, period, title):
    return Table(title, lapsed_list_columns(period), lapsed_participants(scope=scope, period=period))


def _figure(name):
    return lambda row: getattr(row.figures, name)


def _follow_up(*, scope, period, title):
    report = follow_up_report(scope=scope, period=period)
    month = date_format(period.end, "F")
    months = period.months_label
    columns = [
        Column("level_label", gettext_lazy("Level"), TEXT),
        Column("code", gettext_lazy("Code"), TEXT),
        Column("name", gettext_lazy("Name"), TEXT),
        Column("office", gettext_lazy("Perisai office"), TEXT),
        Column(_figure("late"), gettext_lazy("One month from lapsing")),
        Column(_figure("due"), gettext_lazy("Due this month")),
        Column(_figure("at_risk"), _("At risk on %(date)s") % {"date": date_format(period.end, "j F Y")}),
        Column(_figure("contacted"), _("Contacted in %(month)s") % {"month": month}),
        Column(_figure("promised"), _("Promises due in %(month)s") % {"month": month}),
        Column(_figure("kept"), gettext_lazy("Promises kept")),
        Column(_figure("kept_share"), gettext_lazy("Kept (%)"), PERCENT),
        Column(_figure("saved"), _("Saved in %(month)s (paid after a contact)") % {"month": month}),
        Column(_figure("contacted_to_date"), _("Contacted %(months)s") % {"months": months}),
        Column(_figure("promised_to_date"), _("Promises due %(months)s") % {"months": months}),
        Column(_figure("kept_to_date"), _("Promises kept %(months)s") % {"months": months}),
        Column(_figure("saved_to_date"), _("Saved %(months)s") % {"months": months}),
    ]
    return Table(title, columns, report.rows, extra={"follow_up": report.summary})


def _collected(*, scope, period, title):
    columns = [
        Column(_month_name, gettext_lazy("Month"), TEXT),
        Column("this_year", str(period.year), RUPIAH),
        Column("last_year", str(period.year - 1), RUPIAH),
        Column("change", gettext_lazy("Change (%)"), CHANGE),
        Column("this_year_cumulative", _("%(year)d since January") % {"year": period.year}, RUPIAH),
        Column("last_year_cumulative", _("%(year)d since January") % {"year": period.year - 1}, RUPIAH),
    ]
    rows = collected_by_month(scope=scope, period=period)
    return Table(title, columns, rows, extra={"summary": money_summary(scope=scope, period=period, months=rows)})


def _collected_offices(*, scope, period, title):
    columns = [
        Column("code", gettext_lazy("Code"), TEXT),
        Column("name", gettext_lazy("Perisai office"), TEXT),
        Column("collected", gettext_lazy("Collected"), RUPIAH),
        Column("previous", gettext_lazy("Same period last year"), RUPIAH),
        Column("change", gettext_lazy("Change (%)"), CHANGE),
        Column("share", gettext_lazy("Share of total (%)"), PERCENT),
        Column("participants", _("Participants on %(date)s") % {"date": date_format(period.end, "j F Y")}),
        Column("jht_share", gettext_lazy("With JHT (%)"), PERCENT),
        Column("average_income", gettext_lazy("Average declared income"), RUPIAH),
    ]
    return Table(title, columns, collected_by_office(scope=scope, period=period))


def _collected_agents(*, scope, period, title):
    columns = [
        Column("code", gettext_lazy("Agent code"), TEXT),
        Column("name", gettext_lazy("Agent"), TEXT),
        Column("office", gettext_lazy("Perisai office"), TEXT),
        Column("collected", gettext_lazy("Collected"), RUPIAH),
        Column("previous", gettext_lazy("Same period last year"), RUPIAH),
        Column("change", gettext_lazy("Change (%)"), CHANGE),
        Column("share", gettext_lazy("Share of total (%)"), PERCENT),
        Column("left_on", gettext_lazy("Left on"), DATE),
    ]
    return Table(title, columns, collected_by_agent(scope=scope, period=period))


def _new_returning(*, scope, period, title):
    acquired = new_and_returning(scope=scope, period=period)
    columns = [
        Column("year", gettext_lazy("Year"), YEAR),
        Column("acquisitions", _("Acquisitions %(months)s") % {"months": period.months_label}),
        Column("new", gettext_lazy("New participants")),
        Column("returning", gettext_lazy("Returning (acquired again)")),
        Column("returning_share", gettext_lazy("Returning (%)"), PERCENT),
    ]
    return Table(title, columns, acquired.years, extra={"acquired": acquired})


def _targets(*, scope, period, title):
    columns = [
        Column("level_label", gettext_lazy("Level"), TEXT),
        Column("code", gettext_lazy("Code"), TEXT),
        Column("name", gettext_lazy("Name"), TEXT),
        Column("target", _("Target %(year)d") % {"year": period.year}),
        Column("achieved", gettext_lazy("Achieved")),
        Column("achieved_share", gettext_lazy("Achieved (%)"), PERCENT),
        Column("expected", gettext_lazy("Expected by now")),
        Column(lambda row: _("Yes") if row.on_track else _("No"), gettext_lazy("On track"), TEXT),
        Column("remaining", gettext_lazy("Remaining")),
        Column("pace", gettext_lazy("Acquisitions a month so far")),
        Column("pace_needed", gettext_lazy("A month needed to reach the target")),
    ]
    return Table(title, columns, target_progress(scope=scope, period=period))


def _agreements(*, scope, period, title):
    status = agreement_status(scope=scope, period=period)
    columns = [
        Column("office_code", gettext_lazy("Code"), TEXT),
        Column("office_name", gettext_lazy("Perisai office"), TEXT),
        Column("number", gettext_lazy("PKS number"), TEXT),
        Column("signed_on", gettext_lazy("Signed on"), DATE),
        Column("starts_on", gettext_lazy("Starts on"), DATE),
        Column("ends_on", gettext_lazy("Ends on"), DATE),
        Column("status_label", gettext_lazy("Status"), TEXT),
        Column("days_left", gettext_lazy("Days left")),
        Column("renewal_number", gettext_lazy("Renewed by"), TEXT),
    ]
    return Table(title, columns, status.offices, extra={"agreements": status})


REPORTS = {
    report.slug: report
    for report in (
        Report(
            "yearly",
            gettext_lazy("Acquisitions by year"),
            gettext_lazy("Every year to date and in full, the change, the pace and the projection."),
            _yearly,
        ),
        Report(
            "monthly",
            gettext_lazy("Acquisitions by month"),
            gettext_lazy("This year against last year, month by month."),
            _monthly,
        ),
        Report(
            "offices",
            gettext_lazy("By Perisai office"),
            gettext_lazy("Acquisitions credited to each office."),
            _offices,
        ),
        Report(
            "agents",
            gettext_lazy("By agent"),
            gettext_lazy("The agents ranked, with months active and share of the total."),
            _agents,
        ),
        Report(
            "occupations",
            gettext_lazy("By occupation"),
            gettext_lazy("What the acquired workers do."),
            _occupations,
        ),
        Report(
            "kecamatan",
            gettext_lazy("By kecamatan"),
            gettext_lazy("Where the acquired workers live."),
            _kecamatan,
        ),
        Report(
            "desa",
            gettext_lazy("By desa"),
            gettext_lazy("Where the acquired workers live, desa by desa."),
            _desa,
        ),
        Report(
            "gender-age",
            gettext_lazy("By gender and age"),
            gettext_lazy("Women and men by age band at the end of the period."),
            _gender_age,
        ),
        Report(
            "network",
            gettext_lazy("Agent network"),
            gettext_lazy("Active agents at each month end, recruited and left, acquisitions per agent."),
            _network,
        ),
        Report(
            "recruitment",
            gettext_lazy("Recruitment"),
            gettext_lazy(
                "Candidates by month registered, by recruiter and by training session: trained, passed, activated, "
                "still active after 3 and 6 months, and what the new agents acquired."
            ),
            _recruitment,
        ),
        Report(
            "continuity",
            gettext_lazy("Contribution continuity"),
            gettext_lazy("Of the workers acquired each month, the share who paid in the months after."),
            _continuity,
        ),
        Report(
            "lapsed",
            gettext_lazy("Lapsed participants by agent"),
            gettext_lazy("Current and lapsed participants of each agent who looks after them."),
            _lapsed,
        ),
        Report(
            "lapsed-list",
            gettext_lazy("Lapsed participants to follow up"),
            gettext_lazy("Every lapsed participant with a phone number, by the agent who looks after them."),
            _lapsed_list,
            in_workbook=False,
        ),
        Report(
            "follow-up",
            gettext_lazy("Follow-up and lapses prevented"),
            gettext_lazy(
                "Participants at risk, contacted, promises kept and saved (paid after a contact), for the scope, "
                "each Perisai office and each agent who looks after participants."
            ),
            _follow_up,
        ),
        Report(
            "collected",
            gettext_lazy("Contributions collected"),
            gettext_lazy(
                "Rupiah paid each month against the same month last year, and the participants' JHT and "
                "declared income."
            ),
            _collected,
        ),
        Report(
            "collected-offices",
            gettext_lazy("Contributions by office"),
            gettext_lazy("Rupiah paid on each office's acquisitions; its participants with JHT and their income."),
            _collected_offices,
        ),
        Report(
            "collected-agents",
            gettext_lazy("Contributions by agent"),
            gettext_lazy("Rupiah credited to each agent, against the same months last year."),
            _collected_agents,
        ),
        Report(
            "new-returning",
            gettext_lazy("New and returning participants"),
            gettext_lazy("The acquisitions split into new participants and workers acquired again after a lapse."),
            _new_returning,
        ),
        Report(
            "targets",
            gettext_lazy("Targets"),
            gettext_lazy("Progress against the year's targets of the branch, offices and agents."),
            _targets,
        ),
        Report(
            "agreements",
            gettext_lazy("PKS status"),
            gettext_lazy("Each office's current agreement, ending soonest first."),
            _agreements,
        ),
    )
}
