"""Fetching an ASB case review application for a page: the one place an id becomes the
application, or a 404."""

from __future__ import annotations

from typing import Any

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import refusal
from csphub.casereview.models import CaseReview
from csphub.casereview.selectors import case_reviews_visible_to
from csphub.core.access import get_visible_or_404


def review_for(request: AuthedRequest, review_id: Any) -> tuple[CaseReview, bool]:
    """The application if the user may see it, and whether they may progress it (everyone who
    may see an application progresses it: `may_progress_review`); otherwise 404, and a refusal
    of a real application is audited."""
    review = get_visible_or_404(
        case_reviews_visible_to(request.user),
        refused=refusal(request, verbs.CASEREVIEW_VIEW_REFUSED),
        pk=review_id,
    )
    return review, True
