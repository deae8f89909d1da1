"""Every write to the VVRAP: keyword-only, atomic, checks its own rule, audited against the
action (so it is on the action's history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.audit import record
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.meetings.choices import ActionStatus
from csphub.meetings.models import Action, Meeting
from csphub.panels.models import Panel
from csphub.people.models import Place
from csphub.vvrap import verbs
from csphub.vvrap.choices import EventKind, Priority, Rag, RiskLevel, Scope, Stage, UpdateStatus
from csphub.vvrap.models import (
    SNAPSHOT_FIELDS,
    AssessmentStatus,
    Plan,
    PlanFeedback,
    PlanItem,
    PlanTemplate,
    QuarterlyUpdate,
    ReturnedUpdate,
    TaskingEvent,
    Theme,
)
from csphub.vvrap.selectors import (
    event_places_for,
    is_lead,
    may_keep_tracker,
    may_manage,
    previous_quarter,
)

ONLY_MANAGER = "Only the CSP manager can do this."
ONLY_LEAD = "Only the action's CSP lead can write its quarterly update."


def _check_manager(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied(ONLY_MANAGER)


def do_create_plan(
    *,
    actor: User,
    title: str,
    version_label: str,
    template: PlanTemplate,
    board: Panel,
    first_year: int,
    request: HttpRequest | None = None,
) -> Plan:
    """A new version of the plan; it becomes the current one."""
    _check_manager(actor)
    if not title.strip() or not version_label.strip():
        raise ServiceError("Enter the plan's title and version.")
    with transaction.atomic():
        Plan.objects.filter(is_current=True).update(is_current=False)
        plan = Plan.objects.create(
            title=title.strip(),
            version_label=version_label.strip(),
            template=template,
            board=board,
            first_year=first_year,
            created_by=actor,
        )
        record(verb=verbs.PLAN_CREATED, actor=actor, target=plan, request=request)
    return plan


def _item_errors(data: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not str(data.get("number", "")).strip():
        errors["number"] = "Enter the action's number, for example 3.2"
    if not str(data.get("description", "")).strip():
        errors["description"] = "Enter the action"
    if not str(data.get("outcome", "")).strip():
        errors["outcome"] = "Enter the outcome sought"
    if data.get("scope") not in Scope.values:
        errors["scope"] = "Say whether the action is generic or local"
    if data.get("stage") not in Stage.values:
        errors["stage"] = "Say whether the action is current or developing"
    if data.get("priority", "") not in Priority.values:
        errors["priority"] = "Choose a priority from the list"
    if not data.get("lead_agencies"):
        errors["lead_agencies"] = "Choose at least one lead organisation"
    lead = data.get("lead")
    if lead is None or not lead.is_active:
        errors["lead"] = "Choose the action's CSP lead"
    for link in str(data.get("evidence", "")).split():
        if not link.startswith(("https://", "http://")):
            errors["evidence"] = "Give each link to evidence as a web address, one a line"
    return errors


def do_create_plan_item(
    *,
    actor: User,
    plan: Plan,
    theme: Theme,
    number: str,
    description: str,
    outcome: str,
    lead: User,
    lead_agencies: list[Agency],
    scope: str = Scope.LOCAL,
    stage: str = Stage.CURRENT,
    priority: str = "",
    evidence: str = "",
    sna_recommendation: str = "",
    request: HttpRequest | None = None,
) -> PlanItem:
    _check_manager(actor)
    data = {
        "number": number,
        "description": description,
        "outcome": outcome,
        "lead": lead,
        "lead_agencies": lead_agencies,
        "scope": scope,
        "stage": stage,
        "priority": priority,
        "evidence": evidence,
    }
    errors = _item_errors(data)
    if plan.items.filter(number=number.strip()).exists():
        errors["number"] = f"The plan already has an action {number.strip()}"
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        item = PlanItem.objects.create(
            plan=plan,
            theme=theme,
            number=number.strip(),
            description=description.strip(),
            outcome=outcome.strip(),
            scope=scope,
            stage=stage,
            lead=lead,
            priority=priority,
            evidence=evidence.strip(),
            sna_recommendation=sna_recommendation.strip(),
        )
        item.lead_agencies.set(lead_agencies)
        record(
            verb=verbs.PLAN_ITEM_CREATED,
            actor=actor,
            target=item,
            request=request,
            payload={"plan": str(plan.pk), "theme": theme.key, "lead": str(lead.pk)},
        )
    return item


EDITABLE = (
    "theme",
    "description",
    "outcome",
    "scope",
    "stage",
    "lead",
    "priority",
    "evidence",
    "sna_recommendation",
)


def do_edit_plan_item(
    *,
    actor: User,
    item: PlanItem,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **changes: Any,
) -> PlanItem:
    """The CSP manager edits an action. What was returned already stays as it was returned."""
    _check_manager(actor)
    agencies = changes.pop("lead_agencies", None)
    funded = changes.pop("funded_items", None)  # the funded items that serve it
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"Cannot change {sorted(unknown)}")
    merged = {f: getattr(item, f) for f in EDITABLE} | changes
    merged["number"] = item.number
    merged["lead_agencies"] = agencies if agencies is not None else list(item.lead_agencies.all())
    errors = _item_errors(merged)
    if errors:
        raise ServiceError(errors)
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    with transaction.atomic():
        changed = sorted(k for k, v in fields.items() if getattr(item, k) != v)
        save_if_unchanged(item, expected_version=expected_version, fields=fields)
        if agencies is not None:
            item.lead_agencies.set(agencies)
            changed.append("lead_agencies")
        payload: dict[str, Any] = {}
        if funded is not None and set(funded) != set(item.funded_items.all()):
            item.funded_items.set(funded)
            changed.append("funded_items")
            payload["funded_items"] = sorted(f.reference for f in funded)
        record(
            verb=verbs.PLAN_ITEM_EDITED,
            actor=actor,
            target=item,
            request=request,
            payload={"changed": changed} | payload,
        )
    return item


def do_add_milestone(
    *,
    actor: User,
    item: PlanItem,
    description: str,
    due_on: date,
    owner: User | None = None,
    request: HttpRequest | None = None,
) -> Action:
    """A milestone of ITEM, with its due date: a `meetings.Action` the plan item owns, so it
    is reminded, listed in "Your actions" and moved on as every action is. Set by the action's
    lead or the CSP manager; its owner (the lead unless named) works for one of the action's
    lead organisations."""
    if not (is_lead(actor, item) or may_manage(actor)):
        raise PermissionDenied("Only the action's lead or the CSP manager can add a milestone.")
    owner = owner or item.lead
    if not description.strip():
        raise ServiceError({"description": "Enter the milestone"})
    if owner.agency_id is None or not item.lead_agencies.filter(pk=owner.agency_id).exists():
        raise ServiceError({"owner": "The owner must work for one of the lead organisations."})
    with transaction.atomic():
        milestone = Action.objects.create(
            plan_item=item,
            description=description.strip(),
            owning_agency_id=owner.agency_id,
            owner=owner,
            due_on=due_on,
            status=ActionStatus.OPEN,
        )
        record(
            verb=verbs.MILESTONE_ADDED,
            actor=actor,
            target=item,
            request=request,
            payload={"milestone": str(milestone.pk), "owner": str(owner.pk)},
        )
    return milestone


def _update_for(item: PlanItem, year: int, number: int) -> QuarterlyUpdate:
    if number not in (1, 2, 3, 4):
        raise ServiceError("A quarter is 1 to 4.")
    update, _ = QuarterlyUpdate.objects.get_or_create(item=item, year=year, quarter=number)
    return update


def do_save_update(
    *,
    actor: User,
    item: PlanItem,
    year: int,
    quarter: int,
    narrative: str,
    proposed_rag: str,
    rag_reason: str,
    submit: bool,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> QuarterlyUpdate:
    """The lead writes the quarter's update; SUBMIT sends it for sign-off (a draft otherwise).
    A signed-off update is frozen; a returned one may be written again and resubmitted."""
    if not is_lead(actor, item):
        raise PermissionDenied(ONLY_LEAD)
    update = _update_for(item, year, quarter)
    if update.status == UpdateStatus.SIGNED_OFF:
        raise ServiceError("This quarter's update was signed off and cannot change.")
    if submit:
        errors = {}
        if not narrative.strip():
            errors["narrative"] = "Enter the update"
        if proposed_rag not in Rag.values:
            errors["proposed_rag"] = "Propose a RAG status"
        if not rag_reason.strip():
            errors["rag_reason"] = "Give the reason for the RAG status"
        if errors:
            raise ServiceError(errors)
    elif proposed_rag and proposed_rag not in Rag.values:
        raise ServiceError({"proposed_rag": "Propose a RAG status"})
    with transaction.atomic():
        fields: dict[str, Any] = {
            "narrative": narrative.strip(),
            "proposed_rag": proposed_rag,
            "rag_reason": rag_reason.strip(),
            "status": UpdateStatus.SUBMITTED if submit else UpdateStatus.DRAFT,
        }
        if submit:
            fields |= {"submitted_at": timezone.now(), "submitted_by": actor}
        save_if_unchanged(update, expected_version=expected_version, fields=fields)
        record(
            verb=verbs.UPDATE_SUBMITTED if submit else verbs.UPDATE_SAVED,
            actor=actor,
            target=item,
            request=request,
            payload={"update": str(update.pk), "quarter": f"{year}Q{quarter}", "rag": proposed_rag},
        )
    return update


def _check_reviewable(actor: Any, update: QuarterlyUpdate) -> None:
    _check_manager(actor)
    if update.status != UpdateStatus.SUBMITTED:
        raise ServiceError("Only an update waiting for sign-off can be signed off or returned.")


def do_return_update(
    *,
    actor: User,
    update: QuarterlyUpdate,
    comment: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> QuarterlyUpdate:
    """The CSP manager sends an update back to its lead with a comment."""
    _check_reviewable(actor, update)
    if not comment.strip():
        raise ServiceError({"comment": "Say what the lead should change"})
    with transaction.atomic():
        save_if_unchanged(
            update,
            expected_version=expected_version,
            fields={
                "status": UpdateStatus.RETURNED,
                "review_comment": comment.strip(),
                "reviewed_at": timezone.now(),
                "reviewed_by": actor,
            },
        )
        record(
            verb=verbs.UPDATE_RETURNED,
            actor=actor,
            target=update.item,
            request=request,
            payload={"update": str(update.pk), "quarter": f"{update.year}Q{update.quarter}"},
        )
    return update


def snapshot_values(update: QuarterlyUpdate) -> dict[str, str]:
    """Every column the return may carry, as the action and its update stand now."""
    item = update.item
    year, number = previous_quarter(update.year, update.quarter)
    before = ReturnedUpdate.objects.filter(item=item, year=year, quarter=number).first()
    values = {
        "number": item.number,
        "theme": item.theme.name,
        "description": item.description,
        "outcome": item.outcome,
        "lead": item.lead.full_name,
        "organisations": ", ".join(sorted(a.name for a in item.lead_agencies.all())),
        "scope": item.get_scope_display(),
        "stage": item.get_stage_display(),
        "priority": item.get_priority_display() if item.priority else "",
        "rag": Rag(update.proposed_rag).label,
        "previous_rag": Rag(before.rag).label if before else "",
        "rag_reason": update.rag_reason,
        "update": update.narrative,
    }
    assert set(values) == set(SNAPSHOT_FIELDS)
    return values


def do_sign_off_update(
    *,
    actor: User,
    update: QuarterlyUpdate,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ReturnedUpdate:
    """The CSP manager signs an update off: the quarter's snapshot of the action is frozen
    (`ReturnedUpdate`), and is what the return carries whatever changes afterwards."""
    _check_reviewable(actor, update)
    with transaction.atomic():
        now = timezone.now()
        save_if_unchanged(
            update,
            expected_version=expected_version,
            fields={"status": UpdateStatus.SIGNED_OFF, "reviewed_at": now, "reviewed_by": actor},
        )
        item = update.item
        returned = ReturnedUpdate.objects.create(
            update=update,
            item=item,
            plan=item.plan,
            theme=item.theme,
            year=update.year,
            quarter=update.quarter,
            rag=update.proposed_rag,
            values=snapshot_values(update),
            signed_off_at=now,
            signed_off_by=actor,
        )
        record(
            verb=verbs.UPDATE_SIGNED_OFF,
            actor=actor,
            target=item,
            request=request,
            payload={
                "update": str(update.pk),
                "quarter": f"{update.year}Q{update.quarter}",
                "rag": update.proposed_rag,
            },
        )
    return returned


def do_record_feedback(
    *,
    actor: User,
    plan: Plan,
    received_on: date,
    feedback: str,
    given_by: str = "MPS, VRU and London Councils panel",
    request: HttpRequest | None = None,
) -> PlanFeedback:
    """The VRU panel's feedback on this version of the plan."""
    _check_manager(actor)
    if not feedback.strip():
        raise ServiceError({"feedback": "Enter the panel's feedback"})
    with transaction.atomic():
        entry = PlanFeedback.objects.create(
            plan=plan,
            received_on=received_on,
            given_by=given_by.strip() or "MPS, VRU and London Councils panel",
            feedback=feedback.strip(),
            recorded_by=actor,
        )
        record(
            verb=verbs.FEEDBACK_RECORDED,
            actor=actor,
            target=plan,
            request=request,
            payload={"feedback": str(entry.pk)},
        )
    return entry


