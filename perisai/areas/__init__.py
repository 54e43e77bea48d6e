"""Indonesia's administrative areas by their official Kemendagri codes: provinces, regencies and cities,
districts (kecamatan), villages (desa/kelurahan). What the first six digits of a NIK may be, and where a
worker or an agent lives.

The codes come from ``kemendagri.csv.gz`` and ``villages.csv.gz`` beside this module (their source,
release and date: ``SOURCE.md``; rebuilt by ``rebuild.py``). Codes are written without dots, as a NIK
holds them: "33" Jawa Tengah, "3301" Kabupaten Cilacap, "330101" Kedungreja, "3301012001" Tambakreja.
A village's district is its code's first six digits.

People type places ("kedung reja", "Kec. Kedungreja"); ``find_district`` and ``find_village`` read what
was typed (a name, a "name, regency" label or the code) within the districts a person may live in, and
say which code it is, or that it is none or more than one.

A NIK keeps the district code it was issued under for life, so a code retired by a later regulation
(the districts of Papua Barat renumbered into Papua Barat Daya in 2023) is still a district a NIK may
name: it is kept, marked retired, with the code that succeeded it.

One gap in the data is bridged by a rule instead: the 2022 split of Papua gave the twenty regencies that
left for Papua Selatan, Papua Tengah and Papua Pegunungan new codes, and no release of the data holds
their old ones. Papua had regencies 91.01 to 91.28 before the split; a NIK naming a district under one of
those numbers that is no longer a regency of Papua is accepted as a retired code the data cannot name
(``PAPUA_BEFORE_2022``).
"""

import csv
import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("kemendagri.csv.gz")
VILLAGES = Path(__file__).with_name("villages.csv.gz")

PAPUA_BEFORE_2022 = frozenset(f"91{number:02d}" for number in range(1, 29))
"""The regency codes Papua had before the 2022 split (91.01–91.28)."""


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str
    parent: str
    retired: bool
    successor: str

    @property
    def level(self):
        return {2: "province", 4: "regency", 6: "district", 10: "village"}[len(self.code)]


@functools.cache
def _areas():
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as file:
        return {
            row["code"]: Area(row["code"], row["name"], row["parent"], row["retired"] == "retired", row["successor"])
            for row in csv.DictReader(file)
        }


@functools.cache
def _villages():
    """``{district code: [Area, ...]}`` in code order."""
    by_district = {}
    with gzip.open(VILLAGES, "rt", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            code = row["code"]
            by_district.setdefault(code[:6], []).append(Area(code, row["name"], code[:6], False, ""))
    return by_district


def area(code):
    """The ``Area`` with this code (2, 4, 6 or 10 digits, no dots), or ``None``."""
    if code and len(code) == 10:
        return next((found for found in _villages().get(code[:6], ()) if found.code == code), None)
    return _areas().get(code)


def district_exists(code):
    """Whether ``code`` is a district (kecamatan) that exists or existed: what a NIK's digits 1–6 may be."""
    if len(code) != 6:
        return False
    if code in _areas():
        return True
    regency = code[:4]
    return regency in PAPUA_BEFORE_2022 and regency not in _areas() and code[4:] != "00"


def districts_of(regency_code):
    """The districts in force of a regency or city, by code, in code order."""
    return [
        found
        for found in _areas().values()
        if found.parent == regency_code and found.level == "district" and not found.retired
    ]


def villages_of(district_code):
    """The villages (desa and kelurahan) of a district, by code, in code order."""
    return list(_villages().get(district_code, ()))


def name_key(text):
    """What two spellings of one place share: lower case, letters and digits only, single spaces, without
    the words people put before a name ("Kec. Kedung-Reja" -> "kedung reja"; "Desa Tambakreja" ->
    "tambakreja")."""
    words = "".join(char if char.isalnum() else " " for char in (text or "").lower()).split()
    while len(words) > 1 and words[0] in _PREFIXES:
        words = words[1:]
    return " ".join(words)


_PREFIXES = frozenset({"kec", "kecamatan", "distrik", "desa", "kel", "kelurahan", "ds", "dusun", "kampung", "nagari"})


def _squeezed(key):
    return key.replace(" ", "")


def _find(text, candidates, label):
    """The one candidate ``text`` names, by code, label or name (spaces not counted: "Kedung Reja" is
    Kedungreja); ``None`` when none does; ``AMBIGUOUS`` when it names more than one."""
    text = (text or "").strip()
    by_code = [found for found in candidates if found.code == text.replace(".", "")]
    if by_code:
        return by_code[0]
    key = _squeezed(name_key(text))
    if not key:
        return None
    by_label = [found for found in candidates if _squeezed(name_key(label(found))) == key]
    if len(by_label) == 1:
        return by_label[0]
    by_name = [found for found in candidates if _squeezed(name_key(found.name)) == key]
    if len(by_name) == 1:
        return by_name[0]
    return AMBIGUOUS if by_name else None


AMBIGUOUS = Area("", "", "", False, "")
"""What ``find_district`` and ``find_village`` return when the name is that of more than one place."""


def districts_in(regency_codes):
    """The districts in force of these regencies and cities, in code order."""
    return [found for regency in sorted(set(regency_codes)) for found in districts_of(regency)]


def find_district(text, regency_codes):
    """The district ``text`` names among the districts of ``regency_codes`` (see ``_find``)."""
    return _find(text, districts_in(regency_codes), lambda found: district_label(found.code))


def find_village(text, district_code):
    """The village ``text`` names among the villages of ``district_code`` (see ``_find``)."""
    return _find(text, villages_of(district_code), lambda found: found.name)


def district_label(code):
    """ "Kedungreja, Kabupaten Cilacap" for a district code; the code itself if the data does not name it."""
    district = area(code)
    if district is None:
        return code
    regency = area(district.parent)
    return f"{district.name}, {regency.name}" if regency else district.name
