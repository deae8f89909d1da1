"""The DPO's audit trail pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from csphub.audit import verbs
from csphub.audit.forms import EventFilterForm
from csphub.audit.pages import audited_page, note
from csphub.audit.selectors import events_matching, known_as
from csphub.core.access import requires_permission
from csphub.lib.csv_safe import csv_response

CSV_HEADER = [
    "seq",
    "occurred_at",
    "actor",
    "verb",
    "target_type",
    "target_id",
    "payload",
    "ip_address",
    "user_agent",
    "hash",
]


def _filter_page(request: HttpRequest, form: EventFilterForm, status: int = 200) -> HttpResponse:
    # Filters that do not make sense list nothing: the errors say what to correct.
    events = events_matching(form.to_filter()) if form.is_valid() or not form.is_bound else None
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    rows = []
    if page is not None:
        note(request, filters=form.to_filter().as_payload(), events=[e.seq for e in page])
        # Each record as the DPO sees it elsewhere (its reference), linked to every event
        # about it; a record without a reference keeps its internal id.
        shown = known_as(list(page))
        rows = [(e, *shown.get((e.target_type, e.target_id), ("", ""))) for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
        status=status,
    )


@requires_permission("audit.view_audit")
@audited_page(verbs.AUDIT_VIEWED)
def event_list(request: HttpRequest) -> HttpResponse:
    return _filter_page(request, EventFilterForm(request.GET or None))


@requires_permission("audit.view_audit", "audit.export_audit")
@audited_page(verbs.AUDIT_EXPORTED)
def event_export(request: HttpRequest) -> HttpResponse:
    """The matching events as CSV, up to the newest one there is now.

    The trail only grows, so its event records which events the file held without listing them
    all: those matching the filters, numbered from `first` to `through` (`rows` of them).
    """
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Never the whole trail in place of a filter that could not be read.
        return _filter_page(request, form, status=400)
    events = events_matching(form.to_filter())
    through = events.values_list("seq", flat=True).first()  # newest first
    events = events.filter(seq__lte=through or 0)
    note(
        request,
        filters=form.to_filter().as_payload(),
        first=events.order_by("seq").values_list("seq", flat=True).first(),
        through=through,
        rows=events.count(),
    )
    rows = (
        [
            e.seq,
            e.occurred_at.isoformat(),
            e.actor_label,
            e.verb,
            e.target_type,
            e.target_id,
            e.payload,
            e.ip_address or "",
            e.user_agent,
            e.hash,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    return csv_response("audit-trail.csv", CSV_HEADER, rows)
