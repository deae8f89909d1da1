"""Community activity pages. Counts at community places, nothing personal: not view-audited;
every change is (the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.accounts.types import AuthedRequest
from csphub.community import services
from csphub.community.beside import MARKS, beside_violence
from csphub.community.choices import ActivityKind
from csphub.community.forms import ActivityForm, attendance_form
from csphub.community.locate import lsoa_at
from csphub.community.selectors import (
    activities_visible_to,
    counts,
    may_change,
    training_by_agency,
)
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.funding.selectors import items_recordable_by
from csphub.lib.periods import FINANCIAL
from csphub.lib.periods import quarter as fy_quarter
from csphub.people.selectors import community_places
from csphub.people.services import do_create_place

BREAKDOWNS = [
    ("quarter", "Quarter"),
    ("ward", "Ward"),
    ("theme", "Theme"),
    ("kind", "Kind of activity"),
    ("funder", "Funder"),
]


def _year(request: AuthedRequest) -> int:
    default = FINANCIAL.year_of(timezone.localdate())
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@requires_permission()
def activity_list(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    period = FINANCIAL.named(year)
    recent = activities_visible_to(request.user).filter(
        held_on__gte=period.first_day, held_on__lte=period.last_day
    )[:50]
    return render(
        request,
        "community/activity_list.html",
        {
            "year": year,
            "label": period.label,
            "previous": year - 1,
            "next": year + 1,
            "tables": [(label, counts(request.user, year, by)) for by, label in BREAKDOWNS],
            "training": training_by_agency(request.user, year),
            "recent": [(a, a.kind == "training" and may_change(request.user, a)) for a in recent],
            "may_record": request.user.has_perm("community.record_activity")
            or request.user.has_perm("funding.manage_funding"),
        },
    )


@requires_permission()
def activity_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    manager = user.has_perm("funding.manage_funding")

    def save(data: dict[str, Any], _: int | None) -> object:
        place = data.get("place")
        if place is None:
            lsoa = data.get("new_place_lsoa", "")
            latitude, longitude = data.get("new_place_latitude"), data.get("new_place_longitude")
            if not lsoa and latitude is not None and longitude is not None:
                lsoa = lsoa_at(latitude, longitude) or ""
                if not lsoa:
                    raise ServiceError(
                        {"new_place_latitude": "That point is in none of the borough's LSOAs"}
                    )
            place = do_create_place(
                actor=user,
                name=data["new_place_name"],
                kind=data.get("new_place_kind") or "outreach",
                lsoa_code=lsoa,
                community=True,
                request=request,
            )
        item = data.get("funded_item")
        agency = item.provider if (manager and item is not None) else user.agency
        if agency is None:
            raise PermissionDenied("Only someone of a partner agency records activity")
        return services.do_record_activity(
            actor=user,
            kind=data["kind"],
            theme=data["theme"],
            topic=data["topic"],
            held_on=data["held_on"],
            place=place,
            delivered_by=agency,
            people_reached=data["people_reached"],
            funded_item=item,
            hours=data.get("hours"),
            referrals_made=data.get("referrals_made"),
            year_group=data.get("year_group", ""),
            group=data.get("group", ""),
            request=request,
        )

    def saved(activity: Any) -> HttpResponse:
        messages.success(request, f"Activity {activity.reference} recorded.")
        return redirect("community:activity_list")

    return form_step(
        request,
        form_class=ActivityForm,
        form_kwargs={"places": community_places(), "items": items_recordable_by(user)},
        save=save,
        saved=saved,
        template="core/form_page.html",
        context={"title": "Record community activity", "submit_label": "Record activity"},
    )


@requires_permission("crime.view_hotspots")
def activity_map(request: AuthedRequest) -> HttpResponse:
    """Activity beside serious violence for a chosen quarter: a map and a table per ward."""
    year = _year(request)
    try:
        quarter = int(request.GET.get("quarter", "1"))
    except ValueError:
        quarter = 1
    quarter = quarter if quarter in (1, 2, 3, 4) else 1
    period = fy_quarter(year, quarter)
    activities = list(
        activities_visible_to(request.user).filter(
            held_on__gte=period.first_day, held_on__lte=period.last_day
        )
    )
    context = beside_violence(activities, period)
    return render(
        request,
        "community/activity_map.html",
        {
            **context,
            "label": period.label,
            "year": year,
            "quarter": quarter,
            "quarters": [1, 2, 3, 4],
            "marks": [(m, ActivityKind(k).label) for k, m in MARKS.items()],
        },
    )


@requires_permission()
def activity_attendance(request: AuthedRequest, activity_id: Any) -> HttpResponse:
    """Attendees by agency of a training session, for those who may change it."""
    activity = get_visible_or_404(
        activities_visible_to(request.user).filter(kind="training"), pk=activity_id
    )
    if not may_change(request.user, activity):
        raise PermissionDenied
    agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
    held = {a.agency_id: a.attendees for a in activity.attendance.all()}

    def save(data: dict[str, Any], _: int | None) -> object:
        for agency in agencies:
            n = data.get(f"agency_{agency.pk}")
            if n is not None:
                services.do_record_attendance(
                    actor=request.user,
                    activity=activity,
                    agency=agency,
                    attendees=n,
                    request=request,
                )
        return activity

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"Attendance at {activity.reference} saved.")
        return redirect("community:activity_list")

    return form_step(
        request,
        form_class=attendance_form(agencies),
        form_kwargs={"initial": {f"agency_{k}": v for k, v in held.items()}},
        save=save,
        saved=saved,
        template="core/form_page.html",
        context={
            "title": f"Attendees by agency: {activity.topic}, {activity.held_on:%d %B %Y}",
            "submit_label": "Save attendance",
        },
    )
