"""Every write to meetings and actions: keyword-only, atomic, audited; case decisions and
actions also go on the case's timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.audit import record
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.meetings import notices, verbs
from csphub.meetings.choices import ActionStatus, AgendaReason, AttendanceStatus
from csphub.meetings.models import (
    Action,
    AgendaItem,
    AgendaTopic,
    Attendance,
    Meeting,
    PersonAttendance,
)
from csphub.meetings.selectors import (
    may_open_case,
    may_set_case_action,
    may_update_action,
    meetings_run_by,
    panels_run_by,
    place_cases,
    places_for_meeting_actions,
)
from csphub.meetings.topics import standing_item_label
from csphub.panels.choices import OPEN_STATUSES, CaseStatus, TransitionKind, TransitionStatus
from csphub.panels.models import Case, Panel, Transition
from csphub.panels.services import record_case_event
from csphub.people.models import Place

if TYPE_CHECKING:
    from csphub.accounts.models import User


def _check_runs(actor: User, meeting: Meeting, item: AgendaItem | None = None) -> None:
    """The meeting's co-ordinator; for an ITEM, one who may still open its case (an item
    stays on the agenda when its case moves out of their sight)."""
    if not meetings_run_by(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied("Only the panel's co-ordinator can do this.")
    if item is not None and not may_open_case(actor, item.case):
        raise PermissionDenied("You can no longer open this case.")


def do_schedule_meeting(
    *,
    actor: User,
    panel: Panel,
    scheduled_for: datetime,
    location: str = "",
    chair: User | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    if not panels_run_by(actor).filter(pk=panel.pk).exists():
        raise PermissionDenied("Only the panel's co-ordinator can schedule its meetings.")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            panel=panel,
            scheduled_for=scheduled_for,
            location=location,
            chair=chair,
            created_by=actor,
        )
        record(
            verb=verbs.SCHEDULED,
            actor=actor,
            target=meeting,
            request=request,
            payload={"panel": str(panel.pk)},
        )
    return meeting


def _incoming(meeting: Meeting) -> list[Case]:
    """Open cases of other panels with a referral or escalation to this one awaiting its
    decision, not yet decided at one of its meetings since: the panel discusses them before
    it accepts. Oldest request first."""
    decided_here = AgendaItem.objects.filter(
        case_id=OuterRef("case_id"),
        meeting__panel_id=meeting.panel_id,
        decided_at__gte=OuterRef("made_at"),
    )
    pending = (
        Transition.objects.filter(
            to_panel_id=meeting.panel_id,
            status=TransitionStatus.PENDING,
            kind__in=[TransitionKind.REFERRAL, TransitionKind.ESCALATION],
            case__status__in=OPEN_STATUSES,
        )
        .filter(~Exists(decided_here))
        .exclude(case__panel_id=meeting.panel_id)
        .exclude(case_id__in=meeting.items.values("case_id"))
        .select_related("case")
        .order_by("made_at")
    )
    return list({t.case_id: t.case for t in pending}.values())


def agenda_candidates(meeting: Meeting) -> list[tuple[Case, AgendaReason]]:
    """New referrals not yet discussed (those on the panel, then those referred or escalated to
    it and awaiting its decision), then open cases whose review falls due by the meeting."""
    discussed = AgendaItem.objects.filter(decided_at__isnull=False).values("case_id")
    on_agenda = meeting.items.values("case_id")
    cases = Case.objects.filter(panel=meeting.panel).exclude(pk__in=on_agenda)
    new = list(
        cases.filter(status__in=[CaseStatus.REFERRED, CaseStatus.ACCEPTED])
        .exclude(pk__in=discussed)
        .order_by("referred_at")
    ) + _incoming(meeting)
    new_ids = {c.pk for c in new}
    due = list(
        cases.filter(status__in=OPEN_STATUSES, review_due__lte=meeting.meeting_date)
        .exclude(pk__in=new_ids)
        .order_by("review_due")
    )
    taken = new_ids | {c.pk for c in due}
    # Contextual safeguarding: every open case about a place is looked at each time.
    places = (
        place_cases(cases.filter(status__in=OPEN_STATUSES))
        .exclude(pk__in=taken)
        .order_by("referred_at")
    )
    return (
        [(c, AgendaReason.NEW_REFERRAL) for c in new]
        + [(c, AgendaReason.REVIEW_DUE) for c in due]
        + [(c, AgendaReason.LOCATION) for c in places]
    )


def do_generate_agenda(
    *, actor: User, meeting: Meeting, request: HttpRequest | None = None
) -> list[AgendaItem]:
    """Add the cases that should be discussed; running it again adds only what is new.

    New referrals (including cases escalated or referred to the panel and awaiting its
    decision), then cases due for review, then the panel's other open cases about places.
    A meeting whose day is over is refused: its agenda is the record of what was discussed.
    """
    _check_runs(actor, meeting)
    if meeting.has_passed():
        raise ServiceError("This meeting has taken place: its agenda can no longer be drawn up.")
    with transaction.atomic():
        start = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
        items = [
            AgendaItem.objects.create(meeting=meeting, case=case, reason=reason, position=start + i)
            for i, (case, reason) in enumerate(agenda_candidates(meeting))
        ]
        record(
            verb=verbs.AGENDA_GENERATED,
            actor=actor,
            target=meeting,
            request=request,
            payload={"added": len(items)},
        )
    return items


def do_add_topic(
    *,
    actor: User,
    meeting: Meeting,
    title: str = "",
    standing_item: str = "",
    request: HttpRequest | None = None,
) -> AgendaTopic:
    """A topic on the agenda that is not a case (a board's standing item, a report): the
    meeting's co-ordinator adds it. A standing item's title is its label unless one is given."""
    _check_runs(actor, meeting)
    label = standing_item_label(standing_item) if standing_item else ""
    if standing_item and not label:
        raise ServiceError({"standing_item": "Choose a standing item from the list"})
    title = title.strip() or label
    if not title:
        raise ServiceError({"title": "Enter the topic"})
    with transaction.atomic():
        position = (meeting.topics.aggregate(m=Max("position"))["m"] or 0) + 1
        topic = AgendaTopic.objects.create(
            meeting=meeting, title=title, standing_item=standing_item, position=position
        )
        record(
            verb=verbs.TOPIC_ADDED,
            actor=actor,
            target=meeting,
            request=request,
            payload={"topic": str(topic.pk), "standing_item": standing_item},
        )
    return topic


def do_record_attendance(
    *,
    actor: User,
    meeting: Meeting,
    entries: list[tuple[Agency, str, str]],
    people: list[tuple[User, str]] | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """ENTRIES: (agency, status, representative) for each agency; PEOPLE: (member of the panel,
    status) for each person, apologies included; each replaces what was recorded for it.

    Raises EditConflict if attendance was saved since EXPECTED_VERSION (the meeting's
    `attendance_version`; default: MEETING's).
    """
    _check_runs(actor, meeting)
    people = people or []
    members = set(meeting.panel.memberships.values_list("user_id", flat=True))
    for person, status in people:
        if person.pk not in members:
            raise ServiceError(f"{person.full_name} does not sit on the {meeting.panel.name}.")
        if status not in AttendanceStatus.values:
            raise ServiceError(f"Unknown attendance status {status!r}")
    with transaction.atomic():
        save_if_unchanged(
            meeting,
            expected_version=expected_version,
            fields={},
            version_field="attendance_version",
        )
        for agency, status, representative in entries:
            if status not in AttendanceStatus.values:
                raise ServiceError(f"Unknown attendance status {status!r}")
            Attendance.objects.update_or_create(
                meeting=meeting,
                agency=agency,
                defaults={"status": status, "representative": representative.strip()},
            )
        for person, status in people:
            PersonAttendance.objects.update_or_create(
                meeting=meeting,
                person=person,
                defaults={"status": status, "agency_id": person.agency_id},
            )
        record(
            verb=verbs.ATTENDANCE_RECORDED,
            actor=actor,
            target=meeting,
            request=request,
            payload={"agencies": len(entries), "people": len(people)},
        )


def do_record_minutes(
    *,
    actor: User,
    meeting: Meeting,
    minutes: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Save the general minutes; raises EditConflict if someone saved them since EXPECTED_VERSION."""
    _check_runs(actor, meeting)
    with transaction.atomic():
        save_if_unchanged(
            meeting,
            expected_version=expected_version,
            fields={"minutes": minutes.strip(), "minutes_recorded_at": timezone.now()},
        )
        record(
            verb=verbs.MINUTES_RECORDED,
            actor=actor,
            target=meeting,
            request=request,
            payload={"version": meeting.version},
        )
    return meeting


def do_record_decision(
    *,
    actor: User,
    item: AgendaItem,
    discussion: str,
    decision: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """The panel's decision about one case; it goes on the case's timeline.

    Raises EditConflict when someone else saved this item after EXPECTED_VERSION was read.
    """
    meeting = item.meeting
    _check_runs(actor, meeting, item)
    if not decision.strip():
        raise ServiceError("Enter the panel's decision.")
    with transaction.atomic():
        first = item.decided_at is None
        now = timezone.now()
        save_if_unchanged(
            item,
            expected_version=expected_version,
            fields={
                "discussion": discussion.strip(),
                "decision": decision.strip(),
                "decided_at": now,
                "decided_by": actor,
            },
        )
        record_case_event(
            verb=verbs.DECISION_RECORDED,
            actor=actor,
            case=item.case,
            summary=f"{'Decision' if first else 'Decision revised'} at the "
            f"{meeting.panel.name} meeting of {meeting.meeting_date:%d %B %Y}",
            detail=item.decision,
            source=item,
            request=request,
            payload={"meeting": str(meeting.pk), "item": str(item.pk), "revised": not first},
        )
    return item


def _check_action(
    *, owner: User, owning_agency: Agency, case: Case | None, status: str, description: str
) -> None:
    """What every new action needs, whatever it belongs to."""
    if owner.agency_id != owning_agency.pk:
        raise ServiceError({"owner": "The owner must work for the agency that owns the action."})
    if case is not None and not may_open_case(owner, case):
        # The action names the case and says what is to be done: need to know applies.
        raise ServiceError(
            {
                "owner": f"{owner.full_name} cannot open case {case.reference}. Choose an "
                "owner who may see the case: someone on the panel, of the agency that owns the "
                "case, or working it."
            }
        )
    if status not in ActionStatus.values:
        raise ServiceError({"status": f"Unknown action status {status!r}"})
    if not description.strip():
        raise ServiceError({"description": "Enter the action."})


def do_create_action(
    *,
    actor: User,
    meeting: Meeting,
    item: AgendaItem | None,
    description: str,
    owning_agency: Agency,
    owner: User,
    due_on: date,
    status: str = ActionStatus.OPEN,
    place: Place | None = None,
    theme: str = "",
    request: HttpRequest | None = None,
) -> Action:
    """An action on one case (ITEM given) or on the meeting itself (ITEM None), which may be
    about a PLACE of the panel's open cases and a THEME. Case actions go on the case timeline."""
    _check_runs(actor, meeting, item)
    if item is not None and item.meeting_id != meeting.pk:
        raise ServiceError("That agenda item belongs to another meeting.")
    if item is not None and (place is not None or theme.strip()):
        raise ServiceError("A place or theme belongs on an action for the whole meeting.")
    if place is not None and not places_for_meeting_actions(meeting).filter(pk=place.pk).exists():
        raise ServiceError({"place": "Choose a place from the panel's open cases."})
    _check_action(
        owner=owner,
        owning_agency=owning_agency,
        case=item.case if item else None,
        status=status,
        description=description,
    )
    with transaction.atomic():
        action = Action.objects.create(
            meeting=meeting,
            item=item,
            case=item.case if item else None,
            place=place,
            theme=theme.strip(),
            description=description.strip(),
            owning_agency=owning_agency,
            owner=owner,
            due_on=due_on,
            status=status,
            completed_on=timezone.localdate() if status == ActionStatus.DONE else None,
        )
        # An action on a case goes on its timeline; one for the whole meeting is audited only.
        record_case_event(
            verb=verbs.ACTION_CREATED,
            actor=actor,
            case=action.case,
            target=action,
            summary=f"Action for {owning_agency.name}, due {due_on:%d %B %Y}",
            detail=action.description,
            source=action,
            request=request,
            payload={
                "meeting": str(meeting.pk),
                "agency": str(owning_agency.pk),
                "owner": str(owner.pk),
                "level": "case" if item is not None else "meeting",
                "place": str(place.pk) if place is not None else "",
            },
        )
        notices.action_assigned(action, actor=actor)
    return action


def do_create_case_action(
    *,
    actor: User,
    case: Case,
    description: str,
    owning_agency: Agency,
    owner: User,
    due_on: date,
    status: str = ActionStatus.OPEN,
    request: HttpRequest | None = None,
) -> Action:
    """An action on CASE agreed outside any meeting (between meetings, say): the case's panel's
    co-ordinator who may open the case sets it, for an owner who may open it too. It goes on
    the case's timeline, and is seen and moved on as every action on a case is."""
    if not case.is_open:
        raise ServiceError("A closed case takes no new actions.")
    if not may_set_case_action(actor, case):
        raise PermissionDenied("Only the co-ordinator of the case's panel can do this.")
    _check_action(
        owner=owner,
        owning_agency=owning_agency,
        case=case,
        status=status,
        description=description,
    )
    with transaction.atomic():
        action = Action.objects.create(
            case=case,
            description=description.strip(),
            owning_agency=owning_agency,
            owner=owner,
            due_on=due_on,
            status=status,
            completed_on=timezone.localdate() if status == ActionStatus.DONE else None,
        )
        record_case_event(
            verb=verbs.CASE_ACTION_CREATED,
            actor=actor,
            case=case,
            target=action,
            summary=f"Action for {owning_agency.name}, due {due_on:%d %B %Y}",
            detail=action.description,
            source=action,
            request=request,
            payload={
                "case": str(case.pk),
                "agency": str(owning_agency.pk),
                "owner": str(owner.pk),
                "level": "case",
            },
        )
        notices.action_assigned(action, actor=actor)
    return action


def do_update_action(
    *,
    actor: User,
    action: Action,
    status: str,
    note: str = "",
    due_on: date | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Action:
    """The owner or a co-ordinator moves an action on; finishing it goes on the case timeline.

    Raises EditConflict if the action was saved since EXPECTED_VERSION (default: ACTION's), so
    an owner's "done" is not overwritten from a page opened before it.
    """
    if not may_update_action(actor, action):
        raise PermissionDenied
    if status not in ActionStatus.values:
        raise ServiceError(f"Unknown action status {status!r}")
    with transaction.atomic():
        before = action.status
        fields: dict[str, Any] = {
            "status": status,
            "update_note": note.strip() or action.update_note,
            "completed_on": timezone.localdate() if status == ActionStatus.DONE else None,
        }
        if due_on is not None:
            fields["due_on"] = due_on
        save_if_unchanged(action, expected_version=expected_version, fields=fields)
        # Only a change of status shows on the case's timeline.
        record_case_event(
            verb=verbs.ACTION_UPDATED,
            actor=actor,
            case=action.case,
            target=action,
            on_timeline=before != status,
            summary=f"Action for {action.owning_agency.name}: {ActionStatus(status).label.lower()}",
            detail=note.strip(),
            source=action,
            request=request,
            payload={"from": before, "to": status},
        )
    return action


# The services of the weeks before a meeting, in their own modules (each `do_*` is found there).
from csphub.meetings.services.circulation import do_circulate_agenda  # noqa: E402, F401
from csphub.meetings.services.preparation import (  # noqa: E402, F401
    do_answer_information_request,
    do_request_information,
)
