"""Reading a printed PDF as a person with a phone would: the page drawn to pixels (PDFium), and every QR
code on it decoded from those pixels (ZXing), so a test checks what a scanner reads, not what we meant to
draw. Both are wheels from the test requirements; nothing of ours takes part in the reading."""

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


def page_sizes_mm(pdf):
    """The (width, height) of each page in millimetres, rounded to a tenth."""
    return [
        (round(float(page.mediabox.width) / POINTS_PER_MM, 1), round(float(page.mediabox.height) / POINTS_PER_MM, 1))
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def qr_codes(pdf, *, dpi=200):
    """The text of every QR code on every page, read from the page drawn at ``dpi``, in reading order."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil().convert("L")
            found.extend(
                code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode
            )
        return found
    finally:
        document.close()
