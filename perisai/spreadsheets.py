"""Spreadsheet pieces every export and every upload shares: safe cell values, valid sheet and file names,
and checking a zip (an .xlsx is one) before any library opens it.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula by a spreadsheet program (CSV/formula injection). Every export passes its text through
``neutralise``, which prefixes such text with an apostrophe so it stays text.

**An uploaded zip is measured by decompressing it, never by what it says about itself.** A zip's
directory declares each entry's size, and a hostile file declares small sizes for entries that expand to
gigabytes. Python's ``zipfile`` stops at the declared size but allocates up to 1 GiB per read before it
cuts (and for bzip2 or LZMA entries, everything); a compiled reader may not stop at all. So
``zip_checked`` inflates every entry itself, in small chunks, counting the bytes that actually come out,
and stops as soon as an entry or the whole passes its bound (``ZipBounds``); it also bounds the size of the
directory (parsed before anything else), the number of entries and each entry's compression ratio, and
accepts only the two methods spreadsheet programs write (stored, deflate), unencrypted. An entry whose
real size or checksum differs from the declared one is refused, so once a zip has passed, every reader
that trusts the directory (``zipfile``, openpyxl, python-calamine) reads exactly what was measured.
Whoever calls it may look at each entry's bytes as they stream (``inspect``), so a reader learns what it
needs from one pass and never holds an entry whole.
"""

import struct
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LENGTH = 31
# Characters Excel refuses in sheet names; they are unsafe in a downloaded file's name too.
INVALID_SHEET_CHARACTERS = str.maketrans({character: " " for character in "[]:*?/\\"})


