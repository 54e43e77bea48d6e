"""Real PDF files for the tests, written object by object with a correct cross-reference table, so a test
can put JavaScript, an action or an attachment exactly where an attacker would."""

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def pdf_document(*, catalog=b"", page=b"", extra=(), header=HEADER, tail=b""):
    """A one-page PDF: object 1 the catalogue (with ``catalog`` inside its dictionary), 2 the page tree, 3 the
    page (with ``page``), then ``extra`` as objects 4, 5 …; ``tail`` comes after the final ``%%EOF``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
        *extra,
    ]
    out, offsets = header, []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return out + tail