def do_export_return(
    *,
    actor: User,
    plan: Plan,
    year: int,
    quarter: int,
    fmt: str,
    request: HttpRequest | None = None,
) -> bytes:
    """The quarter's return as the VRU's xlsx (FMT "xlsx") or the Executive's PDF ("pdf"),
    from the signed-off snapshots only; each download audited."""
    from csphub.vvrap import exports

    _check_manager(actor)
    if fmt not in ("xlsx", "pdf"):
        raise ServiceError("The return is an xlsx workbook or a PDF.")
    content = (
        exports.return_xlsx(plan, year, quarter)
        if fmt == "xlsx"
        else exports.return_pdf(plan, year, quarter)
    )
    record(
        verb=verbs.RETURN_EXPORTED,
        actor=actor,
        target=plan,
        request=request,
        payload={"quarter": f"{year}Q{quarter}", "format": fmt},
    )
    return content


def _check_tracker(actor: Any) -> None:
    if not may_keep_tracker(actor):
        raise PermissionDenied("Only the CSP manager or the tasking meeting's co-ordinator can.")


def do_record_event(
    *,
    actor: User,
    happened_on: date,
    place: Place,
    kind: str,
    risk_level: str,
    owning_agency: Agency,
    actions: str = "",
    meeting: Meeting | None = None,
    request: HttpRequest | None = None,
) -> TaskingEvent:
    """An event on the tasking meeting's tracker, at a community place (so its ward and LSOA)."""
    _check_tracker(actor)
    if not event_places_for(actor).filter(pk=place.pk).exists():
        raise ServiceError({"place": "Choose a community place: a school, a ward or a site"})
    if kind not in EventKind.values:
        raise ServiceError({"kind": "Choose the type of event"})
    if risk_level not in RiskLevel.values:
        raise ServiceError({"risk_level": "Choose the risk level"})
    with transaction.atomic():
        event = TaskingEvent.objects.create(
            meeting=meeting,
            happened_on=happened_on,
            place=place,
            kind=kind,
            risk_level=risk_level,
            owning_agency=owning_agency,
            actions=actions.strip(),
        )
        record(
            verb=verbs.EVENT_RECORDED,
            actor=actor,
            target=event,
            request=request,
            payload={"place": str(place.pk), "kind": kind, "risk": risk_level},
        )
    return event


