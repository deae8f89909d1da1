"""Category selectors shared by measures and harm weights: ``MAJOR/MINOR`` or ``MAJOR/*``."""

from __future__ import annotations


def normalise(text: str) -> str:
    """Case- and space-insensitive form of a category name.

    >>> normalise("  Violence Against the Person / Homicide ")
    'violence against the person/homicide'
    """
    return "/".join(part.strip() for part in text.strip().lower().split("/"))


def matches(selector: str, category: str) -> bool:
    """True when ``category`` falls under ``selector``; ``*`` as the last part takes any.

    >>> matches("THEFT/*", "Theft/Shoplifting")
    True
    >>> matches("THEFT/SHOPLIFTING", "THEFT/OTHER THEFT")
    False
    """
    sel, cat = normalise(selector), normalise(category)
    if sel.endswith("/*"):
        return cat.startswith(sel[:-1])
    return sel == cat
