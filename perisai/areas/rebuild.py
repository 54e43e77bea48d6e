"""Rebuild ``kemendagri.csv.gz`` (provinces, regencies, districts) and ``villages.csv.gz`` from releases of
the npm package ``idn-area-data``.

    npm pack idn-area-data@4.0.1 idn-area-data@2.2.0   # then unpack each into its own folder
    python -m perisai.areas.rebuild NEWEST_PACKAGE_DIR [OLDER_PACKAGE_DIR ...]

The newest release gives the codes in force; a code found only in an older release is kept, marked
retired (a NIK issued before a split keeps its old code), with its successor where the same district
name lives on in the regency that took over the old regency's name. Run by hand when Kemendagri
publishes new codes; record the release and date in ``SOURCE.md``.
"""

import csv
import gzip
import sys
from pathlib import Path

OUT = Path(__file__).with_name("kemendagri.csv.gz")
VILLAGES = Path(__file__).with_name("villages.csv.gz")


def _read(folder, level):
    with open(Path(folder) / "data" / f"{level}.csv", encoding="utf-8", newline="") as file:
        return [{key: (value or "").replace(".", "") if key.endswith("code") else value for key, value in row.items()}
                for row in csv.DictReader(file)]  # fmt: skip


def _key(name):
    return " ".join(name.upper().replace("KABUPATEN ", "").replace("KOTA ", "KOTA ").split())


def rebuild(newest, *older):
    rows = {}
    for province in _read(newest, "provinces"):
        rows[province["code"]] = (province["name"], "", "", "")
    regency_by_name = {}
    for regency in _read(newest, "regencies"):
        rows[regency["code"]] = (regency["name"], regency["province_code"], "", "")
        regency_by_name[_key(regency["name"])] = regency["code"]
    district_by_name = {}
    for district in _read(newest, "districts"):
        rows[district["code"]] = (district["name"], district["regency_code"], "", "")
        district_by_name[(district["regency_code"], _key(district["name"]))] = district["code"]
    for folder in older:
        old_regencies = {regency["code"]: regency["name"] for regency in _read(folder, "regencies")}
        for regency_code, name in old_regencies.items():
            if regency_code not in rows:
                successor = regency_by_name.get(_key(name), "")
                rows[regency_code] = (name.title(), regency_code[:2], "retired", successor)
        for district in _read(folder, "districts"):
            if district["code"] in rows:
                continue
            regency = district["regency_code"]
            successor = district_by_name.get((rows[regency][3] or regency, _key(district["name"])), "")
            rows[district["code"]] = (district["name"].title(), regency, "retired", successor)
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["code", "name", "parent", "retired", "successor"])
        for code in sorted(rows, key=lambda code: (len(code), code)):
            writer.writerow([code, *rows[code]])
    # Villages (desa/kelurahan) in force only: a village's code is not part of a NIK, so a retired one has
    # nothing to accept; its district is its code's first six digits, so no parent column.
    villages = sorted((village["code"], village["name"]) for village in _read(newest, "villages"))
    with gzip.open(VILLAGES, "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["code", "name"])
        writer.writerows(villages)
    return len(rows) + len(villages)


if __name__ == "__main__":
    print(rebuild(*sys.argv[1:]), "codes written to", OUT)
