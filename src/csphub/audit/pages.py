"""Auditing the pages that show case content or personal data: one decorator on each such view.

    @requires_permission("panels.view_cases")
    @audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
    def case_edit(request, case_id): ...

Each time the page is shown (the view answers 2xx, or 409 when a stale save shows the version
saved meanwhile), one event is recorded: the verb, the record the URL names as its target, and a
payload of ids only: the page's URL name, the other ids in the URL, the ids of related records
named in `also` (looked up once, after the page is built), and what the view adds with `note()`
(the records a list or an export held). A refused request raises (404 or 403) before the page is
shown, so it records no view; the record lookups audit refusals of real records themselves. A
POST that saves redirects: its service records the change, and no view is recorded.

The event is written before the response leaves the view: if it cannot be written, the page is
not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from csphub.audit import record, verbs

View = Callable[..., HttpResponse]
Fact = str | int | list[str] | list[int] | dict[str, str] | None

_CONFLICT = 409
_NOTES = "_audited_page_notes"


def note(request: HttpRequest, **facts: Fact) -> None:
    """Add FACTS to this page's view event: references, ids or codes of what the page listed or
    the file held. Never personal data (a name, a date of birth, an address, free text)."""
    notes = getattr(request, _NOTES, None)
    if notes is None:
        raise RuntimeError("note() is for a view decorated with @audited_page")
    notes.update(facts)


def audited_page(
    verb: str,
    model: str | None = None,
    kwarg: str | None = None,
    *,
    by: str = "pk",
    also: Sequence[str] = (),
) -> Callable[[View], View]:
    """Record VERB each time the decorated page is shown.

    MODEL ("app.model") and KWARG name the record the page shows: the URL's KWARG holds its
    primary key, or its BY field (a reference). ALSO names foreign keys of that record whose ids
    go in the payload too (a transition's case). A page without MODEL shows a list: the view
    names what it listed with `note()`.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            notes: dict[str, Fact] = {}
            setattr(request, _NOTES, notes)
            response = view(request, *args, **kwargs)
            if _shown(response):
                target, related = _target(model, kwarg, by, also, kwargs)
                page = getattr(request.resolver_match, "view_name", "") or view.__name__
                payload: dict[str, Any] = {"page": page}
                payload.update(
                    (name.removesuffix("_id"), str(value))
                    for name, value in kwargs.items()
                    if name != kwarg and name.endswith("_id")
                )
                payload.update(related)
                payload.update(notes)
                record(verb=verb, target=target, payload=payload, request=request)
            return response

        return wrapped

    return decorator


def audited_admin_view(admin_view: Callable[..., View]) -> Callable[..., View]:
    """AdminSite.admin_view, auditing each admin page shown as ADMIN_VIEWED.

    The Django admin reads records without the selectors (superusers only), so each of its
    pages records the model it shows and the record's id when it shows one. The JavaScript
    catalogue and the admin's own password pages (its "cacheable" views) show no record.
    """

    def audited(view: View, cacheable: bool = False) -> View:
        wrapped = admin_view(view, cacheable)
        if cacheable:
            return wrapped
        model = getattr(getattr(view, "__self__", None), "model", None)

        @wraps(wrapped)
        def recorded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = wrapped(request, *args, **kwargs)
            if _shown(response):
                object_id = str(kwargs.get("object_id") or kwargs.get("id") or "")[:64]
                target = (model._meta.label_lower, object_id) if model is not None else None
                page = getattr(request.resolver_match, "view_name", "")
                record(
                    verb=verbs.ADMIN_VIEWED, target=target, payload={"page": page}, request=request
                )
            return response

        return recorded

    return audited


def _shown(response: HttpResponse) -> bool:
    return 200 <= response.status_code < 300 or response.status_code == _CONFLICT


def _target(
    model: str | None, kwarg: str | None, by: str, also: Sequence[str], kwargs: dict[str, Any]
) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """The (type, id) of the record the URL names, and the ids of its ALSO foreign keys."""
    if model is None or kwarg is None:
        return None, {}
    record_model = apps.get_model(model)
    label, value = record_model._meta.label_lower, kwargs[kwarg]
    if by == "pk" and not also:
        return (label, str(value)), {}
    row = (
        record_model._default_manager.filter(**{by: value})
        .values("pk", *(f"{name}_id" for name in also))
        .first()
    )
    if row is None:  # the page was shown, so this does not happen; record what the URL named
        return (label, str(value)), {}
    related = {name: str(row[f"{name}_id"]) for name in also if row[f"{name}_id"] is not None}
    return (label, str(row["pk"])), related


def refusal(request: HttpRequest, verb: str) -> Callable[[type[Model], Any], None]:
    """What a record lookup passes to `get_visible_or_404` as REFUSED: VERB (a
    `<noun>.view_refused`) is recorded against the record REQUEST's user asked for and may not
    see, by id only. They are answered 404, as if it did not exist."""

    def refused(model: type[Model], record_id: Any) -> None:
        record(
            verb=verb,
            actor=request.user,
            target=(model._meta.label_lower, str(record_id)),
            request=request,
        )

    return refused
