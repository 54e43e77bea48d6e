"""How fast the full participant list exports, and whether its memory stays flat, against the floors.

    python bench/export_participants.py --database-url postgres://postgres@127.0.0.1:5432/perisai_bench \
        [--through 2024-06] [--batch-size 2000]

Runs on an existing data set, e.g. the one ``bench/generate.py`` builds (it only reads). For the whole
country and for the smallest branch, it times:

- floor (SQL): the export's own query, every row fetched with a server-side cursor and dropped;
- floor (xlsxwriter): a bare XlsxWriter workbook in ``constant_memory`` mode with as many rows of the same
  width, no database: the fastest well-kept writer, and what the export is written with (#19);
- floor (openpyxl): the same with openpyxl's write-only mode, as a ratio to the XlsxWriter floor;
- xlsx: ``write_participant_workbook`` into a temporary file (batches by primary key, XlsxWriter),
  as a ratio to the XlsxWriter floor;
- csv: every line of ``participant_csv_lines``, as a ratio to the SQL floor.

Each step runs once for time and once more under ``tracemalloc`` for the peak of Python memory
(tracemalloc slows it down, so the two are not measured together). Memory is flat when the peak for
the whole country is about the peak for one branch.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--through", help="YYYY-MM; default: the month of the latest acquisition")
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    run(through=args.through, batch_size=args.batch_size)


def run(*, through, batch_size):
    from django.db.models import Count
    from django.utils import translation

    from agents.models import Branch
    from agents.scoping import Scope
    from reports.acquisitions import latest_period
    from reports.periods import Period

    translation.activate("id")
    national = Scope()
    period = Period.parse(through.split("-")[0], through) if through else latest_period(scope=national)
    smallest = Branch.objects.annotate(n=Count("acquisitions")).filter(n__gt=0).order_by("n").first()
    print(f"period {period.label}, batch size {batch_size:,}")
    print(f"{'scope':>12} {'step':>18} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'x floor':>8} {'peak MiB':>9}")
    for label, scope in (("branch " + smallest.code, Scope(branch=smallest)), ("national", national)):
        floors = {}
        for step, floor, function in _steps(scope, period, batch_size):
            rows, seconds = _timed(function)
            _rows, peak = _peak(function)
            floors[step] = seconds
            ratio = f"{seconds / floors[floor]:8.1f}" if floor else ""
            rate = rows / seconds if seconds else 0
            print(f"{label:>12} {step:>18} {rows:9,} {seconds:8.2f} {rate:9,.0f} {ratio:>8} {peak / 2**20:9.1f}")


def _steps(scope, period, batch_size):
    from django.db import connection, transaction

    from reports.exports import (
        participant_columns,
        participant_csv_lines,
        participant_queryset,
        participant_rows,
        write_participant_workbook,
    )

    def floor_sql():
        sql, params = participant_queryset(scope=scope, period=period).query.sql_with_params()
        count = 0
        with transaction.atomic(), connection.connection.cursor(name="floor") as cursor:
            cursor.itersize = batch_size
            cursor.execute(sql, params)
            for _row in cursor:
                count += 1
        return count

    def floor_openpyxl(rows):
        from openpyxl import Workbook

        width = len(participant_columns())
        row = ["3301054103672759", "Nama Peserta", 16800] + ["teks"] * (width - 3)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("floor")
        for _ in range(rows):
            sheet.append(row)
        with tempfile.TemporaryFile() as file:
            workbook.save(file)
        return rows

    def floor_xlsxwriter(rows):
        import xlsxwriter

        width = len(participant_columns())
        row = ["3301054103672759", "Nama Peserta", 16800] + ["teks"] * (width - 3)
        with tempfile.TemporaryFile() as file:
            workbook = xlsxwriter.Workbook(
                file, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
            )
            sheet = workbook.add_worksheet("floor")
            for number in range(rows):
                sheet.write_row(number, 0, row)
            workbook.close()
        return rows

    def xlsx():
        with tempfile.TemporaryFile() as file:
            return write_participant_workbook(file, scope=scope, period=period, batch_size=batch_size)

    def csv():
        return sum(1 for _line in participant_csv_lines(scope=scope, period=period)) - 1

    rows = sum(1 for _row in participant_rows(scope=scope, period=period, batch_size=batch_size))
    return [
        ("floor (SQL)", None, floor_sql),
        ("floor (xlsxwriter)", None, lambda: floor_xlsxwriter(rows)),
        ("floor (openpyxl)", "floor (xlsxwriter)", lambda: floor_openpyxl(rows)),
        ("xlsx", "floor (xlsxwriter)", xlsx),
        ("csv", "floor (SQL)", csv),
    ]


def _timed(function):
    start = time.perf_counter()
    rows = function()
    return rows, time.perf_counter() - start


def _peak(function):
    tracemalloc.start()
    try:
        rows = function()
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


if __name__ == "__main__":
    main()
