"""The service navigation: one entry per area, shown only to those whose role grants it.

Apps register their entries from their AppConfig.ready() (`csphub.core.registry`); an entry
whose URL is not installed is skipped. While an app says signing in is not finished (accounts:
the second factor is due), there is none.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from csphub.core import registry


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    """The items this user may use, marking the one for the current page."""
    user = request.user
    if not user.is_authenticated:
        return []
    if registry.navigation_withheld(user):
        return []  # nothing to navigate to until signing in is finished (the second factor)
    items = []
    for item in registry.nav_entries():
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": item.label, "url": url, "current": current})
    return items


def search_url_for(request: HttpRequest) -> str | None:
    """Where the search box on every signed-in page submits to; None shows no box."""
    user = request.user
    if not user.is_authenticated or registry.navigation_withheld(user):
        return None
    page = registry.search_page()
    if page is None or not page[1](user):
        return None
    try:
        return reverse(page[0])
    except NoReverseMatch:
        return None
