"""The signed-in user's own notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.notifications import services
from csphub.notifications.selectors import notifications_for


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
@login_required
def notifications_read(request: AuthedRequest) -> HttpResponse:
    services.do_mark_notifications_read(actor=request.user)
    return redirect("notifications:notification_list")
