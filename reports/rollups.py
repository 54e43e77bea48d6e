"""Pre-counted figures, kept in step with every write by the database itself, so national reports read a
few thousand rows instead of a million acquisitions and eight million contributions.

- ``AcquisitionMonth``: acquisitions per month and per branch, office and agent they were credited to,
  and ``OfficeMonth``, the same per branch and office (what national and branch figures read).
  Triggers on ``enrollment_acquisition`` keep it (PostgreSQL and SQLite alike), so every write path
  counts: the enrol form, the bulk import's ``bulk_create``, the admin, ``update()``, raw SQL.
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
"""

from django.db import connection, models
from django.db.models import Sum

from reports.periods import month_end

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


# --- reading them ----------------------------------------------------------------------------------


def standing_kept():
    """Standing counts are kept on PostgreSQL (production); elsewhere the reports count live rows."""
    return connection.vendor == "postgresql"


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
    if not standing_kept() or scope.agent or day != month_end(day.year, day.month):
        return None
    totals = scope.filter(StandingChange.objects.filter(month__lte=day.replace(day=1))).aggregate(
        standing=Sum("standing", default=0), current=Sum("current", default=0)
    )
    return {"current": totals["current"], "lapsed": totals["standing"] - totals["current"]}


def rebuild():
    """Recount every table from the raw rows (what the migration does once, and the command on demand)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reports_rebuild_rollups()")
        else:
            cursor.execute("DELETE FROM reports_acquisitionmonth")
            cursor.execute("DELETE FROM reports_officemonth")
            for statement in SQLITE_FILL:
                cursor.execute(statement)


# --- keeping them: SQL ------------------------------------------------------------------------------

SQLITE_FILL = [
    """
    INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
    SELECT date(acquired_on, 'start of month'), branch_id, office_id, agent_id, count(*)
    FROM enrollment_acquisition GROUP BY 1, 2, 3, 4""",
    """
    INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
    SELECT date(acquired_on, 'start of month'), branch_id, office_id, count(*)
    FROM enrollment_acquisition GROUP BY 1, 2, 3""",
]
_SQLITE_ADD = """
        INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
        VALUES (date(NEW.acquired_on, 'start of month'), NEW.branch_id, NEW.office_id, NEW.agent_id, 1)
        ON CONFLICT (month, branch_id, office_id, agent_id) DO UPDATE SET acquisitions = acquisitions + 1;
        INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
        VALUES (date(NEW.acquired_on, 'start of month'), NEW.branch_id, NEW.office_id, 1)
        ON CONFLICT (month, branch_id, office_id) DO UPDATE SET acquisitions = acquisitions + 1;"""
_SQLITE_TAKE = """
        UPDATE reports_acquisitionmonth SET acquisitions = acquisitions - 1
        WHERE month = date(OLD.acquired_on, 'start of month') AND branch_id = OLD.branch_id
          AND office_id = OLD.office_id AND agent_id = OLD.agent_id;
        UPDATE reports_officemonth SET acquisitions = acquisitions - 1
        WHERE month = date(OLD.acquired_on, 'start of month') AND branch_id = OLD.branch_id
          AND office_id = OLD.office_id;"""

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER reports_acquisition_added AFTER INSERT ON enrollment_acquisition BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER reports_acquisition_removed AFTER DELETE ON enrollment_acquisition BEGIN {_SQLITE_TAKE} END",
    "CREATE TRIGGER reports_acquisition_changed AFTER UPDATE OF acquired_on, branch_id, office_id, agent_id "
    f"ON enrollment_acquisition BEGIN {_SQLITE_TAKE} {_SQLITE_ADD} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_acquisition_added",
    "DROP TRIGGER IF EXISTS reports_acquisition_removed",
    "DROP TRIGGER IF EXISTS reports_acquisition_changed",
]

# The intervals of the acquisitions of the participants ``$1`` (NULL: every participant), as the rules
# of ``reports.continuity`` say, for month ends M (month m):
# - standing from the acquisition's month until the month of the participant's next acquisition
#   (ordered by date, then id), which supersedes it at that month's end;
# - current while standing, before the month in which a recorded lapse ended it (``ended_on``), and in
#   the months covered by the acquisition's own month or a paid month P: P, P+1 and P+2 (the window
#   of three months that ends at M holds P).
PG_INTERVALS = """
    WITH acquisition AS (
        SELECT a.id, a.participant_id, a.branch_id, a.office_id,
               date_trunc('month', a.acquired_on)::date AS first_month,
               date_trunc('month', lead(a.acquired_on) OVER (
                   PARTITION BY a.participant_id ORDER BY a.acquired_on, a.id))::date AS superseded,
               CASE WHEN a.status = 'lapsed' THEN date_trunc('month', a.ended_on)::date END AS lapsed
        FROM enrollment_acquisition a {acquisitions}
    ),
    point AS (
        SELECT id AS acquisition_id, first_month AS month FROM acquisition
        UNION
        {contributions}
    ),
    marked AS (
        SELECT acquisition_id, month,
               CASE WHEN lag(month) OVER w + interval '3 months' >= month THEN 0 ELSE 1 END AS starts_island
        FROM point WINDOW w AS (PARTITION BY acquisition_id ORDER BY month)
    ),
    island AS (
        SELECT acquisition_id, month,
               sum(starts_island) OVER (PARTITION BY acquisition_id ORDER BY month) AS number
        FROM marked
    ),
    covered AS (
        SELECT acquisition_id, min(month) AS starts, (max(month) + interval '3 months')::date AS ends
        FROM island GROUP BY acquisition_id, number
    )
    SELECT a.id, a.participant_id, a.branch_id, a.office_id, false, a.first_month, a.superseded
    FROM acquisition a
    WHERE a.superseded IS NULL OR a.superseded > a.first_month
    UNION ALL
    SELECT a.id, a.participant_id, a.branch_id, a.office_id, true,
           greatest(c.starts, a.first_month), least(c.ends, a.superseded, a.lapsed)
    FROM covered c JOIN acquisition a ON a.id = c.acquisition_id
    WHERE greatest(c.starts, a.first_month) < least(c.ends, a.superseded, a.lapsed)
