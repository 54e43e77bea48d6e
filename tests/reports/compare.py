"""Reading a workbook back and comparing it, cell by cell, with the report functions."""

import datetime
import io
import math
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from perisai.privacy import table_for
from reports import catalogue
from web.reports.workbook import cell_value


def expected_cell(value, kind):
    """What the cell should hold, as openpyxl reads it back."""
    value = cell_value(value, kind)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value


def same_number(read, expected):
    return math.isclose(float(read), float(expected), abs_tol=1e-9)


def assert_sheet_matches(sheet, table):
    """Every header and every cell of ``sheet`` (openpyxl) equals what ``table`` holds."""
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == table.headers, sheet.title
    expected_rows = list(table.value_rows())
    assert len(rows) - 1 == len(expected_rows), sheet.title
    for read_row, values in zip(rows[1:], expected_rows, strict=True):
        for read, value, column in zip(read_row, values, table.columns, strict=True):
            expected = expected_cell(value, column.kind)
            if isinstance(expected, int | float | Decimal) and not isinstance(expected, bool):
                assert same_number(read, expected), (sheet.title, column.label, read, expected)
            else:
                assert read == expected, (sheet.title, column.label, read, expected)


def assert_frame_matches(frame, table):
    """The sheet as pandas reads it has the same numbers as ``table`` (percentages as fractions)."""
    assert list(frame.columns) == table.headers
    assert len(frame) == len(table.rows)
    for index, values in enumerate(table.value_rows()):
        for column, value in zip(table.columns, values, strict=True):
            read = frame.iloc[index][str(column.label)]
            if value is None:
                assert pd.isna(read), (column.label, index)
            elif column.kind in (catalogue.PERCENT, catalogue.CHANGE):
                assert same_number(read * 100, value), (column.label, index, read, value)
            elif column.numeric:
                assert same_number(read, value), (column.label, index, read, value)
            elif column.kind in (catalogue.DATE, catalogue.MONTH):
                assert pd.Timestamp(read).date() == value, (column.label, index)


def read_both(content):
    """``(openpyxl workbook, {sheet name: pandas DataFrame})`` from the bytes of an .xlsx file."""
    return load_workbook(io.BytesIO(content)), pd.read_excel(io.BytesIO(content), sheet_name=None, engine="openpyxl")


def assert_workbook_matches(content, *, scope, period, viewer=None):
    """Each report sheet of the workbook equals its report as ``viewer`` may see it (phone numbers masked
    unless they may see them, ``perisai.privacy``), by openpyxl and by pandas."""
    book, frames = read_both(content)
    reports = [report for report in catalogue.REPORTS.values() if report.in_workbook]
    incentives = 1 if scope.branch and not scope.office else 0  # a branch's workbook ends with its incentive sheet
    plan = 3  # after the summary: the charts, the plan and the months against the target (tests/reports/test_plan.py)
    assert len(book.sheetnames) == 1 + plan + len(reports) + 1 + incentives  # and the office minimums before it
    for name, report in zip(book.sheetnames[1 + plan : 1 + plan + len(reports)], reports, strict=True):
        table = table_for(viewer, report.table(scope=scope, period=period))
        assert_sheet_matches(book[name], table)
        assert_frame_matches(frames[name], table)
    return book
