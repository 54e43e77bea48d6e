"""The report rollups' SQL changed by reports migration 0008 (6 December 2026, Jakarta time), frozen.

The contributions' insert trigger looked up each new row's acquisition twice: once for the standing
intervals (0007's appended months) and once for the money paid per month, branch and office (0006), which
PostgreSQL planned for a payments file's hundred thousand rows as a hash of all the acquisitions. From 0008
the new rows are joined to their acquisitions once, in one statement that writes both: the money, and the
appended months' change as 0007 wrote it (the same SQL, reading the joined rows instead of the table). A
payments file's insert spent about as much time in this trigger as in writing its rows.

Migrations are history: never edit this file; a later change is a new migration with its own copy.
Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

ADDED = """
        WITH joined AS MATERIALIZED (
            SELECT n.acquisition_id, n.period, n.amount, n.paid_on, a.participant_id, a.branch_id, a.office_id,
                   a.acquired_on, a.status, a.ended_on
            FROM new_rows n JOIN enrollment_acquisition a ON a.id = n.acquisition_id
        ),
        money AS (
            INSERT INTO reports_contributionmonth AS kept (month, branch_id, office_id, amount, contributions)
            SELECT date_trunc('month', j.paid_on)::date, j.branch_id, j.office_id, sum(j.amount), count(*)
            FROM joined j
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (month, branch_id, office_id) DO UPDATE
            SET amount = kept.amount + excluded.amount, contributions = kept.contributions + excluded.contributions
            RETURNING 1
        ),
        fresh AS (
            SELECT j.acquisition_id, min(j.period) AS period, count(*) AS rows, j.participant_id, j.branch_id,
                   j.office_id, j.acquired_on, j.status, j.ended_on
            FROM joined j
            GROUP BY j.acquisition_id, j.participant_id, j.branch_id, j.office_id, j.acquired_on, j.status, j.ended_on
        ),
        placed AS (
            SELECT f.acquisition_id, f.period, f.rows, f.participant_id, f.branch_id, f.office_id,
                   greatest(date_trunc('month', f.acquired_on)::date, (
                       SELECT max(c.period) FROM enrollment_contribution c
                       WHERE c.acquisition_id = f.acquisition_id AND c.period < f.period)) AS previous,
                   EXISTS (SELECT FROM enrollment_contribution c
                           WHERE c.acquisition_id = f.acquisition_id AND c.period > f.period) AS later,
                   least((SELECT date_trunc('month', min(b.acquired_on))::date FROM enrollment_acquisition b
                          WHERE b.participant_id = f.participant_id
                            AND (b.acquired_on, b.id) > (f.acquired_on, f.acquisition_id)),
                         CASE WHEN f.status = 'lapsed' THEN date_trunc('month', f.ended_on)::date END) AS cap
            FROM fresh f
        ),
        appended AS (
            SELECT p.*, (p.previous + interval '3 months')::date AS old_end,
                   least((p.period + interval '3 months')::date, p.cap) AS new_end
            FROM placed p
            WHERE p.participant_id NOT IN (
                SELECT participant_id FROM placed WHERE rows > 1 OR later OR period < previous)
        ),
        extended AS (
            UPDATE reports_standinginterval i SET ends = x.new_end
            FROM appended x
            WHERE x.period <= x.old_end AND x.new_end > x.old_end
              AND i.participant_id = x.participant_id AND i.acquisition_id = x.acquisition_id
              AND i.is_current AND i.ends = x.old_end
            RETURNING i.branch_id, i.office_id, x.old_end, x.new_end
        ),
        opened AS (
            INSERT INTO reports_standinginterval
                (acquisition_id, participant_id, branch_id, office_id, is_current, starts, ends)
            SELECT acquisition_id, participant_id, branch_id, office_id, true, period, new_end
            FROM appended WHERE period > old_end AND period < new_end
            RETURNING branch_id, office_id, starts, ends
        ),
        change AS (
            SELECT old_end AS month, branch_id, office_id, 1 AS delta FROM extended
            UNION ALL SELECT new_end, branch_id, office_id, -1 FROM extended
            UNION ALL SELECT starts, branch_id, office_id, 1 FROM opened
            UNION ALL SELECT ends, branch_id, office_id, -1 FROM opened
        ),
        counted AS (
            INSERT INTO reports_standingchange AS kept (month, branch_id, office_id, standing, current)
            SELECT month, branch_id, office_id, 0, sum(delta)
            FROM change GROUP BY 1, 2, 3
            HAVING sum(delta) <> 0
            ORDER BY 1, 2, 3
            ON CONFLICT (month, branch_id, office_id) DO UPDATE SET current = kept.current + excluded.current
            RETURNING 1
        )
        SELECT ARRAY(SELECT DISTINCT participant_id FROM placed WHERE rows > 1 OR later OR period < previous)"""

PG_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION reports_contributions_added() RETURNS trigger LANGUAGE plpgsql AS $body$
    DECLARE
        recount bigint[];
    BEGIN
        {ADDED}
        INTO recount;
        PERFORM reports_recount_current(recount);
        RETURN NULL;
    END
    $body$""",
]


def replace_functions(apps, schema_editor):
    """0008's step: the contributions' insert trigger joins the new rows to their acquisitions once."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in PG_FUNCTIONS:
            cursor.execute(statement)
