#!/usr/bin/env python3
"""Writes the two embedded places tables from US Census files.

Every input is a US Census Bureau file (public domain, a work of the US
government); columns are read by their header names, in any case and any
order, so a file with its columns in another order (or with more columns)
reads the same.

    python3 data/places/generate.py ZCTA_FILE REL_FILE COUSUB_FILE

ZCTA_FILE: a national ZCTA Gazetteer file, tab-separated (`GEOID`,
`INTPTLAT`, `INTPTLONG`), e.g. `Gaz_zcta_national.txt` (2010 delineation)
or `2020_Gaz_zcta_national.txt`. Every ZCTA is kept.

REL_FILE: the Census ZCTA-to-county relationship file of the same
delineation, comma-separated (`ZCTA5`, `STATE` (FIPS code), `ZPOPPCT`,
`ZAREALANDPCT`), e.g. `zcta_county_rel_10.txt`. It gives each ZCTA its
state: the state holding most of the ZCTA's population, and where no
state holds any (a ZCTA with no residents), most of its land area. A ZCTA
the relationship file does not list stops the script.

COUSUB_FILE: a county-subdivision Gazetteer file (`USPS`, `NAME`,
`INTPTLAT`, `INTPTLONG`), e.g. `2023_gaz_cousubs_25.txt` (Massachusetts).
Massachusetts rows are kept, except "County subdivisions not defined" (water).

Writes data/places/zcta.bin and data/places/ma_towns.tsv.

zcta.bin (all integers little-endian):

    header   b"ZCTA", version (u8, 1), state count N (u8),
             N two-letter USPS state codes (2N ASCII bytes)
    records  one per ZCTA, sorted by ZIP code, 12 bytes each:
             u32  ZIP code * 64 + the index of its state in the header's list
             i32  latitude of the internal point, millionths of a degree
             i32  longitude of the internal point, millionths of a degree

Fixed-width records sorted by ZIP code are searched in place (binary search
on the embedded bytes), so the library reads nothing before a lookup.
Millionths of a degree are the Gazetteer's own six decimals.
"""

import collections
import csv
import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent

# State FIPS codes to USPS codes: the 50 states, DC and Puerto Rico (the
# areas 2010 ZCTAs cover), as the Census Bureau's ANSI/FIPS state code
# list gives them.
FIPS = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO",
    "09": "CT", "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI",
    "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH",
    "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP",
    "72": "PR", "78": "VI",
}


def rows(path, delimiter):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = [h.strip().upper() for h in next(reader)]
        for r in reader:
            if r and any(c.strip() for c in r):
                yield {h: c.strip() for h, c in zip(header, r)}


def states(path):
    """Each ZCTA's state: most population, then most land area."""
    share = collections.defaultdict(lambda: collections.defaultdict(lambda: [0.0, 0.0]))
    for r in rows(path, ","):
        z = r["ZCTA5"].zfill(5)
        s = share[z][FIPS[r["STATE"].zfill(2)]]
        s[0] += float(r["ZPOPPCT"] or 0)
        s[1] += float(r["ZAREALANDPCT"] or 0)
    out, split = {}, 0
    for z, by_state in share.items():
        # Ties (never seen) go to the first state code in order.
        out[z] = max(sorted(by_state), key=lambda s: tuple(by_state[s]))
        split += len(by_state) > 1
    return out, split


def micro(degrees):
    return round(float(degrees) * 1_000_000)


def zcta(path, rel, out):
    state_of, split = states(rel)
    kept = []
    for r in rows(path, "\t"):
        z = r["GEOID"]
        if not (len(z) == 5 and z.isdigit()):
            sys.exit(f"{path}: GEOID {z!r} is not a ZCTA")
        if z not in state_of:
            sys.exit(f"{rel}: no row for ZCTA {z}")
        kept.append((z, state_of[z], micro(r["INTPTLAT"]), micro(r["INTPTLONG"])))
    kept.sort()
    codes = sorted({s for _, s, _, _ in kept})
    index = {s: i for i, s in enumerate(codes)}
    assert len(codes) < 64
    data = bytearray(b"ZCTA" + bytes([1, len(codes)]) + "".join(codes).encode("ascii"))
    for z, s, lat, lon in kept:
        data += struct.pack("<Iii", int(z) * 64 + index[s], lat, lon)
    out.write_bytes(bytes(data))
    return len(kept), len(codes), split, len(data)


def towns(path, out):
    kept = []
    for r in rows(path, "\t"):
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
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    n, s, split, size = zcta(sys.argv[1], sys.argv[2], HERE / "zcta.bin")
    t = towns(sys.argv[3], HERE / "ma_towns.tsv")
    print(f"{n} ZCTAs in {s} states ({split} ZCTAs cross a state line), {size} bytes; {t} towns")


if __name__ == "__main__":
    main()
