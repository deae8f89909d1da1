"""Offences recorded against a referred person, by the police partner."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.audit import record
from csphub.panels import verbs
from csphub.panels.models import Offence
from csphub.panels.selectors import may_record_offending
from csphub.people.models import Person

if TYPE_CHECKING:
    from csphub.accounts.models import User


def harm_weight_for(category: str) -> float | None:
    """The crime engine's weight for an MPS "MAJOR/MINOR" category, or None if it has none."""
    from csphub.lib.harm import weight_for
    from csphub.panels.offence_categories import MPS_SOURCE

    weight = weight_for(MPS_SOURCE, category)
    return weight or None


def do_record_offence(
    *,
    actor: User,
    person: Person,
    offence_date: date,
    category: str,
    harm_weight: float | None = None,
    request: HttpRequest | None = None,
) -> Offence:
    """An offence by a referred person, recorded by a police user who may see the person."""
    from csphub.people.selectors import people_visible_to

    if not may_record_offending(actor):
        raise PermissionDenied("Only the police partner records offences")
    if not people_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot record an offence against that person")
    with transaction.atomic():
        return create_offence(
            actor=actor,
            person=person,
            offence_date=offence_date,
            category=category,
            harm_weight=harm_weight,
            request=request,
        )


def create_offence(
    *,
    actor: User,
    person: Person,
    offence_date: date,
    category: str,
    harm_weight: float | None,
    police_reference: str = "",
    request: HttpRequest | None,
    audit: dict[str, str] | None = None,
) -> Offence:
    """The offence row and its audit event, for a caller that has checked ACTOR's right and
    holds the transaction: one offence typed in, or each row of an import (AUDIT adds to the
    event's payload). A blank HARM_WEIGHT takes the crime engine's weight for CATEGORY."""
    offence = Offence.objects.create(
        person=person,
        offence_date=offence_date,
        category=category,
        harm_weight=harm_weight if harm_weight is not None else harm_weight_for(category),
        police_reference=police_reference,
        recorded_by=actor,
    )
    record(
        verb=verbs.OFFENCE_RECORDED,
        actor=actor,
        target=person,
        request=request,
        payload={"offence": str(offence.pk), **(audit or {})},
    )
    return offence
