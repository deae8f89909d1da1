"""Every write to panels and cases: keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from csphub.accounts.models import Agency, GrantRequest
from csphub.accounts.selectors import grant_needs_second_administrator
from csphub.accounts.services import do_request_grant
from csphub.audit import record
from csphub.core import throttle
from csphub.core.concurrency import EditConflict, save_if_unchanged
from csphub.lib.deadlines import Timescale
from csphub.panels.choices import (
    CaseStatus,
    ClosureOutcome,
    MembershipRole,
    TransitionKind,
    TransitionStatus,
)
from csphub.panels.models import (
    Case,
    CaseFlag,
    CaseSubject,
    Offence,
    Panel,
    PanelMembership,
    TimelineEntry,
    Transition,
)
from csphub.panels.rules import consent_errors, low_risk_errors, risk_screen_errors
from csphub.panels.selectors import (
    CASE_DETAILS,
    assignable_practitioners,
    case_edit_refusal,
    case_edits_for,
    coordinates,
    may_decide,
    may_edit_case,
    may_record_offending,
    may_unassign,
    may_withdraw,
    next_statuses,
)
from csphub.people.models import Person, Place


def add_timeline_entry(
    *,
    case: Case,
    kind: str,
    actor: Any,
    summary: str,
    detail: str = "",
    occurred_at: datetime | None = None,
    source: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Add one entry to a case's timeline (transitions, decisions, actions, notes all use this).

    KIND is free text such as "note", "transition", "meeting.decision", "action.created".
    SOURCE, when given, is the record the entry came from (a meeting decision, an action).
    """
    with transaction.atomic():
        return TimelineEntry.objects.create(
            case=case,
            kind=kind,
            actor=actor if getattr(actor, "pk", None) else None,
            summary=summary[:300],
            detail=detail,
            occurred_at=occurred_at or timezone.now(),
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            payload=payload or {},
        )


def _coordinator_check(actor: Any, panel: Panel | None) -> None:
    if not coordinates(actor, panel):
        raise PermissionDenied("Only the panel's co-ordinator can do this")


def _edit_check(actor: Any, case: Case, what: str) -> None:
    """Refuse, saying who may, a change that docs/permissions.md does not give ACTOR."""
    if not may_edit_case(actor, case, what):
        raise PermissionDenied(case_edit_refusal(actor, case, what))


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _review_due(panel: Panel, start: datetime) -> date:
    return Timescale(panel.review_interval_days).due(timezone.localdate(start))


def _indicators(indicators: dict[str, int] | None) -> dict[str, int]:
    return {str(k): int(v) for k, v in (indicators or {}).items()}


def _record_transition(
    *, actor: Any, case: Case, kind: str, request: HttpRequest | None, **fields: Any
) -> Transition:
    """Create a pending transition, its timeline entry and its audit events (override too)."""
    transition = Transition.objects.create(case=case, kind=kind, made_by=actor, **fields)
    label = TransitionKind(kind).label
    target = transition.to_panel or transition.to_agency
    add_timeline_entry(
        case=case,
        kind="transition",
        actor=actor,
        source=transition,
        summary=f"{label} to {target}",
        detail=transition.reason,
        payload={"kind": kind, "status": transition.status, "risk_level": transition.risk_level},
    )
    record(
        verb=f"case.{kind}_made",
        actor=actor,
        target=case,
        request=request,
        payload={
            "transition": str(transition.pk),
            "consent": transition.consent_given,
            "risk_level": transition.risk_level,
        },
    )
    if not transition.consent_given:
        # The override is its own event so the DPO can list every one of them.
        record(
            verb="consent.overridden",
            actor=actor,
            target=transition,
            request=request,
            payload={"case": str(case.pk), "lawful_basis": transition.lawful_basis},
        )
    return transition


