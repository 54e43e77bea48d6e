"""Indonesia's administrative areas by their official Kemendagri codes: provinces, regencies and cities,
districts (kecamatan). What the first six digits of a NIK may be.

The codes come from ``kemendagri.csv.gz`` beside this module (its source, release and date:
``SOURCE.md``; rebuilt by ``rebuild.py``). Codes are written without dots, as a NIK holds them: "33"
Jawa Tengah, "3301" Kabupaten Cilacap, "330101" Kedungreja.

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
        return {2: "province", 4: "regency", 6: "district"}[len(self.code)]


@functools.cache
def _areas():
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as file:
        return {
            row["code"]: Area(row["code"], row["name"], row["parent"], row["retired"] == "retired", row["successor"])
            for row in csv.DictReader(file)
        }


def area(code):
    """The ``Area`` with this code (2, 4 or 6 digits, no dots), or ``None``."""
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


def district_label(code):
    """ "Kedungreja, Kabupaten Cilacap" for a district code; the code itself if the data does not name it."""
    district = area(code)
    if district is None:
        return code
    regency = area(district.parent)
    return f"{district.name}, {regency.name}" if regency else district.name
