"""Every write to community activity: keyword-only, atomic, checked, audited (ids only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.accounts.models import Agency
from csphub.audit import record
from csphub.community import verbs
from csphub.community.models import Activity, TrainingAttendance
from csphub.community.selectors import may_change, may_record_for
from csphub.core.errors import ServiceError
from csphub.funding.models import FundedItem
from csphub.people.models import Place

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_record_activity(
    *,
    actor: User,
    kind: str,
    theme: str,
    topic: str,
    held_on: date,
    place: Place,
    delivered_by: Agency,
    people_reached: int,
    funded_item: FundedItem | None = None,
    hours: Decimal | None = None,
    referrals_made: int | None = None,
    year_group: str = "",
    group: str = "",
    request: HttpRequest | None = None,
) -> Activity:
    """An activity at a community PLACE, delivered by DELIVERED_BY (the actor's own agency,
    unless the actor is the CSP manager), optionally counted towards FUNDED_ITEM."""
    if not may_record_for(actor, delivered_by.pk, funded_item):
        raise PermissionDenied("Only the delivering agency or the CSP manager records this")
    if not place.is_community_place:
        raise ServiceError({"place": "Choose a community place: a case's place is not shared"})
    with transaction.atomic():
        activity = Activity.objects.create(
            kind=kind,
            theme=theme,
            topic=topic.strip(),
            held_on=held_on,
            place=place,
            delivered_by=delivered_by,
            funded_item=funded_item,
            hours=hours,
            people_reached=people_reached,
            referrals_made=referrals_made,
            year_group=year_group,
            group=group,
        )
        record(
            verb=verbs.ACTIVITY_RECORDED,
            actor=actor,
            target=activity,
            request=request,
            payload={
                "kind": kind,
                "place": str(place.pk),
                "funded_item": str(funded_item.pk) if funded_item else None,
                "people": people_reached,
            },
        )
    return activity


def do_link_activity(
    *,
    actor: User,
    activity: Activity,
    funded_item: FundedItem | None,
    request: HttpRequest | None = None,
) -> Activity:
    """Count ACTIVITY towards FUNDED_ITEM (None: towards none)."""
    if not may_change(actor, activity) or not may_record_for(
        actor, activity.delivered_by_id, funded_item
    ):
        raise PermissionDenied
    with transaction.atomic():
        activity.funded_item = funded_item
        activity.save(update_fields=["funded_item", "updated_at"])
        record(
            verb=verbs.ACTIVITY_UPDATED,
            actor=actor,
            target=activity,
            request=request,
            payload={"funded_item": str(funded_item.pk) if funded_item else None},
        )
    return activity


def do_record_attendance(
    *,
    actor: User,
    activity: Activity,
    agency: Agency,
    attendees: int,
    request: HttpRequest | None = None,
) -> TrainingAttendance:
    """How many from AGENCY attended a training session ACTIVITY."""
    if not may_change(actor, activity):
        raise PermissionDenied
    if activity.kind != "training":
        raise ServiceError("Attendance by agency is for professional training")
    with transaction.atomic():
        row, _ = TrainingAttendance.objects.update_or_create(
            activity=activity, agency=agency, defaults={"attendees": attendees}
        )
        record(
            verb=verbs.ATTENDANCE_RECORDED,
            actor=actor,
            target=activity,
            request=request,
            payload={"agency": str(agency.pk), "attendees": attendees},
        )
    return row
