"""Home dashboard, static information pages and error pages."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from csphub.core.dashboard import cards_for, sections_for
from csphub.core.registry import information_sections

logger = logging.getLogger(__name__)

#: How long a client is asked to wait before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # The user model says which roles its user holds (AUTH_USER_MODEL: csphub.accounts.User).
    roles = request.user.role_labels()  # type: ignore[union-attr]
    return render(
        request,
        "core/home.html",
        {"roles": roles, "sections": sections_for(request.user), "cards": cards_for(request.user)},
    )


def _information_page(request: HttpRequest, page: str, **extra: object) -> HttpResponse:
    # What the apps know that the page must say (the retention periods), registered by them.
    sections = [(s.template, s.context()) for s in information_sections(page)]
    return render(request, f"core/{page}.html", {"sections": sections, **extra})


def privacy(request: HttpRequest) -> HttpResponse:
    return _information_page(request, "privacy")


def accessibility(request: HttpRequest) -> HttpResponse:
    return _information_page(
        request, "accessibility", reviewed_on=settings.ACCESSIBILITY_REVIEWED_ON
    )


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process answers. Says nothing about data."""
    return HttpResponse("ok", content_type="text/plain")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the failure may be in a context processor or the database.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def database_unavailable() -> HttpResponse:
    """503 while the database cannot be reached (restarted, failed over, its connections
    cut): a plain page asking to try again, nothing of the error. The broken connection is
    dropped when the request ends and the next request opens a new one (conn_health_checks),
    so the service recovers by itself once the database is back (ADR 0505)."""
    logger.error("database unavailable: %s", type(sys.exc_info()[1]).__name__)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
