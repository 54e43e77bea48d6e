"""Pre-counted figures, kept in step with every write by the database itself, so national reports read a
few thousand rows instead of a million acquisitions and eight million contributions.

- ``AcquisitionMonth``: acquisitions per month and per branch, office and agent they were credited to,
  and ``OfficeMonth``, the same per branch and office (what national and branch figures read).
  Triggers on ``enrollment_acquisition`` keep it (PostgreSQL and SQLite alike), so every write path
  counts: the enrol form, the bulk import's ``bulk_create``, the admin, ``update()``, raw SQL.
- ``AgentTotal``: the same summed over all time, one row per agent (what the agents lists show and sort
  by), kept by triggers of its own on ``enrollment_acquisition`` (reports migration 0010).
- ``ContributionMonth`` (PostgreSQL only): Rupiah paid per month and per branch and office the
  contributions' acquisitions are credited to, kept by the contributions' triggers (and moved by the
  acquisitions' when an acquisition changes office), read by the money view's totals.
- ``StandingInterval`` and ``StandingChange`` (PostgreSQL only): whether each participant is *standing*
  and *current* at a month end (the rules of ``reports.continuity``), stored as the months from which
  each acquisition starts and stops counting, and summed per month, branch and office as changes, so
  the count at a month end is the sum of the changes up to that month. A statement-level trigger on
  acquisitions and contributions recomputes the intervals of the participants a statement touched.
  Time passing needs no refresh: an acquisition that stops being current three months after its
  last payment has that month stored as the end of its interval from the moment the payment is written.

The report functions stay the single source of truth: they read these tables through the helpers
below, and ``tests/reports/test_rollups.py`` checks that every answer equals the count of raw rows.
``python manage.py rebuild_report_rollups`` recomputes everything (after a bulk load with triggers off).

**The SQL lives in the migrations**, which are history: the functions and triggers in force were
installed by reports migrations 0001-0003 from their frozen copy (``reports/migrations/_rollups_2026_11_26.py``).
Changing them is a new migration that carries its own SQL. What they compute, for month ends M:

- acquisitions: each insert, update or delete of acquisitions adds or takes out one per row from the
  month, branch, office and agent it was credited to (one statement-level trigger per kind of write), and
  from the agent's total (0010, ``reports/migrations/_rollups_2026_12_06_agent_totals.py``);
- standing intervals, recounted for the participants a statement touched (a few: static SQL planned
  once a session; many, a bulk import's batch: a plan made for their number): an acquisition is
  *standing* from its month until the month of the participant's next acquisition (by date, then id),
  which supersedes it at that month's end; it is *current* while standing, before the month in which
  a recorded lapse ended it (``ended_on``), and in the months covered by its own month or a paid month
  P: P, P+1 and P+2 (the paying window of ``enrollment.paying``, three months ending at M, holds P).
"""

from django.db import connection, models
from django.db.models import Sum

from perisai.months import month_end
from reports import freshness

# --- the tables -----------------------------------------------------------------------------------


def _reference(model, related_name):
    """A plain reference: no database constraint (rows are written by triggers, and the acquisitions that
    count already protect what they name)."""
    return models.ForeignKey(model, on_delete=models.DO_NOTHING, db_constraint=False, related_name=related_name)


