"""Funding pages. Reads through selectors, writes through services. Nothing here is personal
data, so the pages are not view-audited; every change and every download is (the services)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.audit import record
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.funding import opendata, returns, services, verbs
from csphub.funding.forms import QuarterChoiceForm, quarter_update_form
from csphub.funding.models import FundedItem, Grant
from csphub.funding.selectors import (
    funders_visible_to,
    grant_at_quarter,
    grants_visible_to,
    item_at_quarter,
    items_recordable_by,
    items_visible_to,
    linked_activity,
    may_download_return,
    may_manage,
    may_record_figures,
    served_actions,
)
from csphub.lib.periods import quarter as fy_quarter
from csphub.lib.periods import quarter_of
from csphub.meetings.selectors import actions_visible_to


def _chosen_quarter(request: AuthedRequest) -> tuple[QuarterChoiceForm, int, int]:
    today = quarter_of(timezone.localdate()).previous()
    default_year = today.start.year if today.start.month >= 4 else today.start.year - 1
    default_q = int(today.label[-1])
    form = QuarterChoiceForm(
        request.GET or None, initial={"year": default_year, "quarter": default_q}
    )
    if request.GET and form.is_valid():
        return form, form.cleaned_data["year"], int(form.cleaned_data["quarter"])
    return (
        QuarterChoiceForm(initial={"year": default_year, "quarter": default_q}),
        default_year,
        default_q,
    )


@requires_permission()
def overview(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "funding/overview.html",
        {
            "funders": funders_visible_to(request.user),
            "grants": grants_visible_to(request.user).prefetch_related("items__provider"),
            "mine": items_recordable_by(request.user),
            "manager": may_manage(request.user),
        },
    )


@requires_permission()
def grant_detail(request: AuthedRequest, grant_id: Any) -> HttpResponse:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    form, year, quarter = _chosen_quarter(request)
    view = grant_at_quarter(request.user, grant, year, quarter)
    return render(
        request,
        "funding/grant_detail.html",
        {
            "grant": grant,
            "view": view,
            "form": form,
            "year": year,
            "quarter": quarter,
            "label": fy_quarter(year, quarter).label,
            "manager": may_manage(request.user),
            "may_download": may_download_return(request.user, grant, year, quarter),
            "actions": actions_visible_to(request.user).filter(grant=grant),
        },
    )


def _grant_actions(grant: Grant) -> list[Any]:
    """The grant's conditions, as actions on it (meetings.Action.grant)."""
    return list(grant.conditions.all()) if hasattr(grant, "conditions") else []


@requires_permission()
def item_detail(request: AuthedRequest, funded_item_id: Any) -> HttpResponse:
    item = get_visible_or_404(items_visible_to(request.user), pk=funded_item_id)
    form, year, quarter = _chosen_quarter(request)
    quarters = [item_at_quarter(request.user, item, year, q) for q in (1, 2, 3, 4)]
    return render(
        request,
        "funding/item_detail.html",
        {
            "item": item,
            "form": form,
            "year": year,
            "quarter": quarter,
            "at": quarters[quarter - 1],
            "quarters": [
                (fy_quarter(year, q).label, q, v)
                for q, v in zip((1, 2, 3, 4), quarters, strict=False)
            ],
            "may_record": may_record_figures(request.user, item, year, quarter),
            "manager": may_manage(request.user),
            "activity": linked_activity(request.user, item, year),
            "served": served_actions(request.user, item),
        },
    )