"""

PG_RECOUNT = """
    WITH removed AS (
        DELETE FROM reports_standinginterval {removed}
        RETURNING branch_id, office_id, is_current, starts, ends
    ),
    added AS (
        INSERT INTO reports_standinginterval
            (acquisition_id, participant_id, branch_id, office_id, is_current, starts, ends)
        {intervals}
        RETURNING branch_id, office_id, is_current, starts, ends
    ),
    change AS (
        SELECT starts AS month, branch_id, office_id, is_current, -1 AS delta FROM removed
        UNION ALL SELECT ends, branch_id, office_id, is_current, 1 FROM removed WHERE ends IS NOT NULL
        UNION ALL SELECT starts, branch_id, office_id, is_current, 1 FROM added
        UNION ALL SELECT ends, branch_id, office_id, is_current, -1 FROM added WHERE ends IS NOT NULL
    )
    INSERT INTO reports_standingchange AS kept (month, branch_id, office_id, standing, current)
    SELECT month, branch_id, office_id, coalesce(sum(delta) FILTER (WHERE NOT is_current), 0),
           coalesce(sum(delta) FILTER (WHERE is_current), 0)
    FROM change GROUP BY 1, 2, 3
    HAVING coalesce(sum(delta) FILTER (WHERE NOT is_current), 0) <> 0
        OR coalesce(sum(delta) FILTER (WHERE is_current), 0) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (month, branch_id, office_id) DO UPDATE
    SET standing = kept.standing + excluded.standing, current = kept.current + excluded.current
