"""Children's NRM referrals, the panel's seats, its decisions with attendance and votes,
structured minutes, reconsiderations, the SCA's audit, follow-ups and national comparators.

A referral is a `panels.Case` on the NRM panel (made with `panels.services.do_refer`, the
panel's rules saying no consent is needed); this app adds what only the NRM asks of it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from csphub.accounts.models import Agency
from csphub.core.models import BaseModel, ReferencedModel
from csphub.lib.references import ReferenceFormat
from csphub.meetings.models import Meeting
from csphub.nrm.choices import (
    VOTING_SEATS,
    AuditState,
    DecisionKind,
    ExploitationType,
    ExploitedWhere,
    FirstResponderType,
    FollowUpStatus,
    Gender,
    Outcome,
    Requester,
    Routing,
    Seat,
    Vote,
)
from csphub.panels.models import Case, Panel, PanelMembership
from csphub.people.models import Person

#: What a child's referral records about consent: the panel's rules need none.
CONSENT_NOT_REQUIRED = "Not required: child"


class NrmSettings(BaseModel):
    """The NRM panel's own settings: the RG due date (the pilot's rule), the national SCA
    target shown beside it, the CG warning and the agency that holds the panel's cases."""

    panel = models.OneToOneField(Panel, on_delete=models.CASCADE, related_name="nrm_settings")
    holding_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    rg_due_days = models.PositiveSmallIntegerField(
        default=45, help_text="Calendar days from the referral being received."
    )
    sca_target_working_days = models.PositiveSmallIntegerField(default=5)
    cg_warning_days = models.PositiveSmallIntegerField(
        default=30, help_text="A CG sooner than this after a positive RG is warned."
    )

    class Meta:
        verbose_name_plural = "NRM settings"
        permissions = [
            ("view_nrm", "See the NRM referrals and decisions of the NRM panel you sit on"),
            ("refer_nrm", "Refer a child to the NRM panel and follow your referrals' status"),
            ("run_nrm", "Record NRM decisions, minutes, audits and follow-ups (co-ordinator)"),
            ("sign_off_nrm", "Sign off an NRM minute as a second voting member"),
            ("view_nrm_figures", "See NRM decision times and the quarterly return (suppressed)"),
        ]

    def __str__(self) -> str:
        return f"NRM settings of {self.panel}"


class PanelSeat(BaseModel):
    """A member's seat on the NRM panel: social care, police or health (voting), the
    Independent Child Trafficking Guardian (required, not voting) or advisory."""

    membership = models.OneToOneField(
        PanelMembership, on_delete=models.CASCADE, related_name="nrm_seat"
    )
    seat = models.CharField(max_length=20, choices=Seat.choices)

    def __str__(self) -> str:
        return f"{self.membership.user} ({self.get_seat_display()})"

    @property
    def voting(self) -> bool:
        return self.seat in VOTING_SEATS


class Referral(ReferencedModel, BaseModel):
    """A first responder's NRM referral of a child: the intake, its eligibility and routing."""

    reference_format = ReferenceFormat("NRM", 5)
    reference = models.CharField(max_length=12, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="nrm_referral")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nrm_referrals")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nrm_referrals"
    )
    first_responder_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first_responder_type = models.CharField(max_length=20, choices=FirstResponderType.choices)
    first_responder_officer = models.CharField(max_length=200)
    received_on = models.DateField()
    age_at_exploitation = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices)
    nationality = models.CharField(max_length=100, help_text="As reported.")
    exploitation_types = models.JSONField(default=list)
    county_lines = models.BooleanField(default=False)
    exploited_where = models.CharField(max_length=10, choices=ExploitedWhere.choices)
    crest_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allocated_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    age_disputed = models.BooleanField(default=False)
    public_order_consideration = models.BooleanField(default=False)
    eligible = models.BooleanField()
    routing = models.CharField(max_length=10, choices=Routing.choices)
    routing_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def consent(self) -> str:
        return CONSENT_NOT_REQUIRED

    @property
    def exploitation_labels(self) -> list[str]:
        labels = dict(ExploitationType.choices)
        return [labels.get(t, t) for t in self.exploitation_types]

    def decision(self, kind: str) -> Decision | None:
        """The referral's latest decision of KIND (a reconsideration's replaces the first)."""
        found = [d for d in self.decisions.all() if d.kind == kind]
        return max(found, key=lambda d: (d.decided_on, d.created_at)) if found else None


