"""Human-readable references (P-7K3Q9, CR-7K3Q9P): one alphabet, one generator.

References are read aloud over the phone and copied by hand, so the alphabet leaves out the
characters people confuse: 0 and O, 1, I and L. Each kind of record has a `ReferenceFormat`
(a prefix and a length); the model says which (`core.models.ReferencedModel`).

A new reference is drawn at random and the row saved in one step; when the unique index
refuses it because another row already has it (taken before, or by a save at the same moment),
another is drawn. The random source is a parameter, so tests choose the characters.

>>> PERSON = ReferenceFormat("P", 5)
>>> PERSON.generate(choose=lambda alphabet: alphabet[0])
'P-22222'

Nothing checks a stored reference against the alphabet, so references drawn before there was
one alphabet (application references could hold an L) stay valid and are found as typed.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db import IntegrityError, transaction

#: Digits and capitals without 0/O, 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: How many references are drawn before giving up: with 31**5 (28 million) references of
#: five characters, twenty clashes in a row mean the space is full, not bad luck.
ATTEMPTS = 20

#: Picks one character of the string it is given (secrets.choice, or a test's script).
Choose = Callable[[str], str]
#: The random source every new reference uses unless one is given.
default_choice: Choose = secrets.choice


class ReferencesExhausted(RuntimeError):
    """Every reference drawn was taken: the format needs more characters."""


@dataclass(frozen=True)
class ReferenceFormat:
    """PREFIX, a hyphen and LENGTH characters of the alphabet."""

    prefix: str
    length: int

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{1,3}", self.prefix) or not 4 <= self.length <= 8:
            raise ValueError(f"not a reference format: {self.prefix!r}, {self.length}")

    def generate(self, choose: Choose | None = None) -> str:
        """A reference drawn with CHOOSE (by default, the module's random source)."""
        pick = choose or default_choice
        return f"{self.prefix}-" + "".join(pick(ALPHABET) for _ in range(self.length))


class _HasReference(Protocol):
    reference: str


def save_with_new_reference(
    obj: _HasReference,
    fmt: ReferenceFormat,
    save: Callable[[], None],
    *,
    taken: Callable[[str], bool],
    choose: Choose | None = None,
    attempts: int = ATTEMPTS,
) -> None:
    """Give OBJ a new reference of FMT and SAVE it, drawing again while the database refuses
    it as a duplicate (TAKEN says whether it was that, not another constraint, that failed).
    """
    for _ in range(attempts):
        obj.reference = fmt.generate(choose)
        try:
            with transaction.atomic():
                save()
            return
        except IntegrityError:
            if not taken(obj.reference):
                raise
    obj.reference = ""
    raise ReferencesExhausted(
        f"{attempts} {fmt.prefix}- references in a row were taken; make the format longer"
    )
