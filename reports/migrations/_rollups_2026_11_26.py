"""The report rollups' SQL as it stands since reports migration 0003 (26 November 2026), frozen.

Migrations are history: 0001 to 0003 run these statements and nothing else, whatever the live code says
today. Never edit this file. A change to the rollup functions or triggers is a new migration that carries
its own SQL; ``reports.rollups`` describes what the live functions do.

Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

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

SQLITE_TRIGGERS = [
    """CREATE TRIGGER reports_acquisition_added AFTER INSERT ON enrollment_acquisition BEGIN 
        INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
        VALUES (date(NEW.acquired_on, 'start of month'), NEW.branch_id, NEW.office_id, NEW.agent_id, 1)
        ON CONFLICT (month, branch_id, office_id, agent_id) DO UPDATE SET acquisitions = acquisitions + 1;
        INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
        VALUES (date(NEW.acquired_on, 'start of month'), NEW.branch_id, NEW.office_id, 1)
        ON CONFLICT (month, branch_id, office_id) DO UPDATE SET acquisitions = acquisitions + 1; END""",
    """CREATE TRIGGER reports_acquisition_removed AFTER DELETE ON enrollment_acquisition BEGIN 
        UPDATE reports_acquisitionmonth SET acquisitions = acquisitions - 1
        WHERE month = date(OLD.acquired_on, 'start of month') AND branch_id = OLD.branch_id
          AND office_id = OLD.office_id AND agent_id = OLD.agent_id;
        UPDATE reports_officemonth SET acquisitions = acquisitions - 1
        WHERE month = date(OLD.acquired_on, 'start of month') AND branch_id = OLD.branch_id
          AND office_id = OLD.office_id; END""",
    """CREATE TRIGGER reports_acquisition_changed AFTER UPDATE OF acquired_on, branch_id, office_id, agent_id ON enrollment_acquisition BEGIN 
        UPDATE reports_acquisitionmonth SET acquisitions = acquisitions - 1
        WHERE month = date(OLD.acquired_on, 'start of month') AND branch_id = OLD.branch_id
          AND office_id = OLD.office_id AND agent_id = OLD.agent_id;
        UPDATE reports_officemonth SET acquisitions = acquisitions - 1
        WHERE month = date(OLD.acquired_on, 'start of month') AND branch_id = OLD.branch_id
          AND office_id = OLD.office_id; 
        INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
        VALUES (date(NEW.acquired_on, 'start of month'), NEW.branch_id, NEW.office_id, NEW.agent_id, 1)
        ON CONFLICT (month, branch_id, office_id, agent_id) DO UPDATE SET acquisitions = acquisitions + 1;
        INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
        VALUES (date(NEW.acquired_on, 'start of month'), NEW.branch_id, NEW.office_id, 1)
        ON CONFLICT (month, branch_id, office_id) DO UPDATE SET acquisitions = acquisitions + 1; END""",
]

SQLITE_DROP = [
    """DROP TRIGGER IF EXISTS reports_acquisition_added""",
    """DROP TRIGGER IF EXISTS reports_acquisition_removed""",
    """DROP TRIGGER IF EXISTS reports_acquisition_changed""",
]

PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION reports_recount_standing(participants bigint[]) RETURNS void LANGUAGE plpgsql AS $body$
    BEGIN
        IF participants IS NULL THEN
            EXECUTE $sql$
    WITH removed AS (
        DELETE FROM reports_standinginterval 
        RETURNING branch_id, office_id, is_current, starts, ends
    ),
    added AS (
        INSERT INTO reports_standinginterval
            (acquisition_id, participant_id, branch_id, office_id, is_current, starts, ends)
        
    WITH acquisition AS (
        SELECT a.id, a.participant_id, a.branch_id, a.office_id,
               date_trunc('month', a.acquired_on)::date AS first_month,
               date_trunc('month', lead(a.acquired_on) OVER (
                   PARTITION BY a.participant_id ORDER BY a.acquired_on, a.id))::date AS superseded,
               CASE WHEN a.status = 'lapsed' THEN date_trunc('month', a.ended_on)::date END AS lapsed
        FROM enrollment_acquisition a 
    ),
    point AS (
        SELECT id AS acquisition_id, first_month AS month FROM acquisition
        UNION
        SELECT c.acquisition_id, c.period FROM enrollment_contribution c
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
$sql$;
        ELSIF cardinality(participants) > 50 THEN
            EXECUTE $sql$
    WITH removed AS (
        DELETE FROM reports_standinginterval WHERE participant_id = ANY($1)
        RETURNING branch_id, office_id, is_current, starts, ends
    ),
    added AS (
        INSERT INTO reports_standinginterval
            (acquisition_id, participant_id, branch_id, office_id, is_current, starts, ends)
        
    WITH acquisition AS (
        SELECT a.id, a.participant_id, a.branch_id, a.office_id,
               date_trunc('month', a.acquired_on)::date AS first_month,
               date_trunc('month', lead(a.acquired_on) OVER (
                   PARTITION BY a.participant_id ORDER BY a.acquired_on, a.id))::date AS superseded,
               CASE WHEN a.status = 'lapsed' THEN date_trunc('month', a.ended_on)::date END AS lapsed
        FROM enrollment_acquisition a WHERE a.participant_id = ANY($1)
    ),
    point AS (
        SELECT id AS acquisition_id, first_month AS month FROM acquisition
        UNION
        SELECT a.id, c.period FROM acquisition a CROSS JOIN LATERAL (SELECT period FROM enrollment_contribution WHERE acquisition_id = a.id) c
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
$sql$ USING participants;
        ELSIF cardinality(participants) > 0 THEN
            
    WITH removed AS (
        DELETE FROM reports_standinginterval WHERE participant_id = ANY(participants)
        RETURNING branch_id, office_id, is_current, starts, ends
    ),
    added AS (
        INSERT INTO reports_standinginterval
            (acquisition_id, participant_id, branch_id, office_id, is_current, starts, ends)
        
    WITH acquisition AS (
        SELECT a.id, a.participant_id, a.branch_id, a.office_id,
               date_trunc('month', a.acquired_on)::date AS first_month,
               date_trunc('month', lead(a.acquired_on) OVER (
                   PARTITION BY a.participant_id ORDER BY a.acquired_on, a.id))::date AS superseded,
               CASE WHEN a.status = 'lapsed' THEN date_trunc('month', a.ended_on)::date END AS lapsed
        FROM enrollment_acquisition a WHERE a.participant_id = ANY(participants)
    ),
    point AS (
        SELECT id AS acquisition_id, first_month AS month FROM acquisition
        UNION
        SELECT a.id, c.period FROM acquisition a CROSS JOIN LATERAL (SELECT period FROM enrollment_contribution WHERE acquisition_id = a.id) c
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
;
        END IF;
    END
    $body$""",
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
    """CREATE TRIGGER reports_acquisitions_added AFTER INSERT ON enrollment_acquisition REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_acquisitions_added()""",
    """CREATE TRIGGER reports_acquisitions_removed AFTER DELETE ON enrollment_acquisition REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_acquisitions_removed()""",
    """CREATE TRIGGER reports_acquisitions_changed AFTER UPDATE ON enrollment_acquisition REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_acquisitions_changed()""",
    """CREATE TRIGGER reports_contributions_added AFTER INSERT ON enrollment_contribution REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_contributions_added()""",
    """CREATE TRIGGER reports_contributions_removed AFTER DELETE ON enrollment_contribution REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_contributions_removed()""",
    """CREATE TRIGGER reports_contributions_changed AFTER UPDATE ON enrollment_contribution REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_contributions_changed()""",
]

