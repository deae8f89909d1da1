"""The audit verbs of people and places (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

PERSON_CREATED = Verb("person.created", "Person's record created")
PLACE_CREATED = Verb("place.created", "Place recorded")
PERSON_REVEALED = Verb("person.revealed", "Shown a person's name and details in full")
DUPLICATES_OFFERED = Verb("person.duplicates_offered", "Shown records that may be the same person")
PERSON_MERGED = Verb("person.merged", "Two records of the same person merged")
