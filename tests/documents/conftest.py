"""Fixtures for the printed documents: a branch with its letterhead filled in, and reading a PDF back."""

import io
import re

import pytest
from pypdf import PdfReader


@pytest.fixture
def branch(branch):
    """Cilacap with the details its letterhead and signature print."""
    branch.address = "Jl. Jend. Sudirman No. 23"
    branch.city = "Cilacap"
    branch.phone = "0282-534567"
    branch.head_name = "Bambang Hermawan"
    branch.full_clean()
    branch.save()
    return branch


def pages(pdf):
    return PdfReader(io.BytesIO(pdf)).pages


def text_of(pdf):
    """The words of the PDF's pages, white space collapsed (a paragraph may wrap anywhere).

    ReportLab writes the bullet of a masked NIK as code 0x7F, which WinAnsiEncoding draws as a bullet
    (PDF 32000-1, Annex D, note 6) and poppler reads as one; pypdf returns it as ``\\x7f``.
    """
    text = " ".join(page.extract_text() for page in pages(pdf)).replace("\x7f", "\u2022")
    return re.sub(r"\s+", " ", text)
