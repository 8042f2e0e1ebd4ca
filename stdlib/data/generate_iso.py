#!/usr/bin/env python3
"""Regenerates iso3166.csv and iso4217.csv from Debian's iso-codes package.

The outputs are committed, so neither the build nor the engine ever reads /usr/share: run this
by hand after upgrading iso-codes (apt-get install iso-codes), then review the diff.

    python3 stdlib/data/generate_iso.py [ISO_CODES_JSON_DIR]
"""

import csv
import json
import pathlib
import sys

DEFAULT_SOURCE = pathlib.Path("/usr/share/iso-codes/json")
HERE = pathlib.Path(__file__).resolve().parent


def read_entries(path, key, code_field):
    """(code, name) pairs of one iso-codes JSON file, sorted by code."""
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)[key]
    rows = sorted((e[code_field], e["name"]) for e in entries)
    codes = [code for code, _ in rows]
    if len(set(codes)) != len(codes):
        sys.exit(f"{path}: duplicate codes")
    return rows


def write_csv(path, header, rows):
    # '\n' line ends and minimal quoting: the engine's CSV reader handles quoted fields, and
    # the file stays byte-identical whoever regenerates it.
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def main():
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    countries = read_entries(source / "iso_3166-1.json", "3166-1", "alpha_2")
    currencies = read_entries(source / "iso_4217.json", "4217", "alpha_3")
    write_csv(HERE / "iso3166.csv", ["alpha2", "name"], countries)
    write_csv(HERE / "iso4217.csv", ["alpha3", "name"], currencies)
    print(f"{len(countries)} countries, {len(currencies)} currencies")


if __name__ == "__main__":
    main()
