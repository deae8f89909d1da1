"""Every write to ASB case reviews: keyword-only, atomic, audited (ids and codes only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from csphub.accounts.models import Agency, User
from csphub.audit import record
from csphub.casereview import verbs
from csphub.casereview.choices import ReviewStatus
from csphub.casereview.models import CaseReview, CaseReviewPolicy, Complaint, Recommendation
from csphub.casereview.selectors import (
    applicant_visible_to,
    may_configure_threshold,
    may_progress_review,
    may_record_reviews,
)
from csphub.casereview.threshold import ThresholdResult, assess
from csphub.core.concurrency import EditConflict, save_if_unchanged
from csphub.core.errors import ServiceError


def current_policy() -> CaseReviewPolicy:
    """The newest policy; the statutory-guidance defaults if the partnership has set none."""
    return (
        CaseReviewPolicy.objects.order_by("-version").first()
        or CaseReviewPolicy.objects.get_or_create(version=1)[0]
    )


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
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseReviewPolicy:
    """A new policy for applications received from now on; earlier ones keep theirs.

    It replaces the policy whose version is EXPECTED_VERSION (default: the current one) and is
    refused (EditConflict) if another has replaced that since: versions are unique, so of two
    saves from forms opened on the same policy only the first is kept.
    """
    if not may_configure_threshold(actor):
        raise PermissionDenied
    current = current_policy()
    expected = current.version if expected_version is None else expected_version
    if current.version != expected:
        raise EditConflict(current.version)
    try:
        with transaction.atomic():
            policy = CaseReviewPolicy.objects.create(
                version=expected + 1,
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
                verb=verbs.POLICY_CHANGED,
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
    except IntegrityError:  # a save from another form took that version first
        raise EditConflict(current_policy().version) from None
    return policy


def do_create_case_review(
    *,
    actor: User,
    received_on: date,
    applicant_name: str,
    problem_summary: str,
    applicant_address: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    on_behalf_of_victim: bool = False,
    request: HttpRequest | None = None,
) -> CaseReview:
    """A new application, handled by ACTOR, under the policy in force."""
    if not may_record_reviews(actor):
        raise PermissionDenied
    with transaction.atomic():
        review = CaseReview.objects.create(
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
        record(verb=verbs.CREATED, actor=actor, target=review, request=request)
    return review


def _progress_check(actor: User, review: CaseReview) -> None:
    if not may_progress_review(actor, review):
        raise PermissionDenied


def _lock(
    review: CaseReview, expected_version: int | None = None, *, adding: bool = False
) -> CaseReview:
    """REVIEW re-read under a row lock, so two co-ordinators cannot move it on at once.

    Refused (EditConflict) if it was saved since EXPECTED_VERSION (a form's version; default:
    the version REVIEW was read with), so a step is taken on what the user saw. ADDING a
    complaint or recommendation changes nothing the user saw, so any version will do.
    """
    locked = CaseReview.objects.select_for_update().select_related("policy").get(pk=review.pk)
    expected = review.version if expected_version is None else expected_version
    if not adding and locked.version != expected:
        raise EditConflict(locked.version)
    return locked


def _save(review: CaseReview, locked: CaseReview, fields: dict[str, Any]) -> CaseReview:
    """Write FIELDS to the LOCKED row (its version goes up) and show the result on REVIEW too."""
    save_if_unchanged(locked, fields=fields)
    for name in (*fields, "version", "updated_at"):
        setattr(review, name, getattr(locked, name))
    return locked


def do_add_complaint(
    *,
    actor: User,
    review: CaseReview,
    problem: str,
    incident_on: date,
    reported_on: date,
    reported_to: Agency | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Complaint:
    """A complaint counted towards the threshold; forms opened before it are stale after it."""
    _progress_check(actor, review)
    with transaction.atomic():
        locked = _lock(review, adding=True)
        if locked.threshold_decided_on is not None:
            raise ServiceError(
                "The threshold has been decided, so complaints can no longer be added."
            )
        if reported_on < incident_on:
            raise ServiceError("A complaint cannot be reported before the incident happened.")
        if reported_on > locked.received_on:
            raise ServiceError("Only complaints made before the application count towards it.")
        complaint = Complaint.objects.create(
            case_review=locked,
            problem=problem.strip(),
            incident_on=incident_on,
            reported_on=reported_on,
            reported_to=reported_to,
            notes=notes,
        )
        _save(review, locked, {})
        record(
            verb=verbs.COMPLAINT_ADDED,
            actor=actor,
            target=locked,
            request=request,
            payload={"complaint": str(complaint.pk)},
        )
    return complaint


def do_acknowledge_case_review(
    *,
    actor: User,
    review: CaseReview,
    acknowledged_on: date,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseReview:
    _progress_check(actor, review)
    with transaction.atomic():
        locked = _lock(review, expected_version)
        if locked.acknowledged_on is not None:
            raise ServiceError("This application has already been acknowledged.")
        if acknowledged_on < locked.received_on:
            raise ServiceError("The acknowledgement cannot be before the application was received.")
        fields: dict[str, Any] = {"acknowledged_on": acknowledged_on}
        if locked.status == ReviewStatus.RECEIVED:
            fields["status"] = ReviewStatus.ACKNOWLEDGED
        locked = _save(review, locked, fields)
        record(
            verb=verbs.ACKNOWLEDGED,
            actor=actor,
            target=locked,
            request=request,
            payload={"on_time": acknowledged_on <= locked.acknowledge_by},
        )
    return locked


def do_decide_threshold(
    *,
    actor: User,
    review: CaseReview,
    decided_on: date,
    met: bool,
    reason: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseReview:
    """Record whether the threshold is met. Departing from the policy's rule needs a reason.

    Refused (EditConflict) if the application changed (a complaint added, say) since
    EXPECTED_VERSION: the decision is made on the complaints the decider saw.
    """
    _progress_check(actor, review)
    with transaction.atomic():
        locked = _lock(review, expected_version)
        if locked.threshold_decided_on is not None:
            raise ServiceError("The threshold decision has already been made.")
        if decided_on < locked.received_on:
            raise ServiceError("The decision cannot be before the application was received.")
        rule = threshold_for(locked)
        if met != rule.met and not reason.strip():
            raise ServiceError(
                "The decision differs from what the threshold rule says: give the reason."
            )
        fields: dict[str, Any] = {
            "threshold_decided_on": decided_on,
            "threshold_met": met,
            "threshold_met_by_rule": rule.met,
            "threshold_reason": reason.strip(),
            "status": ReviewStatus.AWAITING_REVIEW if met else ReviewStatus.THRESHOLD_NOT_MET,
        }
        if locked.acknowledged_on is None:
            # A decision letter sent within the acknowledgement period acknowledges the application too.
            fields["acknowledged_on"] = decided_on
        locked = _save(review, locked, fields)
        record(
            verb=verbs.THRESHOLD_DECIDED,
            actor=actor,
            target=locked,
            request=request,
            payload={
                "met": met,
                "rule_met": rule.met,
                "counted": rule.counted,
                "on_time": decided_on <= locked.decision_by,
            },
        )
    return locked


def do_record_review_meeting(
    *,
    actor: User,
    review: CaseReview,
    held_on: date,
    outcome: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseReview:
    _progress_check(actor, review)
    with transaction.atomic():
        locked = _lock(review, expected_version)
        if locked.status != ReviewStatus.AWAITING_REVIEW:
            raise ServiceError("A review is held only once the threshold has been met.")
        if locked.threshold_decided_on and held_on < locked.threshold_decided_on:
            raise ServiceError("The review cannot be before the threshold decision.")
        locked = _save(
            review,
            locked,
            {
                "review_held_on": held_on,
                "outcome": outcome.strip(),
                "status": ReviewStatus.REVIEW_HELD,
            },
        )
        record(
            verb=verbs.REVIEW_HELD,
            actor=actor,
            target=locked,
            request=request,
            payload={"on_time": held_on <= locked.meeting_by},
        )
    return locked


def do_add_recommendation(
    *,
    actor: User,
    review: CaseReview,
    agency: Agency,
    text: str,
    due_on: date | None = None,
    request: HttpRequest | None = None,
) -> Recommendation:
    _progress_check(actor, review)
    with transaction.atomic():
        locked = _lock(review, adding=True)
        if locked.status != ReviewStatus.REVIEW_HELD:
            raise ServiceError("Recommendations are recorded after the review has been held.")
        recommendation = Recommendation.objects.create(
            case_review=locked, agency=agency, text=text.strip(), due_on=due_on
        )
        _save(review, locked, {})
        record(
            verb=verbs.RECOMMENDATION_ADDED,
            actor=actor,
            target=locked,
            request=request,
            payload={"recommendation": str(recommendation.pk), "agency": str(agency.pk)},
        )
    return recommendation


def do_record_applicant_reveal(*, actor: User, review: CaseReview, request: HttpRequest) -> None:
    """Someone opened the applicant's identifying details: refused unless they may."""
    if not applicant_visible_to(actor, review):
        raise PermissionDenied
    record(verb=verbs.APPLICANT_REVEALED, actor=actor, target=review, request=request)