def do_refer(
    *,
    actor: Any,
    panel: Panel,
    owning_agency: Agency,
    person: Person | None = None,
    place: Place | None = None,
    role: str,
    reason_category: str,
    reason: str,
    consent_given: bool,
    lawful_basis: str = "",
    override_reason: str = "",
    risk_level: str,
    indicators: dict[str, int] | None = None,
    summary: str = "",
    suggested_match: Person | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Refer a person or a place to PANEL: a new case, waiting for the co-ordinator to accept.

    A person referral brings its own, new record of the person: it never links a record
    already known, so it shows nobody a record they could not see and a refusal leaves nothing
    behind. SUGGESTED_MATCH, a record the referrer may see, says whom they believe it is; the
    receiving co-ordinator decides that on accepting (`do_decide_transition`). A place is a
    new one, or one already on a case the referrer may see.
    """
    from csphub.people.selectors import people_visible_to, places_visible_to

    if not actor.has_perm("panels.refer"):
        raise PermissionDenied
    if (person is None) == (place is None):
        raise ValidationError("A referral is about one person or one place")
    if person is not None and (
        person.merged_into_id is not None or CaseSubject.objects.filter(person=person).exists()
    ):
        raise ValidationError(
            {"person": "A referral brings a new record: name a known person as its suggested match"}
        )
    if (
        place is not None
        and place.case_links.exists()
        and not places_visible_to(actor).filter(pk=place.pk).exists()
    ):
        # A known place is linked only by someone who sees it, as the referral page offers.
        raise ValidationError({"place_reference": "No place you can see has that reference"})
    if suggested_match is not None and (
        person is None or not people_visible_to(actor).filter(pk=suggested_match.pk).exists()
    ):
        raise ValidationError({"suggested_match": "No person you can see has that reference"})
    scores = _indicators(indicators)
    _raise_if(
        consent_errors(
            consent_given=consent_given, lawful_basis=lawful_basis, override_reason=override_reason
        )
    )
    if panel.uses_risk_screen:
        ages = [person.age_on(timezone.localdate())] if person else []
        _raise_if(risk_screen_errors(indicators=scores, risk_level=risk_level, ages=ages))
    with transaction.atomic():
        case = Case.objects.create(
            panel=panel,
            owning_agency=owning_agency,
            status=CaseStatus.REFERRED,
            risk_level=risk_level,
            summary=summary or reason,
        )
        CaseSubject.objects.create(case=case, person=person, place=place, role=role)
        _record_transition(
            actor=actor,
            case=case,
            kind=TransitionKind.REFERRAL,
            request=request,
            to_panel=panel,
            from_agency=getattr(actor, "agency", None),
            to_agency=owning_agency,
            reason_category=reason_category,
            reason=reason,
            consent_given=consent_given,
            lawful_basis="" if consent_given else lawful_basis,
            override_reason="" if consent_given else override_reason.strip(),
            risk_level=risk_level,
            indicators=scores,
            suggested_match=suggested_match,
        )
    return case


def do_escalate_case(
    *,
    actor: Any,
    case: Case,
    to_panel: Panel,
    reason_category: str,
    reason: str,
    consent_given: bool,
    lawful_basis: str = "",
    override_reason: str = "",
    risk_level: str,
    indicators: dict[str, int] | None = None,
    request: HttpRequest | None = None,
) -> Transition:
    """Ask another panel to take the case (ASB CMP to CREST or VIP); the case keeps its history."""
    _edit_check(actor, case, "status")
    if to_panel.pk == case.panel_id or not case.is_open:
        raise ValidationError("Choose a different panel for an open case")
    if case.transitions.filter(status=TransitionStatus.PENDING).exists():
        raise ValidationError("This case already has a referral waiting for a decision")
    scores = _indicators(indicators)
    _raise_if(
        consent_errors(
            consent_given=consent_given, lawful_basis=lawful_basis, override_reason=override_reason
        )
    )
    if to_panel.uses_risk_screen:
        # Every person on the case counts, not only the first one linked.
        _raise_if(
            risk_screen_errors(indicators=scores, risk_level=risk_level, ages=case.subject_ages())
        )
    with transaction.atomic():
        return _record_transition(
            actor=actor,
            case=case,
            kind=TransitionKind.ESCALATION,
            request=request,
            from_panel=case.panel,
            to_panel=to_panel,
            from_agency=case.owning_agency,
            to_agency=case.owning_agency,
            reason_category=reason_category,
            reason=reason,
            consent_given=consent_given,
            lawful_basis="" if consent_given else lawful_basis,
            override_reason="" if consent_given else override_reason.strip(),
            risk_level=risk_level,
            indicators=scores,
        )


def do_transfer_case(
    *,
    actor: Any,
    case: Case,
    to_agency: Agency,
    reason: str,
    consent_given: bool,
    lawful_basis: str = "",
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Transition:
    """Hand ownership of a case to another agency (it accepts or rejects)."""
    _edit_check(actor, case, "status")
    if to_agency.pk == case.owning_agency_id:
        raise ValidationError("The case is already owned by that agency")
    _raise_if(
        consent_errors(
            consent_given=consent_given, lawful_basis=lawful_basis, override_reason=override_reason
        )
    )
    with transaction.atomic():
        return _record_transition(
            actor=actor,
            case=case,
            kind=TransitionKind.TRANSFER,
            request=request,
            from_panel=case.panel,
            to_panel=case.panel,
            from_agency=case.owning_agency,
            to_agency=to_agency,
            reason=reason,
            consent_given=consent_given,
            lawful_basis="" if consent_given else lawful_basis,
            override_reason="" if consent_given else override_reason.strip(),
            risk_level=case.risk_level,
        )


class TransitionAlreadyDecided(EditConflict):
    """Someone else decided (or withdrew) the transition after it was opened."""

    def __init__(self, transition: Transition) -> None:
        super().__init__(current_version=0)
        kind = TransitionKind(transition.kind).label.lower()
        status = TransitionStatus(transition.status).label.lower()
        self.message = (
            f"This {kind} has already been {status} by someone else, "
            "so your decision was not recorded."
        )
        self.args = (self.message,)


def _screen_on_entry(transition: Transition) -> None:
    """A case only enters a risk-screen panel at a risk the screen allows, judged on the people
    on the case when it is accepted (someone may have been added since it was made)."""
    panel = transition.to_panel
    if transition.kind == TransitionKind.TRANSFER or panel is None or not panel.uses_risk_screen:
        return
    errors = low_risk_errors(
        risk_level=transition.risk_level,
        indicators=transition.indicators or transition.case.latest_indicators(),
        ages=transition.case.subject_ages(),
    )
    if errors:
        raise ValidationError(
            {
                "decision": f"{errors['risk_level']}: reject it and ask for a new "
                f"{TransitionKind(transition.kind).label.lower()} at the right risk level"
            }
        )


def do_decide_transition(
    *,
    actor: Any,
    transition: Transition,
    decision: str,
    reason: str = "",
    same_as: Person | None = None,
    request: HttpRequest | None = None,
) -> Transition:
    """Accept, reject (with a reason) or withdraw a pending transition, and apply it to the case.

    A referral about someone who may already be known (`referral_matches_for`) is accepted
    either as about one of those records, SAME_AS (the referral's own record is merged into
    it, so the case is about that person), or, with SAME_AS None, as about a new person; the
    answer is audited by references. Nothing is linked on a rejection or a withdrawal.
    """
    from csphub.people.selectors import referral_matches_for, referral_record

    if decision == TransitionStatus.WITHDRAWN:
        if not may_withdraw(actor, transition):
            raise PermissionDenied
    elif decision in (TransitionStatus.ACCEPTED, TransitionStatus.REJECTED):
        if not may_decide(actor, transition):
            raise PermissionDenied
    else:
        raise ValidationError("Unknown decision")
    if decision == TransitionStatus.REJECTED and not reason.strip():
        raise ValidationError({"reason": "Give the reason for rejecting"})
    matches: list[Person] = []
    if decision == TransitionStatus.ACCEPTED and transition.kind == TransitionKind.REFERRAL:
        matches = referral_matches_for(actor, transition)
    if same_as is not None and same_as.pk not in {p.pk for p in matches}:
        raise ValidationError({"match": "Choose one of the records offered, or a new person"})
    if decision == TransitionStatus.ACCEPTED:
        _screen_on_entry(transition)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=transition.case_id)
        decided = {
            "status": decision,
            "decided_by": actor,
            "decided_at": now,
            "decision_reason": reason,
        }
        # Only a transition still pending is decided, in one conditional update: an accept and
        # a reject at the same moment cannot both succeed, whatever the database's locking.
        if not Transition.objects.filter(pk=transition.pk, status=TransitionStatus.PENDING).update(
            **decided, updated_at=now
        ):
            raise TransitionAlreadyDecided(Transition.objects.get(pk=transition.pk))
        for name, value in decided.items():
            setattr(transition, name, value)
        transition.updated_at = now
        fields: dict[str, Any] = {}
        if decision == TransitionStatus.ACCEPTED:
            if transition.kind == TransitionKind.TRANSFER:
                fields = {"owning_agency": transition.to_agency}
            else:
                panel = transition.to_panel
                assert panel is not None
                fields = {
                    "panel": panel,
                    "status": CaseStatus.ACCEPTED,
                    "accepted_at": now,
                    "review_due": _review_due(panel, now),
                    "risk_level": transition.risk_level,
                }
        elif transition.kind == TransitionKind.REFERRAL:
            # A referral that is not taken up closes the case it opened.
            outcome = (
                ClosureOutcome.NOT_ACCEPTED
                if decision == TransitionStatus.REJECTED
                else ClosureOutcome.WITHDRAWN
            )
            fields = {"status": CaseStatus.CLOSED, "closed_at": now, "closure_outcome": outcome}
        if fields:
            save_if_unchanged(case, expected_version=case.version, fields=fields)
        label = TransitionStatus(decision).label.lower()
        add_timeline_entry(
            case=case,
            kind="transition.decided",
            actor=actor,
            source=transition,
            summary=f"{TransitionKind(transition.kind).label} {label}",
            detail=reason,
            payload={"kind": transition.kind, "status": decision},
        )
        record(
            verb=f"case.{transition.kind}_{decision}",
            actor=actor,
            target=case,
            request=request,
            payload={"transition": str(transition.pk)},
        )
        if matches:
            _resolve_match(
                actor=actor,
                case=case,
                transition=transition,
                matches=matches,
                own=referral_record(transition),
                same_as=same_as,
                request=request,
            )
    return transition


def _resolve_match(
    *,
    actor: Any,
    case: Case,
    transition: Transition,
    matches: list[Person],
    own: Person | None,
    same_as: Person | None,
    request: HttpRequest | None,
) -> None:
    """Record the co-ordinator's answer to "is this someone already known?" on accepting a
    referral and, for a yes, fold the referral's own record into the known one."""
    from csphub.people.services import fold_records

    assert own is not None  # matches are found from the referral's own record
    if same_as is not None:
        fold_records(
            actor=actor,
            surviving=same_as,
            merged=own,
            reason=f"Referral {case.reference} accepted as about {same_as.reference}.",
            request=request,
        )
        add_timeline_entry(
            case=case,
            kind="referral.matched",
            actor=actor,
            source=transition,
            summary=f"Referral joined to {same_as.reference}, a record already known",
            payload={"person": same_as.reference, "referred": own.reference},
        )
    record(
        verb="case.referral_match_resolved",
        actor=actor,
        target=case,
        request=request,
        payload={
            "transition": str(transition.pk),
            "matches": sorted(p.reference for p in matches),
            "same_as": same_as.reference if same_as else "",
            "referred": own.reference,
        },
    )


def do_update_case(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    summary: str | None = None,
    plan: str | None = None,
    risk_level: str | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Edit a case's summary, plan and risk (each kept as it is when not given); refused
    (EditConflict) if someone saved it since, and each change refused unless may_edit_case
    gives it to ACTOR (docs/permissions.md).

    On a panel that uses the risk screen, the risk stays within what the screen allows for
    the people on the case and the latest scores recorded for it.
    """
    given = {"summary": summary, "plan": plan, "risk_level": risk_level}
    new = {k: v for k, v in given.items() if v is not None}
    changed = sorted(k for k, v in new.items() if getattr(case, k) != v)
    allowed = case_edits_for(actor, case)
    if not allowed.intersection(CASE_DETAILS):
        # Not even a save that changes nothing; the plan's refusal names the most people.
        raise PermissionDenied(case_edit_refusal(actor, case, "plan"))
    for field in changed:
        if field not in allowed:
            raise PermissionDenied(case_edit_refusal(actor, case, field))
    if risk_level is not None and case.panel.uses_risk_screen:
        _raise_if(
            low_risk_errors(
                risk_level=risk_level,
                indicators=case.latest_indicators(),
                ages=case.subject_ages(),
            )
        )
    with transaction.atomic():
        save_if_unchanged(case, expected_version=expected_version, fields=new)
        add_timeline_entry(
            case=case,
            kind="case.updated",
            actor=actor,
            summary="Case details updated",
            payload={"fields": changed},
        )
        record(
            verb="case.updated",
            actor=actor,
            target=case,
            request=request,
            payload={"fields": changed, "version": case.version},
        )
    return case


def do_add_note(
    *, actor: Any, case: Case, text: str, request: HttpRequest | None = None
) -> TimelineEntry:
    _edit_check(actor, case, "note")
    if not text.strip():
        raise ValidationError({"text": "Enter the note"})
    with transaction.atomic():
        entry = add_timeline_entry(
            case=case, kind="note", actor=actor, summary=text.strip().splitlines()[0], detail=text
        )
        record(
            verb="case.note_added",
            actor=actor,
            target=case,
            request=request,
            payload={"entry": str(entry.pk)},
        )
    return entry


def do_raise_flag(
    *, actor: Any, case: Case, kind: str, reason: str, request: HttpRequest | None = None
) -> CaseFlag:
    _edit_check(actor, case, "flag")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the flag"})
    with transaction.atomic():
        flag = CaseFlag.objects.create(case=case, kind=kind, reason=reason, raised_by=actor)
        add_timeline_entry(
            case=case,
            kind="flag.raised",
            actor=actor,
            source=flag,
            summary=f"Flag raised: {flag.get_kind_display()}",
            detail=reason,
        )
        record(
            verb="case.flag_raised",
            actor=actor,
            target=case,
            request=request,
            payload={"flag": kind},
        )
    return flag


def do_change_status(
    *,
    actor: Any,
    case: Case,
    status: str,
    closure_outcome: str = "",
    reason: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Move a case along referred → accepted → active → review → closed (with an outcome), or
    reopen a closed one (back to active, with a reason): the panel co-ordinator's decisions.

    Refused (EditConflict) if the case was saved since EXPECTED_VERSION (default: CASE's).
    """
    reopening = not case.is_open
    _edit_check(actor, case, "reopen" if reopening else "status")
    if status not in next_statuses(case):
        raise ValidationError({"status": "The case cannot move to that status from here"})
    if status == CaseStatus.CLOSED and not closure_outcome:
        raise ValidationError({"closure_outcome": "Choose the outcome at closure"})
    if reopening and not reason.strip():
        raise ValidationError({"reason": "Say why the case is being reopened"})
    now = timezone.now()
    fields: dict[str, Any] = {"status": status}
    if status == CaseStatus.CLOSED:
        fields.update(closed_at=now, closure_outcome=closure_outcome)
    if status == CaseStatus.ACTIVE and case.status in (CaseStatus.REVIEW, CaseStatus.CLOSED):
        fields["review_due"] = _review_due(case.panel, now)
    if reopening:
        fields.update(closed_at=None, closure_outcome="")
    with transaction.atomic():
        previous = case.status
        # Reopening records the outcome the case had been closed with.
        payload = {
            "from": previous,
            "to": status,
            "outcome": case.closure_outcome if reopening else closure_outcome,
        }
        save_if_unchanged(case, expected_version=expected_version, fields=fields)
        add_timeline_entry(
            case=case,
            kind="case.reopened" if reopening else "case.status",
            actor=actor,
            detail=reason,
            summary="Case reopened"
            if reopening
            else f"Status changed to {CaseStatus(status).label.lower()}",
            payload=payload,
        )
        record(
            verb="case.reopened" if reopening else "case.status_changed",
            actor=actor,
            target=case,
            request=request,
            payload=payload,
        )
    return case


def _practitioner_label(practitioner: Any) -> str:
    agency = getattr(practitioner, "agency", None)
    return f"{practitioner.full_name} ({agency.name})" if agency else practitioner.full_name


def do_assign_practitioner(
    *, actor: Any, case: Case, practitioner: Any, request: HttpRequest | None = None
) -> Case:
    """Assign a practitioner to a case (which opens it to them and to their agency).

    The panel's co-ordinator may assign anyone who works cases; a practitioner of the
    owning agency may assign colleagues of that agency.
    """
    _edit_check(actor, case, "assign")
    if not assignable_practitioners(actor, case).filter(pk=practitioner.pk).exists():
        raise ValidationError({"practitioner": "You cannot assign that person to this case"})
    with transaction.atomic():
        if case.assigned_practitioners.filter(pk=practitioner.pk).exists():
            raise ValidationError({"practitioner": "That person is already assigned"})
        case.assigned_practitioners.add(practitioner)
        add_timeline_entry(
            case=case,
            kind="case.assigned",
            actor=actor,
            summary=f"{_practitioner_label(practitioner)} assigned",
            payload={"user": str(practitioner.pk)},
        )
        record(
            verb="case.assigned",
            actor=actor,
            target=case,
            request=request,
            payload={"user": str(practitioner.pk)},
        )
    return case


def do_unassign_practitioner(
    *,
    actor: Any,
    case: Case,
    practitioner: Any,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Take a practitioner off a case: the co-ordinator anyone, the owning agency its own."""
    if not may_unassign(actor, case, practitioner):
        raise PermissionDenied("You cannot unassign that person from this case")
    with transaction.atomic():
        if not case.assigned_practitioners.filter(pk=practitioner.pk).exists():
            raise ValidationError({"practitioner": "That person is not assigned to this case"})
        case.assigned_practitioners.remove(practitioner)
        add_timeline_entry(
            case=case,
            kind="case.unassigned",
            actor=actor,
            summary=f"{_practitioner_label(practitioner)} unassigned",
            detail=reason,
            payload={"user": str(practitioner.pk)},
        )
        record(
            verb="case.unassigned",
            actor=actor,
            target=case,
            request=request,
            payload={"user": str(practitioner.pk)},
        )
    return case


def do_clear_flag(
    *,
    actor: Any,
    flag: CaseFlag,
    reason: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseFlag:
    """Clear a flag with a reason; the flag and the reason stay on the case's timeline.

    Refused (EditConflict) if the flag was saved since EXPECTED_VERSION (default: FLAG's).
    """
    case = flag.case
    _edit_check(actor, case, "clear_flag")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for clearing the flag"})
    expected = flag.version if expected_version is None else expected_version
    with transaction.atomic():
        # Locked and re-read: two co-ordinators clearing at once record one clearance.
        locked = CaseFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.version == expected and locked.cleared_at is not None:
            raise ValidationError("This flag has already been cleared")
        save_if_unchanged(
            locked,
            expected_version=expected,
            fields={
                "cleared_at": timezone.now(),
                "cleared_by": actor,
                "cleared_reason": reason.strip(),
            },
        )
        add_timeline_entry(
            case=case,
            kind="flag.cleared",
            actor=actor,
            source=locked,
            summary=f"Flag cleared: {locked.get_kind_display()}",
            detail=locked.cleared_reason,
            payload={"flag": locked.kind},
        )
        record(
            verb="case.flag_cleared",
            actor=actor,
            target=case,
            request=request,
            payload={"flag": locked.kind, "flag_id": str(locked.pk)},
        )
    flag.refresh_from_db()
    return flag


def do_add_subject(
    *,
    actor: Any,
    case: Case,
    role: str,
    person: Person | None = None,
    place: Place | None = None,
    request: HttpRequest | None = None,
) -> CaseSubject:
    """Link another person (victim, associate…) or a place of concern to a case: the panel
    co-ordinator's decision, since everyone who may open the case will see whom it links. A
    person already on a case is linked only by a co-ordinator who can see them."""
    from csphub.people.selectors import people_visible_to

    _edit_check(actor, case, "add_subject")
    if (
        person is not None
        and person.case_links.exists()
        and not people_visible_to(actor).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied("You cannot link that person to this case")
    with transaction.atomic():
        subject = CaseSubject.objects.create(case=case, person=person, place=place, role=role)
        ref = (person or place).reference  # type: ignore[union-attr]
        add_timeline_entry(
            case=case,
            kind="subject.added",
            actor=actor,
            source=subject,
            summary=f"{ref} added ({subject.get_role_display().lower()})",
        )
        record(
            verb="case.subject_added",
            actor=actor,
            target=case,
            request=request,
            payload={"subject": ref, "role": role},
        )
    return subject


def harm_weight_for(category: str) -> float | None:
    """The crime engine's weight for an MPS "MAJOR/MINOR" category, or None if it has none."""
    from crimestats.harm import weight_for

    weight = weight_for("mps_2023", category)
    return weight or None


def do_record_offence(
    *,
    actor: Any,
    person: Person,
    offence_date: date,
    category: str,
    harm_weight: float | None = None,
    request: HttpRequest | None = None,
) -> Offence:
    """An offence by a referred person, recorded by a police user who may see the person."""
    from csphub.people.selectors import people_visible_to

    if not may_record_offending(actor):
        raise PermissionDenied("Only the police partner records offences")
    if not people_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot record an offence against that person")
    weight = harm_weight if harm_weight is not None else harm_weight_for(category)
    with transaction.atomic():
        offence = Offence.objects.create(
            person=person,
            offence_date=offence_date,
            category=category,
            harm_weight=weight,
            recorded_by=actor,
        )
        record(
            verb="person.offence_recorded",
            actor=actor,
            target=person,
            request=request,
            payload={"offence": str(offence.pk)},
        )
    return offence


def do_record_case_refusal(*, actor: Any, case_id: Any, request: HttpRequest | None = None) -> None:
    """An existing case was asked for by someone who may not see it (they got a 404)."""
    record(
        verb="case.view_refused", actor=actor, target=("panels.case", str(case_id)), request=request
    )


# The signpost search's window: its limits are per clock hour (settings.SIGNPOST_SEARCHES_*).
SIGNPOST_WINDOW = 60 * 60


class SignpostLimitReached(throttle.LimitReached):
    """The user, or their client address, has made the searches allowed this hour."""

    @property
    def message(self) -> str:
        again = _clock_time(timezone.localtime(self.retry_at))
        if self.scope == "user":
            return (
                f"You have made {self.limit} searches this hour, the most allowed. "
                f"You can search again from {again}."
            )
        return (
            "The most searches allowed from your network this hour have been made. "
            f"You can search again from {again}."
        )


def _clock_time(moment: datetime) -> str:
    """A time as GOV.UK writes it: 3pm, 3:30pm, midday, midnight."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def do_signpost_search(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    request: HttpRequest | None = None,
) -> dict[str, Any]:
    """Is this person known to the partnership, and which agency should be contacted?

    Only an exact match counts (the name with capitals and spaces aside, and the date of
    birth), and each user, and each client address, may search a limited number of times an
    hour (SignpostLimitReached, audited, beyond that). The answer names agencies only: no
    reference, panel, case or detail. Audited with the matched record's id (never the
    searched name).
    """
    from axes.helpers import get_client_ip_address

    from csphub.people.selectors import exact_matches

    if not actor.has_perm("people.search_signpost"):
        raise PermissionDenied
    allowances = [throttle.Allowance("user", str(actor.pk), settings.SIGNPOST_SEARCHES_PER_USER)]
    # The address sign-in lockouts and the audit trail use (behind the proxy, the client's).
    address = get_client_ip_address(request) if request is not None else None
    if address:
        allowances.append(
            throttle.Allowance("address", address, settings.SIGNPOST_SEARCHES_PER_ADDRESS)
        )
    try:
        throttle.spend("signpost", allowances, window=SIGNPOST_WINDOW)
    except throttle.LimitReached as limit:
        record(
            verb="person.signpost_refused",
            actor=actor,
            request=request,
            payload={"limit": limit.scope},
        )
        raise SignpostLimitReached(
            scope=limit.scope, limit=limit.limit, retry_at=limit.retry_at
        ) from None
    matches = list(
        exact_matches(given_name=given_name, family_name=family_name, date_of_birth=date_of_birth)
    )
    cases = Case.objects.filter(subjects__person__in=matches).select_related("owning_agency")
    open_cases = [c for c in cases if c.is_open]
    agencies = sorted({c.owning_agency.name for c in (open_cases or list(cases))})
    record(
        verb="person.signpost_searched",
        actor=actor,
        request=request,
        target=matches[0] if matches else None,
        payload={"known": bool(agencies), "open": bool(open_cases)},
    )
    return {"known": bool(agencies), "agencies": agencies, "open": bool(open_cases)}


# Panel configuration: panels are data an administrator sets up, not code.

# Paths under /panels/ that a slug must not take.
RESERVED_SLUGS = {"new"}
MAX_REVIEW_INTERVAL_DAYS = 365


def _manager_check(actor: Any) -> None:
    if not actor.has_perm("panels.manage_panels"):
        raise PermissionDenied("Only a CSP administrator configures panels")


def _panel_errors(*, panel: Panel | None, name: str, review_interval_days: int) -> dict[str, str]:
    errors = {}
    clash = Panel.objects.filter(name__iexact=name.strip())
    if panel is not None:
        clash = clash.exclude(pk=panel.pk)
    if not name.strip():
        errors["name"] = "Enter the panel's name"
    elif clash.exists():
        errors["name"] = "There is already a panel with that name"
    if not 1 <= review_interval_days <= MAX_REVIEW_INTERVAL_DAYS:
        errors["review_interval_days"] = (
            f"Cases are reviewed every 1 to {MAX_REVIEW_INTERVAL_DAYS} days"
        )
    return errors


def _unique_slug(name: str) -> str:
    base = slugify(name)[:34] or "panel"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Panel.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def do_create_panel(
    *,
    actor: Any,
    name: str,
    purpose: str,
    kind: str,
    chair: Any = None,
    member_agencies: Iterable[Agency] = (),
    meeting_cadence: str,
    referral_criteria: str,
    review_interval_days: int,
    uses_risk_screen: bool = False,
    request: HttpRequest | None = None,
) -> Panel:
    """Set up a new panel. Its web address (slug) comes from the name and never changes."""
    _manager_check(actor)
    _raise_if(_panel_errors(panel=None, name=name, review_interval_days=review_interval_days))
    agencies = list(member_agencies)
    with transaction.atomic():
        panel = Panel.objects.create(
            name=name.strip(),
            slug=_unique_slug(name),
            purpose=purpose,
            kind=kind,
            chair=chair,
            meeting_cadence=meeting_cadence,
            referral_criteria=referral_criteria,
            review_interval_days=review_interval_days,
            uses_risk_screen=uses_risk_screen,
        )
        panel.member_agencies.set(agencies)
        record(
            verb="panel.created",
            actor=actor,
            target=panel,
            request=request,
            payload={
                "slug": panel.slug,
                "kind": kind,
                "chair": str(chair.pk) if chair else None,
                "member_agencies": sorted(str(a.pk) for a in agencies),
            },
        )
    return panel


def do_update_panel(
    *,
    actor: Any,
    panel: Panel,
    name: str,
    purpose: str,
    kind: str,
    chair: Any,
    member_agencies: Iterable[Agency],
    meeting_cadence: str,
    referral_criteria: str,
    review_interval_days: int,
    uses_risk_screen: bool,
    is_active: bool = True,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Panel:
    """Change a panel's settings and member agencies; the audit event names what changed.

    A new review interval applies from the next acceptance or review of each case; review
    dates already set are kept, so no co-ordinator's agenda changes under them. Refused
    (EditConflict) if the panel was saved since EXPECTED_VERSION (default: PANEL's).
    """
    _manager_check(actor)
    _raise_if(_panel_errors(panel=panel, name=name, review_interval_days=review_interval_days))
    new = {
        "name": name.strip(),
        "purpose": purpose,
        "kind": kind,
        "chair": chair,
        "meeting_cadence": meeting_cadence,
        "referral_criteria": referral_criteria,
        "review_interval_days": review_interval_days,
        "uses_risk_screen": uses_risk_screen,
        "is_active": is_active,
    }
    changed = sorted(k for k, v in new.items() if getattr(panel, k) != v)
    agencies = list(member_agencies)
    wanted = {a.pk for a in agencies}
    with transaction.atomic():
        # The version goes up on every save, member agencies included, so older forms are stale.
        save_if_unchanged(
            panel, expected_version=expected_version, fields={k: new[k] for k in changed}
        )
        if wanted != set(panel.member_agencies.values_list("pk", flat=True)):
            panel.member_agencies.set(agencies)
            changed.append("member_agencies")
        record(
            verb="panel.updated",
            actor=actor,
            target=panel,
            request=request,
            payload={"fields": changed},
        )
    return panel


def do_add_panel_member(
    *,
    actor: Any,
    panel: Panel,
    user: Any,
    role: str = MembershipRole.MEMBER,
    request: HttpRequest | None = None,
) -> PanelMembership | GrantRequest:
    """Seat USER on PANEL as a member or co-ordinator (or change the role they hold there).

    A member must be able to work cases and a co-ordinator must hold the co-ordinator
    role, or the seat would give them nothing. A seat opens the panel's cases, so one an
    administrator gives themselves waits for another administrator (the request is returned).
    """
    _manager_check(actor)
    if role not in MembershipRole.values:
        raise ValidationError({"role": "Choose member or co-ordinator"})
    if not user.is_active:
        raise ValidationError({"user": "That account is not active"})
    needed = "panels.coordinate" if role == MembershipRole.COORDINATOR else "panels.view_cases"
    if not user.has_perm(needed):
        raise ValidationError(
            {
                "user": "Give them the panel co-ordinator role first"
                if role == MembershipRole.COORDINATOR
                else "Only practitioners and co-ordinators can sit on a panel"
            }
        )
    if grant_needs_second_administrator(actor, user):
        detail = {"panel": str(panel.pk), "role": str(role)}
        return do_request_grant(
            actor=actor, user=user, kind="panel_seat", detail=detail, request=request
        )
    with transaction.atomic():
        membership, created = PanelMembership.objects.select_for_update().get_or_create(
            panel=panel, user=user, defaults={"role": role}
        )
        if not created and membership.role == role:
            raise ValidationError({"user": "They already sit on this panel in that role"})
        previous = "" if created else membership.role
        if not created:
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
        record(
            verb="panel.member_added" if created else "panel.member_role_changed",
            actor=actor,
            target=panel,
            request=request,
            payload={"user": str(user.pk), "role": role, "previous_role": previous},
        )
    return membership


def do_remove_panel_member(
    *,
    actor: Any,
    membership: PanelMembership,
    request: HttpRequest | None = None,
) -> int:
    """Take someone off a panel: they lose sight of its cases at once.

    Their assignments to the panel's cases end too (each on the case's timeline), so only
    an entitlement of their own agency (owning, or a colleague assigned) can keep a case
    open to them. Returns the number of cases they were unassigned from.
    """
    _manager_check(actor)
    panel, user = membership.panel, membership.user
    with transaction.atomic():
        assigned = list(
            Case.objects.select_for_update().filter(panel=panel, assigned_practitioners=user)
        )
        for case in assigned:
            case.assigned_practitioners.remove(user)
            add_timeline_entry(
                case=case,
                kind="case.unassigned",
                actor=actor,
                summary=f"{_practitioner_label(user)} unassigned",
                detail="Left the panel.",
                payload={"user": str(user.pk)},
            )
        membership.delete()
        record(
            verb="panel.member_removed",
            actor=actor,
            target=panel,
            request=request,
            payload={
                "user": str(user.pk),
                "role": membership.role,
                "cases_unassigned": len(assigned),
            },
        )
    return len(assigned)