"""
PG_RECOUNT_ALL = PG_RECOUNT.format(
    removed="",
    intervals=PG_INTERVALS.format(
        acquisitions="", contributions="SELECT c.acquisition_id, c.period FROM enrollment_contribution c"
    ),
)


def _recount_some(participants):
    """The recount for the participants in ``participants`` (a parameter or variable name): their
    acquisitions by index, and each acquisition's contributions by index."""
    return PG_RECOUNT.format(
        removed=f"WHERE participant_id = ANY({participants})",
        intervals=PG_INTERVALS.format(
            acquisitions=f"WHERE a.participant_id = ANY({participants})",
            contributions="SELECT a.id, c.period FROM acquisition a CROSS JOIN LATERAL "
            "(SELECT period FROM enrollment_contribution WHERE acquisition_id = a.id) c",
        ),
    )


FEW_PARTICIPANTS = 50
"""Up to this many participants a statement touched (a form, a factory), the recount is static SQL planned
once a session; more (a bulk import's batch) get a plan made for their number."""

PG_FUNCTIONS = [
    # Take out what the participants' intervals counted, recompute them, count them again: one statement
    # (every participant when ``participants`` is NULL).
    f"""
    CREATE OR REPLACE FUNCTION reports_recount_standing(participants bigint[]) RETURNS void LANGUAGE plpgsql AS $body$
    BEGIN
        IF participants IS NULL THEN
            EXECUTE $sql${PG_RECOUNT_ALL}$sql$;
        ELSIF cardinality(participants) > {FEW_PARTICIPANTS} THEN
            EXECUTE $sql${_recount_some("$1")}$sql$ USING participants;
        ELSIF cardinality(participants) > 0 THEN
            {_recount_some("participants")};
        END IF;
    END
    $body$""",
    # Add (sign 1) or take out (sign -1) acquisitions from the monthly counts.
    """
    CREATE OR REPLACE FUNCTION reports_count_acquisitions(
        sign integer, months date[], branches bigint[], offices bigint[], agents bigint[]
    ) RETURNS void LANGUAGE sql AS $body$
        INSERT INTO reports_acquisitionmonth AS kept (month, branch_id, office_id, agent_id, acquisitions)
        SELECT month, branch_id, office_id, agent_id, count(*) * sign
        FROM unnest(months, branches, offices, agents) AS row(month, branch_id, office_id, agent_id)
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (month, branch_id, office_id, agent_id) DO UPDATE
        SET acquisitions = kept.acquisitions + excluded.acquisitions;
        INSERT INTO reports_officemonth AS kept (month, branch_id, office_id, acquisitions)
        SELECT month, branch_id, office_id, count(*) * sign
        FROM unnest(months, branches, offices) AS row(month, branch_id, office_id)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (month, branch_id, office_id) DO UPDATE
        SET acquisitions = kept.acquisitions + excluded.acquisitions;
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_acquisitions_added() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_count_acquisitions(1,
            ARRAY(SELECT date_trunc('month', acquired_on)::date FROM new_rows ORDER BY id),
            ARRAY(SELECT branch_id FROM new_rows ORDER BY id), ARRAY(SELECT office_id FROM new_rows ORDER BY id),
            ARRAY(SELECT agent_id FROM new_rows ORDER BY id));
        PERFORM reports_recount_standing(ARRAY(SELECT DISTINCT participant_id FROM new_rows));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_acquisitions_removed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_count_acquisitions(-1,
            ARRAY(SELECT date_trunc('month', acquired_on)::date FROM old_rows ORDER BY id),
            ARRAY(SELECT branch_id FROM old_rows ORDER BY id), ARRAY(SELECT office_id FROM old_rows ORDER BY id),
            ARRAY(SELECT agent_id FROM old_rows ORDER BY id));
        PERFORM reports_recount_standing(ARRAY(SELECT DISTINCT participant_id FROM old_rows));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_acquisitions_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_count_acquisitions(-1,
            ARRAY(SELECT date_trunc('month', acquired_on)::date FROM old_rows ORDER BY id),
            ARRAY(SELECT branch_id FROM old_rows ORDER BY id), ARRAY(SELECT office_id FROM old_rows ORDER BY id),
            ARRAY(SELECT agent_id FROM old_rows ORDER BY id));
        PERFORM reports_count_acquisitions(1,
            ARRAY(SELECT date_trunc('month', acquired_on)::date FROM new_rows ORDER BY id),
            ARRAY(SELECT branch_id FROM new_rows ORDER BY id), ARRAY(SELECT office_id FROM new_rows ORDER BY id),
            ARRAY(SELECT agent_id FROM new_rows ORDER BY id));
        PERFORM reports_recount_standing(ARRAY(
            SELECT participant_id FROM old_rows UNION SELECT participant_id FROM new_rows));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_contributions_added() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_standing(ARRAY(
            SELECT DISTINCT a.participant_id FROM new_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_contributions_removed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_standing(ARRAY(
            SELECT DISTINCT a.participant_id FROM old_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_standing(ARRAY(
            SELECT a.participant_id FROM old_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id
            UNION
            SELECT a.participant_id FROM new_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $body$
    BEGIN
        TRUNCATE reports_acquisitionmonth, reports_officemonth, reports_standinginterval, reports_standingchange;
        INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
        SELECT date_trunc('month', acquired_on)::date, branch_id, office_id, agent_id, count(*)
        FROM enrollment_acquisition GROUP BY 1, 2, 3, 4;
        INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
        SELECT month, branch_id, office_id, sum(acquisitions) FROM reports_acquisitionmonth GROUP BY 1, 2, 3;
        PERFORM reports_recount_standing(NULL);
        ANALYZE reports_acquisitionmonth;
        ANALYZE reports_officemonth;
        ANALYZE reports_standinginterval;
        ANALYZE reports_standingchange;
    END
    $body$""",
]

