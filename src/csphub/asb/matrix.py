"""The victim risk assessment matrix, read from data (data/risk_matrix.json).

Each question asks about the harm the behaviour does to the victim; a "yes" scores the
question's weight. The total decides the band through the thresholds (the highest band whose
`from_total` the total reaches), and a question marked `high_on_yes` makes the risk high
whatever the total (a victim thinking of harming themselves is never "standard").

>>> m = current_matrix()
>>> m.score({"repeat": True, "fear": True, "routine": True}).total
4
>>> m.score({"repeat": True, "fear": True, "routine": True}).band
'standard'
>>> m.score({"self_harm": True}).band
'high'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MATRIX_FILE = Path(__file__).parent / "data" / "risk_matrix.json"


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    weight: int
    high_on_yes: bool = False


@dataclass(frozen=True)
class Threshold:
    band: str
    label: str
    from_total: int


@dataclass(frozen=True)
class Score:
    """What a set of answers comes to: the total of the weights answered yes, and the band."""

    total: int
    band: str
    label: str
    forced_high: bool  # a high_on_yes question was answered yes


@dataclass(frozen=True)
class Matrix:
    version: str
    title: str
    source: str
    questions: tuple[Question, ...]
    thresholds: tuple[Threshold, ...]  # highest band first

    @property
    def max_total(self) -> int:
        return sum(q.weight for q in self.questions)

    def score(self, answers: Mapping[str, bool]) -> Score:
        """Score ANSWERS (question code -> yes); a question left out counts as no."""
        unknown = set(answers) - {q.code for q in self.questions}
        if unknown:
            raise ValueError(f"Not questions of matrix {self.version}: {sorted(unknown)}")
        total = sum(q.weight for q in self.questions if answers.get(q.code))
        forced = any(answers.get(q.code) for q in self.questions if q.high_on_yes)
        reached = next(t for t in self.thresholds if total >= t.from_total)
        if forced:
            reached = self.thresholds[0]
        return Score(total=total, band=reached.band, label=reached.label, forced_high=forced)

    def band_label(self, band: str) -> str:
        return next((t.label for t in self.thresholds if t.band == band), band)

    def text_of(self, code: str) -> str:
        return next((q.text for q in self.questions if q.code == code), code)


def load_matrix(path: Path) -> Matrix:
    """The matrix in the JSON file at PATH; ImproperlyConfigured naming the file and the fault."""
    try:
        data = json.loads(path.read_text())
        questions = tuple(
            Question(q["code"], q["text"], int(q["weight"]), bool(q.get("high_on_yes", False)))
            for q in data["questions"]
        )
        thresholds = tuple(
            sorted(
                (
                    Threshold(t["band"], t["label"], int(t["from_total"]))
                    for t in data["thresholds"]
                ),
                key=lambda t: -t.from_total,
            )
        )
        matrix = Matrix(data["version"], data["title"], data["source"], questions, thresholds)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"{path}: not a risk matrix ({error!r})") from error
    if not thresholds or thresholds[-1].from_total != 0:
        raise ImproperlyConfigured(f"{path}: the lowest threshold must start from a total of 0")
    if len({q.code for q in questions}) != len(questions):
        raise ImproperlyConfigured(f"{path}: two questions share a code")
    return matrix


@cache
def current_matrix() -> Matrix:
    return load_matrix(MATRIX_FILE)
