"""The service navigation: one entry per area, shown only to those whose role grants it.

Apps add their own entries here; an entry whose URL is not installed is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from csphub.accounts.two_factor import second_factor_due


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user


NAVIGATION: list[NavItem] = [
    NavItem("Home", "core:home", None),
    NavItem("Crime figures", "crime:figures", "crime.view_figures"),
    NavItem("Cases", "panels:case_list", "panels.view_cases"),
    NavItem("Panels", "panels:panel_list", "panels.view_panels"),
    NavItem("Meetings", "meetings:meeting_list", "meetings.view_meetings"),
    NavItem("Your actions", "meetings:my_actions", "meetings.view_actions"),
    NavItem("ASB case reviews", "casereview:review_list", "casereview.manage_reviews"),
    NavItem("Users", "accounts:user_list", "accounts.manage_users"),
    NavItem("Agencies", "accounts:agency_list", "accounts.manage_agencies"),
    NavItem("Audit trail", "audit:event_list", "audit.view_audit"),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    """The items this user may use, marking the one for the current page."""
    user = request.user
    if not user.is_authenticated:
        return []
    if second_factor_due(user):
        return []  # nothing to navigate to until the second factor is passed
    items = []
    for item in NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": item.label, "url": url, "current": current})
    return items
