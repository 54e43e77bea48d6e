"""What the preview found in an import file, every finding of every row, as a workbook to correct the file by.

The preview page lists the first findings (``MAX_FINDINGS_SHOWN``) so it stays light on a slow link; this
workbook holds all of them: one sheet of errors (what stops the import) and one of warnings (what to
check), each row giving the file's row number, the cell, the column's name and what to check, in file
order. Every text passes ``neutralise``: a message quoting a cell that looked like a formula stays text.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from enrollment.importing.columns import COLUMN_BY_KEY
from perisai.spreadsheets import header_cell, neutralise

WIDTHS = (8, 8, 24, 90)


def findings_workbook(result):
    """The stored preview ``result`` of an ``ImportBatch`` (its ``errors`` and ``warnings``) as .xlsx bytes."""
    workbook = Workbook(write_only=True)
    for title, findings in ((_("Errors"), result.get("errors", [])), (_("Warnings"), result.get("warnings", []))):
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        for letter, width in zip("ABCD", WIDTHS, strict=True):
            sheet.column_dimensions[letter].width = width
        header = (_("Row"), _("Cell"), _("Column"), _("What to check"))
        sheet.append([header_cell(sheet, text) for text in header])
        for finding in findings:
            column = COLUMN_BY_KEY.get(finding.get("column"))
            label = str(column.label) if column else ""
            values = (finding["row"], finding.get("cell") or "", label, finding["message"])
            sheet.append([neutralise(value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
