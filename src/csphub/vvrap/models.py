"""The Violence and Vulnerability Reduction Action Plan (VVRAP): its template, themes, actions
(plan items), quarterly updates and the snapshots returned to the VRU; the partnership's boards,
the tasking meeting's events tracker and the joint strategic assessment's status.

A plan item's milestones are `meetings.Action` rows owned by it (`Action.plan_item`,
docs/adr/0013-generalised-action-and-place.md); no action model of its own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from csphub.accounts.models import Agency
from csphub.core.models import BaseModel, VersionedModel
from csphub.lib.periods import Period, quarter
from csphub.meetings.models import Meeting
from csphub.panels.models import Panel
from csphub.people.models import Place
from csphub.vvrap.choices import (
    BoardKind,
    EventKind,
    Priority,
    Rag,
    RiskLevel,
    Scope,
    Stage,
    UpdateStatus,
)

#: What a returned update holds, by key: the return's columns name these (`PlanTemplate.columns`).
SNAPSHOT_FIELDS: dict[str, str] = {
    "number": "Action number",
    "theme": "Theme",
    "description": "Action",
    "outcome": "Outcome sought",
    "lead": "CSP lead",
    "organisations": "Lead organisation(s)",
    "scope": "Generic or local",
    "stage": "Current or developing",
    "priority": "Priority",
    "rag": "RAG",
    "previous_rag": "Last quarter's RAG",
    "rag_reason": "Reason for the RAG",
    "update": "Update",
}


def default_columns() -> list[list[str]]:
    """The VRU template's theme-sheet columns: [header, snapshot field] in order."""
    from csphub.vvrap.seed import COLUMNS

    return [list(pair) for pair in COLUMNS]


class PlanTemplate(BaseModel):
    """The VRU's template a plan follows: its name and the quarterly return's columns, as data
    (`columns`: [header, snapshot field] pairs), so a new template is followed without code."""

    name = models.CharField(max_length=200, unique=True)
    issued_on = models.DateField(null=True, blank=True)
    columns = models.JSONField(default=default_columns)

    class Meta:
        ordering = ["-issued_on", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(BaseModel):
    """A theme of the plan (governance, reducing access to weapons …): data, seeded with the
    eight of the current template."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True, help_text="For example, when it was added.")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Plan(VersionedModel):
    """One version of the partnership's VVRAP, in a template, delivered by a board (whose
    panel heads its milestones in "Your actions" and reminders)."""

    title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=40, help_text="For example, 2025-26 v2.")
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="plans")
    board = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="vvrap_plans")
    first_year = models.PositiveIntegerField(
        help_text="The financial year the plan starts (2025 for 2025-26)."
    )
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-first_year", "-created_at"]
        permissions = [
            ("manage_plan", "Own the VVRAP: edit it, sign off and export quarterly returns"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version_label})"


class PlanFeedback(BaseModel):
    """The joint MPS/VRU/London Councils panel's feedback on one version of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="feedback")
    received_on = models.DateField()
    given_by = models.CharField(max_length=200, default="MPS, VRU and London Councils panel")
    feedback = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"Feedback of {self.received_on:%d %B %Y}"


class PlanItem(VersionedModel):
    """An action of the plan: what is to be done and why, under a theme, with a named CSP lead
    and lead organisations; its milestones are `meetings.Action` rows (`milestones`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="items")
    number = models.CharField(max_length=12, help_text="For example, 3.2.")
    description = models.TextField()
    outcome = models.TextField(help_text="The outcome sought.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.CURRENT)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vvrap_items"
    )
    lead_agencies = models.ManyToManyField(Agency, related_name="vvrap_items")
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    evidence = models.TextField(blank=True, help_text="Links to the evidence, one a line.")
    # The strategic needs assessment's recommendation this answers: its reference until the
    # reports app holds recommendations, when it becomes their key.
    sna_recommendation = models.CharField(max_length=40, blank=True)
    # The funded posts and projects that serve this action (docs/funding.md, "VVRAP actions"):
    # declared here because the plan sits above funding in the import layers.
    funded_items = models.ManyToManyField(
        "funding.FundedItem", blank=True, related_name="vvrap_actions"
    )

    class Meta:
        ordering = ["theme__position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_item_number_once")
        ]

    def __str__(self) -> str:
        return f"VVRAP action {self.number}"

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class QuarterlyUpdate(VersionedModel):
    """The lead's update on one action for one financial-year quarter: a narrative and a
    proposed RAG with its reason, then the CSP manager's sign-off or return."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="updates")
    year = models.PositiveIntegerField(help_text="The financial year's first calendar year.")
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    narrative = models.TextField(blank=True)
    proposed_rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "year", "quarter"], name="one_update_per_action_a_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="update_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} update, {self.period.label}"

    @property
    def period(self) -> Period:
        return quarter(self.year, self.quarter)


class ReturnedUpdate(BaseModel):
    """What was returned for one action in one quarter, frozen when the update was signed off:
    later edits to the action or the plan do not change it (`values` holds every column)."""

    update = models.OneToOneField(
        QuarterlyUpdate, on_delete=models.PROTECT, related_name="returned"
    )
    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="returned")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="returned")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    quarter = models.PositiveSmallIntegerField()
    rag = models.CharField(max_length=5, choices=Rag.choices)
    values = models.JSONField()
    signed_off_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["year", "quarter", "theme__position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "year", "quarter"], name="one_return_per_action_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"Returned {self.values.get('number', '')}, {self.period.label}"

    @property
    def period(self) -> Period:
        return quarter(self.year, self.quarter)

    def value(self, key: str) -> Any:
        return self.values.get(key, "")


class UpdateReminder(BaseModel):
    """A lead was reminded that their actions' update for a quarter is due: at most once."""

    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    quarter = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    actions = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "year", "quarter"], name="one_update_reminder_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"Update reminder of {self.sent_on:%d %B %Y}"


class Board(BaseModel):
    """A panel that is one of the partnership's boards (holding no case data) and what it is
    for: the minimum standards read its meetings' agendas."""

    panel = models.OneToOneField(Panel, on_delete=models.PROTECT, related_name="vvrap_board")
    kind = models.CharField(max_length=20, choices=BoardKind.choices, unique=True)
    carries_standing_items = models.BooleanField(
        default=True, help_text="Its agendas must carry the four standing items."
    )

    class Meta:
        ordering = ["kind"]
        permissions = [
            ("read_board_minutes", "Read the minutes of the partnership's boards (no case data)")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class TaskingEvent(VersionedModel):
    """One event on the violent crime tasking meeting's tracker: when, where (a community
    place, so its ward and LSOA), what, how risky, who owns it, what is being done, closed."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasking_events"
    )
    happened_on = models.DateField()
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="tasking_events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    actions = models.TextField(blank=True, help_text="What the meeting agreed to do.")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-happened_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.happened_on:%d %B %Y}"


class AssessmentStatus(BaseModel):
    """When the joint strategic assessment was last refreshed (a status until the reports app
    produces the assessment itself)."""

    refreshed_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-refreshed_on"]
        verbose_name_plural = "assessment statuses"

    def __str__(self) -> str:
        return f"Assessment refreshed {self.refreshed_on:%d %B %Y}"
