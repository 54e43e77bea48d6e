"""Run every benchmark on the national data set, each beside its floor; print a table, write JSON.

    python bench/generate.py --database-url postgres://postgres@127.0.0.1:5432/perisai_bench   # once
    python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/perisai_bench [--quick] [--only NAME ...]

Benchmarks (names for ``--only``): ``yearly`` (1), ``dashboard`` (2), ``agents`` (2b), ``workbook`` (3), ``export`` (4),
``import`` (5), ``http`` (6), ``payments`` (7). Each figure is the median of several runs (fewer with ``--quick``) and
sits beside its floor, measured in the same run. Results go to ``bench/results/latest.json``.

The run reads the data set and leaves it as it found it: the import runs inside a transaction that
is rolled back; the accounts, agent and enrolments the HTTP benchmark needs are deleted afterwards.
The app runs with production settings (DEBUG off) throughout.
"""

import argparse
import datetime
import io
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCH_PREFIX = "bench-"
BENCH_AGENT_CODE = "BENCH-AGENT"
ENROL_REGION = "337401"  # NIK region (Semarang Tengah) of the HTTP benchmark's enrolments (bench/wrk.lua)
IMPORT_REGION = "337402"  # NIK region (Semarang Utara) of the import benchmark's rows
SESSIONS = set()  # session keys the run created, deleted by ``cleanup``
TARGETS = {
    "yearly": "within 1.5x of the floor",
    "dashboard": "p95 < 300 ms",
    "agents": "p95 < 150 ms",
    "workbook": "< 2 s",
    "export": "within 1.3x of the floor (XlsxWriter, constant_memory); peak < 250 MB, flat",
    "import": ">= 5x django-import-export; >= 2,000 rows/s",
    "http": "figures beside /health/",
    "payments": ">= 10,000 rows/s; memory flat in the file's size",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://... of the data set from generate.py")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and smaller sizes, to try the harness")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--through", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmarks measure PostgreSQL: give a postgres:// URL")
    configure(args.database_url)
    if args.child == "export-memory":
        export_memory_child(args.through)
        return
    if args.child == "payments-memory":
        payments_memory_child(int(args.through))
        return
    if args.child:
        parser.error(f"unknown child {args.child}")
    run(args)


def configure(database_url, static_root=None):
    """Production settings (DEBUG off) pointed at the benchmark database."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            # The benchmark's accounts sign in with ``force_login`` and have no authenticator: a second factor
            # (required of staff in production) would send every page to its set-up page.
            "PERISAI_REQUIRE_TWO_FACTOR": "false",
        }
    )
    if static_root:
        os.environ["BENCH_STATIC_ROOT"] = str(static_root)
    sys.path.insert(0, str(ROOT))


def run(args):
    static_root = Path(tempfile.mkdtemp(prefix="perisai-bench-static-"))
    configure(args.database_url, static_root)
    import django

    django.setup()
    from django.core.management import call_command

    from config.serving import prepare_to_serve
    from enrollment.models import Acquisition

    prepare_to_serve()  # as a server process starts (config/wsgi.py), so server times are a server's

    if not Acquisition.objects.exists():
        sys.exit("The database holds no acquisitions: run bench/generate.py first.")
    names = args.only or list(BENCHMARKS)
    if {"dashboard", "agents", "http", "workbook"} & set(names):
        call_command("collectstatic", "--noinput", verbosity=0)
    context = Context(quick=args.quick, database_url=args.database_url, static_root=static_root)
    results = {
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "data": data_set(),
        "benchmarks": {},
    }
    try:
        for name in names:
            print(f"--- {name}", flush=True)
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            result = run_once_more_after_a_restart(BENCHMARKS[name], context)
            result["load_before"], result["load_after"] = round(load_before, 2), round(os.getloadavg()[0], 2)
            result["seconds"] = round(time.perf_counter() - started, 1)
            results["benchmarks"][name] = result
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    results["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    args.output.with_suffix(".md").write_text(table(results, markdown=True) + "\n")
    print()
    print(table(results))
    print(f"\nwritten to {args.output} (and the table as Markdown beside it)")


def run_once_more_after_a_restart(benchmark, context):
    """Run ``benchmark``; if PostgreSQL went away under it (a restart by someone else on a shared machine),
    wait for it and run the benchmark once more from the start, saying so in its result."""
    from django.db import OperationalError, connections

    try:
        return benchmark(context)
    except OperationalError as error:
        print(f"  PostgreSQL went away ({str(error).strip().splitlines()[0]}); running it again", flush=True)
        connections.close_all()
        deadline = time.monotonic() + 120
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode and (
            time.monotonic() < deadline
        ):
            time.sleep(1)
        result = benchmark(context)
        result["run_again_after_a_database_restart"] = True
        return result


class Context:
    def __init__(self, *, quick, database_url, static_root):
        self.quick = quick
        self.database_url = database_url
        self.static_root = static_root

    def repeat(self, full, quick):
        return quick if self.quick else full

    @property
    def large_branch(self):
        """The branch with the most acquisitions: the "one large branch" of the issue."""
        from django.db.models import Count

        from agents.models import Branch

        return Branch.objects.annotate(n=Count("acquisitions")).order_by("-n", "pk").first()


# --- helpers ------------------------------------------------------------------------------------


def timed(function, repeat, warmup=1):
    """``(median seconds, every time, last result)`` of ``repeat`` calls after ``warmup`` untimed ones."""
    result = None
    for _ in range(warmup):
        result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(len(ordered) * fraction)) - 1)]


def ms(seconds):
    return round(seconds * 1000, 1)


def cpu_seconds():
    """CPU time used so far by this process and by its PostgreSQL backend: what a request costs whatever
    else the machine is doing (wall-clock times stretch when other work shares the two cores)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    return time.process_time() + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine():
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(memory.split()[1]) / 2**20, 1),
        "postgresql": postgres,
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def data_set():
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table_name in (
            "agents_branch",
            "agents_perisaioffice",
            "agents_agent",
            "enrollment_participant",
            "enrollment_acquisition",
        ):
            cursor.execute(f"SELECT count(*) FROM {table_name}")  # noqa: S608 - fixed names
            counts[table_name.split("_", 1)[1]] = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'enrollment_contribution'")
        counts["contribution (estimate)"] = cursor.fetchone()[0]
    return counts


