"""The small forms on a case: notes, flags, people and places, status and assignments."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.panels import services
from csphub.panels.forms import (
    AssignForm,
    ClearFlagForm,
    FlagForm,
    NoteForm,
    RemoveSubjectForm,
    StatusForm,
    SubjectForm,
    UnassignForm,
)
from csphub.panels.lookup import case_for
from csphub.panels.models import (
    CaseSubject,
)
from csphub.panels.selectors import (
    assignable_practitioners,
    may_manage_assignments,
    may_unassign,
    next_statuses,
)
from csphub.panels.views.common import case_step, refused


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_note(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    return case_step(
        request,
        case,
        what="note",
        form_class=NoteForm,
        title="Add a note",
        save=lambda d, _: services.do_add_note(
            actor=request.user, case=case, text=d["text"], request=request
        ),
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_flag(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    return case_step(
        request,
        case,
        what="flag",
        form_class=FlagForm,
        title="Raise a flag",
        save=lambda d, _: services.do_raise_flag(
            actor=request.user, case=case, kind=d["kind"], reason=d["reason"], request=request
        ),
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_subject(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    return case_step(
        request,
        case,
        what="add_subject",
        form_class=SubjectForm,
        title="Add a person or place",
        save=lambda d, _: services.do_add_person_or_place(
            actor=request.user, case=case, request=request, **d
        ),
        intro="Everyone who may open this case will see who or what you link to it.",
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_subject_remove(request: AuthedRequest, case_id: UUID, subject_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    subject = get_visible_or_404(
        CaseSubject.objects.filter(case=case).select_related("person", "place"), pk=subject_id
    )
    return case_step(
        request,
        case,
        what="remove_subject",
        form_class=RemoveSubjectForm,
        title=f"Remove {subject.reference} from this case",
        save=lambda d, _: services.do_remove_subject(
            actor=request.user, subject=subject, reason=d["reason"], request=request
        ),
        intro="Those who see the case only through this link will no longer see "
        f"{subject.reference}. The removal and your reason are recorded.",
        submit_label="Remove",
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_status(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    reopening = not case.is_open
    return case_step(
        request,
        case,
        what="reopen" if reopening else "status",
        form_class=StatusForm,
        title="Reopen the case" if reopening else "Change status",
        save=lambda d, version: services.do_change_status(
            actor=request.user, case=case, expected_version=version, request=request, **d
        ),
        obj=case,
        intro="A reopened case is active again, with a new review date. Say why it is reopened."
        if reopening
        else "",
        form_kwargs={"allowed": next_statuses(case)},
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_assign(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    """Assign a practitioner: the co-ordinator anyone, the owning agency its colleagues."""
    case, _ = case_for(request, case_id)
    if not may_manage_assignments(request.user, case):
        return refused(request, case, "assign")
    choices = assignable_practitioners(request.user, case).exclude(assigned_cases=case)
    return case_step(
        request,
        case,
        what="assign",
        form_class=AssignForm,
        title="Assign a practitioner",
        save=lambda d, _: services.do_assign_practitioner(
            actor=request.user, case=case, practitioner=d["practitioner"], request=request
        ),
        intro="They, and their agency, will be able to open this case.",
        submit_label="Assign",
        form_kwargs={"choices": choices},
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_unassign(request: AuthedRequest, case_id: UUID, user_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    practitioner = get_visible_or_404(
        case.assigned_practitioners.select_related("agency"), pk=user_id
    )
    if not may_unassign(request.user, case, practitioner):
        raise PermissionDenied
    return case_step(
        request,
        case,
        what="assign",
        form_class=UnassignForm,
        title=f"Unassign {practitioner.full_name}",
        save=lambda d, _: services.do_unassign_practitioner(
            actor=request.user,
            case=case,
            practitioner=practitioner,
            reason=d["reason"],
            request=request,
        ),
        intro="They keep access only if their panel or agency entitles them to the case.",
        submit_label="Unassign",
    )


@requires_permission("panels.coordinate")
@audited_page(verbs.CASE_VIEWED, "panels.case", "case_id")
def case_flag_clear(request: AuthedRequest, case_id: UUID, flag_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    # A flag cleared while the form was open is found, so that save is refused as stale (409).
    flags = case.flags.all() if request.method == "POST" else case.flags.filter(cleared_at=None)
    flag = get_visible_or_404(flags, pk=flag_id)
    return case_step(
        request,
        case,
        what="clear_flag",
        form_class=ClearFlagForm,
        title=f"Clear the flag: {flag.get_kind_display()}",
        save=lambda d, version: services.do_clear_flag(
            actor=request.user, flag=flag, expected_version=version, request=request, **d
        ),
        obj=flag,
        noun="flag",
        initial=lambda f: {"reason": f.cleared_reason},
        intro=f"Raised because: {flag.reason}",
        submit_label="Clear flag",
    )
