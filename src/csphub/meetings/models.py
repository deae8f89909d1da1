"""Panel meetings: agenda, attendance, minutes, a decision per case, and the actions agreed."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.core.models import BaseModel, VersionedModel
from csphub.lib.deadlines import DeadlineState, deadline_state
from csphub.meetings.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AgendaReason,
    AttendanceStatus,
)
from csphub.panels.models import Case, Panel
from csphub.people.models import Place


class Meeting(VersionedModel):
    """One sitting of a panel. Seen by the panel's members; run by its co-ordinators.

    Versioned so two co-ordinators minuting at once cannot overwrite each other; attendance,
    edited on its own page, has its own counter so recording it does not make the minutes
    form stale.
    """

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateTimeField()
    location = models.CharField(
        max_length=200, blank=True, help_text="A room, or 'Microsoft Teams'."
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.TextField(blank=True, help_text="General minutes: matters not about one case.")
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_version = models.PositiveIntegerField(default=1)
    # When the agenda was last e-mailed to the panel, and how often: the count is the
    # invitation's SEQUENCE, so a calendar replaces the earlier invitation, not adds one.
    agenda_circulated_at = models.DateTimeField(null=True, blank=True)
    agenda_circulations = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-scheduled_for"]
        permissions = [
            ("view_meetings", "See the meetings of the panels you sit on"),
            ("run_meetings", "Schedule and minute the meetings of panels you co-ordinate"),
        ]

    def __str__(self) -> str:
        return f"{self.panel} meeting, {timezone.localtime(self.scheduled_for):%d %B %Y}"

    @property
    def meeting_date(self) -> date:
        return timezone.localtime(self.scheduled_for).date()

    def has_passed(self, today: date | None = None) -> bool:
        """Whether the meeting's day is over: its agenda is then history, not drawn up again."""
        return self.meeting_date < (today or timezone.localdate())


class AgendaItem(VersionedModel):
    """A case on a meeting's agenda, with the discussion and the panel's decision about it.

    Versioned: a decision saved over one the user did not see is refused, not lost.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    reason = models.CharField(max_length=20, choices=AgendaReason.choices)
    position = models.PositiveIntegerField(default=0)
    discussion = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_agenda")
        ]

    def __str__(self) -> str:
        return f"{self.case} at {self.meeting}"


class AgendaTopic(BaseModel):
    """A topic on a meeting's agenda that is not a case: a board's standing item (whose key an
    app registered, `csphub.meetings.topics`), a report, an update. It names no case."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=200)
    standing_item = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.title


class Attendance(BaseModel):
    """Whether an agency was represented at a meeting, and by whom."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    representative = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_status_display()}"


class PersonAttendance(BaseModel):
    """Whether one named person attended a meeting, sent apologies or was absent.

    Attendees are the partnership's staff, not case subjects, so the minutes name them. The
    agency is the one they worked for at the meeting, kept if they move on.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["agency__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class InformationRequest(VersionedModel):
    """A request, before a meeting, for an agency's research on one case on its agenda.

    A member of the panel who works for AGENCY answers it; the answer is read only by those who
    may open the case, and goes into the meeting's pack. Versioned, so two colleagues answering
    at once cannot overwrite each other.
    """

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "agency__name", "item__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="one_request_per_item_agency")
        ]

    def __str__(self) -> str:
        return f"Information request due {self.due_on:%d %B %Y}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            deadline_state(self.due_on, today=today, needed=not self.is_answered)
            == DeadlineState.OVERDUE
        )