def user(username, **fields):
    """A benchmark account (deleted again by ``cleanup``)."""
    from agents.models import User

    account, _created = User.objects.update_or_create(username=BENCH_PREFIX + username, defaults=fields)
    return account


def cleanup():
    """Delete what the HTTP benchmark created: its enrolments (with their history), agent, accounts, sessions."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM agents_agent WHERE code = %s", [BENCH_AGENT_CODE])
        agent = cursor.fetchone()
        if agent:
            for table_name in ("enrollment_historicalacquisition", "enrollment_acquisition"):
                cursor.execute(
                    f"DELETE FROM {table_name} WHERE agent_id = %s OR caretaker_id = %s",  # noqa: S608 - fixed names
                    [agent, agent],
                )
            cursor.execute("DELETE FROM agents_historicalagent WHERE id = %s", [agent])
            cursor.execute("DELETE FROM agents_agent WHERE id = %s", [agent])
        pattern = ENROL_REGION + "%"
        cursor.execute("DELETE FROM enrollment_historicalparticipant WHERE nik LIKE %s", [pattern])
        cursor.execute(
            "DELETE FROM enrollment_participant p WHERE nik LIKE %s"
            " AND NOT EXISTS (SELECT 1 FROM enrollment_acquisition a WHERE a.participant_id = p.id)",
            [pattern],
        )
        cursor.execute("SELECT id FROM agents_user WHERE username LIKE %s", [BENCH_PREFIX + "%"])
        users = [row[0] for row in cursor.fetchall()]
        if users:
            cursor.execute("DELETE FROM django_admin_log WHERE user_id = ANY(%s)", [users])
            cursor.execute("DELETE FROM agents_user WHERE id = ANY(%s)", [users])
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=SESSIONS).delete()
    SESSIONS.clear()


def signed_in_client(account):
    """A test client signed in as ``account``; its session is remembered for ``cleanup``."""
    from django.test import Client

    client = Client()
    client.force_login(account)
    SESSIONS.add(client.cookies["sessionid"].value)
    return client


# --- 1. yearly totals ---------------------------------------------------------------------------

YEARLY_SQL = """
    SELECT EXTRACT(YEAR FROM acquired_on)::int AS year, count(*) AS full_year,
           count(*) FILTER (WHERE EXTRACT(MONTH FROM acquired_on) <= %s) AS year_to_date
    FROM enrollment_acquisition {where} GROUP BY 1 ORDER BY 1"""
YEARLY_ROLLUP_SQL = """
    SELECT EXTRACT(YEAR FROM month)::int AS year, sum(acquisitions)::int AS full_year,
           coalesce(sum(acquisitions) FILTER (WHERE EXTRACT(MONTH FROM month) <= %s), 0)::int AS year_to_date
    FROM reports_officemonth WHERE acquisitions > 0 {also} GROUP BY 1 ORDER BY 1"""


def has_table(name):
    from django.db import connection

    return name in connection.introspection.table_names()


def bench_yearly(context):
    """``yearly_totals`` against the same question asked in hand-written SQL through the same connection."""
    from django.db import connection

    from agents.scoping import Scope
    from reports.acquisitions import latest_period, yearly_totals
    from reports.periods import Period

    branch = context.large_branch
    repeat = context.repeat(15, 5)
    rows = []
    for label, scope in (("national", Scope()), (f"branch {branch.code}", Scope(branch=branch))):
        period = Period(latest_period(scope=scope).year, 6)
        where, params = ("WHERE branch_id = %s", [branch.pk]) if scope.branch else ("", [])

        def floor(sql, where=where, params=(period.through_month, *params)):
            def query():
                with connection.cursor() as cursor:
                    cursor.execute(sql.format(where=where, also=where.replace("WHERE", "AND")), params)
                    return cursor.fetchall()

            return query

        function, function_times, totals = timed(lambda: yearly_totals(scope=scope, period=period), repeat)  # noqa: B023
        raw, _times, raw_rows = timed(floor(YEARLY_SQL), repeat)
        answers = [(row.year, row.full_year, row.year_to_date) for row in totals if row.full_year]
        if answers != [tuple(row) for row in raw_rows]:
            raise AssertionError(f"yearly_totals disagrees with SQL: {answers} != {raw_rows}")
        result = {
            "scope": label,
            "period": period.through,
            "function_ms": ms(function),
            "floor_raw_sql_ms": ms(raw),
        }
        if has_table("reports_officemonth"):
            rollup, _times, rollup_rows = timed(floor(YEARLY_ROLLUP_SQL), repeat)
            if [tuple(row) for row in rollup_rows] != answers:
                raise AssertionError("the rollup disagrees with the raw rows")
            result["floor_rollup_sql_ms"] = ms(rollup)
        result["floor_ms"] = result["floor_raw_sql_ms"]
        result["ratio"] = round(result["function_ms"] / result["floor_ms"], 2)
        if "floor_rollup_sql_ms" in result:
            result["ratio_rollup_sql"] = round(result["function_ms"] / result["floor_rollup_sql_ms"], 2)
        result["met"] = result["ratio"] <= 1.5
        rows.append(result)
        print(f"  {label}: {result}", flush=True)
    return {"target": TARGETS["yearly"], "rows": rows}


# --- 2. dashboard -------------------------------------------------------------------------------


def bench_dashboard(context):
    """Server time of GET / through Django's test client (every middleware, the template, the session)."""
    from django.db import transaction

    from agents.models import User
    from agents.scoping import Scope
    from reports.acquisitions import (
        by_agent,
        by_office,
        latest_period,
        monthly_comparison,
        yearly_totals,
    )
    from reports.agreements import agreement_status
    from reports.continuity import participant_standing
    from reports.freshness import touch
    from reports.network import agent_network

    branch = context.large_branch
    repeat = context.repeat(20, 5)
    accounts = (
        ("national", user("national", role=User.Role.ADMIN, branch=None), Scope()),
        (f"branch {branch.code}", user("staff", role=User.Role.STAFF, branch=branch), Scope(branch=branch)),
    )
    rows = []
    try:
        for label, account, scope in accounts:
            client = signed_in_client(account)

            def get():
                response = client.get("/")  # noqa: B023
                if response.status_code != 200:
                    raise AssertionError(f"GET / answered {response.status_code}")
                return response

            _median, times, _response = timed(get, 2, warmup=0)  # warm-up
            # The first request after a write: the figures' version changes (``reports.freshness.touch``, as
            # every write's triggers do), so the figures are computed and kept again (#19).
            fresh = []
            for _ in range(context.repeat(5, 2)):
                with transaction.atomic():
                    touch()
                fresh.append(timed(get, 1, warmup=0)[0])
            cpu_before = cpu_seconds()
            _median, times, _response = timed(get, repeat, warmup=0)
            cpu_per_request = (cpu_seconds() - cpu_before) / repeat
            period = latest_period(scope=scope)
            parts = {}
            for name, function in (
                ("yearly_totals", yearly_totals),
                ("monthly_comparison", monthly_comparison),
                ("by_agent", by_agent),
                ("by_office", by_office),
                ("agent_network", agent_network),
                ("participant_standing", participant_standing),
                ("agreement_status", agreement_status),
            ):
                parts[name] = ms(timed(lambda f=function, s=scope, p=period: f(scope=s, period=p), 3)[0])
            result = {
                "scope": label,
                "requests": repeat,
                "p50_ms": ms(percentile(times, 0.50)),
                "p95_ms": ms(percentile(times, 0.95)),
                "max_ms": ms(max(times)),
                "cpu_ms_per_request": ms(cpu_per_request),
                "after_a_write_p50_ms": ms(percentile(fresh, 0.50)),
                "after_a_write_max_ms": ms(max(fresh)),
                "load": round(os.getloadavg()[0], 2),
                "parts_ms": parts,
            }
            result["met"] = result["p95_ms"] < 300
            rows.append(result)
            print(f"  {label}: {result}", flush=True)
    finally:
        cleanup()
    return {"target": TARGETS["dashboard"], "rows": rows}


