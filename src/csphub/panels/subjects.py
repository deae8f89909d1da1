"""Taking a person or place off a case: the panel co-ordinator's decision, with a reason.

The link is what lets the case's viewers see the person (people_visible_to follows the case
links), so removing it takes that access away everywhere at once. The case's timeline and the
audit trail keep who was removed, by whom and why (by reference: never a name).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from csphub.audit import record
from csphub.panels.models import Case, CaseSubject
from csphub.panels.selectors import case_edit_refusal, may_edit_case
from csphub.panels.services import add_timeline_entry

LAST_SUBJECT = (
    "A case is about at least one person or place: add the right one before removing this one, "
    "or close the case"
)


def do_remove_subject(
    *, actor: Any, subject: CaseSubject, reason: str, request: HttpRequest | None = None
) -> Case:
    """Remove SUBJECT from its case (open or closed: a link made in error can always go)."""
    case = subject.case
    if not may_edit_case(actor, case, "remove_subject"):
        raise PermissionDenied(case_edit_refusal(actor, case, "remove_subject"))
    if not reason.strip():
        raise ValidationError({"reason": "Say why this is being removed from the case"})
    with transaction.atomic():
        # Locked, so two removals at once cannot leave a case about no one.
        Case.objects.select_for_update().get(pk=case.pk)
        links = CaseSubject.objects.filter(case=case)
        if not links.filter(pk=subject.pk).exists():
            raise ValidationError("This has already been removed from the case")
        if links.count() == 1:
            raise ValidationError(LAST_SUBJECT)
        reference, role = subject.reference, subject.role
        label = subject.get_role_display().lower()
        subject.delete()
        add_timeline_entry(
            case=case,
            kind="subject.removed",
            actor=actor,
            summary=f"{reference} removed ({label})",
            detail=reason.strip(),
            payload={"subject": reference, "role": role},
        )
        record(
            verb="case.subject_removed",
            actor=actor,
            target=case,
            request=request,
            payload={"subject": reference, "role": role},
        )
    return case