class Action(VersionedModel):
    """Something an agency was asked to do: a named owner, a due date and a status.

    An action belongs to exactly one record (docs/adr/0013-generalised-action-and-place.md):
    - a meeting — the bigger picture: a theme, a cohort, optionally one place (`case` empty);
    - a case — agreed on an agenda item (`meeting` and `item` say where) or outside any
      meeting (`meeting` empty), and seen only by those who may open the case;
    - a plan item — a milestone of a VVRAP action (`plan_item` set, `meeting` and `case`
      empty);
    - a grant — a funder's condition (`grant` set, `meeting` and `case` empty);
    each of those two apps adds its branch of the access rule to
      `meetings.selectors._action_access`, the one place actions are opened.
    Versioned, so an owner's "done" is not overwritten from a page opened before it.
    """

    # Where the action was agreed; for a meeting action, the record it belongs to.
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    # The case the action belongs to, when it belongs to one (the case's rule then applies).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_actions"
    )
    # A VVRAP action's milestone: the plan item it belongs to (no meeting, no case).
    plan_item = models.ForeignKey(
        "vvrap.PlanItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    # A funder's condition on a grant (docs/funding.md): meeting and case empty.
    grant = models.ForeignKey(
        "funding.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="conditions"
    )
    # Meeting-level actions only: the place (shown by its label, never a home address) or theme.
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_actions"
    )
    theme = models.CharField(
        max_length=200, blank=True, help_text="A theme or cohort, e.g. 'Knife crime, under-18s'."
    )
    description = models.TextField()
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    update_note = models.TextField(blank=True)
    # The day the owner was last reminded, so the reminder job never sends twice in a day.
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        permissions = [("view_actions", "See the actions you own")]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True) | (Q(place__isnull=True) & Q(theme="")),
                name="place_and_theme_only_on_meeting_actions",
            ),
            # A meeting's own action (no case), a case's (agreed at a meeting or not), or a
            # plan item's or a grant's (no meeting, no case).
            models.CheckConstraint(
                condition=Q(
                    meeting__isnull=False,
                    case__isnull=True,
                    plan_item__isnull=True,
                    grant__isnull=True,
                )
                | Q(case__isnull=False, plan_item__isnull=True, grant__isnull=True)
                | Q(
                    plan_item__isnull=False,
                    meeting__isnull=True,
                    case__isnull=True,
                    grant__isnull=True,
                )
                | Q(
                    grant__isnull=False,
                    meeting__isnull=True,
                    case__isnull=True,
                    plan_item__isnull=True,
                ),
                name="action_belongs_to_one_record",
            ),
            # An agenda item is a case at a meeting: its actions name both.
            models.CheckConstraint(
                condition=Q(item__isnull=True) | Q(meeting__isnull=False, case__isnull=False),
                name="agenda_item_action_names_meeting_and_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Action due {self.due_on:%d %B %Y}"

    @property
    def panel(self) -> Panel | None:
        """The panel the action is for: its meeting's, its case's where no meeting agreed it, or
        the board that delivers its plan item's plan; none for a grant's condition."""
        if self.plan_item is not None:
            return self.plan_item.plan.board
        if self.meeting is not None:
            return self.meeting.panel
        if self.case is not None:
            return self.case.panel
        return None

    @property
    def heading(self) -> str:
        """What pages and reminders head the action with: its panel, or the grant it is on."""
        if self.panel is not None:
            return self.panel.name
        return f"Grant condition, {self.grant}" if self.grant_id else "Action"

    @property
    def is_meeting_level(self) -> bool:
        """About the meeting's bigger picture rather than one case on its agenda."""
        return (
            self.item_id is None
            and self.case_id is None
            and self.plan_item_id is None
            and self.grant_id is None
        )

    @property
    def about(self) -> str:
        """The line lists show for a meeting action: its theme and the place's safe label."""
        parts = [self.theme] if self.theme else []
        if self.place is not None:
            parts.append(self.place.label)
        return ", ".join(parts) or "The panel's wider work"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            deadline_state(self.due_on, today=today, needed=self.is_open) == DeadlineState.OVERDUE
        )


class CoordinatorDigest(BaseModel):
    """The daily digest of overdue actions sent to one co-ordinator: at most one a day."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    overdue_actions = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "sent_on"], name="one_digest_per_coordinator_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Overdue-actions digest of {self.sent_on:%d %B %Y}"
