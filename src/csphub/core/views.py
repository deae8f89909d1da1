"""Home dashboard, static information pages and error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from csphub.core.dashboard import cards_for, sections_for
from csphub.core.registry import information_sections


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
    return HttpResponse(loader.get_template("500.html").render(), status=500)
