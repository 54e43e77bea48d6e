"""The report rollups' SQL changed by reports migration 0006 (6 December 2026, Jakarta time), frozen.

0006 keeps the money paid per month (``paid_on``), branch and office (``reports_contributionmonth``): the
contributions' triggers add and take out what a statement wrote (besides recounting the current
intervals, as since 0005), and the acquisitions' change trigger moves an acquisition's money when it
moves to another branch or office (besides what it did since 0003). The rebuild counts it too.

Migrations are history: never edit this file; a later change is a new migration with its own copy.
Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

KEEP = """
    ON CONFLICT (month, branch_id, office_id) DO UPDATE
    SET amount = kept.amount + excluded.amount, contributions = kept.contributions + excluded.contributions"""

MONEY_OF = """
    SELECT date_trunc('month', c.paid_on)::date AS month, a.branch_id, a.office_id,
           {sign} * c.amount AS amount, {sign} AS contributions
    FROM {rows} c JOIN enrollment_acquisition a ON a.id = c.acquisition_id"""

COUNT = """
    INSERT INTO reports_contributionmonth AS kept (month, branch_id, office_id, amount, contributions)
    SELECT month, branch_id, office_id, sum(amount), sum(contributions) FROM ({money}) AS money
    GROUP BY 1, 2, 3 HAVING sum(amount) <> 0 OR sum(contributions) <> 0 ORDER BY 1, 2, 3""" + KEEP

MOVED = """
    SELECT date_trunc('month', c.paid_on)::date AS month, {side}.branch_id, {side}.office_id,
           {sign} * c.amount AS amount, {sign} AS contributions
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN enrollment_contribution c ON c.acquisition_id = n.id
    WHERE o.branch_id <> n.branch_id OR o.office_id <> n.office_id"""

PG_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION reports_contributions_added() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_current(ARRAY(
            SELECT DISTINCT a.participant_id FROM new_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        {COUNT.format(money=MONEY_OF.format(sign=1, rows="new_rows"))};
        RETURN NULL;
    END
    $body$""",
    f"""
    CREATE OR REPLACE FUNCTION reports_contributions_removed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_current(ARRAY(
            SELECT DISTINCT a.participant_id FROM old_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        {COUNT.format(money=MONEY_OF.format(sign=-1, rows="old_rows"))};
        RETURN NULL;
    END
    $body$""",
    f"""
    CREATE OR REPLACE FUNCTION reports_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
        PERFORM reports_recount_current(ARRAY(
            SELECT a.participant_id FROM old_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id
            UNION
            SELECT a.participant_id FROM new_rows c JOIN enrollment_acquisition a ON a.id = c.acquisition_id));
        {COUNT.format(money=MONEY_OF.format(sign=-1, rows="old_rows") + " UNION ALL " + MONEY_OF.format(sign=1, rows="new_rows"))};
        RETURN NULL;
    END
    $body$""",
    f"""
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
        {COUNT.format(money=MOVED.format(side="o", sign=-1) + " UNION ALL " + MOVED.format(side="n", sign=1))};
        RETURN NULL;
    END
    $body$""",
    """
    CREATE OR REPLACE FUNCTION reports_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $body$
    BEGIN
        TRUNCATE reports_acquisitionmonth, reports_officemonth, reports_standinginterval, reports_standingchange,
                 reports_contributionmonth;
        INSERT INTO reports_acquisitionmonth (month, branch_id, office_id, agent_id, acquisitions)
        SELECT date_trunc('month', acquired_on)::date, branch_id, office_id, agent_id, count(*)
        FROM enrollment_acquisition GROUP BY 1, 2, 3, 4;
        INSERT INTO reports_officemonth (month, branch_id, office_id, acquisitions)
        SELECT month, branch_id, office_id, sum(acquisitions) FROM reports_acquisitionmonth GROUP BY 1, 2, 3;
        PERFORM reports_recount_standing(NULL);
        INSERT INTO reports_contributionmonth (month, branch_id, office_id, amount, contributions)
        SELECT date_trunc('month', c.paid_on)::date, a.branch_id, a.office_id, sum(c.amount), count(*)
        FROM enrollment_contribution c JOIN enrollment_acquisition a ON a.id = c.acquisition_id GROUP BY 1, 2, 3;
        ANALYZE reports_acquisitionmonth;
        ANALYZE reports_officemonth;
        ANALYZE reports_standinginterval;
        ANALYZE reports_standingchange;
        ANALYZE reports_contributionmonth;
    END
    $body$""",
]

FILL = """
    INSERT INTO reports_contributionmonth (month, branch_id, office_id, amount, contributions)
    SELECT date_trunc('month', c.paid_on)::date, a.branch_id, a.office_id, sum(c.amount), count(*)
    FROM enrollment_contribution c JOIN enrollment_acquisition a ON a.id = c.acquisition_id GROUP BY 1, 2, 3"""


def install_money(apps, schema_editor):
    """0006's step on PostgreSQL: the functions above, then the money paid so far counted once."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in PG_FUNCTIONS:
            cursor.execute(statement)
        cursor.execute(FILL)
