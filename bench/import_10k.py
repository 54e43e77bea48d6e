"""How long the bulk import takes for 10,000 valid rows, against the floor of a bare openpyxl loop.

    python bench/import_10k.py --database-url postgres://postgres@127.0.0.1:5432/perisai_import_bench [--rows 10000]

The database must be named explicitly; it is migrated, and everything the run writes is rolled back at
the end, so it can run again on the same database (an empty one, or the national data set of
``bench/generate.py`` to see the import against a million participants). Steps timed:

- floor: open the same .xlsx with openpyxl (read-only) and iterate every cell, nothing else;
- upload: ``import_batch_create``: checks the file, reads it, validates every row against the
  database, keeps the batch (what the preview page waits for);
- confirm: ``import_batch_confirm``: validates again, then writes participants, acquisitions and
  their history rows in bulk, in one transaction.
"""

import argparse
import datetime
import io
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Give a PostgreSQL database: the benchmark measures the production database.")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perisai.settings")
    sys.path.insert(0, str(ROOT))
    _create_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True)

    import django

    django.setup()
    run(args.rows)


def _create_database(database_url):
    import psycopg2
    from psycopg2 import sql

    server, name = database_url.rsplit("/", 1)
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


class Rollback(Exception):
    pass


def run(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from enrollment.models import Acquisition

    timings = {}
    try:
        with transaction.atomic():
            staff, agent = _setup()
            content = _workbook(rows, agent.code)
            timings["floor"] = _timed(lambda: _bare_openpyxl_loop(content))
            upload = SimpleUploadedFile("bench.xlsx", content)
            from enrollment.services.imports import import_batch_confirm, import_batch_create

            batch = None

            def create():
                nonlocal batch
                batch = import_batch_create(upload=upload, user=staff)

            timings["upload"] = _timed(create)
            assert batch.result["valid"] == rows, batch.result["errors"][:3]
            timings["confirm"] = _timed(lambda: import_batch_confirm(batch=batch, user=staff))
            assert Acquisition.objects.filter(branch=agent.branch).count() == rows
            raise Rollback
    except Rollback:
        pass
    size = len(content) / 1024
    print(f"{rows:,} rows, {size:,.0f} KB .xlsx")
    floor = timings["floor"]
    for step, seconds in timings.items():
        ratio = "" if step == "floor" else f"  ({seconds / floor:.1f} x floor)"
        print(f"  {step:<8} {seconds:6.2f} s{ratio}")
    total = timings["upload"] + timings["confirm"]
    print(f"  upload + confirm {total:.2f} s ({total / floor:.1f} x floor)")


def _timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _setup():
    from agents.models import Agent, Branch, PerisaiOffice, User
    from enrollment.models import ContributionRate

    branch = Branch.objects.create(code="BENCH-IMP", name="Import benchmark")
    office = PerisaiOffice.objects.create(branch=branch, code="BENCH-IMP-01", name="Kantor Perisai Benchmark")
    agent = Agent.objects.create(
        branch=branch,
        office=office,
        code="BENCH-IMP-A1",
        nik="3301010101800001",
        full_name="Agen Benchmark",
        gender="M",
        birth_date=datetime.date(1980, 1, 1),
        phone="0812-0000-0000",
        kecamatan="Kroya",
        joined_on=datetime.date(2020, 1, 1),
    )
    staff = User.objects.create(username="bench-import-staff", role=User.Role.STAFF, branch=branch)
    if not ContributionRate.objects.exists():
        ContributionRate.objects.create(
            name="BPU 2021",
            effective_from=datetime.date(2021, 1, 1),
            jkk_rate="0.0100",
            jkm_amount=6800,
            jht_rate="0.0200",
            min_declared_income=1_000_000,
            max_declared_income=20_700_000,
        )
    return staff, agent


def _workbook(rows, agent_code):
    """``rows`` valid enrollments with NIKs in region 330199, which no generated data set uses."""
    import openpyxl

    from perisai.nik import FEMALE, MALE, build_nik

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["NIK", "Nama lengkap", "Tanggal lahir", "Jenis kelamin", "No HP", "Alamat", "Kecamatan", "Desa",
                  "Pekerjaan", "Penghasilan", "JHT", "Tanggal akuisisi", "Kode agen"])  # fmt: skip
    start = datetime.date(1960, 1, 1)
    for number in range(rows):
        birth_date = start + datetime.timedelta(days=number % 15_000)
        gender = MALE if number % 2 else FEMALE
        nik = build_nik("330199", birth_date, gender, number // 15_000 + 1)
        sheet.append([nik, f"Pekerja {number}", birth_date, "L" if gender == MALE else "P", f"0812{number:08d}",
                      "Dusun Krajan RT 01/RW 02", "Kroya", "Bajing", "Petani", 1_000_000, "Tidak",
                      datetime.date(2022, 3, 1), agent_code])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bare_openpyxl_loop(content):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        for _cell in row:
            pass
    workbook.close()


if __name__ == "__main__":
    main()
