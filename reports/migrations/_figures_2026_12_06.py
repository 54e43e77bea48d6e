"""The figures' version (reports migration 0008, 6 December 2026), frozen: one row whose token changes in the
transaction of every write to a table the dashboard's figures are read from, so a cached figure is keyed by
the state it was computed from (``reports.freshness`` describes how it is read).

PostgreSQL: a statement-level trigger on each table marks the transaction (a transaction-local setting,
``reports.figures_changed``) and, the first time, inserts a row into ``reports_figurespending``, whose deferred
constraint trigger writes a new random token when the transaction commits. The version row is locked from
then to the end of the commit only, so writers never wait on one another for the length of a transaction
(a payments file's minutes) but only for one another's commit. SQLite (one writer at a time): a row trigger
per table and kind of write writes a new token at once.

Migrations are history: never edit this file; a later change is a new migration with its own copy.
Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

WATCHED_TABLES = [
    "agents_region",
    "agents_branch",
    "agents_perisaioffice",
    "agents_cooperationagreement",
    "agents_agent",
    "incentives_programmeterms",
    "enrollment_participant",
    "enrollment_acquisition",
    "enrollment_contribution",
    "enrollment_acquisitiontarget",
    "enrollment_acquisitiontargetmonth",
    "followup_contactattempt",
    "recruitment_trainingsession",
    "recruitment_candidate",
    "recruitment_seat",
]

PG_INSTALL = [
    """CREATE TABLE reports_figurespending (id bigserial PRIMARY KEY)""",
    """
    CREATE OR REPLACE FUNCTION reports_figures_touch() RETURNS void LANGUAGE sql AS $body$
        INSERT INTO reports_figuresversion (id, token) VALUES (1, replace(gen_random_uuid()::text, '-', ''))
        ON CONFLICT (id) DO UPDATE SET token = excluded.token
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        IF coalesce(current_setting('reports.figures_changed', true), '') <> 'yes' THEN
            PERFORM set_config('reports.figures_changed', 'yes', true);
            INSERT INTO reports_figurespending DEFAULT VALUES;
        END IF;
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_figures_commit() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_figures_touch();
        DELETE FROM reports_figurespending WHERE id = NEW.id;
        RETURN NULL;
    END
    $body$""",
    """CREATE CONSTRAINT TRIGGER reports_figures_commit AFTER INSERT ON reports_figurespending
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports_figures_commit()""",
    *(
        f"""CREATE TRIGGER reports_figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION reports_figures_changed()"""
        for table in WATCHED_TABLES
    ),
    """SELECT reports_figures_touch()""",
]

PG_DROP = [
    *(f"DROP TRIGGER IF EXISTS reports_figures_changed ON {table}" for table in WATCHED_TABLES),
    "DROP TABLE IF EXISTS reports_figurespending",
    "DROP FUNCTION IF EXISTS reports_figures_commit()",
    "DROP FUNCTION IF EXISTS reports_figures_changed()",
    "DROP FUNCTION IF EXISTS reports_figures_touch()",
]

SQLITE_TOUCH = """INSERT INTO reports_figuresversion (id, token) VALUES (1, lower(hex(randomblob(16))))
    ON CONFLICT (id) DO UPDATE SET token = excluded.token"""

SQLITE_INSTALL = [
    *(
        f"""CREATE TRIGGER reports_figures_{table}_{kind.lower()} AFTER {kind} ON {table} BEGIN {SQLITE_TOUCH}; END"""
        for table in WATCHED_TABLES
        for kind in ("INSERT", "UPDATE", "DELETE")
    ),
    SQLITE_TOUCH,
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS reports_figures_{table}_{kind.lower()}"
    for table in WATCHED_TABLES
    for kind in ("INSERT", "UPDATE", "DELETE")
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_INSTALL if vendor == "postgresql" else SQLITE_INSTALL if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)
