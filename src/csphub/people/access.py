"""Who may see a person or a place: whoever may see a record about them.

people keeps the records of people and places but none of the records about them, so it does
not decide alone who sees them: each app that links people or places to records of its own
(panels: the subjects of a case) registers, from its AppConfig.ready(), which of them a user
sees through those links and which they co-ordinate. people sits below those apps and imports
none of them (docs/adr/0010-import-layers.md). With no app registered, nobody sees anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

# A filter on Person (or Place) rows for a user: `Exists(...)` against OuterRef("pk"), or a Q.
Rows = Callable[[Any], Any]


@dataclass(frozen=True)
class Links:
    """How an app's records link to people and places, as filters for a user."""

    people_seen_by: Rows  # the people linked to a record the user may open
    places_seen_by: Rows  # the places linked to a record the user may open
    people_coordinated_by: Rows  # the people linked to a record the user co-ordinates


_links: dict[str, Links] = {}


def register_links(app_label: str, links: Links) -> None:
    """The app APP_LABEL links people and places to its records as LINKS says."""
    _links[app_label] = links


def _any(user: Any, which: Callable[[Links], Rows]) -> Any:
    if not _links:
        return Q(pk__in=[])
    return reduce(or_, (which(links)(user) for links in _links.values()))


def people_seen(user: Any) -> Any:
    """The filter on Person rows for those USER may see."""
    return _any(user, lambda links: links.people_seen_by)


def places_seen(user: Any) -> Any:
    """The filter on Place rows for those USER may see."""
    return _any(user, lambda links: links.places_seen_by)


def people_coordinated(user: Any) -> Any:
    """The filter on Person rows for those on a record USER co-ordinates."""
    return _any(user, lambda links: links.people_coordinated_by)
