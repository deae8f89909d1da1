"""Which ward an LSOA falls in, from the best-fit lookup shipped in people/data/.

LSOAs do not nest in wards: the lookup places each LSOA's centroid in a ward, so a ward
worked out this way is approximate and pages label it so (see people/data/README.md).

>>> ward_for_lsoa("E01000325").name
'Barnehurst'
>>> ward_for_lsoa(" e01000353 ").code
'E05011219'
>>> ward_for_lsoa("E01000001") is None
True
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOOKUP_FILE = Path(__file__).parent / "data" / "bexley_lsoa21_to_ward_centroid_bestfit.csv"
APPROXIMATE_NOTE = "approximate: the ward holding the LSOA's centre"
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


@dataclass(frozen=True)
class Ward:
    """A ward (2025 boundaries) as the best-fit lookup gives it for an LSOA."""

    code: str
    name: str


def normalise_lsoa(code: str) -> str:
    return code.strip().upper()


def is_lsoa_code(code: str) -> bool:
    """An LSOA 2021 code looks like E01000353 (Wales: W01…)."""
    return bool(LSOA_CODE.match(normalise_lsoa(code)))


@cache
def _lookup() -> dict[str, Ward]:
    with LOOKUP_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            row["LSOA21CD"]: Ward(row["WD25CD"], row["WD25NM"]) for row in csv.DictReader(handle)
        }


def ward_for_lsoa(code: str) -> Ward | None:
    """The best-fit ward for an LSOA code, or None when the LSOA is not in the lookup."""
    return _lookup().get(normalise_lsoa(code)) if code else None


def lsoa_codes() -> list[str]:
    """Every LSOA the lookup covers (the borough's 148)."""
    return sorted(_lookup())