# --- 2b. the agents list (#19) -------------------------------------------------------------------

AGENT_LIST_URLS = ("/agents/", "/agents/?activity=active", "/agents/?activity=at_risk", "/agents/?sort=-acquisitions")


def bench_agents(context):
    """Server time of the agents list (``web.network.agents.agent_list``) through Django's test client, for a
    national administrator (12,000 agents) and the large branch's staff, default and filtered by activity;
    p50, p95 and the queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agents.models import User

    branch = context.large_branch
    repeat = context.repeat(15, 5)
    accounts = (
        ("national", user("national", role=User.Role.ADMIN, branch=None)),
        (f"branch {branch.code}", user("staff", role=User.Role.STAFF, branch=branch)),
    )
    rows = []
    try:
        for label, account in accounts:
            client = signed_in_client(account)
            for url in AGENT_LIST_URLS:

                def get(url=url, client=client):
                    response = client.get(url)
                    if response.status_code != 200:
                        raise AssertionError(f"GET {url} answered {response.status_code}")
                    return response

                _median, times, _response = timed(get, repeat, warmup=2)
                with CaptureQueriesContext(connection) as queries:
                    get()
                result = {
                    "scope": label,
                    "url": url,
                    "requests": repeat,
                    "p50_ms": ms(percentile(times, 0.50)),
                    "p95_ms": ms(percentile(times, 0.95)),
                    "queries": len(queries),
                    "load": round(os.getloadavg()[0], 2),
                }
                result["met"] = result["p95_ms"] < 150
                rows.append(result)
                print(f"  {result}", flush=True)
    finally:
        cleanup()
    return {"target": TARGETS["agents"], "rows": rows}


# --- 3. evaluation workbook ---------------------------------------------------------------------


def bench_workbook(context):
    from agents.scoping import Scope
    from reports.acquisitions import latest_period
    from web.reports.workbook import evaluation_workbook

    branch = context.large_branch
    scope = Scope(branch=branch)
    period = latest_period(scope=scope)

    def build():
        content = io.BytesIO()
        evaluation_workbook(scope=scope, period=period, language="id").save(content)
        return len(content.getvalue())

    repeat = context.repeat(3, 1)
    build()  # warm-up
    cpu_before = cpu_seconds()
    median, times, size = timed(build, repeat, warmup=0)
    result = {
        "scope": f"branch {branch.code}",
        "period": period.through,
        "median_ms": ms(median),
        "times_ms": [ms(t) for t in times],
        "cpu_ms": ms((cpu_seconds() - cpu_before) / repeat),
        "bytes": size,
    }
    result["met"] = median < 2
    print(f"  {result}", flush=True)
    return {"target": TARGETS["workbook"], "rows": [result]}


# --- 4. participant export ----------------------------------------------------------------------


def export_periods(sizes):
    """For each wanted row count, the national period (through a month of the first year) whose export
    comes closest to it: the export lists the participants standing at the period's end."""
    from django.db import connection

    from reports.periods import Period

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', acquired_on)::date, count(*) FROM enrollment_acquisition"
            " WHERE acquired_on < (SELECT min(acquired_on) FROM enrollment_acquisition) + 730 GROUP BY 1 ORDER BY 1"
        )
        cumulative, months = 0, []
        for month, count in cursor.fetchall():
            cumulative += count
            months.append((month, cumulative))
    chosen = {}
    for size in sizes:
        month, _count = min(months, key=lambda item: abs(item[1] - size))
        chosen[size] = Period(month.year, month.month)
    return chosen


