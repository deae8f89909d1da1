"""Every write to ASB case reviews: keyword-only, atomic, audited (ids and codes only)."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import transaction
from django.http import HttpRequest

from csphub.accounts.models import Agency, User
from csphub.audit import record
from csphub.casereview.choices import ReviewStatus
from csphub.casereview.models import CaseReview, CaseReviewPolicy, Complaint, Recommendation
from csphub.casereview.threshold import ThresholdResult, assess

# No 0/O or 1/I, so a reference read out over the phone is not misheard.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CaseReviewError(Exception):
    """A step that the application's stage does not allow; the message is shown to the user."""


def current_policy() -> CaseReviewPolicy:
    """The newest policy; the statutory-guidance defaults if the partnership has set none."""
    return (
        CaseReviewPolicy.objects.order_by("-created_at").first()
        or CaseReviewPolicy.objects.create()
    )


def new_reference() -> str:
    while True:
        reference = "CR-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not CaseReview.objects.filter(reference=reference).exists():
            return reference


def threshold_for(review: CaseReview) -> ThresholdResult:
    """What the application's own policy says about its complaints."""
    policy = review.policy
    return assess(
        review.complaints.all(),
        received_on=review.received_on,
        complaints_required=policy.complaints_required,
        window_months=policy.window_months,
        report_within_months=policy.report_within_months,
    )


def do_set_policy(
    *,
    actor: User,
    complaints_required: int,
    window_months: int,
    report_within_months: int,
    acknowledge_working_days: int,
    decision_working_days: int,
    meeting_working_days: int,
    region: str,
    request: HttpRequest | None = None,
) -> CaseReviewPolicy:
    """A new policy for applications received from now on; earlier ones keep theirs."""
    with transaction.atomic():
        policy = CaseReviewPolicy.objects.create(
            complaints_required=complaints_required,
            window_months=window_months,
            report_within_months=report_within_months,
            acknowledge_working_days=acknowledge_working_days,
            decision_working_days=decision_working_days,
            meeting_working_days=meeting_working_days,
            region=region,
            created_by=actor,
        )
        record(
            verb="casereview.policy_changed",
            actor=actor,
            target=policy,
            request=request,
            payload={
                "complaints_required": complaints_required,
                "window_months": window_months,
                "report_within_months": report_within_months,
                "working_days": [
                    acknowledge_working_days,
                    decision_working_days,
                    meeting_working_days,
                ],
                "region": region,
            },
        )
    return policy


def do_create_case_review(
    *,
    actor: User | None,
    received_on: date,
    applicant_name: str,
    problem_summary: str,
    applicant_address: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    on_behalf_of_victim: bool = False,
    request: HttpRequest | None = None,
) -> CaseReview:
    with transaction.atomic():
        review = CaseReview.objects.create(
            reference=new_reference(),
            policy=current_policy(),
            received_on=received_on,
            applicant_name=applicant_name,
            applicant_address=applicant_address,
            applicant_phone=applicant_phone,
            applicant_email=applicant_email,
            on_behalf_of_victim=on_behalf_of_victim,
            problem_summary=problem_summary,
            handled_by=actor,
        )
        record(verb="casereview.created", actor=actor, target=review, request=request)
    return review


def _lock(review: CaseReview) -> CaseReview:
    # Re-read under a row lock so two co-ordinators cannot move the same application at once.
    return CaseReview.objects.select_for_update().select_related("policy").get(pk=review.pk)


