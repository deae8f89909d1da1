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
    weight = harm_weight if harm_weight is not None else harm_weight_for(category)
    with transaction.atomic():
        offence = Offence.objects.create(
            person=person,
            offence_date=offence_date,
            category=category,
            harm_weight=weight,
            recorded_by=actor,
        )
        record(
            verb=verbs.OFFENCE_RECORDED,
            actor=actor,
            target=person,
            request=request,
            payload={"offence": str(offence.pk)},
        )
    return offence
