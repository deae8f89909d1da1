"""Reads of ASB case reviews that depend on who is asking, and the annual published counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from csphub.accounts.models import User
from csphub.casereview.choices import ReviewStatus
from csphub.casereview.models import CaseReview
from csphub.lib.deadlines import DeadlineState
from csphub.lib.disclosure import Output, Source, threshold_for
from csphub.lib.periods import FINANCIAL
from csphub.lib.suppression import suppress


def case_reviews_visible_to(user: User) -> QuerySet[CaseReview]:
    """Co-ordinators and CSP administrators manage every application; nobody else sees any."""
    if not user.is_authenticated or not user.has_perm("casereview.manage_reviews"):
        return CaseReview.objects.none()
    return CaseReview.objects.select_related("policy", "handled_by")


def may_record_reviews(user: User) -> bool:
    """Whether USER may record a new application (those who manage them)."""
    return bool(user.is_authenticated and user.has_perm("casereview.manage_reviews"))


def may_progress_review(user: User, review: CaseReview) -> bool:
    """Whether USER may take REVIEW's next step (a complaint, the threshold, the meeting…)."""
    return case_reviews_visible_to(user).filter(pk=review.pk).exists()


def may_configure_threshold(user: User) -> bool:
    """Whether USER may set the threshold and working-day timescales for new applications."""
    return bool(user.is_authenticated and user.has_perm("casereview.configure_threshold"))


def applicant_visible_to(user: User, review: CaseReview) -> bool:
    """Identifying details are for those who handle applications, not everyone who can list them."""
    return user.has_perm("casereview.reveal_applicant") and (
        case_reviews_visible_to(user).filter(pk=review.pk).exists()
    )


@dataclass(frozen=True)
class PublishedCounts:
    """The four figures the 2014 Act requires a partnership to publish for a year."""

    label: str
    start: date
    end: date
    applications: str
    threshold_not_met: str
    reviews_held: str
    reviews_with_recommendations: str


def published_counts(year: int, *, threshold: int | None = None) -> PublishedCounts:
    """Counts for the applications received in financial year YEAR.

    Section 104 of the Anti-social Behaviour, Crime and Policing Act 2014 requires these counts
    to be published, so the disclosure policy publishes them in full (threshold 0). A
    partnership that must suppress them anyway passes ``threshold``; they then go through
    `suppress`, as follows.

    Counted as a cohort (by date received) so the figures add up: applications = not met +
    reviews held + the rest (undecided, or met and not yet reviewed); reviews held = with
    recommendations + without. Publishing those totals is what lets a reader subtract, so each
    is a row total in the suppression call, and a hidden cell gets a partner hidden with it.
    """
    fy = FINANCIAL.named(year)
    start, end, label = fy.first_day, fy.last_day, f"{fy.start.year} to {fy.end.year}"
    figures = CaseReview.objects.filter(received_on__range=(start, end)).aggregate(
        applications=Count("pk", distinct=True),
        not_met=Count("pk", filter=Q(status=ReviewStatus.THRESHOLD_NOT_MET), distinct=True),
        held=Count("pk", filter=Q(status=ReviewStatus.REVIEW_HELD), distinct=True),
        with_recs=Count(
            "pk",
            filter=Q(status=ReviewStatus.REVIEW_HELD, recommendations__isnull=False),
            distinct=True,
        ),
    )
    applications, not_met, held, with_recs = (
        figures["applications"],
        figures["not_met"],
        figures["held"],
        figures["with_recs"],
    )
    if threshold is None:
        threshold = threshold_for(Source.STATUTORY, Output.PUBLICATION)
    if threshold <= 0:
        return PublishedCounts(
            label, start, end, str(applications), str(not_met), str(held), str(with_recs)
        )
    decisions = suppress(
        [[not_met, held, applications - not_met - held]], threshold, col_totals=False
    )
    reviews = suppress([[with_recs, held - with_recs]], threshold, col_totals=False)

    def total(table_total: int | None) -> str:
        return "[c]" if table_total is None else str(table_total)

    held_text = decisions.display(0, 1)
    if reviews.row_totals[0] is None and decisions.cells[0][1] is not None:
        held_text = "[c]"
    return PublishedCounts(
        label=label,
        start=start,
        end=end,
        applications=total(decisions.row_totals[0]),
        threshold_not_met=decisions.display(0, 0),
        reviews_held=held_text,
        reviews_with_recommendations=reviews.display(0, 0),
    )


def dashboard_summary(user: User) -> list[tuple[str, str]]:
    """The home page card: applications in progress and how many have a step overdue."""

    today = timezone.localdate()
    open_reviews = list(
        case_reviews_visible_to(user).exclude(
            status__in=[ReviewStatus.THRESHOLD_NOT_MET, ReviewStatus.REVIEW_HELD]
        )
    )
    late = sum(
        any(d.state == DeadlineState.OVERDUE for d in r.deadlines(today)) for r in open_reviews
    )
    return [
        ("Applications in progress", str(len(open_reviews))),
        ("With a step overdue", str(late)),
    ]
