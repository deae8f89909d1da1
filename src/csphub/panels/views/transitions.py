"""A case changing hands: escalation, transfer, and the decision on a pending transition."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page
from csphub.core.access import requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.panels import services
from csphub.panels.choices import TransitionStatus
from csphub.panels.forms import (
    DecisionForm,
    EscalationForm,
    EscalationTargetForm,
    TransferForm,
    consent_answer,
    escalation_targets,
    indicators_in,
)
from csphub.panels.lookup import case_for
from csphub.panels.matching import referral_matches_for
from csphub.panels.models import Transition
from csphub.panels.notices import coordinators_of
from csphub.panels.selectors import may_decide, may_edit_case, may_withdraw
from csphub.panels.views.common import case_step, refused
from csphub.people import services as people_services


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_escalate(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    """Escalate a case: which panel first (none chosen), then what that panel's rules ask."""
    case, _ = case_for(request, case_id)
    targets = list(escalation_targets(case))
    given = request.POST.get("to_panel", "") if request.method == "POST" else ""
    slug = request.GET.get("to", "")
    chosen = next(
        (p for p in targets if (given and str(p.pk) == given) or (not given and p.slug == slug)),
        None,
    )
    if chosen is None and request.method != "POST":
        if not may_edit_case(request.user, case, "status"):
            return refused(request, case, "status")
        choice = EscalationTargetForm(request.GET if "to" in request.GET else None, case=case)
        choice.is_valid()
        return render(request, "panels/escalate_panel.html", {"form": choice, "case": case})

    def save(d: dict[str, Any], _: int | None) -> object:
        return services.do_escalate_case(
            actor=request.user,
            case=case,
            to_panel=d["to_panel"],
            reason_category=d["reason_category"],
            reason=d["reason"],
            consent_given=consent_answer(d),
            lawful_basis=d["lawful_basis"],
            override_reason=d["override_reason"],
            risk_level=d["risk_level"],
            indicators=indicators_in(d),
            request=request,
        )

    return case_step(
        request,
        case,
        what="status",
        form_class=EscalationForm,
        title="Escalate to another panel",
        save=save,
        form_kwargs={"case": case, "to_panel": chosen},
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_transfer(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)

    def save(d: dict[str, Any], _: int | None) -> object:
        return services.do_transfer_case(
            actor=request.user,
            case=case,
            to_agency=d["to_agency"],
            reason=d["reason"],
            consent_given=consent_answer(d),
            lawful_basis=d["lawful_basis"],
            override_reason=d["override_reason"],
            request=request,
        )

    return case_step(
        request,
        case,
        what="status",
        form_class=TransferForm,
        title="Transfer to another agency",
        save=save,
        form_kwargs={"case": case},
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.TRANSITION_VIEWED, "panels.transition", "transition_id", also=["case"])
def transition_decide(request: AuthedRequest, transition_id: UUID) -> HttpResponse:
    transition = (
        Transition.objects.select_related("to_panel", "from_panel", "to_agency")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        raise Http404("Not found")
    # The case decides access, as on every case page: a refusal of a real case is audited.
    transition.case, _ = case_for(request, transition.case_id)
    # Records the referral may be about, for its deciding co-ordinator only (references).
    matches = referral_matches_for(request.user, transition)
    form_kwargs: dict[str, Any] = {"matches": matches, "suggested": transition.suggested_match}
    context = {"transition": transition, "case": transition.case, "decided": ""}
    if transition.status != TransitionStatus.PENDING:
        # Already decided (perhaps while this person had the page open): say so, change nothing.
        conflict = request.method == "POST"
        decided = services.TransitionAlreadyDecided(transition).message
        form = DecisionForm(request.POST or None, **form_kwargs)
        return render(
            request,
            "panels/transition_decide.html",
            {**context, "form": form, "decided": decided, "conflict": conflict},
            status=409 if conflict else 200,
        )
    decides = may_decide(request.user, transition)
    withdraws = may_withdraw(request.user, transition)
    if not (decides or withdraws):
        raise PermissionDenied
    form_kwargs["decisions"] = (
        {TransitionStatus.ACCEPTED, TransitionStatus.REJECTED} if decides else set()
    ) | ({TransitionStatus.WITHDRAWN} if withdraws else set())
    if not decides:
        # Say who can decide, as the page offers this person only the withdrawal.
        context["deciders"] = [u.full_name or u.email for u in coordinators_of(transition.to_panel)]

    def save(d: dict[str, Any], _: int | None) -> object:
        same_as = next((p for p in matches if p.reference == d.get("match", "")), None)
        try:
            return services.do_decide_transition(
                actor=request.user,
                transition=transition,
                decision=d["decision"],
                reason=d["reason"],
                same_as=same_as,
                request=request,
            )
        except PermissionDenied:
            # They may decide or withdraw, and chose the one they may not.
            raise ServiceError(
                {"decision": "You cannot make that decision on this referral"}
            ) from None

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Decision recorded.")
        return redirect("panels:case_detail", case_id=transition.case_id)

    def shown() -> None:
        if matches:
            people_services.do_record_duplicates_offered(
                actor=request.user, people=matches, request=request
            )

    return form_step(
        request,
        form_class=DecisionForm,
        save=save,
        saved=saved,
        template="panels/transition_decide.html",
        context=context,
        form_kwargs=form_kwargs,
        shown=shown,
    )
