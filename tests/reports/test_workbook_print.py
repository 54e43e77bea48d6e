"""The evaluation workbook prints as a meeting expects: A4, the summary on one portrait page, the tables
landscape and as wide as the page with their header row on every page, the report's title at the head
and the page number at the foot; LibreOffice, as a reader would, prints the summary's labels beside
their values on its first page."""

import io
import os
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.reports.test_workbook import JUNE_2022, branch_data, workbook_bytes  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def require_libreoffice():
    """Skip without LibreOffice and poppler-utils, unless ``PERISAI_REQUIRE_LIBREOFFICE`` is set (CI sets it,
    after installing them), when their absence fails the test instead of hiding it."""
    if shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo"):
        return
    message = "LibreOffice (soffice) and poppler-utils are not installed"
    if os.environ.get("PERISAI_REQUIRE_LIBREOFFICE"):
        pytest.fail(message)
    pytest.skip(message)


def test_every_sheet_has_a_print_setup(branch_data):  # noqa: F811
    book = load_workbook(io.BytesIO(workbook_bytes(branch_data["scope"], JUNE_2022, "en")))
    summary, *tables = book.worksheets

    assert (summary.page_setup.orientation, summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (
        "portrait",
        1,
        1,
    )
    for sheet in book.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # "9": A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "Perisai Evaluation Report — Cilacap — January–June 2022" in sheet.oddHeader.center.text
        assert sheet.oddFooter.right.text == "Page &P of &N"
        assert sheet.oddFooter.left.text == sheet.title
    for sheet in tables:
        assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (
            "landscape",
            1,
            0,
        )
    by_agent = book["By agent"]
    assert by_agent.print_title_rows == "$1:$1"


def test_libreoffice_prints_the_summary_on_one_page_with_its_labels_beside_their_values(branch_data, tmp_path):  # noqa: F811
    require_libreoffice()
    path = tmp_path / "evaluation.xlsx"
    path.write_bytes(workbook_bytes(branch_data["scope"], JUNE_2022, "en"))
    converted = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert converted.returncode == 0, converted.stderr
    pdf = tmp_path / "evaluation.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    first = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    second = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert "Perisai Evaluation Report" in first and "Page 1 of" in first
    # The year to date's label and its value on one line of the first page (90 acquisitions, 45 in 2022).
    assert re.search(r"Acquisitions January–June 2022\s+45\b", first), first
    assert "Summary" in first and "Summary" not in second  # the summary ends on its page
    sheets = len(load_workbook(path, read_only=True).sheetnames)
    assert sheets <= pages <= 2 * sheets  # every sheet as wide as its page: a page or two each here
    # The charts: four pages footed "Charts", each with one whole chart, none left blank.
    every = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    charts = [page for page in every.split("\f") if re.search(r"^\s*Charts\s+Page \d+ of", page, re.MULTILINE)]
    titles = [
        "Acquisitions by month: 2022 against 2021",
        "The year's pace: acquisitions since January, 2022 against 2021",
        "Acquisitions by Perisai office, against the same period last year",
        "Contribution continuity: paid 3 months after acquisition",
    ]
    assert len(charts) == 4, [page[-200:] for page in charts]
    for page, title in zip(charts, titles, strict=True):
        assert title in " ".join(page.split()), page
