"""The report rollups' SQL changed by reports migration 0005 (5 December 2026), frozen.

A contribution written, changed or deleted can only change when its participant is *current*, never
whether they are *standing* (that follows from the acquisitions alone). The contributions' triggers so
far recounted both; from 0005 they recount the current intervals only (``reports_recount_current``),
half the rows deleted and written again, and with the points of an acquisition gathered by
``UNION ALL`` (a month paid in the acquisition's own month was deduplicated by a hash that spilled to
disk for a payments file's tens of thousands of participants; a repeated month changes no island).
The function runs with a larger ``work_mem`` so its sorts stay in memory. A payments file of 20,000
rows spent 2.2 s of its 2.6 s write in these triggers before.

Migrations are history: never edit this file; a later change is a new migration with its own copy.
Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

CURRENT_INTERVALS = """
    WITH removed AS (
        DELETE FROM reports_standinginterval WHERE participant_id = ANY({participants}) AND is_current
        RETURNING branch_id, office_id, starts, ends
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
            FROM enrollment_acquisition a WHERE a.participant_id = ANY({participants})
        ),
        point AS (
            SELECT id AS acquisition_id, first_month AS month FROM acquisition
            UNION ALL
            SELECT a.id, c.period FROM acquisition a
            CROSS JOIN LATERAL (SELECT period FROM enrollment_contribution WHERE acquisition_id = a.id) c
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
        SELECT a.id, a.participant_id, a.branch_id, a.office_id, true,
               greatest(c.starts, a.first_month), least(c.ends, a.superseded, a.lapsed)
        FROM covered c JOIN acquisition a ON a.id = c.acquisition_id
        WHERE greatest(c.starts, a.first_month) < least(c.ends, a.superseded, a.lapsed)
        RETURNING branch_id, office_id, starts, ends
    ),
    change AS (
        SELECT starts AS month, branch_id, office_id, -1 AS delta FROM removed
        UNION ALL SELECT ends, branch_id, office_id, 1 FROM removed WHERE ends IS NOT NULL
        UNION ALL SELECT starts, branch_id, office_id, 1 FROM added
        UNION ALL SELECT ends, branch_id, office_id, -1 FROM added WHERE ends IS NOT NULL
    )
    INSERT INTO reports_standingchange AS kept (month, branch_id, office_id, standing, current)
    SELECT month, branch_id, office_id, 0, sum(delta)
    FROM change GROUP BY 1, 2, 3
    HAVING sum(delta) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (month, branch_id, office_id) DO UPDATE SET current = kept.current + excluded.current
"""

PG_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION reports_recount_current(participants bigint[]) RETURNS void LANGUAGE plpgsql
    SET work_mem = '64MB' AS $body$
    BEGIN
        IF cardinality(participants) > 50 THEN
            EXECUTE $sql${CURRENT_INTERVALS.format(participants="$1")}$sql$ USING participants;
        ELSIF cardinality(participants) > 0 THEN
            {CURRENT_INTERVALS.format(participants="participants")};
        END IF;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_contributions_added() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_current(ARRAY(
            SELECT DISTINCT a.participant_id FROM new_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_contributions_removed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_current(ARRAY(
            SELECT DISTINCT a.participant_id FROM old_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_current(ARRAY(
            SELECT a.participant_id FROM old_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id
            UNION
            SELECT a.participant_id FROM new_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        RETURN NULL;
    END
    $body$""",
]

PG_DROP = ["""DROP FUNCTION IF EXISTS reports_recount_current(bigint[])"""]


def replace_functions(apps, schema_editor):
    """0005's step: the contributions' trigger functions recount the current intervals only."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in PG_FUNCTIONS:
            cursor.execute(statement)


def drop_functions(apps, schema_editor):
    """0005's backward step, after the earlier functions are back: the new function dropped."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in PG_DROP:
            cursor.execute(statement)
