"""Demo meetings for every panel with a co-ordinator: one held three weeks ago (agenda,
attendance by agency and by name with an apology, minutes, decisions, actions, one of them
overdue) and one coming up (agenda, agencies asked for their research, one answer). Idempotent:
a panel that already has meetings is left alone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from csphub.accounts.models import User
from csphub.meetings import services
from csphub.meetings.choices import ActionStatus, AttendanceStatus
from csphub.meetings.models import AgendaItem, Meeting
from csphub.meetings.selectors import agencies_to_ask, may_answer, places_for_meeting_actions
from csphub.panels.choices import MembershipRole
from csphub.panels.models import Panel, PanelMembership

DECISIONS = [
    (
        "Partners shared what they know; risk remains high around the town centre after school.",
        "Accepted onto the panel. Joint home visit by police and youth justice within two weeks; "
        "school to share attendance weekly.",
    ),
    (
        "Engagement with the outreach worker is improving; no new police intelligence.",
        "Continue the plan; review at the next meeting.",
    ),
    (
        "Missing episodes have stopped since the move to the new placement.",
        "Step down to single-agency support if there is no new concern by the next review.",
    ),
]
ACTIONS = [
    ("Arrange a joint home visit with youth justice.", -6),  # already overdue
    ("Share weekly school attendance with the co-ordinator.", 10),
    ("Refer to the detached youth work team for after-school sessions.", 20),
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _agenda_as_drawn_up(meeting: Meeting) -> list[AgendaItem]:
    """The agenda a past meeting was drawn up with before it was held: the demo writes that
    history directly, as `do_generate_agenda` refuses a meeting whose day is over."""
    return [
        AgendaItem.objects.create(meeting=meeting, case=case, reason=reason, position=i)
        for i, (case, reason) in enumerate(services.agenda_candidates(meeting), start=1)
    ]


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    made = 0
    for panel in Panel.objects.filter(is_active=True).order_by("name"):
        coordinator_link = (
            PanelMembership.objects.filter(
                panel=panel, role=MembershipRole.COORDINATOR, user__is_active=True
            )
            .select_related("user")
            .first()
        )
        if coordinator_link is None or Meeting.objects.filter(panel=panel).exists():
            continue
        _panel_meetings(panel, coordinator_link.user)
        made += 1
    if made:
        stdout.write(f"  Meetings for {made} panels ready\n")
    else:
        stdout.write("  No new panel meetings (none to add, or no panels with a co-ordinator)\n")


def _panel_meetings(panel: Panel, coordinator: User) -> None:
    past = services.do_schedule_meeting(
        actor=coordinator,
        panel=panel,
        scheduled_for=_at(-21, 14),
        location="Civic Offices, Watling Street, Bexleyheath",
        chair=coordinator,
    )
    items = _agenda_as_drawn_up(past)
    agencies = list(panel.member_agencies.all()[:6])
    members = list(
        User.objects.filter(panel_memberships__panel=panel, is_active=True).order_by("email")
    )
    services.do_record_attendance(
        actor=coordinator,
        meeting=past,
        entries=[
            (
                a,
                AttendanceStatus.APOLOGIES if i == 3 else AttendanceStatus.PRESENT,
                "" if i == 3 else "Panel representative",
            )
            for i, a in enumerate(agencies)
        ],
        # Everyone came but the second member by e-mail, who sent apologies.
        people=[
            (m, AttendanceStatus.APOLOGIES if i == 1 else AttendanceStatus.PRESENT)
            for i, m in enumerate(members)
        ],
    )
    services.do_record_minutes(
        actor=coordinator,
        meeting=past,
        minutes="Actions from the previous meeting were reviewed. Partners noted a rise in "
        "reports around the Broadway after 3pm and agreed to share patrol plans.",
    )
    # Actions go to the practitioners who sit on the panel, as they would in a real meeting.
    owners = [
        m.user
        for m in PanelMembership.objects.filter(
            panel=panel,
            role=MembershipRole.MEMBER,
            user__is_active=True,
            user__agency__isnull=False,
        )
        .select_related("user__agency")
        .order_by("user__email")
        if m.user.has_perm("meetings.view_actions")
    ] or [coordinator]
    for index, item in enumerate(items[:3]):
        discussion, decision = DECISIONS[index]
        services.do_record_decision(
            actor=coordinator, item=item, discussion=discussion, decision=decision
        )
        description, due_in = ACTIONS[index]
        owner = owners[index % len(owners)]
        if owner.agency is None:
            continue
        action = services.do_create_action(
            actor=coordinator,
            meeting=past,
            item=item,
            description=description,
            owning_agency=owner.agency,
            owner=owner,
            due_on=timezone.localdate() + timedelta(days=due_in),
        )
        if index == 2:
            services.do_update_action(
                actor=coordinator,
                action=action,
                status=ActionStatus.IN_PROGRESS,
                note="First session booked.",
            )
    # The bigger picture: one action for the meeting itself, about a place of the panel's cases.
    place = places_for_meeting_actions(past).order_by("reference").first()
    if place is not None and owners[0].agency is not None:
        services.do_create_action(
            actor=coordinator,
            meeting=past,
            item=None,
            description="Walk-through of the area with the council's environmental team; "
            "report lighting and sight lines to the next meeting.",
            owning_agency=owners[0].agency,
            owner=owners[0],
            due_on=timezone.localdate() + timedelta(days=7),
            place=place,
            theme="After-school gathering and weapon carrying",
        )
    upcoming = services.do_schedule_meeting(
        actor=coordinator,
        panel=panel,
        scheduled_for=_at(10, 14),
        location="Microsoft Teams",
        chair=coordinator,
    )
    services.do_generate_agenda(actor=coordinator, meeting=upcoming)
    _ask_for_research(upcoming, coordinator)


def _ask_for_research(meeting: Meeting, coordinator: User) -> None:
    """Two agencies asked for their research on the agenda's cases; the first case answered."""
    agencies = [a for a in agencies_to_ask(meeting) if a.pk != coordinator.agency_id][:2]
    if not agencies or not meeting.items.exists():
        return
    asked = services.do_request_information(
        actor=coordinator,
        meeting=meeting,
        agencies=agencies,
        due_on=meeting.meeting_date - timedelta(days=3),
    )
    first = asked[0]
    for user in User.objects.filter(agency=first.agency, is_active=True).order_by("email"):
        if may_answer(user, first):
            services.do_answer_information_request(
                actor=user,
                information_request=first,
                answer="Known to the neighbourhood team: two call-outs to the address this "
                "month, no arrests. Intelligence suggests older associates collect after school.",
            )
            return
