"""The decision tests' wording in force on a date, from a versioned reference file.

The Reasonable Grounds test's wording changed on 30 January 2023 (the Nationality and Borders
Act 2022) and again on 10 July 2023; the Conclusive Grounds test (balance of probabilities) has
kept one. The form shows the wording in force on the decision date and the decision stores it,
so a decision keeps the words its panel applied. A new version is a new entry in
`data/test_wording.json`, never an edit of an old one.

>>> from datetime import date
>>> in_force("rg", date(2023, 3, 1)).version
'RG-2023-01'
>>> in_force("rg", date(2023, 7, 10)).version
'RG-2023-07'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

FILE = Path(__file__).parent / "data" / "test_wording.json"


@dataclass(frozen=True)
class Wording:
    kind: str
    version: str
    in_force_from: date
    wording: str


@cache
def versions() -> tuple[Wording, ...]:
    """Every version in the file, oldest first."""
    data = json.loads(FILE.read_text(encoding="utf-8"))
    found = [
        Wording(v["kind"], v["version"], date.fromisoformat(v["in_force_from"]), v["wording"])
        for v in data["versions"]
    ]
    return tuple(sorted(found, key=lambda w: (w.kind, w.in_force_from)))


def in_force(kind: str, on: date) -> Wording:
    """The wording of test KIND ("rg" or "cg") in force on ON: the latest that began by then."""
    current = [w for w in versions() if w.kind == kind and w.in_force_from <= on]
    if not current:
        raise LookupError(f"No {kind} test wording in force on {on:%d %B %Y}")
    return current[-1]
