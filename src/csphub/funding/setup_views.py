"""The CSP manager's set-up pages: a grant, its allocations and conditions, a funded item, its
measures and each quarter's profile. Thin: a form, a service, a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from csphub.accounts.types import AuthedRequest
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.funding import services
from csphub.funding.selectors import grants_visible_to, items_visible_to
from csphub.funding.setup_forms import (
    AllocationForm,
    ConditionForm,
    GrantForm,
    ItemForm,
    MeasureForm,
    ReportingDateForm,
    profile_form,
)
from csphub.lib.periods import quarter as fy_quarter

MANAGE = "funding.manage_funding"


def _page(
    request: AuthedRequest,
    form_class: type[forms.Form] | Callable[..., forms.Form],
    title: str,
    save: Callable[[dict[str, Any]], Any],
    then: Callable[[Any], HttpResponse],
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    def saved(result: Any) -> HttpResponse:
        messages.success(request, f"{title}: saved.")
        return then(result)

    return form_step(
        request,
        form_class=form_class,
        form_kwargs={"initial": initial or {}},
        save=lambda data, _: save(data),
        saved=saved,
        template="core/form_page.html",
        context={"title": title, "submit_label": "Save"},
    )


@requires_permission(MANAGE)
def grant_create(request: AuthedRequest) -> HttpResponse:
    return _page(
        request,
        GrantForm,
        "Record a grant",
        lambda d: services.do_create_grant(actor=request.user, request=request, **d),
        lambda grant: redirect("funding:grant_detail", grant_id=grant.pk),
    )


@requires_permission(MANAGE)
def allocation_set(request: AuthedRequest, grant_id: Any) -> HttpResponse:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    return _page(
        request,
        AllocationForm,
        f"Allocation of {grant.title}",
        lambda d: services.do_set_allocation(actor=request.user, grant=grant, request=request, **d),
        lambda _: redirect("funding:grant_detail", grant_id=grant.pk),
        {
            "first_year": grant.starts_on.year
            if grant.starts_on.month >= 4
            else grant.starts_on.year - 1
        },
    )


@requires_permission(MANAGE)
def reporting_date_set(request: AuthedRequest, grant_id: Any) -> HttpResponse:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    return _page(
        request,
        ReportingDateForm,
        f"A reporting date of {grant.title}",
        lambda d: services.do_set_reporting_date(
            actor=request.user, grant=grant, request=request, **d
        ),
        lambda _: redirect("funding:grant_detail", grant_id=grant.pk),
    )


@requires_permission(MANAGE)
def condition_add(request: AuthedRequest, grant_id: Any) -> HttpResponse:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    return _page(
        request,
        ConditionForm,
        f"A condition of {grant.title}",
        lambda d: services.do_add_condition(
            actor=request.user, grant=grant, owning_agency=d["owner"].agency, request=request, **d
        ),
        lambda _: redirect("funding:grant_detail", grant_id=grant.pk),
    )


@requires_permission(MANAGE)
def item_create(request: AuthedRequest, grant_id: Any) -> HttpResponse:
    grant = get_visible_or_404(grants_visible_to(request.user), pk=grant_id)
    return _page(
        request,
        ItemForm,
        f"A post or project on {grant.title}",
        lambda d: services.do_create_funded_item(
            actor=request.user, grant=grant, request=request, **d
        ),
        lambda item: redirect("funding:item_detail", funded_item_id=item.pk),
    )


@requires_permission(MANAGE)
def measure_add(request: AuthedRequest, funded_item_id: Any) -> HttpResponse:
    item = get_visible_or_404(items_visible_to(request.user), pk=funded_item_id)
    return _page(
        request,
        MeasureForm,
        f"An output or outcome of {item.name}",
        lambda d: services.do_add_measure(
            actor=request.user,
            item=item,
            request=request,
            name=d["name"],
            kind=d["kind"],
            counts_activity=d.get("counts_activity") or "",
            counts=(d.get("counts") or "sessions") if d.get("counts_activity") else "",
        ),
        lambda _: redirect("funding:item_detail", funded_item_id=item.pk),
    )


@requires_permission(MANAGE)
def profile_set(
    request: AuthedRequest, funded_item_id: Any, year: int, quarter: int
) -> HttpResponse:
    item = get_visible_or_404(items_visible_to(request.user), pk=funded_item_id)
    label = fy_quarter(year, quarter if quarter in (1, 2, 3, 4) else 1).label
    measures = list(item.measures.all())
    held = next((q for q in item.quarters.all() if (q.year, q.quarter) == (year, quarter)), None)
    planned = {
        f"profile_{m.pk}": a.profile
        for m in measures
        for a in m.quarters.all()
        if (a.year, a.quarter) == (year, quarter)
    }

    def then(_: Any) -> HttpResponse:
        response = redirect("funding:item_detail", funded_item_id=item.pk)
        response["Location"] += f"?year={year}&quarter={quarter}"
        return response

    return _page(
        request,
        profile_form(measures),
        f"{item.name}: {label} budget and profile",
        lambda d: services.do_set_profile(
            actor=request.user,
            item=item,
            year=year,
            quarter=quarter,
            budget=d["budget"],
            outputs={m: d[f"profile_{m.pk}"] for m in measures},
            request=request,
        ),
        then,
        {"budget": held.budget if held else None, **planned},
    )
