"""Home dashboard, static information pages and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from csphub.core.dashboard import cards_for, sections_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # The user model says which roles its user holds (AUTH_USER_MODEL: csphub.accounts.User).
    roles = request.user.role_labels()  # type: ignore[union-attr]
    return render(
        request,
        "core/home.html",
        {"roles": roles, "sections": sections_for(request.user), "cards": cards_for(request.user)},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


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
