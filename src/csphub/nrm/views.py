"""NRM pages. Reads through selectors (404 outside them), writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.lib.periods import quarter_of
from csphub.meetings.models import Meeting
from csphub.nrm import charts, exports, returns, services, training
from csphub.nrm.choices import DecisionKind
from csphub.nrm.deadlines import rg_deadlines
from csphub.nrm.forms import (
    AuditForm,
    ComparatorForm,
    DecisionForm,
    FollowUpForm,
    MinuteForm,
    ReconsiderationForm,
    ReferChildForm,
    ReferralUpdateForm,
    SeatForm,
    SettingsForm,
)
from csphub.nrm.lookup import decision_for, minute_for, referral_for
from csphub.nrm.models import Comparator, Referral
from csphub.nrm.reports import dashboard, referrals_for_figures
from csphub.nrm.selectors import (
    may_sign_off,
    nrm_panels,
    nrm_panels_run_by,
    open_reconsiderations,
    referral_list_for,
    referrals_made_by,
    seats_of,
    settings_for,
)
from csphub.panels.selectors import case_workers

VIEW, REFER, RUN = "nrm.view_nrm", "nrm.refer_nrm", "nrm.run_nrm"
SIGN_OFF, FIGURES = "nrm.sign_off_nrm", "nrm.view_nrm_figures"


def _run(pair: tuple[Any, bool]) -> Any:
    """The record of a lookup, for its co-ordinator only (anyone else: not found)."""
    record, runs = pair
    if not runs:
        raise Http404("Not found")
    return record


@requires_permission(VIEW)
@audited_page(verbs.NRM_LIST_VIEWED)
def referral_list(request: AuthedRequest) -> HttpResponse:
    referrals = list(referral_list_for(request.user))
    note(request, referrals=[r.reference for r in referrals])
    return render(
        request,
        "nrm/referral_list.html",
        {
            "referrals": referrals,
            "run_panels": nrm_panels_run_by(request.user),
            "can_see_figures": request.user.has_perm(FIGURES),
        },
    )


@requires_permission(REFER)
@audited_page(verbs.NRM_LIST_VIEWED)
def my_referrals(request: AuthedRequest) -> HttpResponse:
    referrals = list(referrals_made_by(request.user))
    note(request, referrals=[r.reference for r in referrals])
    return render(request, "nrm/my_referrals.html", {"referrals": referrals})


@requires_permission(REFER)
def refer(request: AuthedRequest) -> HttpResponse:
    def saved(referral: Referral) -> HttpResponse:
        messages.success(
            request,
            f"Referral {referral.reference} sent to the NRM panel. "
            "You can follow its status on this page.",
        )
        return redirect("nrm:my_referrals")

    return form_step(
        request,
        form_class=ReferChildForm,
        save=lambda d, _: services.do_refer_child(actor=request.user, request=request, **d),
        saved=saved,
        template="core/form_page.html",
        context={
            "title": "Refer a child to the NRM panel",
            "submit_label": "Send the referral",
        },
        form_kwargs={"panels": nrm_panels()},
    )


@requires_permission(VIEW)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.referral", "referral_id")
def referral_detail(request: AuthedRequest, referral_id: Any) -> HttpResponse:
    referral, runs = referral_for(request, referral_id)
    decisions = list(
        referral.decisions.select_related("meeting", "chair", "reconsideration").prefetch_related(
            "attendance__member", "minutes", "reconsiderations"
        )
    )
    answers = {d.reconsideration_id: d for d in decisions if d.reconsideration_id}
    for d in decisions:
        for r in d.reconsiderations.all():
            r.answer = answers.get(r.pk)  # type: ignore[attr-defined]
        d.latest_minute = max(d.minutes.all(), key=lambda m: m.version, default=None)  # type: ignore[attr-defined]
        d.may_sign = d.latest_minute is not None and may_sign_off(request.user, d.latest_minute)  # type: ignore[attr-defined]
    settings = settings_for(referral.case.panel)
    pending = referral.case.transitions.filter(status="pending").exists()
    return render(
        request,
        "nrm/referral_detail.html",
        {
            "referral": referral,
            "runs": runs,
            "decisions": decisions,
            "deadlines": rg_deadlines(referral, settings, today=timezone.localdate()),
            "pending": pending,
            "follow_ups": referral.follow_ups.all(),
        },
    )


@requires_permission(RUN)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.referral", "referral_id")
def referral_edit(request: AuthedRequest, referral_id: Any) -> HttpResponse:
    referral = _run(referral_for(request, referral_id))
    return form_step(
        request,
        form_class=ReferralUpdateForm,
        save=lambda d, _: services.do_update_referral(
            actor=request.user, referral=referral, request=request, **d
        ),
        saved=lambda r: redirect("nrm:referral_detail", referral_id=r.pk),
        template="core/form_page.html",
        context={"title": f"Referral {referral.reference}: social worker and CREST case"},
        form_kwargs={
            "workers": case_workers(),
            "initial": {
                "allocated_social_worker": referral.allocated_social_worker,
                "crest_case_reference": referral.crest_case.reference
                if referral.crest_case
                else "",
            },
        },
    )


@require_POST
@requires_permission(RUN)
def take_on(request: AuthedRequest, referral_id: Any) -> HttpResponse:
    referral = _run(referral_for(request, referral_id))
    services.do_take_on(actor=request.user, referral=referral, request=request)
    messages.success(request, "Referral taken on.")
    return redirect("nrm:referral_detail", referral_id=referral.pk)


@requires_permission(RUN)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.referral", "referral_id")
def decision_create(request: AuthedRequest, referral_id: Any) -> HttpResponse:
    referral = _run(referral_for(request, referral_id))
    panel = referral.case.panel
    members = [m for m in seats_of(panel) if m.seat]  # type: ignore[attr-defined]
    from csphub.nrm import wording

    def save(d: dict[str, Any], _: Any) -> Any:
        form_votes = {k: v for k, v in d.items() if k.startswith("seat_")}
        votes = {
            m.user: (
                ""
                if form_votes[f"seat_{m.user.pk}"] == "present"
                else form_votes[f"seat_{m.user.pk}"]
            )
            for m in members
            if form_votes.get(f"seat_{m.user.pk}", "absent") != "absent"
        }
        common = {
            "actor": request.user,
            "referral": referral,
            "meeting": d["meeting"],
            "decided_on": d["decided_on"],
            "chair": d["chair"],
            "request": request,
        }
        common["reconsideration"] = d.get("reconsideration")
        if d["kind"] == "both":
            return services.do_record_rg_and_cg(
                **common, cg_outcome=d["outcome"], rg_votes=votes, cg_votes=votes
            )[1]
        return services.do_record_decision(
            **common,
            kind=d["kind"],
            outcome=d["outcome"],
            votes=votes,
            accept_warning=d["accept_warning"],
        )

    def saved(decision: Any) -> HttpResponse:
        messages.success(request, "Decision recorded. Write its minute next.")
        return redirect("nrm:minute_edit", decision_id=decision.pk)

    today = timezone.localdate()
    asked = open_reconsiderations(referral)
    initial = {}
    chosen = next((r for r in asked if str(r.pk) == request.GET.get("reconsideration")), None)
    if chosen is not None:
        initial = {"reconsideration": chosen.pk, "kind": chosen.decision.kind}
    return form_step(
        request,
        form_class=DecisionForm,
        save=save,
        saved=saved,
        template="nrm/decision_form.html",
        context={
            "title": f"Record a decision on referral {referral.reference}",
            "referral": referral,
            "rg_test": wording.in_force(DecisionKind.RG, today),
            "cg_test": wording.in_force(DecisionKind.CG, today),
            "submit_label": "Record the decision",
        },
        form_kwargs={
            "meetings": Meeting.objects.filter(panel=panel).order_by("-scheduled_for"),
            "members": members,
            "reconsiderations": asked,
            "initial": initial,
        },
    )


@requires_permission(RUN)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.decision", "decision_id")
def minute_edit(request: AuthedRequest, decision_id: Any) -> HttpResponse:
    decision = _run(decision_for(request, decision_id))
    latest = decision.minutes.order_by("-version").first()
    initial = {}
    if latest is not None:
        initial = {
            "evidence": "\n".join(f"{e['item']} | {e['source']}" for e in latest.evidence),
            "credibility": latest.credibility,
            "trauma_informed": latest.trauma_informed,
            "reasons": latest.reasons,
        }

    def save(d: dict[str, Any], _: Any) -> Any:
        form = MinuteForm(d)
        form.cleaned_data = d
        return services.do_write_minute(
            actor=request.user,
            decision=decision,
            evidence=form.evidence_items(),
            credibility=d["credibility"],
            trauma_informed=d["trauma_informed"],
            reasons=d["reasons"],
            correction_note=d["correction_note"],
            request=request,
        )

    return form_step(
        request,
        form_class=MinuteForm,
        save=save,
        saved=lambda m: redirect("nrm:referral_detail", referral_id=decision.referral_id),
        template="nrm/minute_form.html",
        context={
            "title": f"Minute of the {decision.get_kind_display()} decision",
            "decision": decision,
            "latest": latest,
            "submit_label": "Save the minute",
        },
        form_kwargs={"initial": initial},
    )


@require_POST
@requires_permission(SIGN_OFF)
def minute_sign_off(request: AuthedRequest, minute_id: Any) -> HttpResponse:
    minute, _ = minute_for(request, minute_id)
    try:
        services.do_sign_off_minute(actor=request.user, minute=minute, request=request)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Minute signed off.")
    return redirect("nrm:referral_detail", referral_id=minute.decision.referral_id)


@require_POST
@requires_permission(RUN)
def minute_issue(request: AuthedRequest, minute_id: Any) -> HttpResponse:
    minute = _run(minute_for(request, minute_id))
    try:
        services.do_issue_minute(actor=request.user, minute=minute, request=request)
    except ServiceError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Minute issued.")
    return redirect("nrm:referral_detail", referral_id=minute.decision.referral_id)


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@requires_permission(VIEW)
@audited_page(verbs.NRM_MINUTE_EXPORTED, "nrm.minute", "minute_id")
def minute_pdf(request: AuthedRequest, minute_id: Any) -> HttpResponse:
    minute, _ = minute_for(request, minute_id)
    referral = minute.decision.referral
    note(request, referral=referral.reference, version=minute.version)
    return _pdf(
        exports.minute_pdf(minute),
        f"nrm-minute-{referral.reference}-{minute.decision.kind}-v{minute.version}.pdf",
    )


@requires_permission(RUN)
@audited_page(verbs.NRM_AUDIT_PACK_EXPORTED, "nrm.decision", "decision_id")
def audit_pack(request: AuthedRequest, decision_id: Any) -> HttpResponse:
    decision = _run(decision_for(request, decision_id))
    note(request, referral=decision.referral.reference)
    return _pdf(
        exports.audit_pack_pdf(decision),
        f"nrm-audit-pack-{decision.referral.reference}-{decision.kind}.pdf",
    )


def _decision_form(
    request: AuthedRequest, decision_id: Any, form_class: Any, title: str, save: Any
) -> HttpResponse:
    decision = _run(decision_for(request, decision_id))
    return form_step(
        request,
        form_class=form_class,
        save=lambda d, _: save(decision, d),
        saved=lambda _: redirect("nrm:referral_detail", referral_id=decision.referral_id),
        template="core/form_page.html",
        context={"title": f"{title}: {decision}"},
    )


@requires_permission(RUN)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.decision", "decision_id")
def reconsideration_create(request: AuthedRequest, decision_id: Any) -> HttpResponse:
    return _decision_form(
        request,
        decision_id,
        ReconsiderationForm,
        "Request for reconsideration",
        lambda decision, d: services.do_request_reconsideration(
            actor=request.user, decision=decision, request=request, **d
        ),
    )


@requires_permission(RUN)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.decision", "decision_id")
def audit_edit(request: AuthedRequest, decision_id: Any) -> HttpResponse:
    return _decision_form(
        request,
        decision_id,
        AuditForm,
        "SCA audit",
        lambda decision, d: services.do_update_audit(
            actor=request.user, decision=decision, request=request, **d
        ),
    )


@requires_permission(RUN)
@audited_page(verbs.NRM_REFERRAL_VIEWED, "nrm.referral", "referral_id")
def follow_up(request: AuthedRequest, referral_id: Any) -> HttpResponse:
    referral = _run(referral_for(request, referral_id))
    return form_step(
        request,
        form_class=FollowUpForm,
        save=lambda d, _: services.do_record_follow_up(
            actor=request.user, referral=referral, request=request, **d
        ),
        saved=lambda _: redirect("nrm:referral_detail", referral_id=referral.pk),
        template="core/form_page.html",
        context={"title": f"Follow-up after the decision on {referral.reference}"},
    )


@requires_permission(RUN)
def seats(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = get_visible_or_404(nrm_panels_run_by(request.user), slug=slug)
    members = seats_of(panel)

    def save(d: dict[str, Any], _: Any) -> Any:
        for m in members:
            seat = d.get(f"seat_{m.pk}", "")
            if seat and seat != m.seat:  # type: ignore[attr-defined]
                services.do_set_seat(actor=request.user, membership=m, seat=seat, request=request)
        return panel

    return form_step(
        request,
        form_class=SeatForm,
        save=save,
        saved=lambda _: redirect("nrm:referral_list"),
        template="core/form_page.html",
        context={"title": f"Seats on the {panel.name}", "submit_label": "Save the seats"},
        form_kwargs={"members": members},
    )


@requires_permission(FIGURES)
def figures_page(request: AuthedRequest) -> HttpResponse:
    board = dashboard(request.user)
    final = next(m for m in board.measures if m["key"] == "final")
    bars = [
        charts.Bar("Bexley panel (mean)", final["summary"].mean or 0, True),
        charts.Bar("Bexley panel (median)", final["summary"].median or 0, True),
        *(charts.Bar(c.label, float(c.days), False) for c in board.comparators),
    ]
    chart = charts.bar_chart(bars, title="Average days from referral to the final decision")
    today = timezone.localdate()
    current = quarter_of(today)
    year = training.year_from(request.GET.get("year"), today)
    return render(
        request,
        "nrm/figures.html",
        {
            "training": training.workshops(request.user, year),
            "training_years": (year - 1, year + 1),
            "may_record_training": training.may_record(request.user),
            "board": board,
            "chart": chart,
            "quarter": current,
            "final": final,
            "may_change": nrm_panels_run_by(request.user).exists(),
        },
    )


def _quarter(request: AuthedRequest) -> Any:
    from datetime import date

    try:
        day = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        day = timezone.localdate()
    return quarter_of(day)


@requires_permission(FIGURES)
@audited_page(verbs.NRM_RETURN_EXPORTED)
def return_xlsx(request: AuthedRequest) -> HttpResponse:
    quarter = _quarter(request)
    note(request, quarter=quarter.start.isoformat())
    response = HttpResponse(
        returns.return_xlsx(referrals_for_figures(request.user), quarter),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="nrm-return-{quarter.start:%Y-%m}.xlsx"'
    )
    return response


@requires_permission(FIGURES)
@audited_page(verbs.NRM_RETURN_EXPORTED)
def return_csv(request: AuthedRequest) -> HttpResponse:
    quarter = _quarter(request)
    note(request, quarter=quarter.start.isoformat())
    response = HttpResponse(
        returns.return_csv(referrals_for_figures(request.user), quarter),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="nrm-return-{quarter.start:%Y-%m}.csv"'
    return response


@requires_permission(RUN)
def settings_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = get_visible_or_404(nrm_panels_run_by(request.user), slug=slug)
    current = settings_for(panel)
    return form_step(
        request,
        form_class=SettingsForm,
        save=lambda d, _: services.do_update_settings(
            actor=request.user, settings=current, request=request, **d
        ),
        saved=lambda _: redirect("nrm:referral_list"),
        template="core/form_page.html",
        context={"title": f"Settings of the {panel.name}"},
        form_kwargs={
            "initial": {
                "rg_due_days": current.rg_due_days,
                "sca_target_working_days": current.sca_target_working_days,
                "cg_warning_days": current.cg_warning_days,
            }
        },
    )


def _comparator_form(request: AuthedRequest, comparator: Comparator | None) -> HttpResponse:
    initial = {}
    if comparator is not None:
        initial = {
            f: getattr(comparator, f) for f in ("label", "measure", "days", "definition", "source")
        }
    return form_step(
        request,
        form_class=ComparatorForm,
        save=lambda d, _: services.do_save_comparator(
            actor=request.user, comparator=comparator, request=request, **d
        ),
        saved=lambda _: redirect("nrm:figures"),
        template="core/form_page.html",
        context={
            "title": "Change a national comparator" if comparator else "Add a national comparator"
        },
        form_kwargs={"initial": initial},
    )


@requires_permission(RUN)
def comparator_create(request: AuthedRequest) -> HttpResponse:
    if not nrm_panels_run_by(request.user).exists():
        raise Http404("Not found")
    return _comparator_form(request, None)


@requires_permission(RUN)
def comparator_edit(request: AuthedRequest, comparator_id: Any) -> HttpResponse:
    if not nrm_panels_run_by(request.user).exists():
        raise Http404("Not found")
    return _comparator_form(request, get_visible_or_404(Comparator.objects.all(), pk=comparator_id))
