"""The people and places a case is about: linking them is the panel co-ordinator's decision,
and so is taking one off, with a reason.

The link is what lets the case's viewers see the person (people_visible_to follows the case
links), so removing it takes that access away everywhere at once. The case's timeline and the
audit trail keep who was added or removed, by whom and why (by reference: never a name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.core.errors import ServiceError
from csphub.panels import verbs
from csphub.panels.models import Case, CaseSubject
from csphub.panels.services.common import edit_check
from csphub.panels.services.timeline import record_case_event
from csphub.people.models import Person, Place

if TYPE_CHECKING:
    from csphub.accounts.models import User

LAST_SUBJECT = (
    "A case is about at least one person or place: add the right one before removing this one, "
    "or close the case"
)


def do_add_subject(
    *,
    actor: User,
    case: Case,
    role: str,
    person: Person | None = None,
    place: Place | None = None,
    request: HttpRequest | None = None,
) -> CaseSubject:
    """Link another person (victim, associate…) or a place of concern to a case: the panel
    co-ordinator's decision, since everyone who may open the case will see whom it links. A
    person already on a case is linked only by a co-ordinator who can see them."""
    from csphub.people.selectors import people_visible_to

    edit_check(actor, case, "add_subject")
    if (
        person is not None
        and person.case_links.exists()
        and not people_visible_to(actor).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied("You cannot link that person to this case")
    with transaction.atomic():
        subject = CaseSubject.objects.create(case=case, person=person, place=place, role=role)
        ref = (person or place).reference  # type: ignore[union-attr]
        record_case_event(
            verb=verbs.SUBJECT_ADDED,
            actor=actor,
            case=case,
            source=subject,
            summary=f"{ref} added ({subject.get_role_display().lower()})",
            request=request,
            payload={"subject": ref, "role": role},
        )
    return subject


def do_add_person_or_place(
    *,
    actor: User,
    case: Case,
    role: str,
    person_reference: str = "",
    place_name: str = "",
    place_kind: str = "",
    lsoa_code: str = "",
    ward_name: str = "",
    request: HttpRequest | None = None,
) -> CaseSubject:
    """The case's "Add a person or place" step: a person the co-ordinator can see, by
    PERSON_REFERENCE, or else a new place (kept only if it is linked)."""
    from csphub.people.selectors import people_visible_to
    from csphub.people.services import do_create_place

    edit_check(actor, case, "add_subject")
    with transaction.atomic():
        person = place = None
        if person_reference:
            person = (
                people_visible_to(actor).filter(reference=person_reference.strip().upper()).first()
            )
            if person is None:
                raise ServiceError({"person_reference": "No person you can see has that reference"})
        else:
            place = do_create_place(
                actor=actor,
                name=place_name,
                kind=place_kind or "street",
                lsoa_code=lsoa_code.strip().upper(),
                ward_name=ward_name,
                request=request,
            )
        return do_add_subject(
            actor=actor, case=case, role=role, person=person, place=place, request=request
        )


def do_remove_subject(
    *, actor: User, subject: CaseSubject, reason: str, request: HttpRequest | None = None
) -> Case:
    """Remove SUBJECT from its case (open or closed: a link made in error can always go)."""
    case = subject.case
    edit_check(actor, case, "remove_subject")
    if not reason.strip():
        raise ServiceError({"reason": "Say why this is being removed from the case"})
    with transaction.atomic():
        # Locked, so two removals at once cannot leave a case about no one.
        Case.objects.select_for_update().get(pk=case.pk)
        links = CaseSubject.objects.filter(case=case)
        if not links.filter(pk=subject.pk).exists():
            raise ServiceError("This has already been removed from the case")
        if links.count() == 1:
            raise ServiceError(LAST_SUBJECT)
        reference, role = subject.reference, subject.role
        label = subject.get_role_display().lower()
        subject.delete()
        record_case_event(
            verb=verbs.SUBJECT_REMOVED,
            actor=actor,
            case=case,
            summary=f"{reference} removed ({label})",
            detail=reason.strip(),
            request=request,
            payload={"subject": reference, "role": role},
        )
    return case
