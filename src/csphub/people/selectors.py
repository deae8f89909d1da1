"""Reads of people and places that depend on who is asking."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from rapidfuzz import fuzz

from csphub.panels.models import CaseSubject
from csphub.panels.selectors import cases_visible_to, panels_coordinated_by
from csphub.people.models import Person, Place, name_key

# token_sort_ratio: "Jay Smith" and "Smith Jay" match; 85 tolerates one or two typos.
DUPLICATE_THRESHOLD = 85


def people_visible_to(user: Any) -> QuerySet[Person]:
    """A person is visible to those who may see a case they are a subject of."""
    links = CaseSubject.objects.filter(person_id=OuterRef("pk"), case__in=cases_visible_to(user))
    return Person.objects.filter(Exists(links))


def places_visible_to(user: Any) -> QuerySet[Place]:
    """A place is visible to those who may see a case about it."""
    links = CaseSubject.objects.filter(place_id=OuterRef("pk"), case__in=cases_visible_to(user))
    return Place.objects.filter(Exists(links))


def may_reveal(user: Any, person: Person) -> bool:
    """Identity is for those with the permission who can also see one of the person's cases."""
    return bool(
        user.has_perm("people.reveal_identity")
        and people_visible_to(user).filter(pk=person.pk).exists()
    )


def may_merge(user: Any, person: Person) -> bool:
    """Merging is for a co-ordinator of a panel holding one of the person's cases."""
    return bool(
        user.has_perm("people.merge")
        and CaseSubject.objects.filter(
            person=person, case__panel__in=panels_coordinated_by(user)
        ).exists()
    )


def possible_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date | None
) -> list[Person]:
    """Records with the same date of birth and a similar name (not yet merged away)."""
    if date_of_birth is None:
        return []
    wanted = name_key(given_name, family_name)
    candidates = Person.objects.filter(date_of_birth=date_of_birth, merged_into__isnull=True)
    return [
        p for p in candidates if fuzz.token_sort_ratio(wanted, p.name_key) >= DUPLICATE_THRESHOLD
    ]


def survivor_visible_to(user: Any, reference: str) -> Person | None:
    """For the reference of a merged record, the record it now lives in, if USER may see it.

    Merges can chain (A into B, then B into C); the chain ends at the record still in use.
    """
    person = Person.objects.filter(reference=reference, merged_into__isnull=False).first()
    seen: set[Any] = set()
    while person is not None and person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.filter(pk=person.merged_into_id).first()
    if person is None or not seen:
        return None
    return people_visible_to(user).filter(pk=person.pk).first()
