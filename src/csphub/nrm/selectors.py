"""Reads of NRM referrals and decisions that depend on who is asking.

The NRM panel's co-ordinator and its members see its referrals: the co-ordinator all of them,
a member those the panel has taken on (`panels.selectors.cases_visible_to` decides, restricted
to the NRM panels they sit on). A first responder follows the status of their own referrals
and sees nothing else of them. Everyone else sees none, and a lookup of one is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from csphub.nrm.choices import VOTING_SEATS, Seat
from csphub.nrm.models import (
    Decision,
    Minute,
    NrmSettings,
    PanelSeat,
    Reconsideration,
    Referral,
)
from csphub.panels.models import Panel, PanelMembership
from csphub.panels.selectors import cases_visible_to, coordinates, panels_coordinated_by


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def nrm_panels() -> QuerySet[Panel]:
    """The panels that decide NRM referrals: those with NRM settings."""
    return Panel.objects.filter(nrm_settings__isnull=False)


def nrm_panels_of(user: Any) -> QuerySet[Panel]:
    """The NRM panels USER sits on (as co-ordinator or member)."""
    if not _signed_in(user) or not user.has_perm("nrm.view_nrm"):
        return Panel.objects.none()
    return nrm_panels().filter(memberships__user_id=user.pk)


def nrm_panels_run_by(user: Any) -> QuerySet[Panel]:
    if not _signed_in(user) or not user.has_perm("nrm.run_nrm"):
        return Panel.objects.none()
    return nrm_panels().filter(pk__in=panels_coordinated_by(user).values("pk"))


def runs(user: Any, referral: Referral) -> bool:
    """Whether USER co-ordinates the NRM panel REFERRAL is on."""
    return bool(user.has_perm("nrm.run_nrm")) and coordinates(user, referral.case.panel)


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    """The referrals USER may open: of the NRM panels they sit on, as the case rule allows."""
    panels = nrm_panels_of(user)
    return Referral.objects.filter(
        case__panel__in=panels, case__in=cases_visible_to(user)
    ).select_related("case__panel", "child", "first_responder_agency")


def referrals_made_by(user: Any) -> QuerySet[Referral]:
    """A first responder's own referrals, for their status page (no other detail)."""
    if not _signed_in(user) or not user.has_perm("nrm.refer_nrm"):
        return Referral.objects.none()
    return (
        Referral.objects.filter(referred_by_id=user.pk)
        .prefetch_related("decisions")
        .select_related("case")
    )


def referral_list_for(user: Any) -> QuerySet[Referral]:
    return referrals_visible_to(user).prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_on"))
    )


def open_reconsiderations(referral: Referral) -> QuerySet[Reconsideration]:
    """REFERRAL's requests for reconsideration that no decision answers yet."""
    return (
        Reconsideration.objects.filter(decision__referral=referral, new_decision__isnull=True)
        .select_related("decision")
        .order_by("requested_on", "created_at")
    )


def seat_of(user: Any, panel: Panel) -> str:
    """USER's seat on PANEL ('' when they hold none)."""
    seat = (
        PanelSeat.objects.filter(membership__panel=panel, membership__user_id=user.pk)
        .values_list("seat", flat=True)
        .first()
    )
    return seat or ""


def meeting_seat(user: Any, panel: Panel) -> str | None:
    """USER's seat for a meeting's quorum (`csphub.meetings.quorum`): on a panel whose members
    hold seats, theirs ('' without one); None for a panel that seats no one."""
    if not PanelSeat.objects.filter(membership__panel=panel).exists():
        return None
    return seat_of(user, panel)


def seats_of(panel: Panel) -> list[PanelMembership]:
    """The panel's members, each with `seat` ('' without one), in seat order."""
    members = list(
        PanelMembership.objects.filter(panel=panel).select_related("user__agency", "nrm_seat")
    )
    for m in members:
        m.seat = getattr(getattr(m, "nrm_seat", None), "seat", "")  # type: ignore[attr-defined]
    order = {s: i for i, s in enumerate(Seat.values)}
    return sorted(members, key=lambda m: (order.get(m.seat, 99), m.user.full_name))  # type: ignore[attr-defined]


def may_sign_off(user: Any, minute: Minute) -> bool:
    """A second voting member: on a voting seat of the panel, who neither wrote the minute nor
    chaired the decision, and holds the permission."""
    decision = minute.decision
    return bool(
        _signed_in(user)
        and user.has_perm("nrm.sign_off_nrm")
        and minute.issued_at is None
        and minute.signed_off_at is None
        and user.pk not in (minute.written_by_id, decision.chair_id)
        and seat_of(user, decision.referral.case.panel) in VOTING_SEATS
        and referrals_visible_to(user).filter(pk=decision.referral_id).exists()
    )


def settings_for(panel: Panel) -> NrmSettings:
    return NrmSettings.objects.get(panel=panel)


def dashboard_summary(user: Any) -> list[tuple[str, str]]:
    """The home card: referrals awaiting a decision, in two queries."""
    referrals = referrals_visible_to(user).filter(routing="panel")
    total = referrals.count()
    if not total:
        return []
    awaiting = referrals.exclude(decisions__kind="cg").exclude(decisions__outcome="negative")
    return [("Referrals", str(total)), ("Awaiting a final decision", str(awaiting.count()))]
