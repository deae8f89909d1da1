"""ASB case reviews (the Community Trigger, Anti-social Behaviour, Crime and Policing Act 2014)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from csphub.accounts.models import Agency
from csphub.casereview.choices import Region, ReviewStatus
from csphub.core.models import BaseModel, ReferencedModel, VersionedModel
from csphub.lib.deadlines import Deadline, Timescale, WorkingDays
from csphub.lib.references import ReferenceFormat


class CaseReviewPolicy(VersionedModel):
    """The partnership's published threshold and timescales. The newest row applies to new
    applications; each application keeps the policy it was received under.

    Rows are never changed: a new policy is a new row whose `version` is one more than the
    one it replaces (unique), so settings saved from a form opened before someone else's
    change are refused.
    """

    complaints_required = models.PositiveSmallIntegerField(default=3)
    window_months = models.PositiveSmallIntegerField(
        default=6,
        help_text="Complaints count if reported in this many months before the application.",
    )
    report_within_months = models.PositiveSmallIntegerField(
        default=1,
        help_text="Each complaint must be reported within this many months of the incident.",
    )
    acknowledge_working_days = models.PositiveSmallIntegerField(default=10)
    decision_working_days = models.PositiveSmallIntegerField(default=15)
    meeting_working_days = models.PositiveSmallIntegerField(default=20)
    region = models.CharField(
        max_length=3,
        choices=Region.choices,
        default=Region.ENGLAND,
        help_text="Whose bank holidays are skipped when counting working days.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "case review policies"
        constraints = [models.UniqueConstraint(fields=["version"], name="one_policy_per_version")]
        permissions = [("configure_threshold", "Set the ASB case review threshold and timescales")]

    def __str__(self) -> str:
        return (
            f"{self.complaints_required} complaints in {self.window_months} months, each "
            f"reported within {self.report_within_months} month(s)"
        )


class CaseReview(ReferencedModel, VersionedModel):
    """One application for an ASB case review, from receipt to the review's recommendations.

    The applicant is known everywhere by `reference`; their identifying details are shown
    only on a separate, audited page to those entitled to them. Versioned: a step taken from
    a page opened before someone else moved the application on (or added a complaint) is
    refused.
    """

    reference_format = ReferenceFormat("CR", 6)  # CR-7K3Q9P
    reference = models.CharField(max_length=12, unique=True, editable=False)
    policy = models.ForeignKey(CaseReviewPolicy, on_delete=models.PROTECT, related_name="reviews")
    received_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED
    )
    applicant_name = models.CharField(max_length=200)
    applicant_address = models.TextField(blank=True)
    applicant_phone = models.CharField(max_length=40, blank=True)
    applicant_email = models.EmailField(blank=True)
    on_behalf_of_victim = models.BooleanField(
        default=False, help_text="Made by someone else on the victim's behalf, with their consent."
    )
    problem_summary = models.TextField(
        help_text="The anti-social behaviour the applicant describes."
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    threshold_decided_on = models.DateField(null=True, blank=True)
    threshold_met = models.BooleanField(null=True, blank=True)
    threshold_met_by_rule = models.BooleanField(
        null=True, blank=True, help_text="What the policy's rule said when the decision was made."
    )
    threshold_reason = models.TextField(blank=True)
    review_held_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_on", "reference"]
        permissions = [
            ("manage_reviews", "Record and progress ASB case review applications"),
            ("reveal_applicant", "See an ASB case review applicant's identifying details"),
            ("view_review_counts", "See the ASB case review annual published counts"),
        ]

    def __str__(self) -> str:
        return self.reference

    def _timescale(self, working_days: int) -> Timescale:
        return Timescale(working_days, WorkingDays(self.policy.region))

    @property
    def acknowledge_by(self) -> date:
        return self._timescale(self.policy.acknowledge_working_days).due(self.received_on)

    @property
    def decision_by(self) -> date:
        return self._timescale(self.policy.decision_working_days).due(self.received_on)

    @property
    def meeting_by(self) -> date:
        return self._timescale(self.policy.meeting_working_days).due(self.received_on)

    def deadlines(self, today: date) -> list[Deadline]:
        """The three statutory timescales (working days from receipt) and where each stands."""
        policy, received = self.policy, self.received_on
        return [
            self._timescale(policy.acknowledge_working_days).deadline(
                "Acknowledge the application", received, today=today, done_on=self.acknowledged_on
            ),
            self._timescale(policy.decision_working_days).deadline(
                "Decide whether the threshold is met",
                received,
                today=today,
                done_on=self.threshold_decided_on,
            ),
            self._timescale(policy.meeting_working_days).deadline(
                "Hold the case review meeting",
                received,
                today=today,
                done_on=self.review_held_on,
                needed=self.threshold_met is not False,
            ),
        ]


class Complaint(BaseModel):
    """A report of the anti-social behaviour the application is about, made before it."""

    case_review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="complaints")
    problem = models.CharField(
        max_length=200,
        help_text="A short label for the problem; complaints with the same label are about the same problem.",
    )
    incident_on = models.DateField()
    reported_on = models.DateField()
    reported_to = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["reported_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.problem} ({self.reported_on})"


class Recommendation(BaseModel):
    """A recommendation the case review made to an agency."""

    case_review = models.ForeignKey(
        CaseReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Recommendation to {self.agency}"