def do_add_complaint(
    *,
    actor: User | None,
    review: CaseReview,
    problem: str,
    incident_on: date,
    reported_on: date,
    reported_to: Agency | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Complaint:
    with transaction.atomic():
        review = _lock(review)
        if review.threshold_decided_on is not None:
            raise CaseReviewError(
                "The threshold has been decided, so complaints can no longer be added."
            )
        if reported_on < incident_on:
            raise CaseReviewError("A complaint cannot be reported before the incident happened.")
        if reported_on > review.received_on:
            raise CaseReviewError("Only complaints made before the application count towards it.")
        complaint = Complaint.objects.create(
            case_review=review,
            problem=problem.strip(),
            incident_on=incident_on,
            reported_on=reported_on,
            reported_to=reported_to,
            notes=notes,
        )
        record(
            verb="casereview.complaint_added",
            actor=actor,
            target=review,
            request=request,
            payload={"complaint": str(complaint.pk)},
        )
    return complaint


def do_acknowledge_case_review(
    *,
    actor: User | None,
    review: CaseReview,
    acknowledged_on: date,
    request: HttpRequest | None = None,
) -> CaseReview:
    with transaction.atomic():
        review = _lock(review)
        if review.acknowledged_on is not None:
            raise CaseReviewError("This application has already been acknowledged.")
        if acknowledged_on < review.received_on:
            raise CaseReviewError(
                "The acknowledgement cannot be before the application was received."
            )
        review.acknowledged_on = acknowledged_on
        if review.status == ReviewStatus.RECEIVED:
            review.status = ReviewStatus.ACKNOWLEDGED
        review.save(update_fields=["acknowledged_on", "status", "updated_at"])
        record(
            verb="casereview.acknowledged",
            actor=actor,
            target=review,
            request=request,
            payload={"on_time": acknowledged_on <= review.acknowledge_by},
        )
    return review


def do_decide_threshold(
    *,
    actor: User | None,
    review: CaseReview,
    decided_on: date,
    met: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> CaseReview:
    """Record whether the threshold is met. Departing from the policy's rule needs a reason."""
    with transaction.atomic():
        review = _lock(review)
        if review.threshold_decided_on is not None:
            raise CaseReviewError("The threshold decision has already been made.")
        if decided_on < review.received_on:
            raise CaseReviewError("The decision cannot be before the application was received.")
        rule = threshold_for(review)
        if met != rule.met and not reason.strip():
            raise CaseReviewError(
                "The decision differs from what the threshold rule says: give the reason."
            )
        review.threshold_decided_on = decided_on
        review.threshold_met = met
        review.threshold_met_by_rule = rule.met
        review.threshold_reason = reason.strip()
        if review.acknowledged_on is None:
            # A decision letter sent within the acknowledgement period acknowledges the application too.
            review.acknowledged_on = decided_on
        review.status = ReviewStatus.AWAITING_REVIEW if met else ReviewStatus.THRESHOLD_NOT_MET
        review.save()
        record(
            verb="casereview.threshold_decided",
            actor=actor,
            target=review,
            request=request,
            payload={
                "met": met,
                "rule_met": rule.met,
                "counted": rule.counted,
                "on_time": decided_on <= review.decision_by,
            },
        )
    return review


def do_record_review_meeting(
    *,
    actor: User | None,
    review: CaseReview,
    held_on: date,
    outcome: str,
    request: HttpRequest | None = None,
) -> CaseReview:
    with transaction.atomic():
        review = _lock(review)
        if review.status != ReviewStatus.AWAITING_REVIEW:
            raise CaseReviewError("A review is held only once the threshold has been met.")
        if review.threshold_decided_on and held_on < review.threshold_decided_on:
            raise CaseReviewError("The review cannot be before the threshold decision.")
        review.review_held_on = held_on
        review.outcome = outcome.strip()
        review.status = ReviewStatus.REVIEW_HELD
        review.save()
        record(
            verb="casereview.review_held",
            actor=actor,
            target=review,
            request=request,
            payload={"on_time": held_on <= review.meeting_by},
        )
    return review


def do_add_recommendation(
    *,
    actor: User | None,
    review: CaseReview,
    agency: Agency,
    text: str,
    due_on: date | None = None,
    request: HttpRequest | None = None,
) -> Recommendation:
    with transaction.atomic():
        review = _lock(review)
        if review.status != ReviewStatus.REVIEW_HELD:
            raise CaseReviewError("Recommendations are recorded after the review has been held.")
        recommendation = Recommendation.objects.create(
            case_review=review, agency=agency, text=text.strip(), due_on=due_on
        )
        record(
            verb="casereview.recommendation_added",
            actor=actor,
            target=review,
            request=request,
            payload={"recommendation": str(recommendation.pk), "agency": str(agency.pk)},
        )
    return recommendation


def do_record_applicant_reveal(*, actor: User, review: CaseReview, request: HttpRequest) -> None:
    """Someone opened the applicant's identifying details."""
    record(verb="casereview.applicant_revealed", actor=actor, target=review, request=request)
