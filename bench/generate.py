"""Fill a PostgreSQL database with a national-scale Perisai data set, for the benchmarks.

    python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/perisai_bench [--scale 1.0]

At scale 1: 125 branches, 500 Perisai offices, 12,000 agents, 1,000,000 participants and
acquisitions over 2019-2024 and about 8,000,000 monthly contributions. Busy agents and offices are
far busier than quiet ones (agent and office picked with a squared-uniform skew). Rows are made by
PostgreSQL itself (INSERT ... SELECT over generate_series, seeded with setseed and no parallel
workers, so the same seed gives the same data) which is the fastest bulk path there is: no rows
cross the wire. The report rollups' triggers are off while loading (``session_replication_role``) and
the rollups are counted once at the end (``reports_rebuild_rollups``), then the tables are vacuumed so
index-only scans work from the first query. The database must be named explicitly and is emptied
first: this script never touches the development database unless told to.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent

FULL = {"branches": 125, "offices": 500, "agents": 12_000, "participants": 1_000_000}
REGIONS = 11  # Kantor Wilayah: each holds a share of the branches, as the real ones do
DOMAIN_TABLES = [
    "enrollment_contribution",
    "enrollment_acquisitiontarget",
    "enrollment_acquisition",
    "enrollment_participant",
    "enrollment_contributionrate",
    "agents_cooperationagreement",
    "agents_agent",
    "agents_perisaioffice",
    "agents_user",
    "agents_branch",
    "agents_region",
]
ROLLUP_TABLES = [
    "reports_acquisitionmonth", "reports_officemonth", "reports_standinginterval", "reports_standingchange",
]  # fmt: skip
OCCUPATIONS = [
    "farmer", "fisher", "trader", "labourer", "household_assistant", "driver", "umkm_owner", "craftsperson", "other",
]  # fmt: skip


def ensure_database(database_url):
    """Create the database if it does not exist, then bring its schema up to date with migrate."""
    server, name = database_url.rsplit("/", 1)
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


CILACAP_DISTRICTS = (
    "Kedungreja", "Kesugihan", "Adipala", "Binangun", "Nusawungu", "Kroya", "Maos", "Jeruklegi", "Kawunganten",
    "Gandrungmangu", "Sidareja", "Karangpucung", "Cimanggu", "Majenang", "Wanareja", "Dayeuhluhur", "Sampang",
    "Cipari", "Patimuan", "Bantarsari", "Cilacap Selatan", "Cilacap Tengah", "Cilacap Utara", "Kampung Laut",
)  # fmt: skip
DISTRICT_NAMES = "ARRAY[" + ",".join(f"'{name}'" for name in CILACAP_DISTRICTS) + "]"
"""Kabupaten Cilacap's 24 districts in code order (330101 ... 330124): every person lives in one, coded."""