def export_values(scope, period):
    """Every row of the export as the cell values the export writes (text neutralised)."""
    from perisai.spreadsheets import neutralise
    from reports.exports import participant_columns, participant_rows

    columns = participant_columns()
    values = []
    for row in participant_rows(scope=scope, period=period):
        cells = []
        for column in columns:
            value = column.value(row)
            cells.append(neutralise(value) if isinstance(value, str) else value)
        values.append(cells)
    return [str(column.label) for column in columns], values


def bare_openpyxl(headers, values):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Peserta")
    sheet.append(headers)
    for row in values:
        sheet.append(row)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
    return len(values)


def bare_xlsxwriter(headers, values):
    """The floor: XlsxWriter in ``constant_memory`` mode writing the same values row by row (``write_row``),
    text as text, dates with a date format (as the export's), nothing else."""
    import xlsxwriter

    with tempfile.TemporaryFile() as file:
        workbook = xlsxwriter.Workbook(
            file,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "default_date_format": "yyyy-mm-dd"},
        )  # fmt: skip
        sheet = workbook.add_worksheet("Peserta")
        sheet.write_row(0, 0, headers)
        for number, row in enumerate(values, start=1):
            sheet.write_row(number, 0, row)
        workbook.close()
    return len(values)


def bench_export(context):
    """The participant workbook against the fastest well-kept writer of the same values (a bare XlsxWriter loop
    in ``constant_memory`` mode), with a bare write-only openpyxl loop beside them; peak memory of the whole
    process (RSS) at three sizes, each in a fresh process."""
    from agents.scoping import Scope
    from reports.exports import participant_rows, write_participant_workbook

    sizes = (25_000, 50_000) if context.quick else (25_000, 50_000, 100_000)
    periods = export_periods(sizes)
    repeat = context.repeat(3, 1)
    scope = Scope()
    largest = sizes[-1]
    period = periods[largest]

    def export():
        with tempfile.TemporaryFile() as file:
            return write_participant_workbook(file, scope=scope, period=period)

    fetch_median, _times, _rows = timed(lambda: sum(1 for _ in participant_rows(scope=scope, period=period)), repeat, 0)
    headers, values = export_values(scope, period)
    # The export and its floor alternate, so a machine whose speed drifts (a shared virtual machine)
    # slows both alike; the ratio is the median of each pair's ratio.
    # Beside the wall-clock times, the CPU time of this process (the export's Python, its read-ahead
    # thread included; not PostgreSQL's): on a shared virtual machine it does not stretch with the load.
    # The floor is XlsxWriter's loop (from #19; it was openpyxl's before the export moved to XlsxWriter); the
    # openpyxl loop runs once beside the first pair, for the record. Each pair's load average is noted.
    pairs, cpu_pairs, openpyxl_seconds, loads = [], [], [], []
    for _ in range(repeat):
        loads.append(round(os.getloadavg()[0], 2))
        cpu_started = time.process_time()
        export_seconds, _times, rows = timed(export, 1, warmup=0)
        cpu_middle = time.process_time()
        floor_seconds, _times, floor_rows = timed(lambda: bare_xlsxwriter(headers, values), 1, warmup=0)
        cpu_pairs.append((cpu_middle - cpu_started, time.process_time() - cpu_middle))
        assert floor_rows == rows, (floor_rows, rows)
        pairs.append((export_seconds, floor_seconds))
        if not openpyxl_seconds:  # once: it takes twice as long as the rest of the pair
            openpyxl_seconds.append(timed(lambda: bare_openpyxl(headers, values), 1, warmup=0)[0])
        print(f"  pair: export {export_seconds:.2f} s, floor (XlsxWriter) {floor_seconds:.2f} s; CPU {cpu_pairs[-1]};"
              f" load {loads[-1]}", flush=True)  # fmt: skip
    values.clear()
    export_median = statistics.median(export for export, _floor in pairs)
    timing = {
        "scope": "national",
        "period": period.through,
        "rows": rows,
        "export_ms": ms(export_median),
        "fetch_only_ms": ms(fetch_median),
        "floor_xlsxwriter_ms": ms(statistics.median(floor for _export, floor in pairs)),
        "ratio": round(statistics.median(export / floor for export, floor in pairs), 2),
        "pairs_ms": [[ms(export), ms(floor)] for export, floor in pairs],
        "cpu_ratio": round(statistics.median(export / floor for export, floor in cpu_pairs), 2),
        "openpyxl_loop_ms": ms(statistics.median(openpyxl_seconds)),
        "openpyxl_loop_ratio": round(openpyxl_seconds[0] / pairs[0][1], 2),  # against the same pair's floor
        "load": loads,
        "rows_per_s": round(rows / export_median),
    }
    timing["met"] = timing["ratio"] <= 1.3
    print(f"  {timing}", flush=True)
    memory = []
    for size in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--database-url", context.database_url, "--child", "export-memory",
             "--through", periods[size].through],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        memory.append(measured)
        print(f"  memory: {measured}", flush=True)
    peaks = [entry["peak_rss_mb"] for entry in memory]
    flat = max(peaks) - min(peaks) < 0.25 * min(peaks)
    memory_met = max(peaks) < 250 and flat
    return {"target": TARGETS["export"], "rows": [timing], "memory": memory, "memory_flat": flat,
            "memory_met": memory_met}  # fmt: skip


