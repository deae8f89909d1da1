"""Search: only what the searcher may open, found through each app's own selectors.

Nothing here decides access. Every result comes from `cases_visible_to`, `people_visible_to`,
`places_visible_to` or `meetings_visible_to`; this module only narrows those querysets to the
search text. On PostgreSQL names, addresses and place names are matched by full-text search
(the "simple" configuration: no stemming of names); elsewhere (SQLite) each word must appear in
one of the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from csphub.meetings.models import Meeting
from csphub.meetings.selectors import meetings_visible_to
from csphub.panels.models import Case
from csphub.panels.selectors import cases_visible_to
from csphub.people.models import Person, Place
from csphub.people.selectors import people_visible_to, places_visible_to
from csphub.search.terms import Terms

LIMIT = 50  # per kind of record
# Search is for casework: whoever may open cases or the meetings of their panels. Anyone else
# (figures, configuration, the audit trail) has no records to find here.
SEARCHING_PERMISSIONS = ("panels.view_cases", "meetings.view_meetings")


def may_search(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and any(
        user.has_perm(p) for p in SEARCHING_PERMISSIONS
    )


@dataclass
class Results:
    cases: list[Case] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.people) + len(self.places) + len(self.meetings)


def _text(qs: QuerySet[Any], fields: list[str], terms: Terms) -> QuerySet[Any]:
    """QS narrowed to rows whose FIELDS hold every word of TERMS."""
    if not terms.words:
        return qs.none()
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="simple")
        query = SearchQuery(" ".join(terms.words), config="simple", search_type="plain")
        return qs.annotate(_search=vector).filter(_search=query)
    rule = Q()
    for word in terms.words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        rule &= any_field
    return qs.filter(rule)


_PERSON_TEXT = ["given_name", "family_name", "address"]


def _people(user: Any, terms: Terms) -> QuerySet[Person]:
    visible = people_visible_to(user).filter(merged_into__isnull=True)
    if terms.reference:
        return visible.filter(reference=terms.reference)
    if terms.day:
        return visible.filter(date_of_birth=terms.day)
    return _text(visible, _PERSON_TEXT, terms)


def search(user: Any, terms: Terms) -> Results:
    """What USER may open that matches TERMS: at most LIMIT of each kind."""
    if terms.empty or not getattr(user, "is_authenticated", False):
        return Results()
    people = _people(user, terms)
    cases = cases_visible_to(user)
    if terms.reference:
        cases = cases.filter(Q(reference=terms.reference) | Q(subjects__person__in=people))
    else:
        cases = cases.filter(subjects__person__in=people)
    places = places_visible_to(user)
    places = (
        places.filter(reference=terms.reference)
        if terms.reference
        else _text(places.exclude(kind="address"), ["name", "ward_name"], terms)
        if not terms.day
        else places.none()
    )
    meetings = meetings_visible_to(user)
    if terms.day:
        meetings = meetings.filter(scheduled_for__date=terms.day)
    elif terms.reference:
        meetings = meetings.none()
    else:
        meetings = _text(meetings, ["panel__name", "location"], terms)
    return Results(
        cases=list(cases.select_related("panel").distinct().order_by("reference")[:LIMIT]),
        people=list(people.order_by("reference")[:LIMIT]),
        places=list(places.order_by("name")[:LIMIT]),
        meetings=list(meetings.order_by("-scheduled_for")[:LIMIT]),
    )
