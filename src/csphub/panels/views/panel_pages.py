"""The partnership's panels: their pages, dashboards, settings and members."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.panels import services
from csphub.panels.forms import (
    MembershipForm,
    PanelForm,
    RemoveMemberForm,
    panel_rules_in,
    panel_rules_initial,
)
from csphub.panels.models import (
    Panel,
    PanelMembership,
)
from csphub.panels.reports import panel_dashboard as dashboard_figures
from csphub.panels.selectors import (
    coordinates,
    dashboard_panels_for,
    panel_members_of,
    panels_managed_by,
    panels_visible_to,
    pending_decisions_for,
)

SELF_SEAT_MESSAGE = (
    "A seat on a panel opens its cases, so one you give yourself needs another "
    "administrator's approval: they will see your request under 'Requests waiting for approval'."
)


@requires_permission("panels.view_panels")
def panel_list(request: AuthedRequest) -> HttpResponse:
    panels = panels_visible_to(request.user).prefetch_related("member_agencies")
    return render(request, "panels/panel_list.html", {"panels": panels})


@requires_permission("panels.view_panels")
@audited_page(verbs.PANEL_VIEWED, "panels.panel", "slug", by="slug")
def panel_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = get_visible_or_404(panels_visible_to(request.user).select_related("chair"), slug=slug)
    memberships = panel_members_of(panel)
    is_coordinator = coordinates(request.user, panel)
    pending = pending_decisions_for(request.user, panel)
    note(request, cases=[t.case.reference for t in pending])
    return render(
        request,
        "panels/panel_detail.html",
        {
            "panel": panel,
            "rules": panel.rules,
            "memberships": memberships,
            "pending": pending,
            "member_agencies": panel.member_agencies.all(),
            "is_coordinator": is_coordinator,
            "can_see_dashboard": request.user.has_perm("panels.view_panel_dashboard"),
            "can_manage": request.user.has_perm("panels.manage_panels"),
        },
    )


@requires_permission("panels.view_panel_dashboard")
def panel_dashboard(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = get_visible_or_404(dashboard_panels_for(request.user), slug=slug)
    return render(
        request, "panels/panel_dashboard.html", {"panel": panel, **dashboard_figures(panel)}
    )


def _panel_form_data(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "purpose": data["purpose"],
        "kind": data["kind"],
        "chair": data["chair"],
        "member_agencies": list(data["member_agencies"]),
        "meeting_cadence": data["meeting_cadence"],
        "referral_criteria": data["referral_criteria"],
        "review_interval_days": data["review_interval_days"],
        **panel_rules_in(data),
    }


@requires_permission("panels.manage_panels")
def panel_create(request: AuthedRequest) -> HttpResponse:
    def saved(panel: Any) -> HttpResponse:
        messages.success(request, f"{panel.name} set up. Now add its members.")
        return redirect("panels:panel_members", slug=panel.slug)

    return form_step(
        request,
        form_class=PanelForm,
        save=lambda d, _: services.do_create_panel(
            actor=request.user, request=request, **_panel_form_data(d)
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": "Set up a panel", "submit_label": "Set up panel"},
        form_kwargs={"creating": True},
    )


@requires_permission("panels.manage_panels")
def panel_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = get_visible_or_404(panels_managed_by(request.user), slug=slug)

    def initial(p: Panel) -> dict[str, Any]:
        return {
            "name": p.name,
            "purpose": p.purpose,
            "kind": p.kind,
            "chair": p.chair_id,
            "member_agencies": list(p.member_agencies.values_list("pk", flat=True)),
            "meeting_cadence": p.meeting_cadence,
            "referral_criteria": p.referral_criteria,
            "review_interval_days": p.review_interval_days,
            **panel_rules_initial(p),
            "is_active": p.is_active,
        }

    def save(data: dict[str, Any], version: int | None) -> None:
        services.do_update_panel(
            actor=request.user,
            panel=panel,
            is_active=data["is_active"],
            expected_version=version,
            request=request,
            **_panel_form_data(data),
        )

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Panel saved.")
        return redirect("panels:panel_detail", slug=panel.slug)

    return form_step(
        request,
        form_class=PanelForm,
        obj=panel,
        initial=initial,
        save=save,
        template="core/form_page.html",
        context={"title": f"Edit {panel.name}", "submit_label": "Save panel"},
        saved=saved,
        noun="panel",
    )


@requires_permission("panels.manage_panels")
def panel_members(request: AuthedRequest, slug: str) -> HttpResponse:
    """Who sits on a panel; add someone or change their role."""
    panel = get_visible_or_404(panels_managed_by(request.user), slug=slug)

    def saved(seat: object) -> HttpResponse:
        if isinstance(seat, PanelMembership):
            messages.success(request, "Membership saved.")
        else:
            messages.info(request, SELF_SEAT_MESSAGE)
        return redirect("panels:panel_members", slug=panel.slug)

    return form_step(
        request,
        form_class=MembershipForm,
        save=lambda d, _: services.do_add_panel_member(
            actor=request.user, panel=panel, user=d["user"], role=d["role"], request=request
        ),
        saved=saved,
        template="panels/panel_members.html",
        context={"panel": panel, "memberships": panel_members_of(panel)},
    )


@requires_permission("panels.manage_panels")
def panel_member_remove(request: AuthedRequest, slug: str, membership_id: UUID) -> HttpResponse:
    panel = get_visible_or_404(panels_managed_by(request.user), slug=slug)
    membership = get_visible_or_404(
        panel_members_of(panel).select_related("panel"), pk=membership_id
    )

    def saved(_: object) -> HttpResponse:
        messages.success(request, f"{membership.user.full_name} is no longer on {panel.name}.")
        return redirect("panels:panel_members", slug=panel.slug)

    return form_step(
        request,
        form_class=RemoveMemberForm,
        save=lambda d, _: services.do_remove_panel_member(
            actor=request.user, membership=membership, request=request
        ),
        saved=saved,
        template="panels/panel_member_remove.html",
        context={"panel": panel, "membership": membership},
    )