def memory_status(field):
    """``VmRSS`` or ``VmHWM`` (the peak) of this process in MB, from /proc/self/status: the peak of the
    process itself (``getrusage`` would also count the parent's size at the fork that started it)."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def export_memory_child(through):
    """In a fresh process: export the national participant list through ``through``; the process's resident
    memory before the export and its peak during it."""
    import django

    django.setup()
    from agents.scoping import Scope
    from reports.exports import write_participant_workbook
    from reports.periods import Period

    Path("/proc/self/clear_refs").write_text("5")  # start the peak (VmHWM) from here
    baseline = memory_status("VmRSS")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as file:
        rows = write_participant_workbook(file, scope=Scope(), period=Period.parse(through.split("-")[0], through))
        size = file.tell()
    seconds, peak = time.perf_counter() - started, memory_status("VmHWM")
    print(json.dumps({"through": through, "rows": rows, "seconds": round(seconds, 2), "bytes": size,
                      "baseline_rss_mb": round(baseline, 1), "peak_rss_mb": round(peak, 1)}))  # fmt: skip


# --- 5. import ----------------------------------------------------------------------------------


class Rollback(Exception):
    """Raised to roll back everything an import benchmark wrote."""


def import_workbook(rows, agent_code):
    """``rows`` valid enrolments with NIKs in ``IMPORT_REGION``, which no generated data set uses. Written as
    Excel and LibreOffice save a workbook, with the sheet's size (``<dimension>``) at the top: openpyxl's
    write-only mode leaves it out, and a reader of such a file (openpyxl's read-only mode, so the app and
    django-import-export alike) parses the whole sheet once more to find it."""
    import openpyxl

    from perisai.nik import FEMALE, MALE, build_nik

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama lengkap", "Tanggal lahir", "Jenis kelamin", "No HP", "Alamat", "Kecamatan", "Desa",
                  "Pekerjaan", "Penghasilan", "JHT", "Tanggal akuisisi", "Kode agen"])  # fmt: skip
    start = datetime.date(1960, 1, 1)
    for number in range(rows):
        birth_date = start + datetime.timedelta(days=number % 15_000)
        gender = MALE if number % 2 else FEMALE
        nik = build_nik(IMPORT_REGION, birth_date, gender, number // 15_000 + 1)
        sheet.append([nik, f"Pekerja {number}", birth_date, "L" if gender == MALE else "P", f"0812{number:08d}",
                      "Dusun Krajan RT 01/RW 02", "Kecamatan 1", "Bajing", "Petani", 1_000_000,
                      "Ya" if number % 8 == 0 else "Tidak", datetime.date(2024, 3, 1), agent_code])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_fixture(branch):
    """An office, an agent and a staff account in ``branch``, inside the benchmark's transaction."""
    from agents.models import Agent, PerisaiOffice, User
    from perisai.nik import MALE, build_nik

    office = PerisaiOffice.objects.create(branch=branch, code="BENCH-IMP-01", name="Kantor Perisai Benchmark")
    agent = Agent.objects.create(
        branch=branch,
        office=office,
        code="BENCH-IMP-A1",
        nik=build_nik(IMPORT_REGION, datetime.date(1980, 1, 1), MALE, 9999),
        full_name="Agen Benchmark",
        gender=MALE,
        birth_date=datetime.date(1980, 1, 1),
        phone="081200000000",
        kecamatan="Kecamatan 1",
        joined_on=datetime.date(2020, 1, 1),
    )
    staff = User.objects.create(username=BENCH_PREFIX + "import-staff", role=User.Role.STAFF, branch=branch)
    return staff, agent


def commit_checks():
    """Run now the checks PostgreSQL defers to the commit (Django's foreign keys are ``DEFERRABLE INITIALLY
    DEFERRED``): the benchmarks roll their writes back, which would skip them, and a real import pays them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def once_rolled_back(function):
    """Run ``function`` in a transaction that is rolled back; its result and how long it took."""
    from django.db import transaction

    outcome = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            outcome["result"] = function()
            outcome["seconds"] = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return outcome


def bench_import(context):
    """The app's import (upload with validation, then confirm) against django-import-export (a dry run, as
    its preview, then the import) of the same 10,000-row file into the same models, both rolled back."""
    import tablib
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from bench.die_resources import AcquisitionResource, ParticipantResource
    from enrollment.models import Acquisition
    from enrollment.services.imports import import_batch_confirm, import_batch_create

    rows = 10_000
    branch = context.large_branch
    results = {"ours": [], "die": []}
    content = None

    def ours():
        nonlocal content
        staff, agent = import_fixture(branch)
        content = import_workbook(rows, agent.code)
        upload = SimpleUploadedFile("bench.xlsx", content)
        started = time.perf_counter()
        batch = import_batch_create(upload=upload, user=staff)
        checked = time.perf_counter()
        assert batch.result["valid"] == rows, batch.result["errors"][:3]
        import_batch_confirm(batch=batch, user=staff)
        commit_checks()
        done = time.perf_counter()
        assert Acquisition.objects.filter(agent=agent).count() == rows
        return {"upload_s": checked - started, "confirm_s": done - checked, "total_s": done - started}

    def django_import_export():
        """The preview imports both resources and rolls back (as the library's dry run does, but the
        acquisitions' preview needs the participants' rows), then the import does it for real. The
        report rollups' triggers are off for it (a row-by-row import in one transaction updates the same
        monthly count thousands of times), so the comparison leaves out a cost the app's import pays."""
        staff, agent = import_fixture(branch)
        with connection.cursor() as cursor:  # rolled back with the benchmark's transaction
            for table_name in ("enrollment_acquisition", "enrollment_contribution"):
                cursor.execute(f"ALTER TABLE {table_name} DISABLE TRIGGER USER")  # noqa: S608 - fixed names
        started = time.perf_counter()
        timings = {}
        for phase in ("preview_s", "import_s"):
            step = time.perf_counter()
            with transaction.atomic():
                dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
                for resource_instance in (ParticipantResource(branch=branch), AcquisitionResource()):
                    result = resource_instance.import_data(dataset, raise_errors=True)
                    if result.has_validation_errors():
                        raise AssertionError(result.invalid_rows[:1])
                transaction.set_rollback(phase == "preview_s")
            if phase == "import_s":
                commit_checks()
            timings[phase] = time.perf_counter() - step
        timings["total_s"] = time.perf_counter() - started
        assert Acquisition.objects.filter(agent=agent).count() == rows
        return timings

    for _ in range(context.repeat(3, 1)):
        results["ours"].append(once_rolled_back(ours)["result"])
        print(f"  ours: {results['ours'][-1]}", flush=True)
    for _ in range(1):  # minutes a run; one is enough to place it
        results["die"].append(once_rolled_back(django_import_export)["result"])
        print(f"  django-import-export: {results['die'][-1]}", flush=True)
    ours_s = statistics.median(run["total_s"] for run in results["ours"])
    die_s = statistics.median(run["total_s"] for run in results["die"])
    row = {
        "rows": rows,
        "file_kb": round(len(content) / 1024),
        "ours_upload_ms": ms(statistics.median(run["upload_s"] for run in results["ours"])),
        "ours_confirm_ms": ms(statistics.median(run["confirm_s"] for run in results["ours"])),
        "ours_total_ms": ms(ours_s),
        "ours_rows_per_s": round(rows / ours_s),
        "die_preview_ms": ms(statistics.median(run["preview_s"] for run in results["die"])),
        "die_import_ms": ms(statistics.median(run["import_s"] for run in results["die"])),
        "die_total_ms": ms(die_s),
        "die_rows_per_s": round(rows / die_s),
        "speedup": round(die_s / ours_s, 1),
    }
    row["met"] = row["speedup"] >= 5 and row["ours_rows_per_s"] >= 2000
    print(f"  {row}", flush=True)
    return {"target": TARGETS["import"], "rows": [row]}


