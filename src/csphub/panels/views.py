"""Panels, cases, referrals and escalations. Thin: selectors decide access, services write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from csphub.accounts.models import Agency
from csphub.audit import verbs
from csphub.audit.pages import audited_page, note
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.concurrency import EditConflict
from csphub.core.editing import add_errors as _form_error
from csphub.core.editing import versioned_edit
from csphub.core.types import AuthedRequest
from csphub.lib.csv_safe import csv_response
from csphub.panels import services
from csphub.panels.choices import SubjectRole, TransitionStatus
from csphub.panels.forms import (
    AssignForm,
    CaseEditForm,
    ClearFlagForm,
    DecisionForm,
    EscalationForm,
    FlagForm,
    MembershipForm,
    NoteForm,
    OffenceForm,
    PanelForm,
    PlaceReferralForm,
    ReferralForm,
    RemoveMemberForm,
    RemoveSubjectForm,
    StatusForm,
    SubjectForm,
    TransferForm,
    UnassignForm,
)
from csphub.panels.models import (
    Case,
    CaseSubject,
    Offence,
    Panel,
    PanelMembership,
    TimelineEntry,
    Transition,
)
from csphub.panels.reports import before_after
from csphub.panels.reports import panel_dashboard as dashboard_figures
from csphub.panels.selectors import (
    CASE_DETAILS,
    assignable_practitioners,
    case_edit_refusal,
    case_edits_for,
    case_list_for,
    cases_visible_to,
    coordinates,
    dashboard_panels_for,
    may_decide,
    may_edit_case,
    may_manage_assignments,
    may_record_offending,
    may_see_offences,
    may_unassign,
    may_withdraw,
    next_statuses,
    panels_managed_by,
    panels_visible_to,
    unassignable,
)
from csphub.people import services as people_services
from csphub.people.lookup import person_or_404
from csphub.people.models import Person
from csphub.people.selectors import (
    people_visible_to,
    places_visible_to,
    possible_duplicates,
    referral_matches_for,
)

SELF_SEAT_MESSAGE = (
    "A seat on a panel opens its cases, so one you give yourself needs another "
    "administrator's approval: they will see your request under 'Requests waiting for approval'."
)
CASE_CHANGED_MESSAGE = (
    "Someone else changed this case after you opened it, so nothing was saved. "
    "Check the case as it is now, then try again."
)


def _conflict_message(error: EditConflict) -> str:
    """What to tell someone whose change lost a race (a decision says what was decided)."""
    return getattr(error, "message", "") or CASE_CHANGED_MESSAGE


def _case_or_404(request: AuthedRequest, case_id: UUID) -> Case:
    """The case if the user may see it; otherwise 404, and a refusal of a real case is audited."""
    visible = cases_visible_to(request.user).select_related("panel", "owning_agency")
    try:
        return visible.get(pk=case_id)
    except Case.DoesNotExist:
        if Case.objects.filter(pk=case_id).exists():
            services.do_record_case_refusal(actor=request.user, case_id=case_id, request=request)
        raise Http404("Not found") from None


def _refused(
    request: AuthedRequest, case: Case, what: str, error: PermissionDenied | None = None
) -> HttpResponse:
    """A change the user may not make to a case they can see: 403, saying who may (or what the
    service said when it refused)."""
    message = str(error or "") or case_edit_refusal(request.user, case, what)
    return render(
        request, "panels/case_refused.html", {"case": case, "message": message}, status=403
    )


@requires_permission("panels.view_panels")
def panel_list(request: AuthedRequest) -> HttpResponse:
    panels = panels_visible_to(request.user).prefetch_related("member_agencies")
    return render(request, "panels/panel_list.html", {"panels": panels})


@requires_permission("panels.view_panels")
@audited_page(verbs.PANEL_VIEWED, "panels.panel", "slug", by="slug")
def panel_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    panel = get_visible_or_404(panels_visible_to(request.user).select_related("chair"), slug=slug)
    memberships = PanelMembership.objects.filter(panel=panel).select_related("user__agency")
    is_coordinator = coordinates(request.user, panel)
    pending = []
    if is_coordinator:
        pending = list(
            Transition.objects.filter(
                to_panel=panel, status=TransitionStatus.PENDING
            ).select_related("case", "from_panel", "from_agency")
        )
    note(request, cases=[t.case.reference for t in pending])
    return render(
        request,
        "panels/panel_detail.html",
        {
            "panel": panel,
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


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_LIST_VIEWED)
def case_list(request: AuthedRequest) -> HttpResponse:
    cases = case_list_for(request.user)
    panel_slug = request.GET.get("panel", "")
    if panel_slug:
        cases = cases.filter(panel__slug=panel_slug)
    show_closed = request.GET.get("closed") == "1"
    if not show_closed:
        cases = cases.exclude(status="closed")
    note(request, cases=[c.reference for c in cases])
    return render(
        request,
        "panels/case_list.html",
        {
            "cases": cases,
            "panels": panels_visible_to(request.user),
            "panel_slug": panel_slug,
            "show_closed": show_closed,
            "can_export": request.user.has_perm("panels.export_cases"),
        },
    )


@requires_permission("panels.export_cases")
@audited_page(verbs.CASES_EXPORTED)
def case_export(request: AuthedRequest) -> HttpResponse:
    """The visible cases as CSV: references and codes only, never names."""
    cases = list(case_list_for(request.user))
    note(request, cases=[c.reference for c in cases])
    rows = (
        [
            c.reference,
            c.panel.name,
            c.owning_agency.name,
            c.get_status_display(),
            c.get_risk_level_display(),
            timezone.localdate(c.referred_at).isoformat(),
            c.review_due.isoformat() if c.review_due else "",
            c.get_closure_outcome_display(),
            " ".join(s.reference for s in c.subjects.all()),
        ]  # type: ignore[union-attr]
        for c in cases
    )
    return csv_response(
        "cases.csv",
        [
            "Case",
            "Panel",
            "Owning agency",
            "Status",
            "Risk",
            "Referred",
            "Review due",
            "Closure outcome",
            "Subjects",
        ],
        rows,
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_detail(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    return render(request, "panels/case_detail.html", _case_context(request, case))


def _case_context(request: AuthedRequest, case: Case) -> dict[str, Any]:
    subjects = list(CaseSubject.objects.filter(case=case).select_related("person", "place"))
    transitions = list(
        case.transitions.select_related(
            "from_panel",
            "to_panel",
            "from_agency",
            "to_agency",
            "made_by",
            "decided_by",
            "case__panel",
        )
    )
    pivot = timezone.localdate(case.referred_at)
    show_offences = may_see_offences(request.user, case)
    # One query for every subject's offences, however many people the case is about.
    offences: dict[Any, list[Offence]] = {}
    for offence in Offence.objects.filter(
        person_id__in=[s.person_id for s in subjects if s.person_id and show_offences]
    ):
        offences.setdefault(offence.person_id, []).append(offence)
    subject_rows = [
        (
            s,
            before_after(offences.get(s.person_id, []), pivot)
            if s.person_id and show_offences
            else None,
        )
        for s in subjects
    ]
    can = case_edits_for(request.user, case)
    can_assign = may_manage_assignments(request.user, case)
    assigned = list(case.assigned_practitioners.select_related("agency"))
    removable = unassignable(request.user, case, assigned)
    return {
        "case": case,
        "subjects": subjects,
        "transitions": transitions,
        "decidable": [
            t
            for t in transitions
            if t.status == TransitionStatus.PENDING
            and (may_decide(request.user, t) or may_withdraw(request.user, t))
        ],
        "timeline": TimelineEntry.objects.filter(case=case).select_related("actor")[:100],
        "flags": case.flags.filter(cleared_at__isnull=True),
        "assigned": [(u, u.pk in removable) for u in assigned],
        "can_assign": can_assign,
        "subject_rows": subject_rows,
        "show_offences": show_offences,
        "can": can,
        "can_edit": bool(can.intersection(CASE_DETAILS)),
        "can_remove_subjects": "remove_subject" in can and len(subjects) > 1,
        "next_statuses": next_statuses(case) if can & {"status", "reopen"} else [],
    }


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_edit(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    # The form holds only the fields this user may change (docs/permissions.md).
    editable = [name for name in CASE_DETAILS if name in case_edits_for(request.user, case)]
    if not editable:
        return _refused(request, case, "plan")

    def save(data: dict[str, Any], version: int) -> None:
        services.do_update_case(
            actor=request.user,
            case=case,
            expected_version=version,
            request=request,
            **{name: data[name] for name in editable},
        )

    def saved() -> HttpResponse:
        messages.success(request, "Case saved.")
        return redirect("panels:case_detail", case_id=case.pk)

    try:
        return versioned_edit(
            request,
            form_class=CaseEditForm,
            obj=case,
            initial=lambda c: {name: getattr(c, name) for name in editable},
            save=save,
            template="panels/case_edit.html",
            context={"case": case},
            saved=saved,
            noun="case",
            form_kwargs={"editable": editable},
        )
    except PermissionDenied as error:
        return _refused(request, case, "plan", error)


def _case_edit_form(
    request: AuthedRequest,
    case: Case,
    obj: Any,
    form_class: Any,
    title: str,
    save: Any,
    *,
    what: str,
    noun: str,
    initial: Any = lambda obj: {},
    intro: str = "",
    submit_label: str = "",
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """A small versioned form on a case (OBJ: the case or a record on it), on the case form page.
    WHAT names the change (selectors.CASE_EDITS): one the user may not make is refused, saying
    who may."""
    if not may_edit_case(request.user, case, what):
        return _refused(request, case, what)

    def saved() -> HttpResponse:
        messages.success(request, f"{title}: done.")
        return redirect("panels:case_detail", case_id=case.pk)

    try:
        return versioned_edit(
            request,
            form_class=form_class,
            obj=obj,
            initial=initial,
            save=save,
            template="panels/case_form.html",
            context={
                "case": case,
                "title": title,
                "intro": intro,
                "submit_label": submit_label,
            },
            saved=saved,
            noun=noun,
            form_kwargs=form_kwargs,
        )
    except PermissionDenied as error:
        return _refused(request, case, what, error)


def _case_action(
    request: AuthedRequest,
    case_id: UUID,
    form_class: type,
    title: str,
    act: Any,
    *,
    what: str,
    loaded: Case | None = None,
    intro: str = "",
    submit_label: str = "",
    **form_kwargs: Any,
) -> HttpResponse:
    """A small form on a case: GET shows it, a valid POST calls ACT(case, data). WHAT names the
    change (selectors.CASE_EDITS): one the user may not make is refused, saying who may."""
    case = loaded or _case_or_404(request, case_id)
    if not may_edit_case(request.user, case, what):
        return _refused(request, case, what)
    # Bound on every POST, even an empty one (a form whose fields are all optional).
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            act(case, form.cleaned_data, form)
        except ValidationError as error:
            _form_error(form, error)
        except PermissionDenied as error:
            return _refused(request, case, what, error)
        except EditConflict as error:
            conflict = True
            form.add_error(None, _conflict_message(error))
        else:
            messages.success(request, f"{title}: done.")
            return redirect("panels:case_detail", case_id=case.pk)
    return render(
        request,
        "panels/case_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
        },
        status=409 if conflict else 200,
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_note(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        NoteForm,
        "Add a note",
        lambda case, d, f: services.do_add_note(
            actor=request.user, case=case, text=d["text"], request=request
        ),
        what="note",
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_flag(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        FlagForm,
        "Raise a flag",
        lambda case, d, f: services.do_raise_flag(
            actor=request.user, case=case, kind=d["kind"], reason=d["reason"], request=request
        ),
        what="flag",
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_subject(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    def act(case: Case, d: dict[str, Any], form: Any) -> None:
        person = place = None
        if d["person_reference"]:
            person = (
                people_visible_to(request.user)
                .filter(reference=d["person_reference"].strip().upper())
                .first()
            )
            if person is None:
                raise ValidationError(
                    {"person_reference": "No person you can see has that reference"}
                )
        else:
            place = people_services.do_create_place(
                actor=request.user,
                name=d["place_name"],
                kind=d["place_kind"] or "street",
                lsoa_code=d["lsoa_code"].strip().upper(),
                ward_name=d["ward_name"],
                request=request,
            )
        services.do_add_subject(
            actor=request.user,
            case=case,
            role=d["role"],
            person=person,
            place=place,
            request=request,
        )

    def linked(case: Case, d: dict[str, Any], form: Any) -> None:
        with transaction.atomic():  # a new place is kept only if it is linked
            act(case, d, form)

    return _case_action(
        request,
        case_id,
        SubjectForm,
        "Add a person or place",
        linked,
        what="add_subject",
        intro="Everyone who may open this case will see who or what you link to it.",
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_subject_remove(request: AuthedRequest, case_id: UUID, subject_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    subject = get_visible_or_404(
        CaseSubject.objects.filter(case=case).select_related("person", "place"), pk=subject_id
    )
    return _case_action(
        request,
        case_id,
        RemoveSubjectForm,
        f"Remove {subject.reference} from this case",
        lambda c, d, f: services.do_remove_subject(
            actor=request.user, subject=subject, reason=d["reason"], request=request
        ),
        what="remove_subject",
        loaded=case,
        intro="Those who see the case only through this link will no longer see "
        f"{subject.reference}. The removal and your reason are recorded.",
        submit_label="Remove",
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_status(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    reopening = not case.is_open
    return _case_edit_form(
        request,
        case,
        case,
        StatusForm,
        "Reopen the case" if reopening else "Change status",
        lambda d, version: services.do_change_status(
            actor=request.user, case=case, expected_version=version, request=request, **d
        ),
        what="reopen" if reopening else "status",
        noun="case",
        intro="A reopened case is active again, with a new review date. Say why it is reopened."
        if reopening
        else "",
        form_kwargs={"allowed": next_statuses(case)},
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_escalate(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)

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
    transition.case = _case_or_404(request, transition.case_id)
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


def _send_referral(request: AuthedRequest, form: Any, agency: Agency, **subject: Any) -> Case:
    """The referral both referral pages make, from the fields their forms share."""
    data = form.cleaned_data
    return services.do_refer(
        actor=request.user,
        panel=data["panel"],
        owning_agency=agency,
        reason_category=data["reason_category"],
        reason=data["reason"],
        consent_given=data["consent_given"] == "yes",
        lawful_basis=data["lawful_basis"],
        override_reason=data["override_reason"],
        risk_level=data["risk_level"],
        indicators=form.indicators(),
        request=request,
        **subject,
    )


@requires_permission("panels.refer")
def refer(request: AuthedRequest) -> HttpResponse:
    """Refer a person. Records the referrer may see with a similar name and the same date of
    birth are offered first, to name one as whom they mean or to set them aside; any other
    record is left for the receiving co-ordinator to match, unseen by the referrer."""
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied  # a referral is owned by the referrer's agency
    form = ReferralForm(request.POST or None)
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
                # The referral's record of the person is kept only if the referral is made.
                with transaction.atomic():
                    person = people_services.do_create_person(
                        actor=request.user,
                        given_name=data["given_name"],
                        family_name=data["family_name"],
                        date_of_birth=data["date_of_birth"],
                        address=data["address"],
                        gender=data["gender"],
                        ethnicity=data["ethnicity"],
                        request=request,
                    )
                    case = _send_referral(
                        request,
                        form,
                        agency,
                        person=person,
                        role=data["role"],
                        suggested_match=suggested,
                    )
            except ValidationError as error:
                _form_error(form, error)
            else:
                sent = f"Referral {case.reference} sent to {case.panel}."
                if suggested is not None:
                    sent += f" Its co-ordinator will confirm whether it is {suggested.reference}."
                messages.success(request, sent)
                return redirect("panels:case_detail", case_id=case.pk)
    return render(request, "panels/refer.html", {"form": form, "duplicates": duplicates})


@requires_permission("panels.refer")
def refer_place(request: AuthedRequest) -> HttpResponse:
    """Refer a place: one already known (by a reference the referrer can see) or a new one."""
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied  # a referral is owned by the referrer's agency
    form = PlaceReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # A new place is kept only if its referral is made.
            with transaction.atomic():
                if data["place_reference"]:
                    place = (
                        places_visible_to(request.user)
                        .filter(reference=data["place_reference"].strip().upper())
                        .first()
                    )
                    if place is None:
                        raise ValidationError(
                            {"place_reference": "No place you can see has that reference"}
                        )
                else:
                    place = people_services.do_create_place(
                        actor=request.user,
                        name=data["place_name"],
                        kind=data["place_kind"],
                        lsoa_code=data["lsoa_code"],
                        ward_name=data["ward_name"],
                        request=request,
                    )
                case = _send_referral(request, form, agency, place=place, role=SubjectRole.LOCATION)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Referral {case.reference} sent to {case.panel}.")
            return redirect("panels:case_detail", case_id=case.pk)
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": "Refer a place", "submit_label": "Send referral"},
    )


@requires_permission("panels.record_offending")
@audited_page(verbs.PERSON_VIEWED, "people.person", "reference", by="reference")
def offence_create(request: AuthedRequest, reference: str) -> HttpResponse:
    """The police partner records an offence against a referred person."""
    person = person_or_404(request, reference)
    if not may_record_offending(request.user):
        raise PermissionDenied
    form = OffenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.do_record_offence(
            actor=request.user,
            person=person,
            offence_date=data["offence_date"],
            category=data["category"],
            harm_weight=data["harm_weight"],
            request=request,
        )
        messages.success(request, "Offence recorded.")
        return redirect("people:person_detail", reference=person.reference)
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": f"Record an offence by {person.reference}"},
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_assign(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    """Assign a practitioner: the co-ordinator anyone, the owning agency its colleagues."""
    case = _case_or_404(request, case_id)
    if not may_manage_assignments(request.user, case):
        return _refused(request, case, "assign")
    choices = assignable_practitioners(request.user, case).exclude(assigned_cases=case)
    return _case_action(
        request,
        case_id,
        AssignForm,
        "Assign a practitioner",
        lambda c, d, f: services.do_assign_practitioner(
            actor=request.user, case=c, practitioner=d["practitioner"], request=request
        ),
        what="assign",
        loaded=case,
        intro="They, and their agency, will be able to open this case.",
        submit_label="Assign",
        choices=choices,
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_unassign(request: AuthedRequest, case_id: UUID, user_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    practitioner = get_visible_or_404(
        case.assigned_practitioners.select_related("agency"), pk=user_id
    )
    if not may_unassign(request.user, case, practitioner):
        raise PermissionDenied
    return _case_action(
        request,
        case_id,
        UnassignForm,
        f"Unassign {practitioner.full_name}",
        lambda c, d, f: services.do_unassign_practitioner(
            actor=request.user,
            case=c,
            practitioner=practitioner,
            reason=d["reason"],
            request=request,
        ),
        what="assign",
        loaded=case,
        intro="They keep access only if their panel or agency entitles them to the case.",
        submit_label="Unassign",
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_flag_clear(request: AuthedRequest, case_id: UUID, flag_id: UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    # A flag cleared while the form was open is found, so that save is refused as stale (409).
    flags = case.flags.all() if request.method == "POST" else case.flags.filter(cleared_at=None)
    flag = get_visible_or_404(flags, pk=flag_id)
    return _case_edit_form(
        request,
        case,
        flag,
        ClearFlagForm,
        f"Clear the flag: {flag.get_kind_display()}",
        lambda d, version: services.do_clear_flag(
            actor=request.user, flag=flag, expected_version=version, request=request, **d
        ),
        what="clear_flag",
        noun="flag",
        initial=lambda f: {"reason": f.cleared_reason},
        intro=f"Raised because: {flag.reason}",
        submit_label="Clear flag",
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
        "uses_risk_screen": data["uses_risk_screen"],
    }


@requires_permission("panels.manage_panels")
def panel_create(request: AuthedRequest) -> HttpResponse:
    form = PanelForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.do_create_panel(
                actor=request.user, request=request, **_panel_form_data(form.cleaned_data)
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{panel.name} set up. Now add its members.")
            return redirect("panels:panel_members", slug=panel.slug)
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": "Set up a panel", "submit_label": "Set up panel"},
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
            "uses_risk_screen": p.uses_risk_screen,
            "is_active": p.is_active,
        }

    def save(data: dict[str, Any], version: int) -> None:
        services.do_update_panel(
            actor=request.user,
            panel=panel,
            is_active=data["is_active"],
            expected_version=version,
            request=request,
            **_panel_form_data(data),
        )

    def saved() -> HttpResponse:
        messages.success(request, "Panel saved.")
        return redirect("panels:panel_detail", slug=panel.slug)

    return versioned_edit(
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
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.do_add_panel_member(
                actor=request.user,
                panel=panel,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            if isinstance(seat, PanelMembership):
                messages.success(request, "Membership saved.")
            else:
                messages.info(request, SELF_SEAT_MESSAGE)
            return redirect("panels:panel_members", slug=panel.slug)
    memberships = PanelMembership.objects.filter(panel=panel).select_related("user__agency")
    return render(
        request,
        "panels/panel_members.html",
        {"panel": panel, "memberships": memberships, "form": form},
    )


@requires_permission("panels.manage_panels")
def panel_member_remove(request: AuthedRequest, slug: str, membership_id: UUID) -> HttpResponse:
    panel = get_visible_or_404(panels_managed_by(request.user), slug=slug)
    membership = get_visible_or_404(
        PanelMembership.objects.filter(panel=panel).select_related("user__agency", "panel"),
        pk=membership_id,
    )
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.do_remove_panel_member(actor=request.user, membership=membership, request=request)
        messages.success(request, f"{membership.user.full_name} is no longer on {panel.name}.")
        return redirect("panels:panel_members", slug=panel.slug)
    return render(
        request,
        "panels/panel_member_remove.html",
        {"panel": panel, "membership": membership, "form": form},
    )
