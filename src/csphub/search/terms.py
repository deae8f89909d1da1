"""What a search box's text asks for: words, a reference, a date of birth. Pure functions."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime

MAX_LENGTH = 100
_REFERENCE = re.compile(r"^[A-Z]-[0-9A-Z]{4,8}$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class Terms:
    """The search text as typed (trimmed, bounded), its words, and what it may be."""

    text: str
    words: tuple[str, ...]
    reference: str  # "C-7K3Q9" when the text is one, else ""
    day: date | None  # a date typed in a common form (17/05/2009, 2009-05-17, 17 May 2009)

    @property
    def empty(self) -> bool:
        return not self.text


def parse(raw: str) -> Terms:
    """TERMS from what was typed into the search box."""
    text = " ".join(raw.split())[:MAX_LENGTH]
    upper = text.upper()
    return Terms(
        text=text,
        words=tuple(w for w in text.split(" ") if w),
        reference=upper if _REFERENCE.match(upper) else "",
        day=_as_date(text),
    )


def _as_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def terms_hash(terms: Terms, key: str) -> str:
    """A keyed hash of the search text (folded to lower case), for the audit trail: two
    searches for the same thing can be matched up, but a name cannot be guessed from it by
    hashing a list of names without the key."""
    folded = terms.text.lower().encode()
    return hmac.new(key.encode(), folded, hashlib.sha256).hexdigest()