# --- 6. HTTP under load -------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookies(account, count):
    """``count`` signed-in sessions of ``account``, as Cookie header values."""
    return [f"sessionid={signed_in_client(account).cookies['sessionid'].value}" for _ in range(count)]


def http_fixture(branch):
    """Accounts for the dashboard runs and an agent (with an account) in ``branch`` for the enrol run."""
    from agents.models import Agent, User
    from perisai.nik import MALE, build_nik

    national = user("national", role=User.Role.ADMIN, branch=None)
    staff = user("staff", role=User.Role.STAFF, branch=branch)
    agent_account = user("agent", role=User.Role.AGENT, branch=branch)
    office = branch.offices.order_by("pk").first()
    Agent.objects.update_or_create(
        code=BENCH_AGENT_CODE,
        defaults={
            "branch": branch,
            "office": office,
            "nik": build_nik(ENROL_REGION, datetime.date(1980, 1, 1), MALE, 9999),
            "full_name": "Agen Benchmark",
            "gender": MALE,
            "birth_date": datetime.date(1980, 1, 1),
            "phone": "081200000000",
            "kecamatan": "Kecamatan 1",
            "joined_on": datetime.date(2018, 1, 1),
            "user": agent_account,
        },
    )
    return national, staff, agent_account


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # a worker still booting on a busy machine
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def probe(url, cookie, csrf, body=None):
    """One request as wrk will send it: the status code (a redirect is not followed)."""
    request = urllib.request.Request(url, data=body, headers={"Cookie": f"{cookie}; csrftoken={csrf}"})
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url, *, seconds, connections, threads, environment):
    completed = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
         "-s", str(ROOT / "bench" / "wrk.lua"), url],
        capture_output=True, text=True, check=True, env={**os.environ, **environment, "BENCH_THREADS": str(threads)},
        timeout=seconds + 60,
    )  # fmt: skip
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    return {
        "requests": figures["requests"],
        "requests_per_s": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "max_ms": round(figures["max_us"] / 1000, 1),
        "errors": figures["non_2xx_3xx"] + figures["connect_errors"] + figures["read_errors"] + figures["timeouts"],
    }


def bench_http(context):
    """gunicorn (2 workers, production settings) on loopback; a bounded wrk run per URL."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from enrollment.models import Acquisition

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    seconds = context.repeat(10, 5)
    connections, threads, workers = 4, 2, 2
    branch = context.large_branch
    cleanup()
    national, staff, agent_account = http_fixture(branch)
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="perisai-bench-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    rows = []
    try:
        wait_for(f"{base}/health/")
        runs = (
            ("/health/ (trivial view)", "/health/", "get", []),
            ("dashboard, national", "/", "get", session_cookies(national, connections)),
            (f"dashboard, branch {branch.code}", "/", "get", session_cookies(staff, connections)),
            ("enrol POST (agent)", "/enrollment/field/enrol/", "enrol", session_cookies(agent_account, connections)),
        )
        salt = int(time.time()) % 1000 * 100_000  # NIK serials stay below 10000 (bench/wrk.lua)
        for label, path, mode, cookies in runs:
            if cookies:
                body = None
                if mode == "enrol":
                    body = urllib.parse.urlencode(
                        {
                            "csrfmiddlewaretoken": csrf,
                            "nik": "3374010101800002",
                            "full_name": "Probe",
                            "birth_date": "1980-01-01",
                            "gender": "M",
                            "kecamatan": "Kecamatan 1",
                            "occupation": "farmer",
                            "declared_income": "1000000",
                        }  # fmt: skip
                    ).encode()
                status = probe(base + path, cookies[0], csrf, body)
                expected = 302 if mode == "enrol" else 200
                if status != expected:
                    raise AssertionError(f"{label}: a probe request answered {status}, not {expected}")
            before = Acquisition.objects.filter(agent__code=BENCH_AGENT_CODE).count()
            figures = wrk(
                base + path,
                seconds=seconds,
                connections=connections,
                threads=threads,
                environment={
                    "BENCH_COOKIES": "|".join(cookies),
                    "BENCH_CSRF": csrf,
                    "BENCH_MODE": mode,
                    "BENCH_SALT": str(salt),
                },  # fmt: skip
            )
            if mode == "enrol":
                figures["enrolled"] = Acquisition.objects.filter(agent__code=BENCH_AGENT_CODE).count() - before
            rows.append({"url": label, **figures})
            print(f"  {rows[-1]}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        cleanup()
    return {
        "target": TARGETS["http"],
        "setup": f"gunicorn, {workers} sync workers; wrk, {threads} threads, {connections} connections, {seconds} s",
        "rows": rows,
        "log": log.name,
    }


# --- 7. payments file ---------------------------------------------------------------------------

PAYMENTS_PERIOD = datetime.date(2026, 11, 1)
"""The month the benchmark's payments cover: after every generated contribution (acquisitions end in 2024 and
pay at most 18 months), so every row is a new payment to match and write, as a month's file is."""