def neutralise(value):
    """``value`` unchanged unless it is text a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def header_cell(sheet, text):
    """A bold header cell for a write-only sheet (openpyxl's ``write_only`` mode styles cell by cell)."""
    cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
    cell.font = Font(bold=True)
    return cell


def sheet_name(title, taken):
    """A valid sheet name from ``title`` that is not in ``taken``: at most 31 characters, none of
    ``[]:*?/\\``, numbered " (2)", " (3)" ... when taken (Excel compares names case-insensitively)."""
    name = str(title).translate(INVALID_SHEET_CHARACTERS).strip()[:SHEET_NAME_LENGTH].strip()
    candidate, number = name, 2
    while candidate.lower() in {existing.lower() for existing in taken}:
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    return candidate


@dataclass(frozen=True)
class ZipBounds:
    """What a zip may hold, every size counted while decompressing: ``entries`` files, each expanding to at
    most ``entry_bytes`` and all together to ``total_bytes``, none (once past ``ratio_checked_above``
    bytes) expanding more than ``ratio`` times its compressed size; a directory of ``directory_bytes``."""

    entries: int
    entry_bytes: int
    total_bytes: int
    ratio: int
    ratio_checked_above: int
    directory_bytes: int


class ZipRefused(Exception):
    """Why a zip was refused (``reason``, one of the constants below) and which entry (``name``, if one)."""

    DAMAGED = "damaged"
    ENTRIES = "entries"
    ENCRYPTED = "encrypted"
    METHOD = "method"
    ENTRY_SIZE = "entry_size"
    TOTAL_SIZE = "total_size"
    RATIO = "ratio"

    def __init__(self, reason, name="", *, count=None):
        super().__init__(reason, name)
        self.reason = reason
        self.name = name
        self.count = count


INFLATED_CHUNK_BYTES = 256 * 1024
"""The most an entry yields at a time while it is checked: memory holds one chunk, whatever the entry."""

READ_CHUNK_BYTES = 64 * 1024
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name and extra-field lengths at offset 26
END_OF_DIRECTORY = struct.Struct("<4s4x2H2LH")  # signature, entries (disk, total), size, offset, comment
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_END_OF_DIRECTORY = struct.Struct("<4sQ2H2L4Q")
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def zip_checked(file, bounds, *, inspect=None):
    """``{entry name: size}`` for the zip in ``file`` (seekable, binary) once every entry was decompressed
    within ``bounds``, or ``ZipRefused``.

    ``inspect(name)`` may return an object whose ``feed(chunk)`` is given the entry's bytes as they come
    out and whose ``close()`` is called at its end (``None``: not looked at); whatever it raises stops the
    check and comes out as it is.
    """
    if _directory_size(file) > bounds.directory_bytes:
        raise ZipRefused(ZipRefused.ENTRIES)
    try:
        file.seek(0)
        entries = zipfile.ZipFile(file).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise ZipRefused(ZipRefused.DAMAGED) from None
    if len(entries) > bounds.entries:
        raise ZipRefused(ZipRefused.ENTRIES, count=len(entries))
    _check_declared(entries, bounds)
    sizes, total = {}, 0
    for entry in entries:
        reader = inspect(entry.filename) if inspect is not None else None
        size, checksum = 0, 0
        for chunk in _inflated(file, entry):
            size += len(chunk)
            total += len(chunk)
            if size > bounds.entry_bytes:
                raise ZipRefused(ZipRefused.ENTRY_SIZE, entry.filename)
            if total > bounds.total_bytes:
                raise ZipRefused(ZipRefused.TOTAL_SIZE, entry.filename)
            # No more than the declared compressed size is ever read, so this understates the real ratio.
            if size > bounds.ratio_checked_above and size > bounds.ratio * max(entry.compress_size, 1):
                raise ZipRefused(ZipRefused.RATIO, entry.filename)
            checksum = zlib.crc32(chunk, checksum)
            if reader is not None:
                reader.feed(chunk)
        if size != entry.file_size or checksum != entry.CRC:
            raise ZipRefused(ZipRefused.DAMAGED, entry.filename)
        if reader is not None:
            reader.close()
        sizes[entry.filename] = max(size, sizes.get(entry.filename, 0))
    file.seek(0)
    return sizes


def _check_declared(entries, bounds):
    """Refuse early what the directory itself admits: encryption, another method, sizes or ratios beyond
    ``bounds``. Small declared sizes prove nothing; ``_inflated`` measures them."""
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ZipRefused(ZipRefused.ENCRYPTED, entry.filename)
        if entry.compress_type not in METHODS:
            raise ZipRefused(ZipRefused.METHOD, entry.filename)
        if entry.file_size > bounds.entry_bytes:
            raise ZipRefused(ZipRefused.ENTRY_SIZE, entry.filename)
        expands = entry.file_size > bounds.ratio * max(entry.compress_size, 1)
        if entry.file_size > bounds.ratio_checked_above and expands:
            raise ZipRefused(ZipRefused.RATIO, entry.filename)
    if sum(entry.file_size for entry in entries) > bounds.total_bytes:
        raise ZipRefused(ZipRefused.TOTAL_SIZE)


def _directory_size(file):
    """The size of the zip's central directory, found as ``zipfile`` finds it (the end record in the last
    22 bytes, else the last one in the final 64 KiB), so ``zipfile`` is never asked to parse a huge one."""
    file.seek(0, 2)
    length = file.tell()
    file.seek(max(0, length - END_OF_DIRECTORY.size - (1 << 16)))
    tail = file.read()
    start = len(tail) - END_OF_DIRECTORY.size
    if not tail[start:].startswith(b"PK\x05\x06") or tail[-2:] != b"\x00\x00":
        start = tail.rfind(b"PK\x05\x06")
    if start < 0 or len(tail) - start < END_OF_DIRECTORY.size:
        raise ZipRefused(ZipRefused.DAMAGED)
    _signature, _disk_entries, _entries, size, _offset, _comment = END_OF_DIRECTORY.unpack_from(tail, start)
    locator = start - ZIP64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        _signature, _disk, end_offset, _disks = ZIP64_LOCATOR.unpack_from(tail, locator)
        file.seek(end_offset)
        record = file.read(ZIP64_END_OF_DIRECTORY.size)
        if len(record) != ZIP64_END_OF_DIRECTORY.size or not record.startswith(b"PK\x06\x06"):
            raise ZipRefused(ZipRefused.DAMAGED)
        size = max(size, ZIP64_END_OF_DIRECTORY.unpack(record)[8])
    return size


def _inflated(file, entry):
    """The entry's bytes as they come out of its compressed data, ``INFLATED_CHUNK_BYTES`` at most at a time,
    read where a zip reader reads them (after the local header), however large the entry says it is."""
    file.seek(entry.header_offset)
    header = file.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size:
        raise ZipRefused(ZipRefused.DAMAGED, entry.filename)
    signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise ZipRefused(ZipRefused.DAMAGED, entry.filename)
    file.seek(entry.header_offset + LOCAL_HEADER.size + name_length + extra_length)
    left = entry.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if entry.compress_type == zipfile.ZIP_DEFLATED else None
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        elif left > 0:
            data = file.read(min(READ_CHUNK_BYTES, left))
            if not data:
                raise ZipRefused(ZipRefused.DAMAGED, entry.filename)
            left -= len(data)
        elif inflater is None or inflater.eof:
            return
        else:  # the compressed data ended before its stream did
            raise ZipRefused(ZipRefused.DAMAGED, entry.filename)
        if inflater is None:
            yield data
            continue
        try:
            chunk = inflater.decompress(data, INFLATED_CHUNK_BYTES)
        except zlib.error:
            raise ZipRefused(ZipRefused.DAMAGED, entry.filename) from None
        if chunk:
            yield chunk
        if inflater.eof:
            return
