"""Meeting and action pages. Reads through selectors (404 outside them), writes through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.models import Agency, User
from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.meetings import exports, services
from csphub.meetings import verbs as meeting_verbs
from csphub.meetings.choices import AttendanceStatus
from csphub.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    AttendanceForm,
    DecisionForm,
    InformationAnswerForm,
    InformationRequestForm,
    MeetingActionForm,
    MeetingForm,
    MinutesForm,
    TopicForm,
    scheduled_for,
)
from csphub.meetings.invitations import CONTENT_TYPE, invitation_ics, invitation_name
from csphub.meetings.lookup import action_for, information_request_for, meeting_for
from csphub.meetings.models import AgendaItem, Meeting
from csphub.meetings.quorum import quorum_of
from csphub.meetings.selectors import (
    action_lists_for,
    action_owners_for,
    actions_of_panels,
    actions_visible_to,
    agencies_to_ask,
    agenda_visible_to,
    case_action_owners,
    information_requests_answerable_by,
    information_requests_visible_to,
    may_set_case_action,
    meeting_actions_of,
    meeting_lists_for,
    name_agenda_people,
    overdue,
    panels_run_by,
    places_for_meeting_actions,
    split_agenda,
)
from csphub.panels.lookup import case_for

VIEW = "meetings.view_meetings"
RUN = "meetings.run_meetings"


def _meeting(request: AuthedRequest, meeting_id: Any, *, run: bool = False) -> Meeting:
    """The meeting (`meeting_for`); with RUN, only for its co-ordinator: to anyone else who sits
    on the panel, a page that runs the meeting is not found."""
    meeting, runs = meeting_for(request, meeting_id)
    if run and not runs:
        raise Http404("Not found")
    return meeting


def _people_for(meeting: Meeting) -> list[User]:
    """The panel's members, whose attendance is recorded by name."""
    return list(
        User.objects.filter(panel_memberships__panel=meeting.panel, is_active=True)
        .select_related("agency")
        .order_by("agency__name", "full_name")
    )


def _agencies_for(meeting: Meeting) -> list[Agency]:
    agencies = list(meeting.panel.member_agencies.filter(is_active=True))
    return agencies or list(Agency.objects.filter(is_active=True))


@requires_permission(VIEW)
def meeting_list(request: AuthedRequest) -> HttpResponse:
    panel_slug = request.GET.get("panel", "")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            **meeting_lists_for(request.user, panel_slug=panel_slug),
            "can_schedule": panels_run_by(request.user).exists(),
            "run_panels": panels_run_by(request.user),
        },
    )


@requires_permission(RUN)
def meeting_create(request: AuthedRequest) -> HttpResponse:
    def saved(meeting: Any) -> HttpResponse:
        messages.success(request, "Meeting scheduled. Generate its agenda when you are ready.")
        return redirect("meetings:meeting_detail", meeting_id=meeting.pk)

    return form_step(
        request,
        form_class=MeetingForm,
        save=lambda d, _: services.do_schedule_meeting(
            actor=request.user,
            panel=d["panel"],
            scheduled_for=scheduled_for(d),
            location=d["location"],
            chair=request.user,
            request=request,
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": "Schedule a panel meeting", "submit_label": "Schedule"},
        form_kwargs={"panels": panels_run_by(request.user)},
    )


@requires_permission(VIEW)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def meeting_detail(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting, runs = meeting_for(request, meeting_id)
    items = name_agenda_people(list(agenda_visible_to(request.user, meeting)))
    people_items, place_items = split_agenda(items)
    note(request, cases=[i.case.reference for i in items])
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": people_items,
            "place_items": place_items,
            "place_offset": len(people_items),
            "meeting_actions": meeting_actions_of(meeting),
            "topics": meeting.topics.all(),
            "attendance": meeting.attendance.select_related("agency"),
            "quorum": quorum_of(meeting),
            "runs": runs,
            "today": timezone.localdate(),
            "passed": meeting.has_passed(),
            "information_requests": list(
                information_requests_visible_to(request.user).filter(item__meeting=meeting)
            ),
        },
    )