def payments_file(rows):
    """A national payments file (CSV, as the scheduled feed sends it) paying ``PAYMENTS_PERIOD`` for the first
    ``rows`` acquisitions, at their monthly contribution, through a mix of channels; its path."""
    import csv

    from enrollment.models import Acquisition

    channels = ("BRI", "Indomaret", "JMO", "Kantor Pos", "BNI", "GoPay")
    path = Path(tempfile.mkdtemp(prefix="perisai-bench-payments-")) / f"pembayaran-{rows}.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["nik", "periode", "tanggal_bayar", "jumlah", "kanal", "referensi"])
        acquisitions = Acquisition.objects.order_by("pk").values_list("participant__nik", "monthly_contribution")
        for number, (nik, amount) in enumerate(acquisitions[:rows].iterator(chunk_size=10_000)):
            writer.writerow([nik, f"{PAYMENTS_PERIOD:%Y-%m}", f"{5 + number % 20:02d}-11-2026", int(amount),
                             channels[number % len(channels)], f"BENCH{number:09d}"])  # fmt: skip
    return path


def import_payments(path):
    """The app's import of the file at ``path``: read and match (the preview), then record; seconds of each."""
    from django.core.files import File

    from enrollment.models import PaymentLine
    from enrollment.services.payments import payment_import_confirm, payment_import_create

    with path.open("rb") as handle:
        started = time.perf_counter()
        payment_import = payment_import_create(upload=File(handle, name=path.name), branch=None)
        matched = time.perf_counter()
        payment_import_confirm(payment_import=payment_import)
        commit_checks()
        done = time.perf_counter()
    assert payment_import.counts == {PaymentLine.Outcome.MATCHED: payment_import.total}, payment_import.counts
    return {"rows": payment_import.total, "preview_s": matched - started, "confirm_s": done - matched,
            "total_s": done - started}  # fmt: skip


def copy_floor(path):
    """The floor: a bare ``COPY`` of the same file into a staging table of text columns, through the same
    connection, in the same (rolled back) kind of transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_payments_staging (nik text, periode text, tanggal_bayar text, "
            "jumlah text, kanal text, referensi text) ON COMMIT DROP"
        )
        started = time.perf_counter()
        with path.open() as file:
            cursor.cursor.copy_expert("COPY bench_payments_staging FROM STDIN WITH (FORMAT csv, HEADER true)", file)
        return time.perf_counter() - started


def bench_payments(context):
    """A national payments file of 100,000 rows (CSV) imported (read, matched, recorded, with history rows and the
    rollups' triggers) against a bare COPY of the same file; peak memory at three sizes, each in a fresh process.
    Everything is rolled back."""
    rows = context.repeat(100_000, 20_000)
    path = payments_file(rows)
    runs, floors = [], []
    try:
        for _ in range(context.repeat(3, 1)):
            floors.append(once_rolled_back(lambda: copy_floor(path))["result"])
            runs.append(once_rolled_back(lambda: import_payments(path))["result"])
            print(f"  ours: {runs[-1]}; COPY {floors[-1]:.2f} s", flush=True)
            vacuum_written()
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    total = statistics.median(run["total_s"] for run in runs)
    floor = statistics.median(floors)
    row = {
        "rows": rows,
        "preview_ms": ms(statistics.median(run["preview_s"] for run in runs)),
        "confirm_ms": ms(statistics.median(run["confirm_s"] for run in runs)),
        "total_ms": ms(total),
        "rows_per_s": round(rows / total),
        "floor_copy_ms": ms(floor),
        "ratio": round(total / floor, 1),
    }
    row["met"] = row["rows_per_s"] >= 10_000
    print(f"  {row}", flush=True)
    memory = []
    for size in context.repeat((25_000, 50_000, 100_000), (10_000, 20_000)):
        child = subprocess.run(
            [sys.executable, __file__, "--database-url", context.database_url, "--child", "payments-memory",
             "--through", str(size)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        memory.append(measured)
        print(f"  memory: {measured}", flush=True)
    peaks = [entry["peak_rss_mb"] for entry in memory]
    flat = max(peaks) - min(peaks) < 0.25 * min(peaks)
    return {"target": TARGETS["payments"], "rows": [row], "memory": memory, "memory_flat": flat}


WRITTEN_BY_AN_IMPORT = (
    "enrollment_paymentimport", "enrollment_paymentline", "enrollment_contribution",
    "enrollment_historicalcontribution", "reports_contributionmonth", "reports_standinginterval",
    "reports_standingchange", "reports_figuresversion", "reports_figurespending",
)  # fmt: skip


def vacuum_written():
    """Clear what a rolled-back import left behind, so the next run starts from the same database: its hundred
    thousand rows are dead but still in the indexes, and the next run's look-ups of the same acquisitions,
    months and references would step over each of them (a real file never meets its own rolled-back rows)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(WRITTEN_BY_AN_IMPORT)}")


