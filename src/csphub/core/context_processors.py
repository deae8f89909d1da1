from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from csphub.core.navigation import navigation_for, search_url_for


def service(request: HttpRequest) -> dict[str, Any]:
    """The service and partnership names and the navigation, for every page."""
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "DEMO_MODE": not settings.PRODUCTION,
        "navigation": navigation_for(request),
        "search_url": search_url_for(request),
    }
