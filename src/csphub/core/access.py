"""The one way views ask "may this user see / change this object?".

Selectors return querysets already restricted to what a user may see or change
(`cases_visible_to(user)`); views fetch through them with `get_visible_or_404`, so an
object outside the user's reach is indistinguishable from one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """The object matching LOOKUP within a selector's queryset, or 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        # ValueError/TypeError: a malformed UUID is also "not found", never a 500.
        raise Http404("Not found") from None


def requires_permission(*perms: str) -> Callable[[View], View]:
    """Sign-in required, then every named permission (granted through roles), else 403.

    Used for role-gated *pages* (a list, a form). Individual records are restricted by
    selectors and answer 404 instead, so their existence is never confirmed.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permissions = perms  # type: ignore[attr-defined]
        return wrapped

    return decorator
