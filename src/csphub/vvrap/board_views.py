"""The minimum standards' pages: the compliance panel, the tasking meeting's events tracker and
the joint strategic assessment's status. Events are at community places: no personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.audit.pages import audited_page, note
from csphub.audit.verbs import MINUTES_EXPORTED
from csphub.core.access import get_visible_or_404
from csphub.core.editing import form_step
from csphub.meetings.exports import minutes_docx, minutes_for, minutes_pdf
from csphub.vvrap import services
from csphub.vvrap.compliance import compliance, missing_standing_items
from csphub.vvrap.figures import standing_figures
from csphub.vvrap.forms import AssessmentForm, CloseEventForm, EventForm
from csphub.vvrap.models import AssessmentStatus, Board, Plan
from csphub.vvrap.selectors import (
    board_meetings_visible_to,
    board_minutes_visible_to,
    event_places_for,
    events_visible_to,
    latest_returned_quarter,
    may_keep_tracker,
    may_read_board_minutes,
    quarter_label,
    summary_of,
)


@login_required
def compliance_panel(request: AuthedRequest) -> HttpResponse:
    standards = compliance()
    return render(
        request,
        "vvrap/compliance.html",
        {
            "standards": standards,
            "months": [m.month for m in standards[0].months],
            "assessment": AssessmentStatus.objects.first(),
            "may_keep": may_keep_tracker(request.user),
        },
    )


@login_required
def event_list(request: AuthedRequest) -> HttpResponse:
    events = list(events_visible_to(request.user))
    return render(
        request,
        "vvrap/event_list.html",
        {
            "open_events": [e for e in events if e.closed_on is None],
            "closed_events": [e for e in events if e.closed_on is not None][:50],
            "may_keep": may_keep_tracker(request.user),
            "close_form": CloseEventForm(),
        },
    )


@login_required
def event_create(request: AuthedRequest) -> HttpResponse:
    if not may_keep_tracker(request.user):
        raise PermissionDenied

    def saved(_: Any) -> HttpResponse:
        messages.success(request, "Event recorded.")
        return redirect("vvrap:event_list")

    return form_step(
        request,
        form_class=EventForm,
        form_kwargs={"places": event_places_for(request.user)},
        save=lambda d, _: services.do_record_event(actor=request.user, request=request, **d),
        saved=saved,
        template="core/form_page.html",
        context={"title": "Record an event on the tracker", "submit_label": "Record event"},
    )


@require_POST
@login_required
def event_close(request: AuthedRequest, event_id: Any) -> HttpResponse:
    event = get_visible_or_404(events_visible_to(request.user), pk=event_id)
    if not may_keep_tracker(request.user):
        raise PermissionDenied
    form = CloseEventForm(request.POST)
    if form.is_valid():
        services.do_close_event(
            actor=request.user,
            event=event,
            closed_on=form.cleaned_data["closed_on"],
            request=request,
        )
        messages.success(request, "Event closed.")
    else:
        messages.error(request, "Enter the date the event closed.")
    return redirect("vvrap:event_list")


@login_required
def assessment_record(request: AuthedRequest) -> HttpResponse:
    if not may_keep_tracker(request.user):
        raise PermissionDenied

    def saved(_: Any) -> HttpResponse:
        messages.success(request, "Assessment status recorded.")
        return redirect("vvrap:compliance")

    return form_step(
        request,
        form_class=AssessmentForm,
        save=lambda d, _: services.do_record_assessment(actor=request.user, request=request, **d),
        saved=saved,
        template="core/form_page.html",
        context={
            "title": "Record a refresh of the joint strategic assessment",
            "submit_label": "Record",
        },
    )


@login_required
def board_list(request: AuthedRequest) -> HttpResponse:
    meetings = list(board_meetings_visible_to(request.user).order_by("-scheduled_for")[:40])
    minuted = may_read_board_minutes(request.user)
    boards = list(Board.objects.select_related("panel")) if minuted else []
    return render(request, "vvrap/board_list.html", {"meetings": meetings, "boards": boards})


@login_required
def board_minutes(request: AuthedRequest, slug: str) -> HttpResponse:
    """A board's past meetings, each with its minutes as PDF and Word: for the Executive and
    the CSP manager, who hold no `meetings.view_meetings` (docs/permissions.md)."""
    if not may_read_board_minutes(request.user):
        raise Http404
    meetings = board_minutes_visible_to(request.user).filter(panel__slug=slug)
    board = get_object_or_404(Board.objects.select_related("panel"), panel__slug=slug)
    return render(
        request,
        "vvrap/board_minutes.html",
        {"board": board, "meetings": list(meetings.order_by("-scheduled_for"))},
    )


def _minutes_file(request: AuthedRequest, meeting_id: Any, fmt: str) -> HttpResponse:
    meeting = get_visible_or_404(board_minutes_visible_to(request.user), pk=meeting_id)
    content = minutes_for(request.user, meeting)
    if content.items or content.place_items:  # a board holds no case: never send one
        raise Http404
    if fmt == "pdf":
        body, mime = minutes_pdf(content), "application/pdf"
    else:
        body = minutes_docx(content)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    note(request, format=fmt, board=meeting.panel.vvrap_board.kind)
    response = HttpResponse(body, content_type=mime)
    name = f"minutes-{meeting.panel.slug}-{meeting.meeting_date:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@audited_page(MINUTES_EXPORTED, "meetings.meeting", "meeting_id")
def board_minutes_pdf(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    return _minutes_file(request, meeting_id, "pdf")


@login_required
@audited_page(MINUTES_EXPORTED, "meetings.meeting", "meeting_id")
def board_minutes_docx(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    return _minutes_file(request, meeting_id, "docx")


@login_required
def board_pack(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    """A board meeting's pack: its agenda's topics (and standing items missing), the plan's
    latest return by theme, the standing item's crime figures, and this month's standards."""
    meeting = get_visible_or_404(board_meetings_visible_to(request.user), pk=meeting_id)
    plan = Plan.objects.filter(is_current=True).first()
    returned = latest_returned_quarter(plan) if plan else None
    return render(
        request,
        "vvrap/board_pack.html",
        {
            "meeting": meeting,
            "topics": list(meeting.topics.all()),
            "missing": missing_standing_items(meeting)
            if meeting.panel.vvrap_board.carries_standing_items
            else [],
            "plan": plan,
            "returned_label": quarter_label(*returned) if returned else "",
            "counts": summary_of(plan, *returned) if plan and returned else [],
            "figures": standing_figures(),
        },
    )
