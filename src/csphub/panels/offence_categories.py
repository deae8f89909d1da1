"""The Metropolitan Police's offence categories an offence is recorded under, and their labels.

The categories are the crime engine's own (the "MAJOR/MINOR" selectors it weighs harm by,
``mps_2023`` in crimestats' severity weights), so an offence recorded here and a crime counted
on the figures pages are classified alike. A selector ``MAJOR/*`` takes any minor category of
that major one (burglary of a home, say).
"""

from __future__ import annotations

from csphub.lib.harm import load_weights

#: The crime engine's source whose categories offences use.
MPS_SOURCE = "mps_2023"


def category_selectors() -> list[str]:
    """Every MPS category an offence may be recorded under, in order."""
    return sorted(s for s, _ in load_weights().get(MPS_SOURCE, []))


def category_label(category: str) -> str:
    """A category as a person reads it: "Robbery: robbery of personal property".

    >>> category_label("ROBBERY/ROBBERY OF PERSONAL PROPERTY")
    'Robbery: robbery of personal property'
    >>> category_label("BURGLARY/*"), category_label("BURGLARY/RESIDENTIAL BURGLARY")
    ('Burglary (other)', 'Burglary: residential burglary')
    """
    major, _, minor = category.partition("/")
    major = major.strip().capitalize()
    minor = minor.strip().lower()
    if minor in ("", "*"):
        return f"{major} (other)" if minor == "*" else major
    return f"{major}: {minor}"


def category_choices() -> list[tuple[str, str]]:
    """(category, label) for a form's list of categories."""
    return [(s, category_label(s)) for s in category_selectors()]


def _normal(text: str) -> str:
    return "/".join(" ".join(part.split()).upper() for part in text.split("/"))


def match_category(text: str) -> str | None:
    """The MPS category TEXT names ("MAJOR/MINOR", any case and spacing), or None.

    An exact selector is returned as the crime engine spells it; a minor category that only a
    ``MAJOR/*`` selector takes is kept as given (in capitals), so its label says what it was.

    >>> match_category("Robbery / Robbery of Personal Property")
    'ROBBERY/ROBBERY OF PERSONAL PROPERTY'
    >>> match_category("burglary/residential burglary")
    'BURGLARY/RESIDENTIAL BURGLARY'
    >>> match_category("Theft/Car theft") is None, match_category("Robbery") is None
    (True, True)
    """
    wanted = _normal(text)
    major, _, minor = wanted.partition("/")
    if not major or not minor or minor == "*":
        return None
    selectors = category_selectors()
    for selector in selectors:
        if _normal(selector) == wanted:
            return selector
    if f"{major}/*" in (_normal(s) for s in selectors):
        return wanted
    return None
