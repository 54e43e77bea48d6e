"""The rows of a payments file someone should look at, as a workbook to work through.

The columns are the file's own (``nik``, ``kpj``, ``periode``, ``tanggal_bayar``, ``jumlah``, ``kanal``,
``referensi``) as the rows were read, so a corrected row can be pasted into a new file and imported,
then the row number, what matching found and why. A row that could not be read gives back its cells as
they stood in the file. Written in openpyxl's write-only mode as the rows stream from the database, so
a file of 100,000 rows costs no more memory than one of ten; every text passes ``neutralise``.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from enrollment.importing.columns import column_letter
from enrollment.models import PaymentLine
from enrollment.payments.columns import PAYMENT_COLUMNS
from perisai.spreadsheets import header_cell, neutralise

ROWS_A_QUERY = 2000


def follow_up_workbook(lines):
    """``lines`` (``PaymentLine`` rows, in file order) as .xlsx bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("To follow up")[:31])
    for index, width in enumerate((20, 16, 10, 12, 12, 18, 24, 8, 26, 60)):
        sheet.column_dimensions[column_letter(index)].width = width
    header = [column.key for column in PAYMENT_COLUMNS] + [_("Row"), _("Outcome"), _("Why")]
    sheet.append([header_cell(sheet, text) for text in header])
    labels = dict(PaymentLine.Outcome.choices)
    for line in lines.iterator(chunk_size=ROWS_A_QUERY):
        values = (*_file_values(line), line.row, str(labels[line.outcome]), line.message)
        sheet.append([neutralise(value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file_values(line):
    if line.cells is not None:
        return [line.cells.get(column.key) for column in PAYMENT_COLUMNS]
    return [
        line.nik or None,
        line.kpj_number or None,
        f"{line.period:%Y-%m}" if line.period else None,
        line.paid_on,
        int(line.amount) if line.amount is not None else None,
        line.channel_name,
        line.reference,
    ]
