"""Assigning practitioners to a case, which opens it to them and to their agency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.core.errors import ServiceError
from csphub.panels import verbs
from csphub.panels.models import Case
from csphub.panels.selectors import assignable_practitioners, may_unassign
from csphub.panels.services.common import edit_check
from csphub.panels.services.timeline import record_case_event

if TYPE_CHECKING:
    from csphub.accounts.models import User


def practitioner_label(practitioner: User) -> str:
    agency = getattr(practitioner, "agency", None)
    return f"{practitioner.full_name} ({agency.name})" if agency else practitioner.full_name


def do_assign_practitioner(
    *, actor: User, case: Case, practitioner: User, request: HttpRequest | None = None
) -> Case:
    """Assign a practitioner to a case (which opens it to them and to their agency).

    The panel's co-ordinator may assign anyone who works cases; a practitioner of the
    owning agency may assign colleagues of that agency.
    """
    edit_check(actor, case, "assign")
    if not assignable_practitioners(actor, case).filter(pk=practitioner.pk).exists():
        raise ServiceError({"practitioner": "You cannot assign that person to this case"})
    with transaction.atomic():
        if case.assigned_practitioners.filter(pk=practitioner.pk).exists():
            raise ServiceError({"practitioner": "That person is already assigned"})
        case.assigned_practitioners.add(practitioner)
        record_case_event(
            verb=verbs.ASSIGNED,
            actor=actor,
            case=case,
            summary=f"{practitioner_label(practitioner)} assigned",
            request=request,
            payload={"user": str(practitioner.pk)},
        )
    return case


def do_unassign_practitioner(
    *,
    actor: User,
    case: Case,
    practitioner: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Take a practitioner off a case: the co-ordinator anyone, the owning agency its own."""
    if not may_unassign(actor, case, practitioner):
        raise PermissionDenied("You cannot unassign that person from this case")
    with transaction.atomic():
        if not case.assigned_practitioners.filter(pk=practitioner.pk).exists():
            raise ServiceError({"practitioner": "That person is not assigned to this case"})
        case.assigned_practitioners.remove(practitioner)
        record_case_event(
            verb=verbs.UNASSIGNED,
            actor=actor,
            case=case,
            summary=f"{practitioner_label(practitioner)} unassigned",
            detail=reason,
            request=request,
            payload={"user": str(practitioner.pk)},
        )
    return case
