"""Matching the free-text kecamatan and desa recorded before places were codes (6 December 2026), frozen:
the district and village names of that day (``_places_2026_12_06.csv.gz``: Kemendagri codes from
``idn-area-data`` 4.0.1, districts in force and retired, villages in force; ODbL 1.0, see
perisai/areas/SOURCE.md) and the rule that reads a typed name.

A row's kecamatan is looked for among the districts of the regency its NIK was issued in and of its
branch's regencies; it is matched only when exactly one district there has that name (spaces, case,
punctuation and a leading "Kec."/"Kecamatan" not counted), and its desa only when exactly one village of
that district has it. What is not matched keeps its text and an empty code; the migration prints how many
rows and which names, and the pages list such rows for staff to choose the place again.

A branch's regencies, which did not exist before, are filled here with every regency where at least a tenth
of the branch's participants and agents have their NIK's district (staff change them in the admin).

Migrations are history: never edit this file; a later change is a new migration with its own copy.
Django's migration loader skips modules whose names begin with an underscore, so this is not a migration.
"""

import csv
import functools
import gzip
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).with_name("_places_2026_12_06.csv.gz")
PREFIXES = frozenset({"kec", "kecamatan", "distrik", "desa", "kel", "kelurahan", "ds", "dusun", "kampung", "nagari"})


def key(text):
    words = "".join(char if char.isalnum() else " " for char in (text or "").lower()).split()
    while len(words) > 1 and words[0] in PREFIXES:
        words = words[1:]
    return "".join(words)


@functools.cache
def places():
    """``(districts by regency, villages by district, name by code)``; each list of ``(key, code)``."""
    districts, villages, names = defaultdict(list), defaultdict(list), {}
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            code, name = row["code"], row["name"]
            names[code] = name
            (districts[code[:4]] if len(code) == 6 else villages[code[:6]]).append((key(name), code))
    return districts, villages, names


def one(candidates, text):
    wanted = key(text)
    found = {code for name, code in candidates if name == wanted}
    return found.pop() if len(found) == 1 else None


def match(kecamatan, desa, regencies):
    """``(district code, its name, village code, its name)`` among the districts of ``regencies``; ``None``
    when the kecamatan is not matched; the village's ``("", None)`` when the desa typed is not matched."""
    districts, villages, names = places()
    district = one([pair for regency in sorted(regencies) for pair in districts.get(regency, ())], kecamatan)
    if district is None:
        return None
    if not (desa or "").strip():
        return district, names[district], "", ""
    village = one(villages.get(district, ()), desa)
    if village is None:
        return district, names[district], "", None
    return district, names[district], village, names[village]


def branch_regencies(apps):
    """``{branch id: {regency, ...}}``: the regencies holding at least a tenth of the branch's people's NIKs."""
    counts = defaultdict(Counter)
    for model in (apps.get_model("agents", "Agent"), apps.get_model("enrollment", "Participant")):
        for branch_id, nik in model.objects.values_list("branch_id", "nik").iterator():
            counts[branch_id][nik[:4]] += 1
    districts = places()[0]
    return {
        branch_id: {
            regency
            for regency, count in counter.items()
            if count * 10 >= sum(counter.values()) and regency in districts
        }
        for branch_id, counter in counts.items()
    }


def match_rows(model, regencies_by_branch, *, branch_path="branch_id"):
    """Match every uncoded row of ``model``; ``(matched, [(kecamatan, desa) not matched])``."""
    matched, unmatched, changed = 0, [], []
    rows = model.objects.filter(district="").exclude(kecamatan="")
    for row in rows.iterator():
        regencies = {row.nik[:4], *regencies_by_branch.get(getattr(row, branch_path), ())}
        found = match(row.kecamatan, row.desa, regencies)
        if found is None:
            unmatched.append((row.kecamatan, row.desa))
            continue
        district, kecamatan, village, desa = found
        if desa is None:  # the kecamatan is known, the desa typed is not one of its villages: keep the text
            row.district, row.kecamatan = district, kecamatan
            unmatched.append((row.kecamatan, row.desa))
        else:
            row.district, row.kecamatan, row.village, row.desa = district, kecamatan, village, desa
            matched += 1
        changed.append(row)
        if len(changed) >= 1000:
            model.objects.bulk_update(changed, ["district", "kecamatan", "village", "desa"])
            changed = []
    model.objects.bulk_update(changed, ["district", "kecamatan", "village", "desa"])
    return matched, unmatched


def report(label, matched, unmatched):
    """A line per table, and the names not matched with how many rows hold each (most first)."""
    print(f"\n  {label}: {matched} matched to codes, {len(unmatched)} not (or only their kecamatan)")
    for (kecamatan, desa), count in Counter(unmatched).most_common(20):
        print(f"    {count:>6}  {kecamatan!r} / {desa!r}")
