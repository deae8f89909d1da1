"""Reads of people and places that depend on who is asking."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from csphub.people.access import people_coordinated, people_seen, places_seen
from csphub.people.models import Person, Place, name_key

# token_sort_ratio: "Jay Smith" and "Smith Jay" match; 85 tolerates one or two typos.
DUPLICATE_THRESHOLD = 85


def people_visible_to(user: Any) -> QuerySet[Person]:
    """A person is visible to those who may see a record about them: a case they are a subject
    of (`csphub.people.access`, filled in by the apps holding such records)."""
    return Person.objects.filter(people_seen(user))


def places_visible_to(user: Any) -> QuerySet[Place]:
    """A case's place is visible to those who may see a case about it (through the links the
    apps register); a community place (a school, a ward, an outreach site) to every signed-in
    partnership user as well. Either way the cases about a place are listed only by each app's
    own rule (panels: `case_links_visible_to`)."""
    rule = Q(places_seen(user))
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        rule |= Q(is_community_place=True)
    return Place.objects.filter(rule)


def community_places() -> QuerySet[Place]:
    """The places recorded for the partnership's community work, which every signed-in user
    sees (by name, kind and area: never the cases about them)."""
    return Place.objects.filter(is_community_place=True)


def may_record_people(user: Any) -> bool:
    """Whether USER may record a new person or place: someone who may refer (a referral brings
    its own record), which includes the co-ordinators who add places to cases. A new record is
    linked to no case, so it opens nothing to anyone."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_perm("panels.refer")
    )


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
        and Person.objects.filter(people_coordinated(user), pk=person.pk).exists()
    )


def possible_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date | None, among: QuerySet[Person]
) -> list[Person]:
    """Records AMONG those given with the same date of birth and a similar name (not merged away).

    AMONG is the caller's to choose, so that nobody is shown a record they may not see: a
    referrer passes `people_visible_to(referrer)`; the co-ordinator deciding a referral is
    offered every record by `referral_matches_for`.
    """
    if date_of_birth is None:
        return []
    wanted = name_key(given_name, family_name)
    candidates = among.filter(date_of_birth=date_of_birth, merged_into__isnull=True)
    return [
        p for p in candidates if fuzz.token_sort_ratio(wanted, p.name_key) >= DUPLICATE_THRESHOLD
    ]


def exact_matches(*, given_name: str, family_name: str, date_of_birth: date) -> QuerySet[Person]:
    """Records with exactly this name (capitals and spaces aside) and date of birth: what the
    signpost search looks for, so that it cannot be used to guess a name by its near misses."""
    return Person.objects.filter(
        name_key=name_key(given_name, family_name),
        date_of_birth=date_of_birth,
        merged_into__isnull=True,
    )


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
