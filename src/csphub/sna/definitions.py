"""The definition of serious violence, as data (``definitions.yaml``), stated with every figure."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFINITIONS_FILE = Path(__file__).with_name("definitions.yaml")


@dataclass(frozen=True)
class Definition:
    """One preset: what is counted, what is shown alongside, and who."""

    key: str
    label: str
    wording: str
    counted: tuple[str, ...]
    alongside: tuple[str, ...]
    places_measure: str
    age_limit: int | None
    focus_under: int | None
    domestic_abuse: bool
    sexual_violence: bool
    version: int

    @property
    def statement(self) -> str:
        """The line printed with every figure.

        >>> preset().statement
        'Serious violence as the London VRU minimum standard defines it (definition version 1): all ages, domestic abuse included, sexual violence included.'
        """
        ages = "all ages" if self.age_limit is None else f"aged under {self.age_limit}"
        da = "included" if self.domestic_abuse else "not included"
        sv = "included" if self.sexual_violence else "not included"
        return (
            f"Serious violence as the {self.label} defines it (definition version "
            f"{self.version}): {ages}, domestic abuse {da}, sexual violence {sv}."
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["counted"], data["alongside"] = list(self.counted), list(self.alongside)
        return data


@lru_cache(maxsize=1)
def _file() -> dict[str, Any]:
    return yaml.safe_load(DEFINITIONS_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def preset_keys() -> list[str]:
    return list(_file()["presets"])


def preset(key: str | None = None) -> Definition:
    """The preset KEY (the file's default when None); KeyError naming the known ones."""
    data = _file()
    key = key or data["default"]
    if key not in data["presets"]:
        raise KeyError(f"no definition {key!r}; known: {', '.join(data['presets'])}")
    p = data["presets"][key]
    return Definition(
        key=key,
        label=p["label"],
        wording=" ".join(p["wording"].split()),
        counted=tuple(p["counted"]),
        alongside=tuple(p.get("alongside", ())),
        places_measure=p["places_measure"],
        age_limit=p.get("age_limit"),
        focus_under=p.get("focus_under"),
        domestic_abuse=bool(p["domestic_abuse"]),
        sexual_violence=bool(p["sexual_violence"]),
        version=int(data["version"]),
    )
