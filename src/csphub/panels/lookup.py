"""Fetching a case for a page: the one place a case's id becomes the case, or a 404."""

from __future__ import annotations

from uuid import UUID

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import refusal
from csphub.core.access import get_visible_or_404
from csphub.panels.models import Case
from csphub.panels.selectors import case_edits_for, cases_visible_to


def case_for(request: AuthedRequest, case_id: UUID | str) -> tuple[Case, bool]:
    """The case if the user may open it, and whether they may change anything on it
    (`case_edits_for`); otherwise 404, and a refusal of a real case is audited."""
    case = get_visible_or_404(
        cases_visible_to(request.user).select_related("panel", "owning_agency"),
        refused=refusal(request, verbs.CASE_VIEW_REFUSED),
        pk=case_id,
    )
    return case, bool(case_edits_for(request.user, case))
