"""Panel configuration: panels are data an administrator sets up, not code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from csphub.accounts.models import Agency, GrantRequest
from csphub.accounts.selectors import grant_needs_second_administrator
from csphub.accounts.services import do_request_grant
from csphub.audit import record
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.panels import verbs
from csphub.panels.choices import MembershipRole, PanelDecision, TransitionStatus, all_decisions
from csphub.panels.models import Case, Panel, PanelMembership, Transition
from csphub.panels.rules import decisions_errors, ordered_decisions
from csphub.panels.services.assignments import practitioner_label
from csphub.panels.services.common import raise_if
from csphub.panels.services.timeline import record_case_event

if TYPE_CHECKING:
    from csphub.accounts.models import User

# Panel configuration: panels are data an administrator sets up, not code.

# Paths under /panels/ that a slug must not take.
RESERVED_SLUGS = {"new"}
MAX_REVIEW_INTERVAL_DAYS = 365


def _manager_check(actor: User) -> None:
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


def _rules_errors(*, panel: Panel | None, decisions: list[str]) -> dict[str, str]:
    """A panel's rules must be coherent, and a panel cannot stop deciding what waits for it."""
    errors = decisions_errors(decisions)
    if errors or panel is None or PanelDecision.ACCEPT in decisions:
        return errors
    waiting = Transition.objects.filter(to_panel=panel, status=TransitionStatus.PENDING).count()
    if waiting:
        return {
            "decisions": f"Referrals or escalations waiting for this panel's decision: {waiting}. "
            "Decide them before the panel stops accepting referrals"
        }
    return {}


MAX_QUORUM_PER_SEAT = 20


def _quorum_errors(quorum: dict[str, int]) -> dict[str, str]:
    """A quorum names each seat once (the seating app's names) with 1 to 20 members needed."""
    for seat, need in quorum.items():
        if not seat or not str(seat).replace("_", "").isalnum():
            return {"quorum": f"“{seat}” is not a seat name: use letters and underscores"}
        if isinstance(need, bool) or not isinstance(need, int):
            return {"quorum": f"Give the number of {seat} members needed as a whole number"}
        if not 1 <= need <= MAX_QUORUM_PER_SEAT:
            return {"quorum": f"A seat needs 1 to {MAX_QUORUM_PER_SEAT} members present"}
    return {}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:34] or "panel"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Panel.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def do_create_panel(
    *,
    actor: User,
    name: str,
    purpose: str,
    kind: str,
    chair: User | None = None,
    member_agencies: Iterable[Agency] = (),
    meeting_cadence: str,
    referral_criteria: str,
    review_interval_days: int,
    uses_risk_screen: bool = False,
    consent_required: bool = True,
    decisions: Iterable[str] | None = None,
    quorum: dict[str, int] | None = None,
    owning_agency_sees_cases: bool = True,
    request: HttpRequest | None = None,
) -> Panel:
    """Set up a new panel. Its web address (slug) comes from the name and never changes.

    Its rules (docs/adr/0012-per-panel-rules-as-data.md): whether referrals need consent, use
    the risk screen, which DECISIONS the panel makes (default: every one), the QUORUM (members
    needed per seat; default none) and whether the whole of a case's owning agency sees it.
    """
    quorum = dict(quorum or {})
    _manager_check(actor)
    chosen = all_decisions() if decisions is None else ordered_decisions(decisions)
    raise_if(
        _panel_errors(panel=None, name=name, review_interval_days=review_interval_days)
        | _rules_errors(panel=None, decisions=chosen)
        | _quorum_errors(quorum)
    )
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
            consent_required=consent_required,
            decisions=chosen,
            quorum=quorum,
            owning_agency_sees_cases=owning_agency_sees_cases,
        )
        panel.member_agencies.set(agencies)
        record(
            verb=verbs.PANEL_CREATED,
            actor=actor,
            target=panel,
            request=request,
            payload={
                "slug": panel.slug,
                "kind": kind,
                "consent_required": consent_required,
                "uses_risk_screen": uses_risk_screen,
                "decisions": chosen,
                "quorum": quorum,
                "owning_agency_sees_cases": owning_agency_sees_cases,
                "chair": str(chair.pk) if chair else None,
                "member_agencies": sorted(str(a.pk) for a in agencies),
            },
        )
    return panel