class Decision(BaseModel):
    """A Reasonable or Conclusive Grounds decision made at a meeting, the test wording it
    applied (stored as it was on the day), the CG warning if one was given, and the SCA's
    audit of it."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=2, choices=DecisionKind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="nrm_decisions")
    decided_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    test_version = models.CharField(max_length=20)
    test_wording = models.TextField()
    warning = models.TextField(blank=True, help_text="A warning given and accepted on recording.")
    reconsideration = models.OneToOneField(
        "Reconsideration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="new_decision",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    audit_state = models.CharField(
        max_length=10, choices=AuditState.choices, default=AuditState.NOT_SENT
    )
    audit_comments = models.TextField(blank=True)
    audit_updated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["decided_on", "kind", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} decision on {self.referral}"

    @property
    def days_from_referral(self) -> int:
        return (self.decided_on - self.referral.received_on).days


class Attendance(BaseModel):
    """Who was at the decision, in which seat, and how each voting member voted."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seat = models.CharField(max_length=20, choices=Seat.choices)
    vote = models.CharField(max_length=10, choices=Vote.choices, blank=True)

    class Meta:
        ordering = ["seat", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="nrm_attends_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.decision}"


class Minute(BaseModel):
    """The structured minute of a decision, one version at a time. A second voting member
    signs it off before it is issued; an issued version never changes (a correction is the
    next version)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    evidence = models.JSONField(default=list, help_text="[{item, source}]")
    credibility = models.TextField()
    trauma_informed = models.TextField()
    test_applied = models.TextField()
    reasons = models.TextField(blank=True)
    correction_note = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decision", "version"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "version"], name="nrm_minute_version")
        ]

    def __str__(self) -> str:
        return f"Minute v{self.version} of {self.decision}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk and Minute.objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise ValueError("An issued minute never changes: write a correction")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def state(self) -> str:
        if self.issued_at:
            return "Issued"
        return "Signed off, not issued" if self.signed_off_at else "Draft"


class Reconsideration(BaseModel):
    """A request from the first responder or support provider to reconsider a decision."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="reconsiderations"
    )
    requested_by = models.CharField(max_length=20, choices=Requester.choices)
    requested_on = models.DateField()
    grounds = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["requested_on"]

    def __str__(self) -> str:
        return f"Reconsideration of {self.decision}"


class FollowUp(BaseModel):
    """What happened after the decision, at 3 or 6 months: the outcome the pilot's evaluation
    found missing."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(choices=[(3, "3 months"), (6, "6 months")])
    support_offered = models.TextField(blank=True)
    missing_episodes = models.PositiveSmallIntegerField(default=0)
    re_referred = models.BooleanField(default=False)
    crest_status = models.CharField(max_length=10, choices=FollowUpStatus.choices)
    vip_status = models.CharField(max_length=10, choices=FollowUpStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "months"], name="nrm_follow_up_once")
        ]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up of {self.referral}"


class Comparator(BaseModel):
    """A national figure the decision times are shown against, with its definition."""

    label = models.CharField(max_length=200)
    measure = models.CharField(
        max_length=10, choices=[("rg", "Days to RG"), ("cg", "Days to CG"), ("final", "Final")]
    )
    days = models.DecimalField(max_digits=6, decimal_places=1)
    definition = models.TextField()
    source = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


def final_decision_on(referral: Referral) -> date | None:
    """The date the case was finally decided: its CG, or a negative RG (no CG follows)."""
    cg = referral.decision(DecisionKind.CG)
    if cg is not None:
        return cg.decided_on
    rg = referral.decision(DecisionKind.RG)
    if rg is not None and rg.outcome == Outcome.NEGATIVE:
        return rg.decided_on
    return None
