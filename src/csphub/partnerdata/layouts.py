"""Each layout of partner extract turned into counts by month, area and measure.

The column mapping is data (``layouts.yaml``, or a supplier's own mapping file with the same
keys); every value is checked, and the first bad one refuses the whole file with its row and
reason, so a file is imported whole or not at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from csphub.partnerdata.choices import MEASURES, Layout
from csphub.partnerdata.errors import ExtractRefused
from csphub.partnerdata.reading import read_rows

LAYOUTS_FILE = Path(__file__).with_name("layouts.yaml")
AREA_CODE = re.compile(r"^[EW]\d{8}$")
UNDER_25 = "_under_25"
#: The most a single cell may hold: larger is a mistake in the file, not a count.
MAX_COUNT = 1_000_000
ISTV_MEASURES = (
    "ae_assault_attendances",
    "ae_assault_attendances_under_25",
    "ae_sharp_object_attendances",
    "ae_sharp_object_attendances_under_25",
    "ae_assault_attendances_timed",
    "ae_assault_attendances_night",
)
#: The night-time economy's hours, as the ISTV time of the incident falls in them.
NIGHT_FROM, NIGHT_UNTIL = 22, 6

Cell = tuple[date, str, str]  # month, area code, measure


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, Any]]:
    """The shipped layouts (``layouts.yaml``)."""
    data = yaml.safe_load(LAYOUTS_FILE.read_text(encoding="utf-8"))
    return data["layouts"]  # type: ignore[no-any-return]


def mapping_for(layout: str, override: dict[str, Any] | None = None) -> dict[str, Any]:
    """LAYOUT's mapping, with a supplier's OVERRIDE of its columns or value lists applied."""
    base = dict(layouts()[layout])
    for key, value in (override or {}).items():
        if key not in base:
            raise ValueError(f"a {layout} mapping has no key {key!r}; it has {sorted(base)}")
        if key == "columns":
            unknown = set(value) - set(base["columns"])
            if unknown:
                raise ValueError(f"a {layout} mapping has no column {sorted(unknown)[0]!r}")
            value = {**base["columns"], **value}
        base[key] = value
    return base


@dataclass(frozen=True)
class Parsed:
    """What a file holds once read: its counts, and how many rows it had."""

    counts: dict[Cell, int]
    rows: int


def parse(
    layout: str, file_name: str, data: bytes, mapping: dict[str, Any], area_code: str = ""
) -> Parsed:
    """Read DATA (CSV or xlsx) in LAYOUT with MAPPING; AREA_CODE is the area an ISTV file is
    for (its records carry free-text locations, which are not stored)."""
    if layout == Layout.COUNTS:
        return _counts(file_name, data, mapping)
    if layout == Layout.ISTV:
        if not AREA_CODE.match(area_code):
            raise ExtractRefused(file_name, None, None, "an ISTV extract needs the area's GSS code")
        return _istv(file_name, data, mapping, area_code)
    raise ExtractRefused(file_name, None, None, f"there is no layout {layout!r}")


def _month(file_name: str, row: int, column: str, text: str) -> date:
    for pattern in ("%Y-%m", "%Y-%m-%d", "%d/%m/%Y", "%Y%m"):
        try:
            return datetime.strptime(text, pattern).date().replace(day=1)  # noqa: DTZ007
        except ValueError:
            continue
    raise ExtractRefused(file_name, row, column, f"“{text}” is not a month (use YYYY-MM)")


def _day(file_name: str, row: int, column: str, text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ExtractRefused(file_name, row, column, f"“{text}” is not a date (use YYYY-MM-DD)")


def _counts(file_name: str, data: bytes, mapping: dict[str, Any]) -> Parsed:
    columns: dict[str, str] = mapping["columns"]
    counts: dict[Cell, int] = {}
    rows = 0
    for number, cells in read_rows(file_name, data, columns):
        rows += 1
        month = _month(file_name, number, columns["month"], cells["month"])
        area = cells["area"].upper()
        if not AREA_CODE.match(area):
            raise ExtractRefused(
                file_name, number, columns["area"], f"“{cells['area']}” is not a GSS area code"
            )
        measure = cells["measure"].strip().lower()
        if measure not in MEASURES:
            raise ExtractRefused(
                file_name,
                number,
                columns["measure"],
                f"“{cells['measure']}” is not a known measure",
            )
        text = cells["count"].replace(",", "")
        if not text.isdigit() or int(text) > MAX_COUNT:
            raise ExtractRefused(
                file_name,
                number,
                columns["count"],
                f"“{cells['count']}” is not a whole number from 0 to {MAX_COUNT:,}",
            )
        key = (month, area, measure)
        if key in counts:
            raise ExtractRefused(
                file_name, number, None, f"{measure} for {area} in {month:%Y-%m} is given twice"
            )
        counts[key] = int(text)
    if not rows:
        raise ExtractRefused(file_name, None, None, "the file has a header but no rows")
    return Parsed(counts, rows)


def under_25(file_name: str, row: int, column: str, band: str) -> bool | None:
    """Whether an age band is under 25 (None: not known); a band across 25 is refused.

    >>> under_25("f.csv", 2, "Age band", "18-24"), under_25("f.csv", 2, "Age band", "65+")
    (True, False)
    >>> under_25("f.csv", 2, "Age band", "not known") is None
    True
    """
    text = band.strip().lower().replace("\u2013", "-").replace(" ", "")
    if text in ("", "notknown", "unknown", "notstated"):
        return None
    if m := re.fullmatch(r"(\d{1,3})-(\d{1,3})", text):
        low, high = int(m[1]), int(m[2])
        if low <= high:
            if high <= 24:
                return True
            if low >= 25:
                return False
            raise ExtractRefused(
                file_name, row, column, f"the age band “{band}” spans 25, so under 25 is unknown"
            )
    if m := re.fullmatch(r"(\d{1,3})\+", text):
        return False if int(m[1]) >= 25 else None
    raise ExtractRefused(file_name, row, column, f"“{band}” is not an age band such as 18-24")


def _istv(file_name: str, data: bytes, mapping: dict[str, Any], area: str) -> Parsed:
    columns: dict[str, str] = mapping["columns"]
    sharp = {w.lower() for w in mapping["sharp_weapons"]}
    sexes = {s.lower() for s in mapping["sexes"]}
    tally: Counter[Cell] = Counter()
    rows = 0
    for number, cells in read_rows(file_name, data, columns):
        rows += 1
        month = _day(file_name, number, columns["date"], cells["date"]).replace(day=1)
        if cells["time"] and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?", cells["time"]):
            raise ExtractRefused(
                file_name, number, columns["time"], f"“{cells['time']}” is not a time (HH:MM)"
            )
        if cells["sex"].lower() not in sexes:
            raise ExtractRefused(
                file_name, number, columns["sex"], f"“{cells['sex']}” is not one of {sorted(sexes)}"
            )
        if cells["time"]:
            tally[(month, area, "ae_assault_attendances_timed")] += 1
            hour = int(cells["time"][:2])
            if hour >= NIGHT_FROM or hour < NIGHT_UNTIL:
                tally[(month, area, "ae_assault_attendances_night")] += 1
        young = under_25(file_name, number, columns["age_band"], cells["age_band"])
        measures = ["ae_assault_attendances"]
        if cells["weapon"].strip().lower() in sharp:
            measures.append("ae_sharp_object_attendances")
        for measure in measures:
            tally[(month, area, measure)] += 1
            if young:
                tally[(month, area, measure + UNDER_25)] += 1
    if not rows:
        raise ExtractRefused(file_name, None, None, "the file has a header but no rows")
    # A month the file covers counts every ISTV measure, so a month with no knife assault
    # says 0 rather than leaving the measure looking unsupplied.
    for month in {m for m, _, _ in tally}:
        for measure in ISTV_MEASURES:
            tally.setdefault((month, area, measure), 0)
    return Parsed(dict(tally), rows)