class AcquisitionMonth(models.Model):
    """How many acquisitions were credited to one branch, office and agent in one month (0 once they moved)."""

    month = models.DateField()
    branch = _reference("agents.Branch", "acquisition_months")
    office = _reference("agents.PerisaiOffice", "acquisition_months")
    agent = _reference("agents.Agent", "acquisition_months")
    acquisitions = models.IntegerField()

    class Meta:
        app_label = "reports"
        constraints = [
            models.UniqueConstraint(fields=["month", "branch", "office", "agent"], name="acquisition_month_key")
        ]
        indexes = [
            models.Index(fields=["branch", "month", "acquisitions"], name="acquisition_month_branch"),
            models.Index(fields=["office", "month", "acquisitions"], name="acquisition_month_office"),
            models.Index(fields=["agent", "month", "acquisitions"], name="acquisition_month_agent"),
            # The national ranking, the agents acquiring each month: index-only over a period's months.
            models.Index(fields=["month", "agent", "acquisitions"], name="acquisition_month_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} agent {self.agent_id}: {self.acquisitions}"


class AgentTotal(models.Model):
    """Every acquisition credited to one agent, all time: ``AcquisitionMonth`` summed over the months (0 once
    they all moved), one row an agent, so an agents list sorts its thousands of agents by a join, not a sum.
    No row for an agent who never acquired anyone (read as 0)."""

    agent = models.OneToOneField(
        "agents.Agent",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="acquisition_total",
    )
    acquisitions = models.IntegerField()

    class Meta:
        app_label = "reports"

    def __str__(self):
        return f"agent {self.agent_id}: {self.acquisitions}"


class OfficeMonth(models.Model):
    """``AcquisitionMonth`` summed over agents: what national, branch and office figures read (a few
    hundred rows a month instead of one per agent)."""

    month = models.DateField()
    branch = _reference("agents.Branch", "office_months")
    office = _reference("agents.PerisaiOffice", "office_months")
    acquisitions = models.IntegerField()

    class Meta:
        app_label = "reports"
        constraints = [models.UniqueConstraint(fields=["month", "branch", "office"], name="office_month_key")]
        indexes = [
            models.Index(fields=["branch", "month", "acquisitions"], name="office_month_branch"),
            models.Index(fields=["office", "month", "acquisitions"], name="office_month_office"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} office {self.office_id}: {self.acquisitions}"


class StandingInterval(models.Model):
    """The months ``[starts, ends)`` (first days of months; ``ends`` open when ``None``) at whose ends an
    acquisition is its participant's standing acquisition (``is_current`` false) or is current (true)."""

    acquisition_id = models.BigIntegerField()
    participant_id = models.BigIntegerField(db_index=True)
    branch_id = models.BigIntegerField()
    office_id = models.BigIntegerField()
    is_current = models.BooleanField()
    starts = models.DateField()
    ends = models.DateField(null=True)

    class Meta:
        app_label = "reports"

    def __str__(self):
        return f"acquisition {self.acquisition_id}: {self.starts} to {self.ends or '…'}"


class StandingChange(models.Model):
    """From ``month`` on, the participants standing (``standing``) and current (``current``) in one branch
    and office change by these numbers."""

    month = models.DateField()
    branch = _reference("agents.Branch", "+")
    office = _reference("agents.PerisaiOffice", "+")
    standing = models.IntegerField(default=0)
    current = models.IntegerField(default=0)

    class Meta:
        app_label = "reports"
        constraints = [models.UniqueConstraint(fields=["month", "branch", "office"], name="standing_change_key")]
        indexes = [models.Index(fields=["branch", "month"], name="standing_change_branch")]

    def __str__(self):
        return f"{self.month:%Y-%m} office {self.office_id}: {self.standing:+d} standing, {self.current:+d} current"


class ContributionMonth(models.Model):
    """Rupiah paid in one month (by ``paid_on``, every channel) on the acquisitions credited to one branch
    and office, and how many contributions: what the money view's totals read on PostgreSQL."""

    month = models.DateField()
    branch = _reference("agents.Branch", "+")
    office = _reference("agents.PerisaiOffice", "+")
    amount = models.DecimalField(max_digits=16, decimal_places=0)
    contributions = models.IntegerField()

    class Meta:
        app_label = "reports"
        constraints = [models.UniqueConstraint(fields=["month", "branch", "office"], name="contribution_month_key")]
        indexes = [
            models.Index(fields=["branch", "month"], name="contribution_month_branch"),
            models.Index(fields=["office", "month"], name="contribution_month_office"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} office {self.office_id}: Rp {self.amount}"


# --- reading them ----------------------------------------------------------------------------------


def standing_kept():
    """Standing counts are kept on PostgreSQL (production); elsewhere the reports count live rows."""
    return connection.vendor == "postgresql"


def money_kept(scope):
    """Money per month is kept on PostgreSQL for national, branch and office scopes; an agent's money
    (credited to them, not to an office) and other databases are counted from the contributions."""
    return standing_kept() and not scope.agent


def contribution_months(scope):
    """The months' money within ``scope`` (``money_kept`` must hold): sum ``amount`` over ``month``."""
    return scope.filter(ContributionMonth.objects.all())


def acquisition_months(scope=None, *, by_agent=False):
    """Monthly counts credited within ``scope`` (all when ``None``) that hold at least one acquisition:
    sum ``acquisitions`` over ``month``. Per office (``OfficeMonth``) unless the scope is an agent's or
    ``by_agent`` asks for the agents (``AcquisitionMonth``)."""
    model = AcquisitionMonth if by_agent or (scope is not None and scope.agent) else OfficeMonth
    rows = model.objects.filter(acquisitions__gt=0)
    return scope.filter(rows) if scope is not None else rows


def months_relation(scope):
    """The name of the monthly counts as a relation of offices and agents, for ``FilteredRelation``."""
    return "acquisition_months" if scope.agent else "office_months"


def standing_counts(*, scope, day):
    """``{"current": n, "lapsed": n}`` at ``day`` from ``StandingChange``, or ``None`` when they are not
    kept for this question (not PostgreSQL, an agent's or caretaker's scope, a day that is no month end)."""
    if not standing_kept() or scope.agent or day != month_end(day):
        return None
    totals = scope.filter(StandingChange.objects.filter(month__lte=day.replace(day=1))).aggregate(
        standing=Sum("standing", default=0), current=Sum("current", default=0)
    )
    return {"current": totals["current"], "lapsed": totals["standing"] - totals["current"]}


# --- counting them again ---------------------------------------------------------------------------

# SQLite keeps the monthly counts by its own triggers; a rebuild there counts them with these statements.
SQLITE_FILL = [
    """
    INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
    SELECT date(acquired_on, 'start of month'), branch_id, office_id, agent_id, count(*)
    FROM enrollment_acquisition GROUP BY 1, 2, 3, 4""",
    """
    INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
    SELECT date(acquired_on, 'start of month'), branch_id, office_id, count(*)
    FROM enrollment_acquisition GROUP BY 1, 2, 3""",
    """
    INSERT INTO reports_agenttotal (agent_id, acquisitions)
    SELECT agent_id, count(*) FROM enrollment_acquisition GROUP BY 1""",
]


def rebuild():
    """Recount every table from the raw rows (what the migration does once, and the command on demand)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reports_rebuild_rollups()")
        else:
            cursor.execute("DELETE FROM reports_acquisitionmonth")
            cursor.execute("DELETE FROM reports_officemonth")
            cursor.execute("DELETE FROM reports_agenttotal")
            for statement in SQLITE_FILL:
                cursor.execute(statement)
    # A rebuild follows writes made with the triggers off: cached figures computed before it are not the data's.
    freshness.touch()
