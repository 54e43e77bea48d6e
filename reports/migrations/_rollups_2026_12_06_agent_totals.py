"""The report rollups' SQL added by reports migration 0010 (6 December 2026, Jakarta time), frozen.

0010 keeps every agent's all-time acquisitions in one row (``reports_agenttotal``): what the agents lists
show and sort by. Summed from the monthly counts per request, the national list sorted by acquisitions added
up 530,000 rows (one index scan per agent); one row an agent is a join.

The total follows the acquisitions' ``agent`` whatever writes them, as the monthly counts do: triggers of
their own on ``enrollment_acquisition`` (besides those of 0001), one per kind of write.

- PostgreSQL: statement-level, reading the transition tables. An insert adds each agent's new rows, a delete
  takes them out, an update takes out the old rows' agents and adds the new rows' and writes only the agents
  whose total changed (an update that leaves the agent alone, a lapse or a caretaker moved, writes nothing).
  Rows are written in agent order, like every rollup, so two statements never wait on each other in a cycle.
  ``reports_rebuild_rollups`` (after a bulk load with the triggers off) counts the totals too.
- SQLite: a row trigger per kind of write (an update only when the agent changed).

The totals are written in the statement that writes the acquisitions, which changes the figures' version
(``enrollment_acquisition`` is watched since 0008): a figure read from them is never older than its key.

Migrations are history: never edit this file; a later change is a new migration with its own copy.
Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

KEEP = """
    ON CONFLICT (agent_id) DO UPDATE SET acquisitions = kept.acquisitions + excluded.acquisitions"""

COUNT = (
    """
        INSERT INTO reports_agenttotal AS kept (agent_id, acquisitions)
        SELECT agent_id, sum(delta) FROM ({change}) AS change
        GROUP BY agent_id HAVING sum(delta) <> 0 ORDER BY agent_id"""
    + KEEP
)

ADDED = "SELECT agent_id, 1 AS delta FROM new_rows"
REMOVED = "SELECT agent_id, -1 AS delta FROM old_rows"

PG_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION reports_agent_totals_added() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        {COUNT.format(change=ADDED)};
        RETURN NULL;
    END
    $body$""",
    f"""
    CREATE OR REPLACE FUNCTION reports_agent_totals_removed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        {COUNT.format(change=REMOVED)};
        RETURN NULL;
    END
    $body$""",
    f"""
    CREATE OR REPLACE FUNCTION reports_agent_totals_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        {COUNT.format(change=REMOVED + " UNION ALL " + ADDED)};
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $body$
    BEGIN
        TRUNCATE reports_acquisitionmonth, reports_officemonth, reports_standinginterval, reports_standingchange,
                 reports_contributionmonth, reports_agenttotal;
        INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
        SELECT date_trunc('month', acquired_on)::date, branch_id, office_id, agent_id, count(*)
        FROM enrollment_acquisition GROUP BY 1, 2, 3, 4;
        INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
        SELECT month, branch_id, office_id, sum(acquisitions) FROM reports_acquisitionmonth GROUP BY 1, 2, 3;
        INSERT INTO reports_agenttotal (agent_id, acquisitions)
        SELECT agent_id, sum(acquisitions) FROM reports_acquisitionmonth GROUP BY 1;
        PERFORM reports_recount_standing(NULL);
        INSERT INTO reports_contributionmonth (month, branch_id, office_id, amount, contributions)
        SELECT date_trunc('month', c.paid_on)::date, a.branch_id, a.office_id, sum(c.amount), count(*)
        FROM enrollment_contribution c JOIN enrollment_acquisition a ON a.id = c.acquisition_id GROUP BY 1, 2, 3;
        ANALYZE reports_acquisitionmonth;
        ANALYZE reports_officemonth;
        ANALYZE reports_standinginterval;
        ANALYZE reports_standingchange;
        ANALYZE reports_contributionmonth;
        ANALYZE reports_agenttotal;
    END
    $body$""",
]

PG_TRIGGERS = [
    """CREATE TRIGGER reports_agent_totals_added AFTER INSERT ON enrollment_acquisition
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_agent_totals_added()""",
    """CREATE TRIGGER reports_agent_totals_removed AFTER DELETE ON enrollment_acquisition
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_agent_totals_removed()""",
    """CREATE TRIGGER reports_agent_totals_changed AFTER UPDATE ON enrollment_acquisition
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION reports_agent_totals_changed()""",
]

PG_DROP = [
    "DROP TRIGGER IF EXISTS reports_agent_totals_added ON enrollment_acquisition",
    "DROP TRIGGER IF EXISTS reports_agent_totals_removed ON enrollment_acquisition",
    "DROP TRIGGER IF EXISTS reports_agent_totals_changed ON enrollment_acquisition",
    "DROP FUNCTION IF EXISTS reports_agent_totals_added(), reports_agent_totals_removed(), reports_agent_totals_changed()",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER reports_agent_total_added AFTER INSERT ON enrollment_acquisition BEGIN
        INSERT INTO reports_agenttotal (agent_id, acquisitions) VALUES (NEW.agent_id, 1)
        ON CONFLICT (agent_id) DO UPDATE SET acquisitions = acquisitions + 1; END""",
    """CREATE TRIGGER reports_agent_total_removed AFTER DELETE ON enrollment_acquisition BEGIN
        UPDATE reports_agenttotal SET acquisitions = acquisitions - 1 WHERE agent_id = OLD.agent_id; END""",
    """CREATE TRIGGER reports_agent_total_changed AFTER UPDATE OF agent_id ON enrollment_acquisition
       WHEN OLD.agent_id IS NOT NEW.agent_id BEGIN
        UPDATE reports_agenttotal SET acquisitions = acquisitions - 1 WHERE agent_id = OLD.agent_id;
        INSERT INTO reports_agenttotal (agent_id, acquisitions) VALUES (NEW.agent_id, 1)
        ON CONFLICT (agent_id) DO UPDATE SET acquisitions = acquisitions + 1; END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_agent_total_added",
    "DROP TRIGGER IF EXISTS reports_agent_total_removed",
    "DROP TRIGGER IF EXISTS reports_agent_total_changed",
]

FILL = """
    INSERT INTO reports_agenttotal (agent_id, acquisitions)
    SELECT agent_id, count(*) FROM enrollment_acquisition GROUP BY agent_id"""


def install_totals(apps, schema_editor):
    """0010's step: the triggers (on PostgreSQL their functions, and the rebuild that counts the totals too),
    then the totals of the acquisitions made so far. The triggers come first: on PostgreSQL creating them
    locks the acquisitions against writes until the migration commits, so none is made between the count
    and the triggers."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError("report rollups are kept on PostgreSQL and SQLite")
    statements = PG_FUNCTIONS + PG_TRIGGERS if vendor == "postgresql" else SQLITE_TRIGGERS
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(FILL)
        if vendor == "postgresql":
            cursor.execute("ANALYZE reports_agenttotal")


def remove_totals(apps, schema_editor):
    """0010's backward step: the triggers and their functions dropped (the table goes with the model)."""
    statements = PG_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
