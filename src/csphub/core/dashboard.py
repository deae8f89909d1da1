"""The home dashboard: one card per area a user's roles open, with an honest empty state.

Apps register cards here (with the permission that opens them and a callable giving
the figures); until an area has data its card says what will appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DashboardCard:
    title: str
    permission: str | None
    url_name: str | None
    empty_text: str
    # Returns a short summary (e.g. [("Open cases", "12")]) or [] when there is nothing yet.
    summary: Callable[[Any], list[tuple[str, str]]] = field(default=lambda user: [])


CARDS: list[DashboardCard] = [
    DashboardCard(
        "Crime figures and hot spots",
        "crime.view_figures",
        "crime:figures",
        "Police recorded crime for the borough, its BCU and London will appear here once an "
        "analyst has imported data.",
        summary=lambda user: import_string("csphub.crime.selectors.dashboard_summary")(user),
    ),
    DashboardCard(
        "Your cases",
        "panels.view_cases",
        "panels:case_list",
        "Cases from the panels you sit on and your agency's cases will appear here.",
        summary=lambda user: import_string("csphub.panels.selectors.dashboard_summary")(user),
    ),
    DashboardCard(
        "Meetings and your actions",
        "meetings.view_actions",
        "meetings:my_actions",
        "Actions panels ask you to take, and the meetings of the panels you sit on.",
        summary=lambda user: import_string("csphub.meetings.selectors.dashboard_summary")(user),
    ),
    DashboardCard(
        "ASB case reviews",
        "casereview.manage_reviews",
        "casereview:review_list",
        "Community Trigger applications and their working-day deadlines.",
        summary=lambda user: import_string("csphub.casereview.selectors.dashboard_summary")(user),
    ),
    DashboardCard(
        "Users and agencies",
        "accounts.manage_users",
        "accounts:user_list",
        "Add partner agencies and the people who work with the partnership.",
    ),
    DashboardCard(
        "Audit trail",
        "audit.view_audit",
        "audit:event_list",
        "Every sign-in and every view or export of a person's record.",
    ),
]


def cards_for(user: Any) -> list[dict[str, Any]]:
    cards = []
    for card in CARDS:
        if card.permission and not user.has_perm(card.permission):
            continue
        try:
            url = reverse(card.url_name) if card.url_name else None
        except NoReverseMatch:
            url = None
        cards.append(
            {
                "title": card.title,
                "url": url,
                "empty_text": card.empty_text,
                "summary": card.summary(user) if url else [],
            }
        )
    return cards