PG_DROP = [
    """DROP TRIGGER IF EXISTS reports_acquisitions_added ON enrollment_acquisition""",
    """DROP TRIGGER IF EXISTS reports_acquisitions_removed ON enrollment_acquisition""",
    """DROP TRIGGER IF EXISTS reports_acquisitions_changed ON enrollment_acquisition""",
    """DROP TRIGGER IF EXISTS reports_contributions_added ON enrollment_contribution""",
    """DROP TRIGGER IF EXISTS reports_contributions_removed ON enrollment_contribution""",
    """DROP TRIGGER IF EXISTS reports_contributions_changed ON enrollment_contribution""",
    """DROP FUNCTION IF EXISTS reports_rebuild_rollups(), reports_contributions_changed(), reports_contributions_removed(), reports_contributions_added(), reports_acquisitions_changed(), reports_acquisitions_removed(), reports_acquisitions_added(), reports_count_acquisitions(integer, date[], bigint[], bigint[], bigint[]), reports_recount_standing(bigint[])""",
]



def install_triggers(apps, schema_editor):
    """0001's forward step: functions and triggers for this database, then the first count."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError("report rollups are kept on PostgreSQL and SQLite")
    statements = PG_FUNCTIONS + PG_TRIGGERS if vendor == "postgresql" else SQLITE_TRIGGERS
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if vendor == "postgresql":
            cursor.execute("SELECT reports_rebuild_rollups()")
        else:
            for statement in SQLITE_FILL:
                cursor.execute(statement)


def remove_triggers(apps, schema_editor):
    """0001's backward step."""
    statements = PG_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def replace_functions(apps, schema_editor):
    """0002's and 0003's step: the PostgreSQL functions replaced (the triggers call them by name)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in PG_FUNCTIONS:
            cursor.execute(statement)
