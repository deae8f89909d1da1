"""Standing items: agenda topics an app above meetings asks its boards to carry every time
(the VVRAP's four minimum-standard items), registered from that app's ready() so meetings
names none of them. A topic carrying one is an `AgendaTopic` with its key."""

from __future__ import annotations

_standing: dict[str, str] = {}


def register_standing_items(*items: tuple[str, str]) -> None:
    """Offer ITEMS ((key, label) pairs) as standing items on every meeting's agenda."""
    for key, label in items:
        existing = _standing.get(key)
        if existing is not None and existing != label:
            raise ValueError(f"The standing item {key!r} is registered twice")
        _standing[key] = label


def standing_items() -> list[tuple[str, str]]:
    return list(_standing.items())


def standing_item_label(key: str) -> str:
    return _standing.get(key, "")
