"""VVRAP pages: thin views, reads through selectors, writes through services. The plan holds
no case data, so its pages are read by everyone signed in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from csphub.accounts.types import AuthedRequest
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.vvrap import services
from csphub.vvrap.choices import UpdateStatus
from csphub.vvrap.forms import (
    FeedbackForm,
    MilestoneForm,
    PlanForm,
    PlanItemEditForm,
    PlanItemForm,
    ReviewForm,
    TemplateColumnsForm,
    UpdateForm,
)
from csphub.vvrap.lookup import item_for, plan_for, update_for
from csphub.vvrap.models import SNAPSHOT_FIELDS, PlanItem, PlanTemplate, QuarterlyUpdate
from csphub.vvrap.selectors import (
    MANAGE,
    current_quarter,
    funded_by,
    is_lead,
    item_history,
    may_manage,
    milestones_of,
    plans_visible_to,
    previous_quarter,
    quarter_label,
    rag_history,
    returned_for,
    summary_of,
    theme_history,
    updates_visible_to,
    updates_waiting,
)


def _quarter(request: AuthedRequest) -> tuple[int, int]:
    """The quarter a page is about: ?quarter=2025-3, else the current one."""
    text = request.GET.get("quarter", "")
    try:
        year, number = (int(p) for p in text.split("-", 1))
    except ValueError:
        return current_quarter(timezone.localdate())
    if not (2000 <= year <= 2100 and 1 <= number <= 4):
        raise Http404("No such quarter")
    return year, number


def _quarters_around(year: int, number: int, count: int = 6) -> list[tuple[int, int, str]]:
    out = []
    for _ in range(count):
        out.append((year, number, quarter_label(year, number)))
        year, number = previous_quarter(year, number)
    return out


@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    plans = list(plans_visible_to(request.user))
    current = next((p for p in plans if p.is_current), None)
    if current is not None and "all" not in request.GET:
        return redirect("vvrap:plan_detail", plan_id=current.pk)
    return render(
        request,
        "vvrap/plan_list.html",
        {"plans": plans, "may_manage": may_manage(request.user)},
    )


@requires_permission(MANAGE)
def plan_create(request: AuthedRequest) -> HttpResponse:
    def saved(plan: Any) -> HttpResponse:
        messages.success(request, "Plan created.")
        return redirect("vvrap:plan_detail", plan_id=plan.pk)

    return form_step(
        request,
        form_class=PlanForm,
        save=lambda d, _: services.do_create_plan(actor=request.user, request=request, **d),
        saved=saved,
        template="core/form_page.html",
        context={"title": "Start a new version of the action plan", "submit_label": "Create"},
    )


@login_required
def plan_detail(request: AuthedRequest, plan_id: Any) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    year, number = current_quarter(timezone.localdate())
    items = list(
        plan.items.select_related("theme", "lead").prefetch_related("lead_agencies", "returned")
    )
    for item in items:
        history = sorted(item.returned.all(), key=lambda r: (r.year, r.quarter))
        item.latest_return = history[-1] if history else None  # type: ignore[attr-defined]
    themes: dict[Any, list[PlanItem]] = {}
    for item in items:
        themes.setdefault(item.theme, []).append(item)
    return render(
        request,
        "vvrap/plan_detail.html",
        {
            "plan": plan,
            "themes": sorted(themes.items(), key=lambda t: t[0].position),
            "history": theme_history(plan),
            "waiting": list(updates_waiting(request.user).filter(item__plan=plan)),
            "may_manage": may_manage(request.user),
            "mine": [i for i in items if i.lead_id == request.user.pk],
            "quarter_label": quarter_label(year, number),
            "feedback": list(plan.feedback.all()),
        },
    )


@requires_permission(MANAGE)
def item_create(request: AuthedRequest, plan_id: Any) -> HttpResponse:
    plan = plan_for(request.user, plan_id)

    def saved(item: Any) -> HttpResponse:
        messages.success(request, f"Action {item.number} added.")
        return redirect("vvrap:item_detail", entry_id=item.pk)

    return form_step(
        request,
        form_class=PlanItemForm,
        save=lambda d, _: services.do_create_plan_item(
            actor=request.user, plan=plan, request=request, **d
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": f"Add an action to {plan}", "submit_label": "Add action"},
    )


@login_required
def item_detail(request: AuthedRequest, entry_id: Any) -> HttpResponse:
    item = item_for(request.user, entry_id)
    year, number = current_quarter(timezone.localdate())
    return render(
        request,
        "vvrap/item_detail.html",
        {
            "item": item,
            "milestones": list(milestones_of(request.user, item)),
            "rag_history": rag_history(item),
            "updates": list(updates_visible_to(request.user).filter(item=item)),
            "history": item_history(item),
            "funded_by": list(funded_by(request.user, item)),
            "is_lead": is_lead(request.user, item),
            "may_manage": may_manage(request.user),
            "quarter_label": quarter_label(year, number),
        },
    )


@requires_permission(MANAGE)
def item_edit(request: AuthedRequest, entry_id: Any) -> HttpResponse:
    item = item_for(request.user, entry_id)

    def saved(_: Any) -> HttpResponse:
        messages.success(request, f"Action {item.number} saved.")
        return redirect("vvrap:item_detail", entry_id=item.pk)

    return form_step(
        request,
        form_class=PlanItemEditForm,
        obj=item,
        initial=lambda i: {
            "theme": i.theme_id,
            "description": i.description,
            "outcome": i.outcome,
            "scope": i.scope,
            "stage": i.stage,
            "lead": i.lead_id,
            "lead_agencies": list(i.lead_agencies.values_list("pk", flat=True)),
            "priority": i.priority,
            "evidence": i.evidence,
            "sna_recommendation": i.sna_recommendation,
            "funded_items": list(i.funded_items.values_list("pk", flat=True)),
        },
        save=lambda d, version: services.do_edit_plan_item(
            actor=request.user, item=item, expected_version=version, request=request, **d
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": f"Edit action {item.number}", "submit_label": "Save action"},
        noun="action",
    )


@login_required
def milestone_add(request: AuthedRequest, entry_id: Any) -> HttpResponse:
    item = item_for(request.user, entry_id)
    if not (is_lead(request.user, item) or may_manage(request.user)):
        raise PermissionDenied
    owners = item.lead.__class__.objects.filter(
        is_active=True, agency__in=item.lead_agencies.all()
    ).order_by("full_name")

    def saved(_: Any) -> HttpResponse:
        messages.success(request, "Milestone added.")
        return redirect("vvrap:item_detail", entry_id=item.pk)

    return form_step(
        request,
        form_class=MilestoneForm,
        form_kwargs={"owners": owners},
        save=lambda d, _: services.do_add_milestone(
            actor=request.user, item=item, request=request, **d
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": f"Add a milestone to action {item.number}", "submit_label": "Add"},
    )


@login_required
def update_edit(request: AuthedRequest, entry_id: Any) -> HttpResponse:
    item = item_for(request.user, entry_id)
    if not is_lead(request.user, item):
        raise PermissionDenied
    year, number = _quarter(request)
    existing = QuarterlyUpdate.objects.filter(item=item, year=year, quarter=number).first()
    if existing is not None and existing.status == UpdateStatus.SIGNED_OFF:
        messages.info(request, f"The update for {quarter_label(year, number)} is signed off.")
        return redirect("vvrap:item_detail", entry_id=item.pk)

    def saved(update: Any) -> HttpResponse:
        sent = update.status == UpdateStatus.SUBMITTED
        messages.success(request, "Update sent for sign-off." if sent else "Draft saved.")
        return redirect("vvrap:item_detail", entry_id=item.pk)

    return form_step(
        request,
        form_class=UpdateForm,
        obj=existing,
        form_kwargs={"versioned": existing is not None},
        initial=lambda u: {
            "narrative": u.narrative,
            "proposed_rag": u.proposed_rag,
            "rag_reason": u.rag_reason,
        },
        save=lambda d, version: services.do_save_update(
            actor=request.user,
            item=item,
            year=year,
            quarter=number,
            submit=request.POST.get("send") == "submit",
            expected_version=version,
            request=request,
            **d,
        ),
        saved=saved,
        template="vvrap/update_form.html",
        context={
            "item": item,
            "update": existing,
            "quarter": f"{year}-{number}",
            "quarter_label": quarter_label(year, number),
            "quarters": _quarters_around(*current_quarter(timezone.localdate()), count=4),
        },
        noun="update",
    )


@requires_permission(MANAGE)
def update_review(request: AuthedRequest, update_id: Any) -> HttpResponse:
    update = update_for(request.user, update_id)

    def save(data: dict[str, Any], version: int | None) -> Any:
        if data["decision"] == "sign_off":
            return services.do_sign_off_update(
                actor=request.user, update=update, expected_version=version, request=request
            )
        return services.do_return_update(
            actor=request.user,
            update=update,
            comment=data["comment"],
            expected_version=version,
            request=request,
        )

    def saved(result: Any) -> HttpResponse:
        signed = not isinstance(result, QuarterlyUpdate)
        messages.success(
            request, "Update signed off." if signed else "Update returned to its lead."
        )
        return redirect("vvrap:plan_detail", plan_id=update.item.plan_id)

    return form_step(
        request,
        form_class=ReviewForm,
        obj=update,
        initial=lambda u: {"comment": u.review_comment},
        save=save,
        saved=saved,
        template="vvrap/update_review.html",
        context={"update": update, "item": update.item},
        noun="update",
    )


@login_required
def plan_return(request: AuthedRequest, plan_id: Any) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    year, number = _quarter(request)
    rows = returned_for(plan, year, number)
    counts = summary_of(plan, year, number)
    return render(
        request,
        "vvrap/plan_return.html",
        {
            "plan": plan,
            "counts": counts,
            "themes": [(tc.theme, [r for r in rows if r.theme_id == tc.theme.pk]) for tc in counts],
            "quarter": f"{year}-{number}",
            "quarter_label": quarter_label(year, number),
            "previous_label": quarter_label(*previous_quarter(year, number)),
            "quarters": _quarters_around(*current_quarter(timezone.localdate())),
            "may_manage": may_manage(request.user),
            "returned": len(rows),
        },
    )


def _download(request: AuthedRequest, plan_id: Any, fmt: str) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    year, number = _quarter(request)
    content = services.do_export_return(
        actor=request.user, plan=plan, year=year, quarter=number, fmt=fmt, request=request
    )
    types = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    response = HttpResponse(content, content_type=types[fmt])
    name = f"vvrap-return-{year}-{(year + 1) % 100:02d}-q{number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires_permission(MANAGE)
def return_xlsx(request: AuthedRequest, plan_id: Any) -> HttpResponse:
    return _download(request, plan_id, "xlsx")


@requires_permission(MANAGE)
def return_pdf(request: AuthedRequest, plan_id: Any) -> HttpResponse:
    return _download(request, plan_id, "pdf")


@requires_permission(MANAGE)
def feedback_add(request: AuthedRequest, plan_id: Any) -> HttpResponse:
    plan = plan_for(request.user, plan_id)

    def saved(_: Any) -> HttpResponse:
        messages.success(request, "Feedback recorded.")
        return redirect("vvrap:plan_detail", plan_id=plan.pk)

    return form_step(
        request,
        form_class=FeedbackForm,
        save=lambda d, _: services.do_record_feedback(
            actor=request.user, plan=plan, request=request, **d
        ),
        saved=saved,
        template="core/form_page.html",
        context={
            "title": f"Record the VRU panel's feedback on {plan}",
            "submit_label": "Record feedback",
        },
    )


@requires_permission(MANAGE)
def template_columns(request: AuthedRequest, template_id: Any) -> HttpResponse:
    """The return's columns for a template, so the next VRU template is followed without code."""
    template = get_visible_or_404(PlanTemplate.objects.all(), pk=template_id)

    def saved(_: Any) -> HttpResponse:
        messages.success(request, "The return's columns are saved.")
        plan = template.plans.filter(is_current=True).first()
        return (
            redirect("vvrap:plan_detail", plan_id=plan.pk) if plan else redirect("vvrap:plan_list")
        )

    return form_step(
        request,
        form_class=TemplateColumnsForm,
        form_kwargs={"initial": {"columns": "\n".join(f"{h} = {f}" for h, f in template.columns)}},
        save=lambda d, _: services.do_set_template_columns(
            actor=request.user, template=template, request=request, **d
        ),
        saved=saved,
        template="vvrap/template_columns.html",
        context={
            "title": f"The return's columns for {template}",
            "submit_label": "Save columns",
            "fields": SNAPSHOT_FIELDS.items(),
        },
    )
