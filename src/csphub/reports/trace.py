"""What makes a report traceable: sentences whose figures each link to an appendix entry, and
the appendix itself (source files with their SHA-256, periods, the measure's definition and
version, the computation and the suppression applied)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """One input a figure was computed from: a file (its name) or a set of records."""

    name: str
    sha256: str


@dataclass
class Entry:
    """One appendix entry: how a set of figures was made."""

    key: str
    title: str
    sources: list[Source]
    period: str
    definition: str
    computation: str
    suppression: str

    @property
    def anchor(self) -> str:
        return f"appendix-{self.key}"


@dataclass(frozen=True)
class Part:
    """Part of a sentence: plain text, or a figure with the appendix entry it comes from."""

    text: str
    entry: str = ""  # the entry's key; "" for words


@dataclass
class Sentence:
    """A sentence of parts, so the HTML links each figure and the text reads without links."""

    parts: list[Part] = field(default_factory=list)

    def say(self, text: str) -> Sentence:
        self.parts.append(Part(text))
        return self

    def figure(self, text: str, entry: Entry) -> Sentence:
        self.parts.append(Part(text, entry.key))
        return self

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts)

    @property
    def figures(self) -> list[str]:
        return [p.text for p in self.parts if p.entry]


class Appendix:
    """Entries numbered in the order the report first cites them."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(
        self,
        title: str,
        *,
        sources: list[Source],
        period: str,
        definition: str,
        computation: str,
        suppression: str,
    ) -> Entry:
        entry = Entry(
            f"a{len(self.entries) + 1}",
            title,
            sources,
            period,
            definition,
            computation,
            suppression,
        )
        self.entries.append(entry)
        return entry

    @property
    def inputs(self) -> list[dict[str, str]]:
        """Every source any entry names, once each, sorted: what the build read."""
        seen = {(s.name, s.sha256) for e in self.entries for s in e.sources}
        return [{"name": n, "sha256": h} for n, h in sorted(seen)]


def records_source(name: str, figures: Any) -> Source:
    """A set of records, identified by the SHA-256 of the figures taken from them (canonical
    JSON), so a later build from changed records shows a different hash."""
    body = json.dumps(figures, sort_keys=True, default=str, separators=(",", ":"))
    return Source(name, hashlib.sha256(body.encode()).hexdigest())


def file_source(name: str, content: bytes) -> Source:
    return Source(name, hashlib.sha256(content).hexdigest())
