"""Panels (configured as data), cases, transitions between them, timelines and offending."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.core.models import BaseModel, ReferencedModel, VersionedModel
from csphub.lib.deadlines import DeadlineState, deadline_state
from csphub.lib.references import ReferenceFormat
from csphub.panels.choices import (
    CaseFlagKind,
    CaseStatus,
    ClosureOutcome,
    LawfulBasis,
    MembershipRole,
    PanelKind,
    ReferralReason,
    RiskLevel,
    SubjectRole,
    TransitionKind,
    TransitionStatus,
    all_decisions,
)
from csphub.panels.rules import PanelRules
from csphub.people.models import Person, Place


class Panel(VersionedModel):
    """A multi-agency panel (CREST, VIP, ASB CMP…): configured by an administrator, not coded.

    Versioned: settings saved from a form opened before someone else's save are refused.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=PanelKind.choices, default=PanelKind.OTHER)
    purpose = models.TextField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    member_agencies = models.ManyToManyField(Agency, blank=True, related_name="panels")
    members: models.ManyToManyField[User, PanelMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="PanelMembership", related_name="panels"
    )
    meeting_cadence = models.CharField(
        max_length=200, help_text="For example, fortnightly on Tuesdays."
    )
    referral_criteria = models.TextField()
    review_interval_days = models.PositiveIntegerField(default=42)
    # The panel's rules, read through `rules` (csphub.panels.rules.PanelRules), never directly:
    # whether a referral needs consent (or an override), whether the structured risk screen is
    # used (panels for children at risk of exploitation) and which decisions the panel makes.
    consent_required = models.BooleanField(default=True)
    uses_risk_screen = models.BooleanField(default=False)
    decisions = models.JSONField(default=all_decisions, blank=True)
    # How many members of each seat must be present for a decision ({} for no quorum): the
    # seats are named by the app that seats the members (children's NRM: social care, police,
    # health). Read through `rules.quorum_errors`.
    quorum = models.JSONField(default=dict, blank=True)
    # Whether the whole of a case's owning agency sees it (the usual rule). Off for a panel whose
    # cases only its members may see (children's NRM): its cases are held by the co-ordinator's
    # agency for the record, not opened to everyone in it.
    owning_agency_sees_cases = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_panels", "See the partnership's panels, their purpose and members"),
            ("view_panel_dashboard", "See a panel's aggregate figures (suppressed)"),
            ("manage_panels", "Configure panels and their members"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rules(self) -> PanelRules:
        """What this panel asks of a referral and which decisions it makes."""
        return PanelRules.of(self)


class PanelMembership(BaseModel):
    """A user sitting on a panel, as a member or as its co-ordinator."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        ordering = ["panel__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="one_membership_per_panel")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel} ({self.role})"


class Case(ReferencedModel, VersionedModel):
    """A piece of multi-agency work about people and places, held by one panel at a time.

    Escalation moves the same case to another panel, so its whole history stays on it
    (docs/adr/0201-escalation-keeps-the-case.md).
    """

    reference_format = ReferenceFormat("C", 5)  # C-7K3Q9
    reference = models.CharField(max_length=12, unique=True, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="cases")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="owned_cases")
    assigned_practitioners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_cases"
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    risk_level = models.CharField(
        max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    summary = models.TextField(blank=True, help_text="The concern, in a few sentences.")
    plan = models.TextField(blank=True, help_text="The agreed multi-agency plan.")
    referred_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_outcome = models.CharField(max_length=30, choices=ClosureOutcome.choices, blank=True)

    class Meta:
        ordering = ["-referred_at"]
        permissions = [
            ("view_cases", "See the cases of your panels and your agency"),
            ("refer", "Refer a person or place to a panel"),
            ("coordinate", "Accept, reject, escalate, transfer and close cases of your panels"),
            ("export_cases", "Download the list of cases you can see as CSV"),
            ("record_offending", "Record offences against a referred person (police partner)"),
        ]
        indexes = [models.Index(fields=["panel", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def review_overdue(self) -> bool:
        return (
            self.review_due is not None
            and deadline_state(self.review_due, today=timezone.localdate(), needed=self.is_open)
            == DeadlineState.OVERDUE
        )

    def subject_ages(self) -> list[int | None]:
        """Today's age of each person the case is about (None where the date of birth is not
        known); places have no age and are left out."""
        today = timezone.localdate()
        return [
            s.person.age_on(today)
            for s in self.subjects.select_related("person")
            if s.person is not None
        ]

    def latest_indicators(self) -> dict[str, int]:
        """The risk-screen scores of the latest transition that carried any ({} if none did)."""
        for scores in self.transitions.order_by("-made_at", "-created_at").values_list(
            "indicators", flat=True
        ):
            if scores:
                return {str(k): int(v) for k, v in scores.items()}
        return {}


class CaseSubject(BaseModel):
    """A person or a place a case is about, and in what role (victim, perpetrator, location…)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links"
    )
    role = models.CharField(max_length=20, choices=SubjectRole.choices)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, place__isnull=True)
                | Q(person__isnull=True, place__isnull=False),
                name="subject_is_a_person_or_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.role}) on {self.case}"

    @property
    def reference(self) -> str:
        subject = self.person or self.place
        return subject.reference if subject else ""


