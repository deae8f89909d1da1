"""Fetching a case, a person or a place for a page: the one place a case's id or a person's or
a place's reference becomes the record, or a 404 (a person's page, reveal, merge or offence
form; a place's page)."""

from __future__ import annotations

from uuid import UUID

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import refusal
from csphub.core.access import get_visible_or_404
from csphub.panels.models import Case
from csphub.panels.selectors import case_edits_for, cases_visible_to, may_record_offending
from csphub.people.models import Person, Place
from csphub.people.selectors import may_merge, people_visible_to, places_visible_to


def case_for(request: AuthedRequest, case_id: UUID | str) -> tuple[Case, bool]:
    """The case if the user may open it, and whether they may change anything on it
    (`case_edits_for`); otherwise 404, and a refusal of a real case is audited."""
    case = get_visible_or_404(
        cases_visible_to(request.user).select_related("panel", "owning_agency"),
        refused=refusal(request, verbs.CASE_VIEW_REFUSED),
        pk=case_id,
    )
    return case, bool(case_edits_for(request.user, case))


def person_for(request: AuthedRequest, reference: str) -> tuple[Person, bool]:
    """The person if the user may see them, and whether they may change their record (merge
    it, or record an offence); otherwise 404, and a refusal of a real person is audited."""
    person = get_visible_or_404(
        people_visible_to(request.user),
        refused=refusal(request, verbs.PERSON_VIEW_REFUSED),
        reference=reference,
    )
    user = request.user
    return person, may_merge(user, person) or may_record_offending(user)


def place_for(request: AuthedRequest, reference: str) -> tuple[Place, bool]:
    """The place if the user may see it (through a case they can open); otherwise 404, and a
    refusal of a real place is audited. A place is not changed once recorded (its links belong
    to its cases), so nobody may write to it."""
    place = get_visible_or_404(
        places_visible_to(request.user),
        refused=refusal(request, verbs.PLACE_VIEW_REFUSED),
        reference=reference,
    )
    return place, False
