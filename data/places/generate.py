#!/usr/bin/env python3
"""Writes the two embedded places tables from US Census Gazetteer files.

Both inputs are US Census Bureau Gazetteer files (public domain, works of the
US government); the columns are read by their header names, so a file with
its columns in another order (or with fewer columns) reads the same.

    python3 data/places/generate.py ZCTA_FILE COUSUB_FILE

ZCTA_FILE: a ZCTA Gazetteer file (`GEOID`, `INTPTLAT`, `INTPTLONG`), e.g.
`2020_Gaz_zcta_national.txt`. Rows whose first three digits are 010 to 069
(New England: MA, RI, NH, ME, VT, CT) are kept.

COUSUB_FILE: a county-subdivision Gazetteer file (`USPS`, `NAME`,
`INTPTLAT`, `INTPTLONG`), e.g. `2023_gaz_cousubs_25.txt` (Massachusetts).
Massachusetts rows are kept, except "County subdivisions not defined" (water).

Writes data/places/zcta_new_england.tsv and data/places/ma_towns.tsv.
"""

import csv
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = [h.strip() for h in next(reader)]
        for r in reader:
            if r and any(c.strip() for c in r):
                yield {h: c.strip() for h, c in zip(header, r)}


def zcta(path, out):
    kept = []
    for r in rows(path):
        z = r["GEOID"]
        if len(z) == 5 and z.isdigit() and 10 <= int(z[:3]) <= 69:
            kept.append((z, float(r["INTPTLAT"]), float(r["INTPTLONG"])))
    kept.sort()
    with open(out, "w", encoding="utf-8") as f:
        f.write("# US Census Bureau Gazetteer, ZCTA internal points (public domain).\n")
        f.write("# New England ZCTAs (010xx-069xx); written by data/places/generate.py.\n")
        f.write("# zcta\tlatitude\tlongitude\n")
        for z, lat, lon in kept:
            f.write(f"{z}\t{lat:.6f}\t{lon:.6f}\n")
    return len(kept)


def towns(path, out):
    kept = []
    for r in rows(path):
        if r["USPS"] != "MA" or r["NAME"].startswith("County subdivisions not defined"):
            continue
        kept.append((r["NAME"], float(r["INTPTLAT"]), float(r["INTPTLONG"])))
    kept.sort()
    with open(out, "w", encoding="utf-8") as f:
        f.write("# US Census Bureau Gazetteer, Massachusetts county subdivisions\n")
        f.write("# (cities and towns), internal points (public domain).\n")
        f.write("# Written by data/places/generate.py; the name is the Census NAME.\n")
        f.write("# name\tlatitude\tlongitude\n")
        for name, lat, lon in kept:
            f.write(f"{name}\t{lat:.6f}\t{lon:.6f}\n")
    return len(kept)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = zcta(sys.argv[1], HERE / "zcta_new_england.tsv")
    t = towns(sys.argv[2], HERE / "ma_towns.tsv")
    print(f"{n} ZCTAs, {t} towns")


if __name__ == "__main__":
    main()