def payments_memory_child(rows):
    """In a fresh process: import a national payments file of ``rows`` rows, rolled back; the process's resident
    memory before the import and its peak during it."""
    import django

    django.setup()
    path = payments_file(rows)
    size = path.stat().st_size
    try:
        Path("/proc/self/clear_refs").write_text("5")  # start the peak (VmHWM) from here
        baseline = memory_status("VmRSS")
        result = once_rolled_back(lambda: import_payments(path))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    peak = memory_status("VmHWM")
    print(json.dumps({"rows": rows, "seconds": round(result["seconds"], 2), "file_bytes": size,
                      "baseline_rss_mb": round(baseline, 1), "peak_rss_mb": round(peak, 1)}))  # fmt: skip


BENCHMARKS = {
    "yearly": bench_yearly,
    "dashboard": bench_dashboard,
    "agents": bench_agents,
    "workbook": bench_workbook,
    "export": bench_export,
    "import": bench_import,
    "http": bench_http,
    "payments": bench_payments,
}


# --- the table ----------------------------------------------------------------------------------


def table(results, markdown=False):
    """The figures as a plain-text table, or a Markdown one (what bench/README.md shows)."""
    if markdown:
        lines = ["| benchmark | figure | floor | ratio | target: met? |", "| --- | ---: | ---: | ---: | --- |"]
    else:
        lines = [f"{'benchmark':<40} {'figure':>14} {'floor':>14} {'ratio':>7}  target / met"]
    benchmarks = results["benchmarks"]

    def add(name, figure, floor="", ratio="", verdict=""):
        if markdown:
            lines.append(f"| {name} | {figure} | {floor} | {ratio} | {verdict} |")
        else:
            lines.append(f"{name:<40} {figure:>14} {floor:>14} {ratio:>7}  {verdict}")

    for row in benchmarks.get("yearly", {}).get("rows", []):
        same_query = ""
        if "ratio_rollup_sql" in row:
            same_query = f"; the same rollup query by hand {row['floor_rollup_sql_ms']} ms ({row['ratio_rollup_sql']}x)"
        add(f"1 yearly totals, {row['scope']}", f"{row['function_ms']} ms", f"{row['floor_ms']} ms",
            f"{row['ratio']}x", f"<= 1.5x of raw SQL: {'yes' if row['met'] else 'NO'}{same_query}")  # fmt: skip
    for row in benchmarks.get("dashboard", {}).get("rows", []):
        add(f"2 dashboard, {row['scope']}", f"p50 {row['p50_ms']} ms", "", "",
            f"p95 {row['p95_ms']} ms < 300: {'yes' if row['met'] else 'NO'}; "
            f"CPU (app + PostgreSQL) {row.get('cpu_ms_per_request', '?')} ms a request; first request after a "
            f"write p50 {row.get('after_a_write_p50_ms', '?')} ms")  # fmt: skip
    for row in benchmarks.get("agents", {}).get("rows", []):
        add(f"2b agents list, {row['scope']} {row['url']}", f"p50 {row['p50_ms']} ms", "", "",
            f"p95 {row['p95_ms']} ms < 150: {'yes' if row['met'] else 'NO'}; {row['queries']} queries")  # fmt: skip
    for row in benchmarks.get("workbook", {}).get("rows", []):
        add(f"3 workbook, {row['scope']} {row['period']}", f"{row['median_ms']} ms", "", "",
            f"< 2 s: {'yes' if row['met'] else 'NO'}; CPU (app + PostgreSQL) {row.get('cpu_ms', '?')} ms")  # fmt: skip
    export = benchmarks.get("export")
    if export:
        for row in export["rows"]:
            floor = row.get("floor_xlsxwriter_ms", row.get("floor_openpyxl_ms"))
            add(f"4 export, {row['rows']:,} rows", f"{row['export_ms']} ms", f"{floor} ms",
                f"{row['ratio']}x", f"<= 1.3x: {'yes' if row['met'] else 'NO'} (median of {len(row['pairs_ms'])} "
                f"alternating pairs); CPU of the Python process {row.get('cpu_ratio', '?')}x; openpyxl loop "
                f"{row.get('openpyxl_loop_ms', '?')} ms ({row.get('openpyxl_loop_ratio', '?')}x)")  # fmt: skip
        peaks = ", ".join(f"{entry['rows']:,}: {entry['peak_rss_mb']} MB" for entry in export["memory"])
        add("4 export, peak RSS", "", "", "", f"{peaks}; < 250 MB and flat: {'yes' if export['memory_met'] else 'NO'}")
    for row in benchmarks.get("import", {}).get("rows", []):
        add(f"5 import, {row['rows']:,} rows", f"{row['ours_rows_per_s']:,} rows/s",
            f"{row['die_rows_per_s']:,} rows/s", f"{row['speedup']}x",
            f">= 5x and >= 2,000 rows/s: {'yes' if row['met'] else 'NO'}")  # fmt: skip
    for row in benchmarks.get("http", {}).get("rows", []):
        add(f"6 http, {row['url']}", f"{row['requests_per_s']} req/s", "", "",
            f"p50 {row['p50_ms']} / p95 {row['p95_ms']} / p99 {row['p99_ms']} ms, errors {row['errors']}")  # fmt: skip
    payments = benchmarks.get("payments")
    if payments:
        for row in payments["rows"]:
            add(f"7 payments file, {row['rows']:,} rows", f"{row['rows_per_s']:,} rows/s", f"{row['floor_copy_ms']} ms",
                f"{row['ratio']}x", f">= 10,000 rows/s: {'yes' if row['met'] else 'NO'} "
                f"(read + match {row['preview_ms']} ms, record {row['confirm_ms']} ms)")  # fmt: skip
        peaks = ", ".join(f"{entry['rows']:,}: {entry['peak_rss_mb']} MB" for entry in payments["memory"])
        add("7 payments file, peak RSS", "", "", "", f"{peaks}; flat: {'yes' if payments['memory_flat'] else 'NO'}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
