"""Measures as data: the versioned ``measures.yaml`` mapping each measure to source categories."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from crimestats.config import PACKAGE_DATA
from crimestats.selectors import matches

#: The order in which sources are tried for a measure: the MPS's own data first.
SOURCES: tuple[str, ...] = ("mps_2023", "mps_pre2023", "dashboard", "police_uk")


@dataclass(frozen=True)
class Measure:
    """One measure: an id, a label and its category selectors per source."""

    id: str
    label: str
    selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: str = ""

    def sources(self) -> list[str]:
        """Sources that can build this measure, in preference order."""
        return [s for s in SOURCES if self.selectors.get(s)]

    def categories_in(self, source: str, available: list[str]) -> list[str]:
        """The categories from ``available`` that this measure sums for ``source``.

        >>> m = Measure("x", "X", {"mps_2023": ("THEFT/*",)})
        >>> m.categories_in("mps_2023", ["THEFT/SHOPLIFTING", "ROBBERY/ROBBERY OF BUSINESS PROPERTY"])
        ['THEFT/SHOPLIFTING']
        """
        sels = self.selectors.get(source, ())
        return [c for c in available if any(matches(s, c) for s in sels)]


@dataclass(frozen=True)
class MeasureSet:
    """All measures from one file, with the file's version."""

    version: int
    measures: dict[str, Measure]

    def __getitem__(self, measure_id: str) -> Measure:
        try:
            return self.measures[measure_id]
        except KeyError:
            known = ", ".join(self.measures)
            raise KeyError(f"unknown measure {measure_id!r}; known: {known}") from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.measures.values())


def default_measures_path() -> Path:
    """``$CSPHUB_MEASURES`` if set, else the file shipped with the package."""
    return Path(os.environ.get("CSPHUB_MEASURES") or PACKAGE_DATA / "measures.yaml")


def load_measures(path: Path | None = None) -> MeasureSet:
    """Read and check a measures file (``$CSPHUB_MEASURES`` or the shipped one by default).

    Remembered by the file's resolved path, modification time and size, so pointing
    ``CSPHUB_MEASURES`` elsewhere, or editing the file, is picked up on the next call.

    >>> ms = load_measures()
    >>> ms["serious_violence"].sources()
    ['mps_2023', 'mps_pre2023']
    """
    resolved = (path or default_measures_path()).resolve()
    stat = resolved.stat()
    return _read_measures(resolved, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read_measures(path: Path, mtime_ns: int, size: int) -> MeasureSet:
    """The parsed file; MTIME_NS and SIZE are only part of the cache key."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    measures: dict[str, Measure] = {}
    for mid, spec in raw["measures"].items():
        unknown = set(spec) - {"label", "notes", *SOURCES}
        if unknown:
            raise ValueError(f"measure {mid}: unknown keys {sorted(unknown)}")
        selectors = {s: tuple(spec[s]) for s in SOURCES if spec.get(s)}
        if not selectors:
            raise ValueError(f"measure {mid}: no source categories")
        measures[mid] = Measure(mid, spec["label"], selectors, (spec.get("notes") or "").strip())
    return MeasureSet(int(raw["version"]), measures)