class Transition(BaseModel):
    """One shape for referral, transfer and escalation: who, when, why, consent, risk, decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=20, choices=TransitionKind.choices)
    status = models.CharField(
        max_length=20, choices=TransitionStatus.choices, default=TransitionStatus.PENDING
    )
    from_panel = models.ForeignKey(
        Panel, null=True, blank=True, on_delete=models.PROTECT, related_name="transitions_out"
    )
    to_panel = models.ForeignKey(
        Panel, null=True, blank=True, on_delete=models.PROTECT, related_name="transitions_in"
    )
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="transitions_out"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="transitions_in"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    reason_category = models.CharField(
        max_length=30, choices=ReferralReason.choices, default=ReferralReason.OTHER
    )
    reason = models.TextField()
    # None: not asked, as the receiving panel's rules do not require consent (no override).
    consent_given = models.BooleanField(null=True)
    # Proceeding without consent is an override: a lawful basis and a written reason, audited.
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    override_reason = models.TextField(blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    indicators = models.JSONField(default=dict, blank=True)
    # A referral's record the referrer said may be someone already known (a record they can
    # see): only a suggestion, which the receiving co-ordinator takes or sets aside on accepting.
    suggested_match = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="suggested_in"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["made_at"]
        constraints = [
            # A reason of only spaces or line breaks is no reason (enforced here as in the forms).
            models.CheckConstraint(
                # `isnull=False` beside each value keeps an unknown (NULL) from passing.
                condition=Q(consent_given=True, consent_given__isnull=False)
                | Q(consent_given__isnull=True, lawful_basis="", override_reason="")
                | (
                    Q(consent_given=False, consent_given__isnull=False)
                    & ~Q(lawful_basis="")
                    & ~Q(override_reason__regex=r"^\s*$")
                ),
                name="no_consent_needs_basis_and_reason",
            )
        ]
        indexes = [
            # The case-access rule asks, for every case it checks, whether its referral is still
            # not accepted: a handful of rows among every case's referral (ADR 0511).
            models.Index(
                fields=["case"],
                condition=Q(kind=TransitionKind.REFERRAL) & ~Q(status=TransitionStatus.ACCEPTED),
                name="transition_unaccepted_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case}"

    @property
    def is_consent_override(self) -> bool:
        """Made without the consent its panel requires: an override, with a lawful basis."""
        return self.consent_given is False

    @property
    def indicator_total(self) -> int:
        return sum(int(v) for v in self.indicators.values())


class CaseFlag(VersionedModel):
    """A warning shown on a case (weapons, staff safety…) with the reason it was raised.

    Versioned: clearing it from a page opened before someone else cleared it is refused.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=30, choices=CaseFlagKind.choices)
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Clearing keeps the flag: who cleared it, when and why stay on the case's record.
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cleared_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None


class TimelineEntry(BaseModel):
    """One event in a case's history: a transition, decision, action, note or status change.

    `kind` is the audit verb of the event (csphub.audit.verbs), written with its audit event
    by `record_case_event`; stored as text, so later apps add verbs without a migration.
    `source_type`/`source_id` point at the record the entry came from.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=40, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    source_type = models.CharField(max_length=80, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name_plural = "timeline entries"
        indexes = [models.Index(fields=["case", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case}"


class Offence(BaseModel):
    """An offence recorded against a referred person by the police partner."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offences")
    offence_date = models.DateField()
    # "MAJOR/MINOR" in the Metropolitan Police's categories, matching the crime engine's weights.
    category = models.CharField(max_length=200)
    harm_weight = models.FloatField(null=True, blank=True)
    # The police's own crime reference, when the offence came from an extract: importing the
    # same extract again (or one overlapping it) must not count an offence twice.
    police_reference = models.CharField(max_length=40, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-offence_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "police_reference"],
                condition=~models.Q(police_reference=""),
                name="offence_police_reference_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} on {self.offence_date} by {self.person}"

    @property
    def category_label(self) -> str:
        from csphub.panels.offence_categories import category_label

        return category_label(self.category)
