"""The one way views ask "may this user see / change this object?".

Selectors return querysets already restricted to what a user may see or change
(`cases_visible_to(user)`); views fetch through them with `get_visible_or_404`, so an
object outside the user's reach is indistinguishable from one that does not exist.

A record holding personal data is fetched by its app's one lookup, `<thing>_for(request, id)
-> (thing, can_write)` (`case_for`, `person_for`… in each app's `lookup` module), built on
`get_visible_or_404` with REFUSED: asking for a real record one may not see is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]
# Told of a record that exists but lies outside the selector's queryset: its model and id.
Refusal = Callable[[type[Model], Any], object]
_NOT_FOUND = (ObjectDoesNotExist, ValueError, TypeError, ValidationError)


def get_visible_or_404(
    queryset: QuerySet[M], *, refused: Refusal | None = None, **lookup: Any
) -> M:
    """The object matching LOOKUP within a selector's queryset, or 404.

    When the object exists but the queryset leaves it out (the user may not see it), REFUSED is
    called with its model and id before the 404, so a lookup can audit the refusal; an object
    that does not exist at all calls nothing.
    """
    try:
        return queryset.get(**lookup)
    except _NOT_FOUND:
        # ValueError/TypeError/ValidationError: a malformed id is also "not found", never a 500.
        if refused is not None:
            model = queryset.model
            try:
                existing = model._default_manager.filter(**lookup).values_list("pk", flat=True)[:1]
                found = list(existing)
            except _NOT_FOUND:
                found = []
            if found:
                refused(model, found[0])
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
