"""The import's columns: what row 1 may call them, and how each cell is read.

A header is recognised in either language (the column's label as the template writes it in English
or Indonesian), by its key (``full_name``) or by a common Indonesian spelling from paper forms
("Nama", "Jenis kelamin" ...); case, spaces and punctuation do not matter. Extra columns are ignored;
a missing one is named, with the closest unrecognised header as a suggestion.

Cell readers return a Python value or raise ``CellError`` with the message for the preview.
"""

import datetime
import difflib
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.importing.reader import SpreadsheetError
from enrollment.models import Occupation
from perisai.nik import Gender


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    hint: str = ""
    aliases: tuple = ()
    width: int = 18
    kind: str = "text"  # "text" (kept as typed, e.g. a NIK), "date" or "number": how the template formats it


COLUMNS = (
    Column("nik", "NIK", True, gettext_lazy("16 digits, typed as text."), ("no ktp", "nomor nik"), 20),
    Column("full_name", gettext_lazy("Full name"), True, aliases=("nama", "nama lengkap", "name"), width=28),
    Column(
        "birth_date",
        gettext_lazy("Birth date"),
        True,
        gettext_lazy("Day-month-year, e.g. 15-03-1985."),
        ("tanggal lahir", "tgl lahir"),
        kind="date",
    ),
    Column(
        "gender",
        gettext_lazy("Gender"),
        True,
        gettext_lazy("L or P (M or F, Laki-laki or Perempuan)."),
        ("jenis kelamin", "jk", "l p", "sex"),
        10,
    ),
    Column("phone", gettext_lazy("Phone"), False, aliases=("no hp", "nomor hp", "telepon", "hp"), width=16),
    Column("address", gettext_lazy("Address"), False, aliases=("alamat",), width=34),
    Column("kecamatan", gettext_lazy("Kecamatan"), True, gettext_lazy("See the second sheet.")),
    Column("desa", gettext_lazy("Desa/kelurahan"), False, aliases=("desa", "kelurahan", "desa kelurahan")),
    Column("occupation", gettext_lazy("Occupation"), True, gettext_lazy("See the second sheet."), ("pekerjaan",), 24),
    Column(
        "declared_income",
        gettext_lazy("Declared monthly income"),
        True,
        gettext_lazy("Whole Rupiah, e.g. 1000000."),
        ("penghasilan", "penghasilan per bulan", "upah", "income"),
        kind="number",
    ),
    Column("with_jht", "JHT", False, gettext_lazy("Ya or Tidak (Y or N); empty means no."), ("ikut jht",), 8),
    Column(
        "acquired_on",
        gettext_lazy("Acquired on"),
        True,
        gettext_lazy("Date of enrolment, not in the future."),
        ("tanggal akuisisi", "tanggal daftar", "tgl daftar", "tanggal pendaftaran"),
        kind="date",
    ),
    Column("kpj_number", gettext_lazy("KPJ number"), False, aliases=("kpj", "no kpj", "nomor kpj")),
    Column(
        "agent_code",
        gettext_lazy("Agent code"),
        False,
        gettext_lazy("Only when no agent is chosen on the upload page."),
        ("kode agen", "agen"),
        14,
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


class CellError(Exception):
    """A cell that cannot be read; ``code`` names the problem for comparisons, the message is for people."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def normalise(text):
    """Lower case, letters and digits only, single spaces: "Desa/Kelurahan " -> "desa kelurahan"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def _in_every_language(label):
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(normalise(str(label)))
    return names


@functools.cache
def header_names(columns):
    """``{normalised header: column key}`` for every name a header of ``columns`` may have."""
    names = {}
    for column in columns:
        for name in {normalise(column.key), *_in_every_language(column.label), *map(normalise, column.aliases)}:
            names.setdefault(name, column.key)
    return names


def column_letter(index):
    """A, B, ..., Z, AA, ... for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def match_header(header, *, agent_chosen):
    """``{column key: column index}`` for the enrolment headers in row 1, or ``SpreadsheetError``."""
    needed = [column for column in COLUMNS if column.required or (column.key == "agent_code" and not agent_chosen)]
    hints = {"agent_code": _("Choose the agent on the upload page, or add an agent-code column.")}
    return find_columns(header, columns=COLUMNS, needed=needed, hints=hints)


def find_columns(header, *, columns, needed, hints=None, problems=()):
    """``{column key: column index}`` for the headers of ``columns`` found in row 1.

    ``SpreadsheetError`` lists every problem at once: a column given twice, each of ``needed`` missing
    (with ``hints[key]`` and the closest unrecognised header as a suggestion), and ``problems`` the
    caller found already."""
    names = header_names(columns)
    by_key = {column.key: column for column in columns}
    found, unknown, problems = {}, [], list(problems)
    for index, text in enumerate(header):
        if text is None:
            continue
        key = names.get(normalise(text))
        if key is None:
            unknown.append((index, str(text)))
        elif key in found:
            problems.append(
                _("Columns %(first)s and %(second)s are both “%(label)s”; keep one.")
                % {
                    "first": column_letter(found[key]),
                    "second": column_letter(index),
                    "label": by_key[key].label,
                }
            )
        else:
            found[key] = index
    missing = [column for column in needed if column.key not in found]
    unknown_by_name = {normalise(text): (index, text) for index, text in unknown}
    for column in missing:
        message = _("Row 1 has no “%(label)s” column.") % {"label": column.label}
        if hints and column.key in hints:
            message += " " + hints[column.key]
        close = difflib.get_close_matches(
            normalise(column.label), unknown_by_name, n=1, cutoff=0.7
        ) or difflib.get_close_matches(normalise(column.key), unknown_by_name, n=1, cutoff=0.7)
        if close:
            index, text = unknown_by_name[close[0]]
            message += " " + _("Is “%(text)s” in column %(letter)s meant to be it? Correct its spelling.") % {
                "text": text,
                "letter": column_letter(index),
            }
        problems.append(message)
    if problems:
        raise SpreadsheetError(*problems)
    return found


def check_formula(value):
    """Refuse a formula: the import reads values, never computes them."""
    if isinstance(value, str) and value.startswith("="):
        raise CellError(
            _("This cell holds a formula (%(formula)s); type the value itself.") % {"formula": value[:40]}, "formula"
        )


def read_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        raise CellError(_("Expected text, not a decimal number."), "not_text")
    return str(value)


DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("day", "month", "year")),
)


def read_date(value):
    """A date from a date cell or from text as 15-03-1985, 15/03/1985, 15.03.1985 or 1985-03-15."""
    if value is None:
        raise CellError(_("This cell is empty; a date is needed."), "required")
    for pattern, parts in DATE_PATTERNS:
        match = pattern.match(str(value))
        if match:
            numbers = dict(zip(parts, map(int, match.groups()), strict=True))
            try:
                return datetime.date(numbers["year"], numbers["month"], numbers["day"])
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a date; write it as day-month-year, e.g. 15-03-1985.") % {"value": value}, "bad_date"
    )


@functools.cache
def _gender_names():
    names = {}
    for code, words in (
        (Gender.MALE, ("l", "lk", "laki laki", "laki", "pria", "m", "male")),
        (Gender.FEMALE, ("p", "pr", "perempuan", "wanita", "w", "f", "female")),
    ):
        for word in (*words, *_in_every_language(Gender(code).label)):
            names[normalise(word)] = code
    return names


def read_gender(value):
    gender = _gender_names().get(normalise(value or ""))
    if gender is None:
        raise CellError(
            _("“%(value)s” is not a gender; write L or P (M or F).") % {"value": value or ""},
            "bad_gender" if value else "required",
        )
    return gender


YES_LABEL = gettext_lazy("Yes")
NO_LABEL = gettext_lazy("No")
YES_WORDS = ("ya", "y", "yes", "1", "true", "benar", "iya")
NO_WORDS = ("tidak", "t", "tdk", "n", "no", "0", "false")


@functools.cache
def _yes_no_words():
    return {
        **{word: False for word in (*NO_WORDS, *_in_every_language(NO_LABEL))},
        **{word: True for word in (*YES_WORDS, *_in_every_language(YES_LABEL))},
    }


def read_yes_no(value):
    """JHT chosen or not: Ya/Tidak, Y/N, Yes/No, 1/0; empty means no."""
    if value is None or isinstance(value, bool):
        return bool(value)
    answer = _yes_no_words().get(normalise(value))
    if answer is not None:
        return answer
    raise CellError(_("“%(value)s” is not yes or no; write Ya or Tidak.") % {"value": value}, "bad_yes_no")


RUPIAH_TEXT = re.compile(r"(\d{1,3}([.,])\d{3}(?:\2\d{3})*|\d+)(?:[.,]00?|,-)?")


def read_rupiah(value):
    """Whole Rupiah from a number or text: 1000000, 1.000.000, 1,000,000, Rp 1.000.000,00 or Rp 1.000.000,-."""
    if value is None:
        raise CellError(_("This cell is empty; an amount is needed."), "required")
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        raise CellError(_("Amounts are whole Rupiah, without cents."), "bad_amount")
    text = re.sub(r"^rp\.?", "", str(value).casefold()).replace("\u00a0", "").replace(" ", "")
    match = RUPIAH_TEXT.fullmatch(text)
    if match is None:
        raise CellError(
            _("“%(value)s” is not an amount in whole Rupiah, e.g. 1000000.") % {"value": value}, "bad_amount"
        )
    return Decimal(re.sub(r"[.,]", "", match.group(1)))


OCCUPATION_ALIASES = {
    Occupation.HOUSEHOLD_ASSISTANT: ("asisten rumah tangga", "art", "pembantu rumah tangga", "prt"),
    Occupation.FARMER: ("petani", "pekebun", "buruh tani"),
    Occupation.FISHER: ("nelayan",),
    Occupation.LABOURER: ("buruh", "kuli", "pekerja harian"),
    Occupation.TRADER: ("pedagang", "pedagang kaki lima", "pkl", "trader", "street vendor"),
    Occupation.DRIVER: ("ojek", "ojol", "sopir", "pengemudi", "driver"),
    Occupation.UMKM_OWNER: ("umkm", "pemilik umkm", "usaha mikro"),
    Occupation.CRAFTSPERSON: ("pengrajin", "perajin"),
    Occupation.OTHER: ("lainnya", "lain lain"),
}


@functools.cache
def _occupation_names():
    names = {}
    for occupation in Occupation:
        for word in (occupation.value, *_in_every_language(occupation.label), *OCCUPATION_ALIASES[occupation]):
            names.setdefault(normalise(word), occupation.value)
    return names


def read_occupation(value):
    occupation = _occupation_names().get(normalise(value or ""))
    if occupation is None:
        raise CellError(
            _("“%(value)s” is not an occupation on the list (second sheet of the template).") % {"value": value or ""},
            "bad_occupation" if value else "required",
        )
    return occupation


SCIENTIFIC_NOTATION = re.compile(r"\d(?:[.,]\d+)?[eE]\+\d{2}")
"""How Excel shows a long number in a General-format cell (3.30101E+15, 3,30101E+15 in Indonesian), and
writes it into a CSV file: the digits past the sixth are gone."""


def read_digits(value):
    """A number typed as text (NIK, KPJ, phone) or stored by Excel as a number: its digits as text. A number
    Excel turned into scientific notation is refused with what happened and how to undo it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.0f}"
    if isinstance(value, str) and SCIENTIFIC_NOTATION.fullmatch(value.replace(" ", "")):
        raise CellError(
            _(
                "Excel turned this number into scientific notation (%(value)s), which loses its digits. Format the "
                "column as Text and type the number again."
            )
            % {"value": value[:40]},
            "scientific_notation",
        )
    return str(value)
