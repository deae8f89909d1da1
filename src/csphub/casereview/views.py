"""ASB case review pages. Reads through selectors, writes through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.casereview import services
from csphub.casereview.forms import (
    AcknowledgeForm,
    CaseReviewForm,
    ComplaintForm,
    PolicyForm,
    RecommendationForm,
    ReviewMeetingForm,
    ThresholdForm,
    YearForm,
)
from csphub.casereview.letters import (
    ACKNOWLEDGEMENT,
    OUTCOME,
    acknowledgement_letter,
    letter_name,
    outcome_letter,
)
from csphub.casereview.lookup import review_for
from csphub.casereview.models import CaseReview
from csphub.casereview.selectors import (
    applicant_visible_to,
    case_reviews_visible_to,
    published_counts,
)
from csphub.casereview.verbs import LETTER_DOWNLOADED
from csphub.core.access import requires_permission
from csphub.core.editing import form_step
from csphub.core.letters import letter_response
from csphub.lib.periods import FINANCIAL

MANAGE = "casereview.manage_reviews"


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_LIST_VIEWED)
def review_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = list(case_reviews_visible_to(request.user))
    rows = []
    for review in reviews:
        pending = [d for d in review.deadlines(today) if d.state.pending]
        rows.append({"review": review, "next": pending[0] if pending else None})
    note(request, reviews=[r.reference for r in reviews])
    return render(request, "casereview/review_list.html", {"rows": rows})


@requires_permission(MANAGE)
def review_create(request: AuthedRequest) -> HttpResponse:
    def saved(review: Any) -> HttpResponse:
        messages.success(request, f"Application {review.reference} recorded.")
        return redirect("casereview:review_detail", review_id=review.pk)

    return form_step(
        request,
        form_class=CaseReviewForm,
        save=lambda d, _: services.do_create_case_review(actor=request.user, request=request, **d),
        saved=saved,
        template="core/form_page.html",
        context={
            "title": "Record an ASB case review application",
            "submit_label": "Record application",
        },
    )


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_VIEWED, "casereview.casereview", "review_id")
def review_detail(request: AuthedRequest, review_id: Any) -> HttpResponse:
    review, _ = review_for(request, review_id)
    return render(
        request,
        "casereview/review_detail.html",
        {
            "review": review,
            "deadlines": review.deadlines(timezone.localdate()),
            "complaints": review.complaints.select_related("reported_to"),
            "recommendations": review.recommendations.select_related("agency"),
            "rule": services.threshold_for(review),
            "can_reveal": applicant_visible_to(request.user, review),
            "has_outcome_letter": outcome_letter(review) is not None,
        },
    )


@require_POST  # a deliberate, audited act: never a link a browser might prefetch
@requires_permission(MANAGE, "casereview.reveal_applicant")
def applicant_details(request: AuthedRequest, review_id: Any) -> HttpResponse:
    review, _ = review_for(request, review_id)
    if not applicant_visible_to(request.user, review):
        raise PermissionDenied
    services.do_record_applicant_reveal(actor=request.user, review=review, request=request)
    return render(request, "casereview/applicant.html", {"review": review})


def _step(
    request: AuthedRequest,
    review_id: Any,
    form_class: type[forms.Form],
    title: str,
    act: Callable[..., object],
    initial: Callable[[CaseReview], dict[str, Any]] | None = None,
) -> HttpResponse:
    """One form on an application (`form_step`): ACT(actor=, review=, request=, **data) takes the
    step. With INITIAL, the form changes the application and carries its version (refused, 409,
    if it changed since the form opened); without, it adds to it. A refused step keeps what was
    typed."""
    review, _ = review_for(request, review_id)
    versioned = initial is not None

    def save(data: dict[str, Any], version: int | None) -> object:
        given = {"expected_version": version} if versioned else {}
        return act(actor=request.user, review=review, request=request, **given, **data)

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"{title}: saved.")
        return redirect("casereview:review_detail", review_id=review.pk)

    return form_step(
        request,
        form_class=form_class,
        save=save,
        saved=saved,
        template="casereview/step_form.html",
        context={"title": title, "review": review},
        obj=review if versioned else None,
        initial=initial,
        noun="application",
    )


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_VIEWED, "casereview.casereview", "review_id")
def complaint_add(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _step(
        request,
        review_id,
        ComplaintForm,
        "Add a complaint",
        services.do_add_complaint,
    )


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_VIEWED, "casereview.casereview", "review_id")
def acknowledge(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _step(
        request,
        review_id,
        AcknowledgeForm,
        "Acknowledge the application",
        services.do_acknowledge_case_review,
        lambda r: {"acknowledged_on": r.acknowledged_on or timezone.localdate()},
    )


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_VIEWED, "casereview.casereview", "review_id")
def threshold_decision(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _step(
        request,
        review_id,
        ThresholdForm,
        "Decide whether the threshold is met",
        services.do_decide_threshold,
        lambda r: {
            "met": None if r.threshold_met is None else ("yes" if r.threshold_met else "no"),
            "decided_on": r.threshold_decided_on or timezone.localdate(),
            "reason": r.threshold_reason,
        },
    )


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_VIEWED, "casereview.casereview", "review_id")
def review_meeting(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _step(
        request,
        review_id,
        ReviewMeetingForm,
        "Record the case review meeting",
        services.do_record_review_meeting,
        lambda r: {"held_on": r.review_held_on, "outcome": r.outcome},
    )


@requires_permission(MANAGE)
@audited_page(verbs.CASEREVIEW_VIEWED, "casereview.casereview", "review_id")
def recommendation_add(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _step(
        request,
        review_id,
        RecommendationForm,
        "Add a recommendation",
        services.do_add_recommendation,
    )


@requires_permission("casereview.view_review_counts")
def annual_counts(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    latest = FINANCIAL.year_of(today)
    form = YearForm(request.GET or None, initial={"year": latest})
    year = form.cleaned_data["year"] if form.is_valid() else latest
    years = [published_counts(y) for y in range(year, year - 3, -1)]
    return render(request, "casereview/counts.html", {"form": form, "years": years})


@requires_permission("casereview.configure_threshold")
def policy_edit(request: AuthedRequest) -> HttpResponse:
    fields = [
        "complaints_required",
        "window_months",
        "report_within_months",
        "acknowledge_working_days",
        "decision_working_days",
        "meeting_working_days",
        "region",
    ]

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Threshold and timescales saved. They apply to new applications.")
        return redirect("casereview:review_list")

    return form_step(
        request,
        form_class=PolicyForm,
        obj=services.current_policy(),
        initial=lambda policy: {f: getattr(policy, f) for f in fields},
        save=lambda data, version: services.do_set_policy(
            actor=request.user, expected_version=version, request=request, **data
        ),
        template="core/form_page.html",
        context={
            "title": "ASB case review threshold and timescales",
            "submit_label": "Save for new applications",
        },
        saved=saved,
        reload=services.current_policy,
    )


def _letter(request: AuthedRequest, review_id: Any, which: str, fmt: str) -> HttpResponse:
    """A letter to the applicant: addressed to them, so only for those who may see their
    details (`applicant_visible_to`); the download is audited with the application's id."""
    review, _ = review_for(request, review_id)
    if not applicant_visible_to(request.user, review):
        raise PermissionDenied("Only those who may see the applicant's details send letters.")
    signed_by = request.user.full_name
    if which == ACKNOWLEDGEMENT:
        letter = acknowledgement_letter(review, signed_by=signed_by)
    else:
        found = outcome_letter(review, signed_by=signed_by)
        if found is None:
            raise Http404("There is no outcome to write about yet")
        letter = found
    note(request, letter=which, format=fmt)
    return letter_response(letter, fmt, letter_name(review, which))


@requires_permission(MANAGE)
@audited_page(LETTER_DOWNLOADED, "casereview.casereview", "review_id")
def acknowledgement_pdf(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _letter(request, review_id, ACKNOWLEDGEMENT, "pdf")


@requires_permission(MANAGE)
@audited_page(LETTER_DOWNLOADED, "casereview.casereview", "review_id")
def acknowledgement_docx(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _letter(request, review_id, ACKNOWLEDGEMENT, "docx")


@requires_permission(MANAGE)
@audited_page(LETTER_DOWNLOADED, "casereview.casereview", "review_id")
def outcome_pdf(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _letter(request, review_id, OUTCOME, "pdf")


@requires_permission(MANAGE)
@audited_page(LETTER_DOWNLOADED, "casereview.casereview", "review_id")
def outcome_docx(request: AuthedRequest, review_id: Any) -> HttpResponse:
    return _letter(request, review_id, OUTCOME, "docx")
