"""Known breaks in the data, and which of them a comparison or a chart crosses.

The breaks are a versioned data file (``data/caveats.yaml``, or ``$CSPHUB_CAVEATS``), so a
partnership adds one by editing it. The figures page, its CSV, the CLI's JSON (``caveats``)
and the charts (a marked line) all ask here; when none applies, a page may say so plainly:

>>> from crimestats.periods import calendar_year
>>> [c.id for c in caveats_for([calendar_year(2022), calendar_year(2023)], {"mps_2023"})]
[]
>>> [c.id for c in caveats_for([calendar_year(2023), calendar_year(2024)], {"mps_2023"})]
['mps_connect']
>>> [c.id for c in caveats_for([calendar_year(2020), calendar_year(2021)], {"mps_2023"})]
['covid_restrictions']
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from crimestats.config import PACKAGE_DATA
from crimestats.measures import SOURCES
from crimestats.periods import Period, parse_month

KINDS = ("window", "change", "always")


@dataclass(frozen=True)
class Caveat:
    """One known break: when, which sources, and the sentence to show."""

    id: str
    kind: str
    title: str
    text: str
    sources: frozenset[str]  #: empty: every source
    start: date | None = None  #: first month of a window, or the month of a change
    end: date | None = None  #: last month of a window

    def affects_source(self, sources: Collection[str]) -> bool:
        """Whether any of SOURCES is one this break applies to."""
        return not self.sources or bool(self.sources & set(sources))

    def crossed_by(self, periods: Sequence[Period]) -> bool:
        """Whether comparing PERIODS (earliest first) crosses this break."""
        if self.kind == "always":
            return True
        if not periods:
            return False
        if self.kind == "window":
            assert self.start and self.end
            return any(p.start <= self.end and p.end >= self.start for p in periods)
        assert self.start
        ordered = sorted(periods, key=lambda p: p.start)
        earlier, later = ordered[0], ordered[-1]
        return earlier.start < self.start <= later.end

    def to_json(self) -> dict[str, object]:
        """As the figures JSON carries it."""
        return {"id": self.id, "title": self.title, "text": self.text}


@dataclass(frozen=True)
class CaveatList:
    """The file's caveats and its version."""

    version: int
    caveats: tuple[Caveat, ...]


def default_caveats_path() -> Path:
    """``$CSPHUB_CAVEATS`` if set, else the file shipped with the package."""
    return Path(os.environ.get("CSPHUB_CAVEATS") or PACKAGE_DATA / "caveats.yaml")


def load_caveats(path: Path | None = None) -> CaveatList:
    """Read and check the caveats file; an edit is picked up on the next call."""
    resolved = (path or default_caveats_path()).resolve()
    stat = resolved.stat()
    return _read(resolved, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int, size: int) -> CaveatList:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw.get("version"), int) or not isinstance(raw.get("caveats"), dict):
        raise ValueError(f"{path}: needs a whole-number 'version' and a 'caveats' mapping")
    out = []
    for cid, spec in raw["caveats"].items():
        out.append(_caveat(path, str(cid), spec or {}))
    return CaveatList(raw["version"], tuple(out))


def _caveat(path: Path, cid: str, spec: dict[str, object]) -> Caveat:
    where = f"{path}: caveat {cid}"
    unknown = set(spec) - {"kind", "from", "to", "month", "sources", "title", "text"}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}")
    for key in ("title", "text"):
        if not str(spec.get(key) or "").strip():
            raise ValueError(f"{where}: '{key}' is required")
    sources = frozenset(str(s) for s in spec.get("sources") or ())  # type: ignore[attr-defined]
    if sources - set(SOURCES):
        raise ValueError(f"{where}: unknown sources {sorted(sources - set(SOURCES))}")
    start = end = None
    try:
        if kind == "window":
            start, end = _month(spec.get("from")), _month(spec.get("to"))
            if end < start:
                raise ValueError("'to' is before 'from'")
        elif kind == "change":
            start = _month(spec.get("month"))
        elif not sources:
            raise ValueError("an 'always' caveat must name its sources")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    return Caveat(
        cid, str(kind), str(spec["title"]).strip(), str(spec["text"]).strip(), sources, start, end
    )


def _month(value: object) -> date:
    if value is None:
        raise ValueError("a month (YYYY-MM) is required")
    return parse_month(str(value))


def caveats_for(
    periods: Sequence[Period], sources: Collection[str], *, path: Path | None = None
) -> list[Caveat]:
    """The breaks a comparison of PERIODS built from SOURCES crosses, in file order."""
    return [
        c for c in load_caveats(path).caveats if c.affects_source(sources) and c.crossed_by(periods)
    ]


def chart_marks(
    span: Period, sources: Collection[str], *, path: Path | None = None
) -> list[Caveat]:
    """Breaks to draw on a chart of the months in SPAN: changes on a month inside it, windows
    overlapping it (an "always" caveat is said in words, not drawn)."""
    return [
        c
        for c in load_caveats(path).caveats
        if c.kind != "always" and c.affects_source(sources) and c.crossed_by([span])
    ]


def no_caveat_sentence(current: Period, previous: Period) -> str:
    """What a report may say when no known break applies.

    >>> from crimestats.periods import calendar_year
    >>> no_caveat_sentence(calendar_year(2023), calendar_year(2022))
    'No known break in recording affects the comparison of 2023 with 2022, so it carries no caveat.'
    """
    return (
        f"No known break in recording affects the comparison of {current.label} with "
        f"{previous.label}, so it carries no caveat."
    )
