"""Reads of people and places that depend on who is asking."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from rapidfuzz import fuzz

from csphub.panels.choices import TransitionKind
from csphub.panels.models import CaseSubject, Transition
from csphub.panels.selectors import cases_visible_to, may_decide, panels_coordinated_by
from csphub.people.models import Person, Place, name_key

# token_sort_ratio: "Jay Smith" and "Smith Jay" match; 85 tolerates one or two typos.
DUPLICATE_THRESHOLD = 85


def people_visible_to(user: Any) -> QuerySet[Person]:
    """A person is visible to those who may see a case they are a subject of."""
    links = CaseSubject.objects.filter(person_id=OuterRef("pk"), case__in=cases_visible_to(user))
    return Person.objects.filter(Exists(links))


def places_visible_to(user: Any) -> QuerySet[Place]:
    """A case's place is visible to those who may see a case about it; a community place (a
    school, a ward, an outreach site) to every signed-in partnership user as well. Either way
    the cases about a place are listed only by `case_links_visible_to`, the case's rule."""
    links = CaseSubject.objects.filter(place_id=OuterRef("pk"), case__in=cases_visible_to(user))
    rule = Q(Exists(links))
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        rule |= Q(is_community_place=True)
    return Place.objects.filter(rule)


def community_places() -> QuerySet[Place]:
    """The places recorded for the partnership's community work, which every signed-in user
    sees (by name, kind and area: never the cases about them)."""
    return Place.objects.filter(is_community_place=True)


def case_links_visible_to(
    user: Any, *, person: Person | None = None, place: Place | None = None
) -> QuerySet[CaseSubject]:
    """The links of PERSON (or PLACE) to the cases USER may open, with their panels and owning
    agencies, oldest case first: what a person's or a place's page lists."""
    about: dict[str, Any] = {"person": person} if person is not None else {"place": place}
    return (
        CaseSubject.objects.filter(case__in=cases_visible_to(user), **about)
        .select_related("case__panel", "case__owning_agency")
        .order_by("case__referred_at")
    )


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
        and CaseSubject.objects.filter(
            person=person, case__panel__in=panels_coordinated_by(user)
        ).exists()
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


def referral_matches_for(user: Any, transition: Transition) -> list[Person]:
    """Records that may be the person a pending referral is about, for the co-ordinator who
    decides it and nobody else (everyone else gets []): the referral's own record's possible
    duplicates among all records, and the record the referrer suggested, that one first.

    The co-ordinator sees them by reference only, to say on accepting whether the referral is
    about one of them (`do_decide_transition`).
    """
    if transition.kind != TransitionKind.REFERRAL or not may_decide(user, transition):
        return []
    own = referral_record(transition)
    if own is None:
        return []
    found = possible_duplicates(
        given_name=own.given_name,
        family_name=own.family_name,
        date_of_birth=own.date_of_birth,
        among=Person.objects.exclude(pk=own.pk),
    )
    suggested = transition.suggested_match
    if suggested is not None and suggested.pk != own.pk and suggested.merged_into_id is None:
        found = [suggested, *(p for p in found if p.pk != suggested.pk)]
    return found


def referral_record(transition: Transition) -> Person | None:
    """The record a referral brought with it: the first person on the case it opened, while
    it is on that case alone (as `do_refer` made it). None once it is not: removed, merged
    into a record on other cases, or followed by a record linked since from another case,
    which matching would otherwise merge into a record its co-ordinator may not see."""
    link = (
        CaseSubject.objects.filter(case_id=transition.case_id, person__isnull=False)
        .select_related("person")
        .order_by("created_at")
        .first()
    )
    person = link.person if link else None
    if person is None or person.case_links.exclude(case_id=transition.case_id).exists():
        return None
    return person


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
