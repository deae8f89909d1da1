"""Referring a person or a place to a panel, and recording an offence by a referred person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page
from csphub.core.access import requires_permission
from csphub.core.editing import add_errors, form_step
from csphub.panels import services
from csphub.panels.forms import (
    OffenceForm,
    PlaceReferralForm,
    consent_answer,
    indicators_in,
)
from csphub.panels.lookup import person_for
from csphub.panels.models import Case, Panel
from csphub.panels.referral_forms import PanelChoiceForm, ReferralForm, referral_panels
from csphub.panels.selectors import may_record_offending, may_refer, referral_rules_note
from csphub.people import services as people_services
from csphub.people.models import Person
from csphub.people.selectors import (
    people_visible_to,
    possible_duplicates,
)


def _referral(data: dict[str, Any]) -> dict[str, Any]:
    """What both referral forms ask about the referral itself (their cleaned DATA), as the
    services take it."""
    return {
        "panel": data["panel"],
        "reason_category": data["reason_category"],
        "reason": data["reason"],
        "consent_given": consent_answer(data),
        "lawful_basis": data["lawful_basis"],
        "override_reason": data["override_reason"],
        "risk_level": data["risk_level"],
        "indicators": indicators_in(data),
    }


@requires_permission("panels.refer")
def refer(request: AuthedRequest) -> HttpResponse:
    """Refer a person. Records the referrer may see with a similar name and the same date of
    birth are offered first, to name one as whom they mean or to set them aside; any other
    record is left for the receiving co-ordinator to match, unseen by the referrer."""
    if not may_refer(request.user):
        raise PermissionDenied  # a referral is owned by the referrer's agency
    panel = _chosen_panel(request)
    if panel is None and request.method != "POST":
        # The first question: which panel, from those taking referrals, with none chosen.
        asked = "panel" in request.GET or "chosen" in request.GET
        choice = PanelChoiceForm(request.GET if asked else None)
        choice.is_valid()
        return render(request, "panels/refer_panel.html", {"form": choice})
    form = ReferralForm(request.POST or None, panel=panel)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = possible_duplicates(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            among=people_visible_to(request.user),
        )
        # Only a record that was offered as a match can be chosen.
        chosen = request.POST.get("use_person", "")
        suggested = next((p for p in matches if chosen and p.reference == chosen), None)
        if matches and suggested is None and not data["confirm_new"]:
            duplicates = matches
            people_services.do_record_duplicates_offered(
                actor=request.user, people=list(duplicates), request=request
            )
        else:
            try:
                case = services.do_refer_person(
                    actor=request.user,
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    date_of_birth=data["date_of_birth"],
                    address=data["address"],
                    gender=data["gender"],
                    ethnicity=data["ethnicity"],
                    role=data["role"],
                    suggested_match=suggested,
                    request=request,
                    **_referral(data),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                sent = f"Referral {case.reference} sent to {case.panel}."
                if suggested is not None:
                    sent += f" Its co-ordinator will confirm whether it is {suggested.reference}."
                messages.success(request, sent)
                return redirect("panels:case_detail", case_id=case.pk)
    return render(
        request,
        "panels/refer.html",
        {"form": form, "duplicates": duplicates, "panel": panel, **referral_rules_note()},
    )


def _chosen_panel(request: AuthedRequest) -> Panel | None:
    """The panel the referral is to: by its slug in the address (the first step's answer) or,
    for a form sent without one, by the id it carries; only a panel that takes referrals."""
    panels = referral_panels()
    slug = request.GET.get("panel", "")
    given = request.POST.get("panel", "") if request.method == "POST" else ""
    return next(
        (p for p in panels if (given and str(p.pk) == given) or (not given and p.slug == slug)),
        None,
    )


@requires_permission("panels.refer")
def refer_place(request: AuthedRequest) -> HttpResponse:
    """Refer a place: one already known (by a reference the referrer can see) or a new one."""
    if not may_refer(request.user):
        raise PermissionDenied  # a referral is owned by the referrer's agency

    def save(d: dict[str, Any], _: int | None) -> Case:
        return services.do_refer_place(
            actor=request.user,
            place_reference=d["place_reference"],
            place_name=d["place_name"],
            place_kind=d["place_kind"],
            lsoa_code=d["lsoa_code"],
            ward_name=d["ward_name"],
            request=request,
            **_referral(d),
        )

    def saved(case: Case) -> HttpResponse:
        messages.success(request, f"Referral {case.reference} sent to {case.panel}.")
        return redirect("panels:case_detail", case_id=case.pk)

    return form_step(
        request,
        form_class=PlaceReferralForm,
        save=save,
        saved=saved,
        template="core/form_page.html",
        context={"title": "Refer a place", "submit_label": "Send referral"},
    )


@requires_permission("panels.record_offending")
@audited_page(verbs.PERSON_VIEWED, "people.person", "reference", by="reference")
def offence_create(request: AuthedRequest, reference: str) -> HttpResponse:
    """The police partner records an offence against a referred person."""
    person, _ = person_for(request, reference)
    if not may_record_offending(request.user):
        raise PermissionDenied

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Offence recorded.")
        return redirect("people:person_detail", reference=person.reference)

    return form_step(
        request,
        form_class=OffenceForm,
        save=lambda d, _: services.do_record_offence(
            actor=request.user,
            person=person,
            offence_date=d["offence_date"],
            category=d["category"],
            harm_weight=d["harm_weight"],
            request=request,
        ),
        saved=saved,
        template="core/form_page.html",
        context={"title": f"Record an offence by {person.reference}"},
    )
