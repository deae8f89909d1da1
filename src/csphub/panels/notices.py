"""Who is told when a case changes hands (csphub.notifications): references and links only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from csphub.accounts.models import User
from csphub.notifications.choices import NotificationKind
from csphub.notifications.services import notify
from csphub.panels.choices import MembershipRole, TransitionKind, TransitionStatus
from csphub.panels.models import Panel, Transition


def coordinators_of(panel: Panel | None) -> list[User]:
    """The active co-ordinators of PANEL who hold the co-ordinator's permission: who decides."""
    if panel is None:
        return []
    seated = User.objects.filter(
        is_active=True,
        panel_memberships__panel=panel,
        panel_memberships__role=MembershipRole.COORDINATOR,
    ).distinct()
    return [u for u in seated.order_by("pk") if u.has_perm("panels.coordinate")]


def transition_made(transition: Transition, *, actor: Any) -> None:
    """A referral, escalation or transfer waits: tell who decides it (`may_decide`)."""
    case, panel = transition.case, transition.to_panel
    assert panel is not None
    if transition.kind == TransitionKind.REFERRAL:
        kind, message = (
            NotificationKind.NEW_REFERRAL,
            f"New referral {case.reference} to {panel.name} awaits your decision",
        )
    elif transition.kind == TransitionKind.ESCALATION:
        kind, message = (
            NotificationKind.ESCALATION,
            f"Case {case.reference} escalated to {panel.name} awaits your decision",
        )
    else:
        agency = transition.to_agency.name if transition.to_agency else "another agency"
        kind, message = (
            NotificationKind.TRANSFER,
            f"Case {case.reference}: transfer to {agency} awaits your decision",
        )
    notify(
        recipients=coordinators_of(panel),
        kind=kind,
        message=message,
        path=reverse("panels:transition_decide", args=[transition.pk]),
        exclude=actor,
    )


def transition_decided(transition: Transition, *, actor: Any) -> None:
    """Tell whoever made a referral, escalation or transfer what was decided."""
    if transition.status == TransitionStatus.WITHDRAWN or transition.made_by is None:
        return
    what = TransitionKind(transition.kind).label.lower()
    outcome = TransitionStatus(transition.status).label.lower()
    where = f" to {transition.to_panel.name}" if transition.to_panel else ""
    notify(
        recipients=[transition.made_by],
        kind=NotificationKind.DECISION,
        message=f"Your {what} of case {transition.case.reference}{where} was {outcome}",
        path=reverse("panels:case_detail", args=[transition.case_id]),
        exclude=actor,
    )
