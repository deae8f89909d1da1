"""Fetching a person for a page: the one place a person's page, reveal, merge or offence
form turns a reference into a record or a 404."""

from __future__ import annotations

from django.http import Http404

from csphub.core.access import get_visible_or_404
from csphub.core.types import AuthedRequest
from csphub.people import services
from csphub.people.models import Person
from csphub.people.selectors import people_visible_to


def person_or_404(request: AuthedRequest, reference: str) -> Person:
    """The person if the user may see them; otherwise 404, and a refusal of a real person is
    audited (as a refused case is)."""
    try:
        return get_visible_or_404(people_visible_to(request.user), reference=reference)
    except Http404:
        person_id = Person.objects.filter(reference=reference).values_list("pk", flat=True).first()
        if person_id is not None:
            services.do_record_person_refusal(
                actor=request.user, person_id=person_id, request=request
            )
        raise
