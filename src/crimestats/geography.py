"""Geography as data: boroughs, the 12 MPS Basic Command Units and London.

LSOA and ward boundaries are imported into the warehouse (see :mod:`crimestats.boundaries`);
the borough -> BCU -> London hierarchy ships with the package in ``data/bcus.csv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from crimestats.config import PACKAGE_DATA

LONDON_CODE = "E12000007"
LONDON_NAME = "London"

#: MPS rows that are not London boroughs, given stable pseudo-codes so they can be stored.
NON_BOROUGH_AREAS = {
    "london heathrow and london city airports": "MPS-AIRPORTS",
    "aviation security (so18)": "MPS-AIRPORTS",
    "unknown": "MPS-UNKNOWN",
}

_LSOA_NAME_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")


@dataclass(frozen=True)
class Area:
    """A named area with its GSS (or MPS) code and level: borough, bcu or london."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Geography:
    """Boroughs and BCUs, looked up by name or code."""

    boroughs: tuple[Area, ...]
    bcu_of_borough: dict[str, Area]

    def resolve(self, name_or_code: str) -> Area:
        """Find an area by GSS code, BCU code or name (case-insensitive).

        >>> geo = load_geography()
        >>> geo.resolve("bexley")
        Area(code='E09000004', name='Bexley', level='borough')
        >>> geo.resolve("E09000004").name
        'Bexley'
        >>> geo.bcu(geo.resolve("Bexley")).name
        'South East'
        """
        key = name_or_code.strip().lower()
        for area in (*self.boroughs, *self.bcus(), self.london()):
            if key in (area.code.lower(), area.name.lower()):
                return area
        raise LookupError(f"unknown area {name_or_code!r}: give a London borough name or GSS code")

    def borough_code(self, name: str) -> str | None:
        """The GSS code for a borough name as the MPS writes it, or a pseudo-code for non-boroughs."""
        key = name.strip().lower()
        for b in self.boroughs:
            if b.name.lower() == key:
                return b.code
        return NON_BOROUGH_AREAS.get(key)

    def bcus(self) -> list[Area]:
        """The BCUs, each once, in file order."""
        return list(dict.fromkeys(self.bcu_of_borough.values()))

    def bcu(self, borough: Area) -> Area:
        """The BCU a borough belongs to."""
        return self.bcu_of_borough[borough.code]

    def boroughs_in(self, area: Area) -> list[Area]:
        """The boroughs that make up a borough, a BCU or London."""
        if area.level == "borough":
            return [area]
        if area.level == "bcu":
            return [b for b in self.boroughs if self.bcu_of_borough[b.code] == area]
        return list(self.boroughs)

    @staticmethod
    def london() -> Area:
        """London as the 32 MPS boroughs (the City of London has its own police force)."""
        return Area(LONDON_CODE, LONDON_NAME, "london")


def borough_from_lsoa_name(lsoa_name: str) -> str:
    """The local authority in an LSOA name, as police.uk and ONS write it.

    >>> borough_from_lsoa_name("Bexley 014A")
    'Bexley'
    """
    return _LSOA_NAME_SUFFIX.sub("", lsoa_name.strip())


@cache
def load_geography() -> Geography:
    """Read the shipped borough -> BCU file."""
    boroughs: list[Area] = []
    bcu_of: dict[str, Area] = {}
    with (PACKAGE_DATA / "bcus.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            borough = Area(row["borough_code"], row["borough_name"], "borough")
            boroughs.append(borough)
            bcu_of[borough.code] = Area(row["bcu_code"], row["bcu_name"], "bcu")
    return Geography(tuple(boroughs), bcu_of)
