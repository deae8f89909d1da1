"""Every write to people and places: keyword-only, atomic, audited (ids only, never names)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ForeignObjectRel
from django.http import HttpRequest

from csphub.audit import record
from csphub.core.errors import ServiceError
from csphub.people import verbs
from csphub.people.choices import PlaceKind
from csphub.people.geography import is_lsoa_code, normalise_lsoa, ward_for_lsoa
from csphub.people.models import Person, PersonMerge, Place
from csphub.people.selectors import may_merge, may_record_people, may_reveal

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_create_person(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    address: str = "",
    gender: str = "not_known",
    ethnicity: str = "not_stated",
    request: HttpRequest | None = None,
) -> Person:
    """A new record of a person, for a referral that brings it (`do_refer_person`)."""
    if not may_record_people(actor):
        raise PermissionDenied("Only someone who may refer records a person")
    with transaction.atomic():
        person = Person.objects.create(
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
            address=address,
            gender=gender,
            ethnicity=ethnicity,
        )
        record(verb=verbs.PERSON_CREATED, actor=actor, target=person, request=request)
    return person


def do_create_place(
    *,
    actor: User,
    name: str,
    kind: str,
    lsoa_code: str = "",
    ward_name: str = "",
    community: bool = False,
    request: HttpRequest | None = None,
) -> Place:
    """A place; with a Bexley LSOA code its ward comes from the best-fit lookup, so the ward
    recorded and the ward counted on dashboards agree.

    COMMUNITY records a community place (a school, a ward, an outreach site) that exists
    outside any case and every signed-in partnership user sees; never a home address.
    """
    if not may_record_people(actor):
        raise PermissionDenied("Only someone who may refer records a place")
    if community and kind == PlaceKind.ADDRESS:
        raise ServiceError(
            {"kind": "A home address is personal: it cannot be a place the partnership shares"}
        )
    lsoa_code = normalise_lsoa(lsoa_code)
    if lsoa_code and not is_lsoa_code(lsoa_code):
        raise ServiceError({"lsoa_code": "Enter an LSOA code like E01000353"})
    ward = ward_for_lsoa(lsoa_code)
    if ward is not None:
        ward_name = ward.name
    with transaction.atomic():
        place = Place.objects.create(
            name=name,
            kind=kind,
            lsoa_code=lsoa_code,
            ward_name=ward_name.strip(),
            is_community_place=community,
        )
        record(
            verb=verbs.PLACE_CREATED,
            actor=actor,
            target=place,
            request=request,
            payload={"kind": kind, "lsoa": lsoa_code, "community": community},
        )
    return place


def do_reveal_person(
    *, actor: User, person: Person, reason: str, request: HttpRequest | None = None
) -> Person:
    """Record that ACTOR saw PERSON's identifying fields, and why: refused unless `may_reveal`,
    and without a reason."""
    if not may_reveal(actor, person):
        raise PermissionDenied
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise ServiceError({"reason": "Enter why you need to see these details"})
    record(
        verb=verbs.PERSON_REVEALED,
        actor=actor,
        target=person,
        request=request,
        payload={"reason": reason},
    )
    return person


def do_record_duplicates_offered(
    *, actor: User, people: list[Person], request: HttpRequest | None = None
) -> None:
    """ACTOR was shown possible matches for a person: a referrer those on their own cases, the
    co-ordinator deciding a referral any record (`referral_matches_for`).

    The matches are named by reference only (and the typed name is never recorded), but each
    tells them that a record exists, so the showing is audited like a signpost search.
    """
    record(
        verb=verbs.DUPLICATES_OFFERED,
        actor=actor,
        request=request,
        payload={"references": sorted(p.reference for p in people)},
    )


def _movable_relations() -> list[ForeignObjectRel]:
    """Every foreign key to Person from another model (case links, offences…), found at run time
    so apps added later are merged too."""
    return [
        rel
        for rel in Person._meta.related_objects
        if rel.one_to_many and rel.related_model not in (Person, PersonMerge)
    ]


def do_merge_people(
    *,
    actor: User,
    surviving: Person,
    merged: Person,
    reason: str,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """Fold MERGED into SURVIVING: its links move across, the record stays (pointing at the
    survivor) and a PersonMerge keeps the history."""
    if not (may_merge(actor, surviving) and may_merge(actor, merged)):
        raise PermissionDenied("Only a co-ordinator of a panel holding both records can merge")
    return fold_records(
        actor=actor, surviving=surviving, merged=merged, reason=reason, request=request
    )


def fold_records(
    *,
    actor: User,
    surviving: Person,
    merged: Person,
    reason: str,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """The merge itself, for a caller that has checked the actor's entitlement: `do_merge_people`
    (a co-ordinator of both records' panels), or a co-ordinator accepting a referral as about a
    record already known (`do_decide_transition`)."""
    if not reason.strip():
        raise ServiceError("Say why these records are the same person")
    if surviving.pk == merged.pk or merged.merged_into_id or surviving.merged_into_id:
        raise PermissionDenied("These records cannot be merged")
    with transaction.atomic():
        moved: dict[str, list[str]] = {}
        for rel in _movable_relations():
            model = rel.related_model
            assert isinstance(model, type)
            rows = model._default_manager.filter(**{rel.field.name: merged})
            ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
            if ids:
                rows.update(**{rel.field.name: surviving})
                moved[model._meta.label_lower] = ids
        merged.merged_into = surviving
        merged.save(update_fields=["merged_into", "updated_at"])
        history = PersonMerge.objects.create(
            surviving=surviving, merged=merged, merged_by=actor, reason=reason, moved=moved
        )
        record(
            verb=verbs.PERSON_MERGED,
            actor=actor,
            target=surviving,
            request=request,
            payload={"merged": str(merged.pk), "moved": {k: len(v) for k, v in moved.items()}},
        )
    return history
