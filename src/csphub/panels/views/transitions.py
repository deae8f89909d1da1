"""A case changing hands: escalation, transfer, and the decision on a pending transition."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from csphub.audit import verbs
from csphub.audit.pages import audited_page
from csphub.core.access import requires_permission
from csphub.core.concurrency import EditConflict
from csphub.core.editing import add_errors as _form_error
from csphub.core.types import AuthedRequest
from csphub.panels import services
from csphub.panels.choices import TransitionStatus
from csphub.panels.forms import (
    DecisionForm,
    EscalationForm,
    TransferForm,
)
from csphub.panels.lookup import case_for
from csphub.panels.models import (
    Case,
    Transition,
)
from csphub.panels.selectors import (
    may_decide,
    may_withdraw,
)
from csphub.panels.views.common import (
    _case_action,
    _conflict_message,
)
from csphub.people import services as people_services
from csphub.people.selectors import (
    referral_matches_for,
)


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_escalate(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)

    def act(c: Case, d: dict[str, Any], form: EscalationForm) -> None:
        services.do_escalate_case(
            actor=request.user,
            case=c,
            to_panel=d["to_panel"],
            reason_category=d["reason_category"],
            reason=d["reason"],
            consent_given=d["consent_given"] == "yes",
            lawful_basis=d["lawful_basis"],
            override_reason=d["override_reason"],
            risk_level=d["risk_level"],
            indicators=form.indicators(),
            request=request,
        )

    return _case_action(
        request,
        case_id,
        EscalationForm,
        "Escalate to another panel",
        act,
        what="status",
        loaded=case,
        case=case,
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_transfer(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    def act(c: Case, d: dict[str, Any], form: Any) -> None:
        services.do_transfer_case(
            actor=request.user,
            case=c,
            to_agency=d["to_agency"],
            reason=d["reason"],
            consent_given=d["consent_given"] == "yes",
            lawful_basis=d["lawful_basis"],
            override_reason=d["override_reason"],
            request=request,
        )

    return _case_action(
        request, case_id, TransferForm, "Transfer to another agency", act, what="status"
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
    form = DecisionForm(request.POST or None, matches=matches, suggested=transition.suggested_match)
    conflict, decided = False, ""
    if transition.status != TransitionStatus.PENDING:
        # Already decided (perhaps while this person had the page open): say so, change nothing.
        conflict = request.method == "POST"
        decided = services.TransitionAlreadyDecided(transition).message
    elif not (may_decide(request.user, transition) or may_withdraw(request.user, transition)):
        raise PermissionDenied
    elif request.method == "POST" and form.is_valid():
        try:
            services.do_decide_transition(
                actor=request.user,
                transition=transition,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                same_as=form.same_as(),
                request=request,
            )
        except PermissionDenied:
            form.add_error("decision", "You cannot make that decision on this referral")
        except ValidationError as error:
            _form_error(form, error)
        except EditConflict as error:
            conflict = True
            form.add_error(None, _conflict_message(error))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("panels:case_detail", case_id=transition.case_id)
    if matches and not decided:
        people_services.do_record_duplicates_offered(
            actor=request.user, people=matches, request=request
        )
    return render(
        request,
        "panels/transition_decide.html",
        {
            "transition": transition,
            "case": transition.case,
            "form": form,
            "decided": decided,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )
