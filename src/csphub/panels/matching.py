"""Which known records a pending referral may be about, for the co-ordinator who decides it."""

from __future__ import annotations

from typing import Any

from csphub.panels.choices import TransitionKind
from csphub.panels.models import CaseSubject, Transition
from csphub.panels.selectors import may_decide
from csphub.people.models import Person
from csphub.people.selectors import possible_duplicates


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