def do_close_event(
    *, actor: User, event: TaskingEvent, closed_on: date, request: HttpRequest | None = None
) -> TaskingEvent:
    _check_tracker(actor)
    if event.closed_on is not None:
        raise ServiceError("This event is already closed.")
    if closed_on < event.happened_on:
        raise ServiceError({"closed_on": "An event closes on or after the day it happened"})
    with transaction.atomic():
        save_if_unchanged(event, fields={"closed_on": closed_on})
        record(verb=verbs.EVENT_CLOSED, actor=actor, target=event, request=request)
    return event


def do_record_assessment(
    *, actor: User, refreshed_on: date, note: str = "", request: HttpRequest | None = None
) -> AssessmentStatus:
    """The joint strategic assessment was refreshed on REFRESHED_ON (its status, until the
    reports app produces the assessment)."""
    _check_tracker(actor)
    with transaction.atomic():
        status = AssessmentStatus.objects.create(
            refreshed_on=refreshed_on, note=note.strip(), recorded_by=actor
        )
        record(verb=verbs.ASSESSMENT_RECORDED, actor=actor, target=status, request=request)
    return status


def do_set_template_columns(
    *,
    actor: User,
    template: PlanTemplate,
    columns: list[tuple[str, str]],
    request: HttpRequest | None = None,
) -> PlanTemplate:
    """The theme sheets' columns for a new VRU template: (header, snapshot field) pairs."""
    _check_manager(actor)
    unknown = sorted({f for _, f in columns} - set(SNAPSHOT_FIELDS))
    headers = [h.strip() for h, _ in columns]
    if not columns or unknown or not all(headers) or len(set(headers)) != len(headers):
        known = ", ".join(SNAPSHOT_FIELDS)
        raise ServiceError(
            {"columns": f"Give each column a heading once and one of these fields: {known}"}
        )
    with transaction.atomic():
        template.columns = [[h, f] for h, (_, f) in zip(headers, columns, strict=True)]
        template.save(update_fields=["columns", "updated_at"])
        record(
            verb=verbs.TEMPLATE_CHANGED,
            actor=actor,
            target=template,
            request=request,
            payload={"fields": [f for _, f in columns]},
        )
    return template