def steps(counts, seed):
    """The SQL that builds the data set, in order, with a label for each step."""
    occupations = "ARRAY[" + ",".join(f"'{o}'" for o in OCCUPATIONS) + "]"
    yield "reset", "TRUNCATE " + ", ".join(DOMAIN_TABLES + ROLLUP_TABLES) + " RESTART IDENTITY CASCADE"
    yield "seed", f"SET max_parallel_workers_per_gather = 0; SELECT setseed({seed})"
    yield "triggers off", "SET session_replication_role = replica"
    yield (
        "rate",
        """
        INSERT INTO enrollment_contributionrate
            (name, effective_from, effective_to, jkk_rate, jkm_amount, jht_rate,
             min_declared_income, max_declared_income)
        VALUES ('BPU 2019-', '2019-01-01', NULL, 0.0100, 6800, 0.0200, 1000000, 20700000)""",
    )
    yield (
        "regions",
        f"""
        INSERT INTO agents_region (code, name)
        SELECT 'R' || lpad(i::text, 2, '0'), 'Kantor Wilayah ' || lpad(i::text, 2, '0')
        FROM generate_series(1, {REGIONS}) AS i""",
    )
    yield (
        "branches",
        f"""
        INSERT INTO agents_branch (code, name, address, city, head_name, phone, region_id)
        SELECT 'B' || lpad(i::text, 3, '0'), 'Cabang ' || lpad(i::text, 3, '0'), '', '', '', '',
               1 + (i - 1) % {REGIONS}
        FROM generate_series(1, {counts["branches"]}) AS i""",
    )
    yield (
        "offices",
        f"""
        INSERT INTO agents_perisaioffice (branch_id, code, name, area, address, contact_person, phone, is_active)
        SELECT 1 + (i - 1) % {counts["branches"]}, 'KP' || lpad(i::text, 4, '0'), 'Kantor Perisai ' || i,
               '', '', '', '', true
        FROM generate_series(1, {counts["offices"]}) AS i""",
    )
    yield (
        "agents",
        f"""
        INSERT INTO agents_agent (branch_id, office_id, code, nik, full_name, gender, birth_date, phone, kecamatan,
                                  desa, district, village, joined_on, trained_on, status, left_on, user_id,
                                  deactivation_reason)
        SELECT o.branch_id, o.id, 'AG' || lpad(a.i::text, 6, '0'), '32' || lpad(a.i::text, 14, '0'),
               'Agen ' || a.i, CASE WHEN random() < 0.5 THEN 'M' ELSE 'F' END, DATE '1975-01-01' + a.i % 9000,
               '0812' || lpad(a.i::text, 8, '0'), ({DISTRICT_NAMES})[1 + a.i % 24], '',
               '3301' || lpad((1 + a.i % 24)::text, 2, '0'), '',
               DATE '2018-01-01' + (random() * 1800)::int, NULL, 'active', NULL, NULL, ''
        FROM (SELECT i, 1 + floor({counts["offices"]} * power(random(), 2))::int AS office
              FROM generate_series(1, {counts["agents"]}) AS i) AS a
        JOIN agents_perisaioffice o ON o.id = a.office""",
    )
    yield (
        "participants",
        f"""
        INSERT INTO enrollment_participant (branch_id, nik, full_name, gender, birth_date, phone, address, kecamatan,
                                            desa, district, village, occupation, kpj_number)
        SELECT 1, '33' || lpad(i::text, 14, '0'), 'Peserta ' || i, CASE WHEN random() < 0.45 THEN 'F' ELSE 'M' END,
               DATE '1960-01-01' + (random() * 15000)::int, '0813' || lpad(i::text, 8, '0'), '',
               ({DISTRICT_NAMES})[1 + i % 24], '', '3301' || lpad((1 + i % 24)::text, 2, '0'), '',
               ({occupations})[1 + floor(random() * {len(OCCUPATIONS)})::int],
               CASE WHEN i % 2 = 0 THEN lpad(i::text, 11, '0') END
        FROM generate_series(1, {counts["participants"]}) AS i""",
    )
    yield (
        "acquisitions",
        f"""
        INSERT INTO enrollment_acquisition (participant_id, agent_id, caretaker_id, branch_id, office_id, acquired_on,
                                            status, ended_on, rate_id, declared_income, with_jht,
                                            monthly_contribution)
        SELECT p.i, ag.id, ag.id, ag.branch_id, ag.office_id, p.acquired_on, 'active', NULL, 1,
               p.income, p.jht, round(p.income * 0.01) + 6800 + CASE WHEN p.jht THEN round(p.income * 0.02) ELSE 0 END
        FROM (SELECT i, 1 + floor({counts["agents"]} * power(random(), 2))::int AS agent,
                     DATE '2019-01-01' + floor(random() * 2192)::int AS acquired_on,
                     CASE WHEN random() < 0.8 THEN 1000000 ELSE 1500000 + 500000 * floor(random() * 4) END AS income,
                     random() < 0.12 AS jht
              FROM generate_series(1, {counts["participants"]}) AS i) AS p
        JOIN agents_agent ag ON ag.id = p.agent""",
    )
    yield (
        "participant branches",
        """
        UPDATE enrollment_participant p SET branch_id = a.branch_id
        FROM enrollment_acquisition a WHERE a.participant_id = p.id""",
    )
    yield (
        "contributions",
        """
        INSERT INTO enrollment_contribution (acquisition_id, period, amount, paid_on, channel, receipt_number,
                                             collected_by_id, reference, channel_name)
        SELECT a.id, months.period, a.monthly_contribution, months.period + 9, 'bank', '', NULL, '', ''
        FROM (SELECT id, monthly_contribution, date_trunc('month', acquired_on)::date AS first_month,
                     floor(random() * 18)::int AS paid_months
              FROM enrollment_acquisition) AS a
        CROSS JOIN LATERAL (
            SELECT (a.first_month + make_interval(months => m))::date AS period
            FROM generate_series(0, a.paid_months - 1) AS m
        ) AS months
        WHERE months.period <= DATE '2024-12-01'""",
    )
    yield (
        "lapses",
        """
        UPDATE enrollment_acquisition a SET status = 'lapsed', ended_on = GREATEST(a.acquired_on, last.period + 90)
        FROM (SELECT acquisition_id, max(period) AS period FROM enrollment_contribution GROUP BY acquisition_id) AS last
        WHERE last.acquisition_id = a.id AND last.period < DATE '2024-09-01'""",
    )
    yield "rollups", "SET session_replication_role = origin; SELECT reports_rebuild_rollups()"
    yield "vacuum", "VACUUM ANALYZE"


def generate(database_url, *, scale, seed):
    counts = {name: max(1, round(count * scale)) for name, count in FULL.items()}
    counts["offices"] = max(counts["offices"], counts["branches"])
    ensure_database(database_url)
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    started = time.perf_counter()
    with conn.cursor() as cursor:
        for label, statement in steps(counts, seed):
            step_started = time.perf_counter()
            cursor.execute(statement)
            print(f"{label:>22}: {time.perf_counter() - step_started:7.1f} s", flush=True)
        cursor.execute(
            "SELECT (SELECT count(*) FROM enrollment_acquisition), (SELECT count(*) FROM enrollment_contribution)"
        )
        acquisitions, contributions = cursor.fetchone()
    conn.close()
    print(f"{acquisitions:,} acquisitions, {contributions:,} contributions in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://... of the benchmark database")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national scale (1M acquisitions)")
    parser.add_argument("--seed", type=float, default=0.2022, help="setseed() value in [-1, 1]")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark data set needs PostgreSQL")
    generate(args.database_url, scale=args.scale, seed=args.seed)


if __name__ == "__main__":
    main()
