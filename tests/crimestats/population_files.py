"""Small files in the layout of the ONS mid-year population estimates by LSOA 2021.

Real Bexley LSOA 2021 codes, invented populations: each LSOA's total is its position in the
boundary file (counted from 1) times 10 plus the year's last digit, so a test can compute every
expected figure by hand. The age columns hold the total split between F0 and M0.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
if not DATA.exists():  # the project may sit elsewhere; the data folder is a sibling of it
    DATA = Path("/work/shared/data")
BEXLEY_GEO = DATA / "geo" / "bexley"
#: The shared best-fit lookup of Bexley's LSOAs 2021 to its 2025 wards (by centroid).
BESTFIT = BEXLEY_GEO / "bexley_lsoa21_to_ward_centroid_bestfit.csv"

AGES = [f"{sex}{age}" for sex in "FM" for age in range(91)]
HEADER = ["LAD 2021 Code", "LAD 2021 Name", "LSOA 2021 Code", "LSOA 2021 Name", "Total", *AGES]
TITLES = [
    [
        "Mid-{year} population estimates for 2021 Lower layer Super Output Areas in England and Wales"
    ],
    ["This worksheet contains one table."],
    ["Source: Office for National Statistics"],
]


def bexley_lsoas() -> list[tuple[str, str]]:
    """(code, name) of Bexley's 148 LSOAs 2021, in the boundary file's order."""
    data = json.loads((BEXLEY_GEO / "bexley_lsoa21.geojson").read_text())
    return [(f["properties"]["LSOA21CD"], f["properties"]["LSOA21NM"]) for f in data["features"]]


def ward_of_lsoa() -> dict[str, str]:
    """Independent check: each LSOA's ward from the shared best-fit lookup file."""
    with BESTFIT.open(encoding="utf-8-sig", newline="") as fh:
        return {row["LSOA21CD"]: row["WD25CD"] for row in csv.DictReader(fh)}


def invented_population(position: int, year: int) -> int:
    """The population the files give the LSOA at POSITION (from 1) in YEAR."""
    return position * 10 + year % 10


def table(year: int, lsoas: list[tuple[str, str]] | None = None) -> list[list[object]]:
    """The header and one row per LSOA, totals as whole numbers."""
    rows: list[list[object]] = [list(HEADER)]
    for position, (code, name) in enumerate(lsoas or bexley_lsoas(), start=1):
        total = invented_population(position, year)
        ages = [0] * len(AGES)
        ages[0], ages[91] = total // 2, total - total // 2
        rows.append(["E09000004", "Bexley", code, name, total, *ages])
    return rows


def write_csv(
    path: Path, rows: list[list[object]], *, titles: bool = True, year: int = 2022
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        if titles:
            for title in TITLES:
                writer.writerow([title[0].format(year=year)])
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    rows: list[list[object]],
    *,
    year: int = 2022,
    sheet: str = "",
    more: dict[int, list[list[object]]] | None = None,
) -> Path:
    """A workbook like the ONS one: a cover sheet, then each year's table under its title rows
    on a sheet of its own (MORE gives further years' tables)."""
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover sheet"
    cover.append(["Population estimates by LSOA 2021"])
    for each_year, each_rows, name in [
        (year, rows, sheet),
        *((y, r, "") for y, r in (more or {}).items()),
    ]:
        data = book.create_sheet(name or f"Mid-{each_year} LSOA 2021")
        for title in TITLES:
            data.append([title[0].format(year=each_year)])
        for row in each_rows:
            data.append(row)
    book.save(path)
    return path