@require_POST
@requires_permission(RUN)
def agenda_generate(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting = _meeting(request, meeting_id, run=True)
    try:
        added = services.do_generate_agenda(actor=request.user, meeting=meeting, request=request)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
    places = sum(1 for i in added if i.reason == "location")
    message = f"{len(added)} case{'s' if len(added) != 1 else ''} added to the agenda"
    if places:
        message += f", {places} of them under locations and themes"
    messages.success(request, f"{message}.")
    return redirect("meetings:meeting_detail", meeting_id=meeting.pk)


@require_POST
@requires_permission(RUN)
def agenda_circulate(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting = _meeting(request, meeting_id, run=True)
    try:
        told = services.do_circulate_agenda(actor=request.user, meeting=meeting, request=request)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Agenda sent to {told} member{'s' if told != 1 else ''} of the panel."
        )
    return redirect("meetings:meeting_detail", meeting_id=meeting.pk)


@requires_permission(VIEW)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def meeting_invitation(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    """The meeting's calendar invitation, for anyone who sits on the panel."""
    meeting = _meeting(request, meeting_id)
    response = HttpResponse(invitation_ics(meeting), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{invitation_name(meeting)}"'
    response["Cache-Control"] = "no-store"
    return response


@requires_permission(RUN)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def information_request_create(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    """The co-ordinator asks agencies for their research on each case on the agenda."""
    meeting = _meeting(request, meeting_id, run=True)
    return _meeting_form(
        request,
        meeting,
        form_class=InformationRequestForm,
        title="Ask agencies for information before the meeting",
        save=lambda d, _: services.do_request_information(
            actor=request.user,
            meeting=meeting,
            agencies=list(d["agencies"]),
            due_on=d["due_on"],
            request=request,
        ),
        done="Agencies asked for their research on the agenda's cases.",
        form_kwargs={"agencies": agencies_to_ask(meeting)},
    )


@requires_permission(VIEW)
@audited_page(meeting_verbs.INFORMATION_REQUESTS_VIEWED)
def information_requests(request: AuthedRequest) -> HttpResponse:
    """What the user's agency is asked for before the meetings of the panels they sit on."""
    asked = list(
        information_requests_answerable_by(request.user).order_by(
            "answered_at", "due_on", "item__meeting__scheduled_for"
        )
    )
    note(request, information_requests=[str(a.pk) for a in asked])
    return render(
        request,
        "meetings/information_requests.html",
        {
            "waiting": [a for a in asked if not a.is_answered],
            "answered": [a for a in asked if a.is_answered],
            "today": timezone.localdate(),
        },
    )


@requires_permission(VIEW)
@audited_page(
    meeting_verbs.INFORMATION_REQUEST_VIEWED,
    "meetings.informationrequest",
    "request_id",
    also=["item"],
)
def information_request_detail(request: AuthedRequest, request_id: Any) -> HttpResponse:
    """One request: its answer for those who may open the case, the form for the asked."""
    asked, can_answer = information_request_for(request, request_id)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied
    context = {"asked": asked, "overdue": asked.is_overdue(), "can_answer": can_answer}
    if not can_answer:
        return render(request, "meetings/information_request.html", {**context, "form": None})

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"Research on case {asked.item.case.reference} saved.")
        return redirect("meetings:information_requests")

    return form_step(
        request,
        form_class=InformationAnswerForm,
        obj=asked,
        initial=lambda a: {"answer": a.answer},
        save=lambda d, version: services.do_answer_information_request(
            actor=request.user,
            information_request=asked,
            expected_version=version,
            request=request,
            **d,
        ),
        template="meetings/information_request.html",
        context=context,
        saved=saved,
        noun="answer",
    )


def _meeting_form(
    request: AuthedRequest,
    meeting: Meeting,
    *,
    form_class: Any,
    title: str,
    save: Callable[[dict[str, Any], int | None], object],
    done: str,
    obj: Meeting | AgendaItem | None = None,
    initial: Callable[[Any], dict[str, Any]] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    version_field: str = "version",
) -> HttpResponse:
    """A form of a meeting, on the meeting form page (`form_step`; OBJ: the versioned record it
    edits, the meeting or an item on its agenda). DONE is said once it is saved."""

    def saved(_: object) -> HttpResponse:
        messages.success(request, done)
        return redirect("meetings:meeting_detail", meeting_id=meeting.pk)

    return form_step(
        request,
        form_class=form_class,
        obj=obj,
        initial=initial,
        save=save,
        template="meetings/meeting_form.html",
        context={"title": title, "meeting": meeting},
        saved=saved,
        form_kwargs=form_kwargs,
        version_field=version_field,
    )


@requires_permission(RUN)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def attendance_edit(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting = _meeting(request, meeting_id, run=True)
    agencies = _agencies_for(meeting)
    people = _people_for(meeting)

    def initial(m: Meeting) -> dict[str, Any]:
        recorded = {a.agency_id: a for a in m.attendance.all()}
        by_person = {a.person_id: a.status for a in m.people.all()}
        values: dict[str, Any] = {
            f"person_{p.pk}": by_person.get(p.pk, AttendanceStatus.ABSENT) for p in people
        }
        for agency in agencies:
            current = recorded.get(agency.pk)
            values[f"status_{agency.pk}"] = current.status if current else AttendanceStatus.ABSENT
            values[f"rep_{agency.pk}"] = current.representative if current else ""
        return values

    def save(data: dict[str, Any], version: int | None) -> None:
        entries = [(a, data[f"status_{a.pk}"], data[f"rep_{a.pk}"]) for a in agencies]
        services.do_record_attendance(
            actor=request.user,
            meeting=meeting,
            entries=entries,
            people=[(p, data[f"person_{p.pk}"]) for p in people],
            expected_version=version,
            request=request,
        )

    return _meeting_form(
        request,
        meeting,
        form_class=AttendanceForm,
        title="Attendance",
        save=save,
        done="Attendance recorded.",
        obj=meeting,
        initial=initial,
        form_kwargs={"agencies": agencies, "people": people},
        version_field="attendance_version",
    )


@requires_permission(RUN)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def minutes_edit(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting = _meeting(request, meeting_id, run=True)
    return _meeting_form(
        request,
        meeting,
        form_class=MinutesForm,
        title="General minutes",
        save=lambda d, version: services.do_record_minutes(
            actor=request.user, meeting=meeting, expected_version=version, request=request, **d
        ),
        done="Minutes saved.",
        obj=meeting,
        initial=lambda m: {"minutes": m.minutes},
    )


@requires_permission(RUN)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def topic_add(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting = _meeting(request, meeting_id, run=True)
    return _meeting_form(
        request,
        meeting,
        form_class=TopicForm,
        title="Add a topic to the agenda",
        save=lambda d, _: services.do_add_topic(
            actor=request.user, meeting=meeting, request=request, **d
        ),
        done="Topic added to the agenda.",
    )


def _item(request: AuthedRequest, meeting_id: Any, item_id: Any) -> AgendaItem:
    meeting = _meeting(request, meeting_id, run=True)
    return get_visible_or_404(agenda_visible_to(request.user, meeting), pk=item_id)


@requires_permission(RUN)
@audited_page(verbs.AGENDA_ITEM_VIEWED, "meetings.agendaitem", "item_id", also=["case"])
def decision_edit(request: AuthedRequest, meeting_id: Any, item_id: Any) -> HttpResponse:
    item = _item(request, meeting_id, item_id)
    return _meeting_form(
        request,
        item.meeting,
        form_class=DecisionForm,
        title=f"Case {item.case.reference}: discussion and decision",
        save=lambda d, version: services.do_record_decision(
            actor=request.user, item=item, expected_version=version, request=request, **d
        ),
        done=f"Decision on case {item.case.reference} recorded.",
        obj=item,
        initial=lambda i: {"discussion": i.discussion, "decision": i.decision},
    )


def _add_action(request: AuthedRequest, meeting: Meeting, item: AgendaItem | None) -> Any:
    """What saves an action on ITEM (an agenda item) or on MEETING itself (ITEM None)."""
    return lambda d, _: services.do_create_action(
        actor=request.user, meeting=meeting, item=item, request=request, **d
    )


@requires_permission(RUN)
@audited_page(verbs.AGENDA_ITEM_VIEWED, "meetings.agendaitem", "item_id", also=["case"])
def action_create(request: AuthedRequest, meeting_id: Any, item_id: Any) -> HttpResponse:
    item = _item(request, meeting_id, item_id)
    return _meeting_form(
        request,
        item.meeting,
        save=_add_action(request, item.meeting, item),
        form_class=ActionForm,
        # Only people who may open the case are offered: the action names it.
        form_kwargs={
            "agencies": Agency.objects.filter(is_active=True),
            "owners": action_owners_for(item.meeting, item.case),
        },
        title=f"Case {item.case.reference}: add an action",
        done=f"Action added to case {item.case.reference}.",
    )


@requires_permission(RUN)
@audited_page(verbs.MEETING_VIEWED, "meetings.meeting", "meeting_id")
def meeting_action_create(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    meeting = _meeting(request, meeting_id, run=True)
    return _meeting_form(
        request,
        meeting,
        save=_add_action(request, meeting, None),
        form_class=MeetingActionForm,
        form_kwargs={
            "agencies": Agency.objects.filter(is_active=True),
            "owners": action_owners_for(meeting),
            "places": places_for_meeting_actions(meeting),
        },
        title="Add an action for the meeting",
        done="Action added to the meeting.",
    )


@requires_permission(RUN)
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_action_create(request: AuthedRequest, case_id: Any) -> HttpResponse:
    """An action on a case agreed outside any meeting, by the co-ordinator of its panel."""
    case, _ = case_for(request, case_id)
    if not may_set_case_action(request.user, case):
        raise PermissionDenied("Only the co-ordinator of the case's panel can do this.")

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"Action added to case {case.reference}.")
        return redirect("panels:case_detail", case_id=case.pk)

    return form_step(
        request,
        form_class=ActionForm,
        save=lambda d, _: services.do_create_case_action(
            actor=request.user, case=case, request=request, **d
        ),
        template="core/form_page.html",
        context={"title": f"Case {case.reference}: add an action", "submit_label": "Add action"},
        saved=saved,
        form_kwargs={
            "agencies": Agency.objects.filter(is_active=True),
            "owners": case_action_owners(case),
        },
    )


@requires_permission("meetings.view_actions")
@audited_page(verbs.ACTION_VIEWED, "meetings.action", "action_id", also=["meeting", "case"])
def action_detail(request: AuthedRequest, action_id: Any) -> HttpResponse:
    # Panel members see a meeting action; only its owner and the co-ordinators move it on.
    action, can_update = action_for(request, action_id)
    if request.method == "POST" and not can_update:
        raise PermissionDenied
    context = {"action": action, "overdue": action.is_overdue()}
    if not can_update:
        return render(request, "meetings/action_detail.html", {**context, "form": None})

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Action updated.")
        return redirect("meetings:action_detail", action_id=action.pk)

    return form_step(
        request,
        form_class=ActionUpdateForm,
        obj=action,
        initial=lambda a: {"status": a.status, "note": a.update_note},
        save=lambda d, version: services.do_update_action(
            actor=request.user, action=action, expected_version=version, request=request, **d
        ),
        template="meetings/action_detail.html",
        context=context,
        saved=saved,
        noun="action",
    )


@requires_permission("meetings.view_actions")
@audited_page(verbs.ACTION_LIST_VIEWED)
def my_actions(request: AuthedRequest) -> HttpResponse:
    lists = action_lists_for(request.user, timezone.localdate())
    note(request, actions=[str(a.pk) for shown in lists.values() for a in shown])
    return render(request, "meetings/my_actions.html", lists)


@requires_permission(RUN)
@audited_page(verbs.ACTION_LIST_VIEWED)
def panel_overdue(request: AuthedRequest, panel_id: Any) -> HttpResponse:
    panel = get_visible_or_404(panels_run_by(request.user), pk=panel_id)
    actions = overdue(actions_visible_to(request.user).filter(actions_of_panels([panel])))
    note(request, actions=[str(a.pk) for a in actions])
    return render(request, "meetings/panel_overdue.html", {"panel": panel, "actions": actions})


def _export(request: AuthedRequest, meeting_id: Any, fmt: str) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    content = exports.minutes_for(request.user, meeting)
    if fmt == "pdf":
        body, mime = exports.minutes_pdf(content), "application/pdf"
    else:
        body = exports.minutes_docx(content)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    note(request, format=fmt, cases=[i.case.reference for i in content.items + content.place_items])
    response = HttpResponse(body, content_type=mime)
    # The file name says which panel and when; never who.
    name = f"minutes-{meeting.panel.slug}-{meeting.meeting_date:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@requires_permission(VIEW)
@audited_page(verbs.MINUTES_EXPORTED, "meetings.meeting", "meeting_id")
def minutes_pdf(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    return _export(request, meeting_id, "pdf")


@requires_permission(VIEW)
@audited_page(verbs.MINUTES_EXPORTED, "meetings.meeting", "meeting_id")
def minutes_docx(request: AuthedRequest, meeting_id: Any) -> HttpResponse:
    return _export(request, meeting_id, "docx")