@requires_permission("funding.record_figures")
def item_record(
    request: AuthedRequest, funded_item_id: Any, year: int, quarter: int
) -> HttpResponse:
    item = get_visible_or_404(items_recordable_by(request.user), pk=funded_item_id)
    if quarter not in (1, 2, 3, 4) or not may_record_figures(request.user, item, year, quarter):
        raise PermissionDenied
    measures = [m for m in item.measures.all() if not m.counts_activity]
    existing = {(q.year, q.quarter): q for q in item.quarters.all()}
    actuals = {
        (a.measure_id): a.actual
        for m in measures
        for a in m.quarters.all()
        if (a.year, a.quarter) == (year, quarter)
    }

    def save(data: dict[str, Any], _: int | None) -> object:
        return services.do_record_quarter(
            actor=request.user,
            item=item,
            year=year,
            quarter=quarter,
            spend=data["spend"],
            spend_labour=data.get("spend_labour"),
            forecasts={
                q: data[f"forecast_{q}"]
                for q in range(quarter + 1, 5)
                if data.get(f"forecast_{q}") is not None
            },
            actuals={
                m: data[f"actual_{m.pk}"]
                for m in measures
                if data.get(f"actual_{m.pk}") is not None
            },
            request=request,
        )

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"{fy_quarter(year, quarter).label} figures saved.")
        url = redirect("funding:item_detail", funded_item_id=item.pk)
        url["Location"] += f"?year={year}&quarter={quarter}"
        return url

    this = existing.get((year, quarter))
    initial = {
        "spend": this.spend if this else None,
        "spend_labour": this.spend_labour if this else None,
        **{
            f"forecast_{q}": existing[(year, q)].forecast
            for q in range(quarter + 1, 5)
            if (year, q) in existing
        },
        **{f"actual_{m.pk}": actuals.get(m.pk) for m in measures},
    }
    return form_step(
        request,
        form_class=quarter_update_form(quarter, measures, item.grant.splits_labour),
        form_kwargs={"initial": initial},
        save=save,
        saved=saved,
        template="core/form_page.html",
        context={
            "title": f"{item.name}: {fy_quarter(year, quarter).label} spend and outputs",
            "submit_label": "Save the quarter",
        },
    )


@require_POST
@requires_permission("funding.manage_funding")
def return_publish(request: AuthedRequest, grant_id: Any, year: int, quarter: int) -> HttpResponse:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    services.do_publish_return(
        actor=request.user, grant=grant, year=year, quarter=quarter, request=request
    )
    messages.success(request, f"The {fy_quarter(year, quarter).label} return is published.")
    response = redirect("funding:grant_detail", grant_id=grant.pk)
    response["Location"] += f"?year={year}&quarter={quarter}"
    return response


def _return(
    request: AuthedRequest, grant_id: Any, year: int, quarter: int, fmt: str
) -> tuple[Grant, Any, Any]:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    if quarter not in (1, 2, 3, 4):
        raise PermissionDenied
    services.do_record_return_download(
        actor=request.user,
        grant=grant,
        year=year,
        quarter=quarter,
        file_format=fmt,
        request=request,
    )
    layout, data = returns.build(request.user, grant, year, quarter)
    return grant, layout, data


def _filename(grant: Grant, year: int, quarter: int, ext: str) -> str:
    return f"return-{grant.reference}-{year}-Q{quarter}.{ext}"


@requires_permission()
def return_xlsx(request: AuthedRequest, grant_id: Any, year: int, quarter: int) -> HttpResponse:
    grant, layout, data = _return(request, grant_id, year, quarter, "xlsx")
    response = HttpResponse(
        returns.as_xlsx(layout, data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(grant, year, quarter, "xlsx")}"'
    )
    return response


@requires_permission()
def return_csv(request: AuthedRequest, grant_id: Any, year: int, quarter: int) -> HttpResponse:
    sheet = request.GET.get("sheet", "finance")
    if sheet not in returns.SHEETS:
        sheet = "finance"
    grant, layout, data = _return(request, grant_id, year, quarter, f"csv-{sheet}")
    response = HttpResponse(
        returns.as_csv(layout, data, sheet), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(grant, year, quarter, sheet + ".csv")}"'
    )
    return response


def _open_items(request: AuthedRequest) -> list[FundedItem]:
    items = list(items_visible_to(request.user))
    record(
        verb=verbs.OPEN_DATA_DOWNLOADED,
        actor=request.user,
        request=request,
        payload={"items": len(items)},
    )
    return items


@requires_permission()
def open_data_json(request: AuthedRequest) -> HttpResponse:
    body = opendata.package(_open_items(request))
    response = HttpResponse(json.dumps(body, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="grants-360giving.json"'
    return response


@requires_permission()
def open_data_csv(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        opendata.as_csv(_open_items(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="grants-360giving.csv"'
    return response