PG_TRIGGERS = [
    "CREATE TRIGGER reports_acquisitions_added AFTER INSERT ON enrollment_acquisition "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_acquisitions_added()",
    "CREATE TRIGGER reports_acquisitions_removed AFTER DELETE ON enrollment_acquisition "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_acquisitions_removed()",
    "CREATE TRIGGER reports_acquisitions_changed AFTER UPDATE ON enrollment_acquisition "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION reports_acquisitions_changed()",
    "CREATE TRIGGER reports_contributions_added AFTER INSERT ON enrollment_contribution "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_contributions_added()",
    "CREATE TRIGGER reports_contributions_removed AFTER DELETE ON enrollment_contribution "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_contributions_removed()",
    "CREATE TRIGGER reports_contributions_changed AFTER UPDATE ON enrollment_contribution "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION reports_contributions_changed()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS reports_acquisitions_added ON enrollment_acquisition",
    "DROP TRIGGER IF EXISTS reports_acquisitions_removed ON enrollment_acquisition",
    "DROP TRIGGER IF EXISTS reports_acquisitions_changed ON enrollment_acquisition",
    "DROP TRIGGER IF EXISTS reports_contributions_added ON enrollment_contribution",
    "DROP TRIGGER IF EXISTS reports_contributions_removed ON enrollment_contribution",
    "DROP TRIGGER IF EXISTS reports_contributions_changed ON enrollment_contribution",
    "DROP FUNCTION IF EXISTS reports_rebuild_rollups(), reports_contributions_changed(), "
    "reports_contributions_removed(), reports_contributions_added(), reports_acquisitions_changed(), "
    "reports_acquisitions_removed(), reports_acquisitions_added(), "
    "reports_count_acquisitions(integer, date[], bigint[], bigint[], bigint[]), reports_recount_standing(bigint[])",
]


def install_triggers(apps, schema_editor):
    """The migration's forward step: functions and triggers for this database, then the first count."""
    statements = PG_FUNCTIONS + PG_TRIGGERS if schema_editor.connection.vendor == "postgresql" else SQLITE_TRIGGERS
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError("report rollups are kept on PostgreSQL and SQLite")
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SELECT reports_rebuild_rollups()")
        else:
            for statement in SQLITE_FILL:
                cursor.execute(statement)


def remove_triggers(apps, schema_editor):
    statements = PG_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