def do_update_panel(
    *,
    actor: User,
    panel: Panel,
    name: str,
    purpose: str,
    kind: str,
    chair: User | None,
    member_agencies: Iterable[Agency],
    meeting_cadence: str,
    referral_criteria: str,
    review_interval_days: int,
    uses_risk_screen: bool,
    consent_required: bool | None = None,
    decisions: Iterable[str] | None = None,
    quorum: dict[str, int] | None = None,
    owning_agency_sees_cases: bool | None = None,
    is_active: bool = True,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Panel:
    """Change a panel's settings and member agencies; the audit event names what changed.

    A new review interval applies from the next acceptance or review of each case; review
    dates already set are kept, so no co-ordinator's agenda changes under them. The rules
    (CONSENT_REQUIRED, DECISIONS, QUORUM, OWNING_AGENCY_SEES_CASES) are kept as they are when
    not given; a panel stops accepting
    referrals only once none waits for its decision. Refused (EditConflict) if the panel was
    saved since EXPECTED_VERSION (default: PANEL's).
    """
    _manager_check(actor)
    chosen = list(panel.decisions) if decisions is None else ordered_decisions(decisions)
    raise_if(
        _panel_errors(panel=panel, name=name, review_interval_days=review_interval_days)
        | _rules_errors(panel=panel, decisions=chosen)
        | _quorum_errors(quorum or {})
    )
    new = {
        "name": name.strip(),
        "purpose": purpose,
        "kind": kind,
        "chair": chair,
        "meeting_cadence": meeting_cadence,
        "referral_criteria": referral_criteria,
        "review_interval_days": review_interval_days,
        "uses_risk_screen": uses_risk_screen,
        "consent_required": (
            panel.consent_required if consent_required is None else consent_required
        ),
        "decisions": chosen,
        "quorum": dict(panel.quorum or {}) if quorum is None else dict(quorum),
        "owning_agency_sees_cases": (
            panel.owning_agency_sees_cases
            if owning_agency_sees_cases is None
            else owning_agency_sees_cases
        ),
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
            verb=verbs.PANEL_UPDATED,
            actor=actor,
            target=panel,
            request=request,
            payload={"fields": changed},
        )
    return panel


def do_add_panel_member(
    *,
    actor: User,
    panel: Panel,
    user: User,
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
        raise ServiceError({"role": "Choose member or co-ordinator"})
    if not user.is_active:
        raise ServiceError({"user": "That account is not active"})
    needed = "panels.coordinate" if role == MembershipRole.COORDINATOR else "panels.view_cases"
    if not user.has_perm(needed):
        raise ServiceError(
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
            raise ServiceError({"user": "They already sit on this panel in that role"})
        previous = "" if created else membership.role
        if not created:
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
        record(
            verb=verbs.PANEL_MEMBER_ADDED if created else verbs.PANEL_MEMBER_ROLE_CHANGED,
            actor=actor,
            target=panel,
            request=request,
            payload={"user": str(user.pk), "role": role, "previous_role": previous},
        )
    return membership


def do_remove_panel_member(
    *,
    actor: User,
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
            record_case_event(
                verb=verbs.UNASSIGNED,
                actor=actor,
                case=case,
                summary=f"{practitioner_label(user)} unassigned",
                detail="Left the panel.",
                request=request,
                payload={"user": str(user.pk), "left_panel": True},
            )
        membership.delete()
        record(
            verb=verbs.PANEL_MEMBER_REMOVED,
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
