"""The co-ordinator's queue: referrals, escalations and transfers awaiting their decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from csphub.lib.deadlines import WorkingDays
from csphub.panels.choices import TransitionStatus
from csphub.panels.models import Transition
from csphub.panels.selectors import panels_coordinated_by


@dataclass(frozen=True)
class Waiting:
    """One transition waiting for USER's decision, and how long it has waited."""

    transition: Transition
    working_days: int


def decision_queue_for(user: Any, *, today: date | None = None) -> list[Waiting]:
    """Every pending transition to a panel USER co-ordinates (who decides is `may_decide`:
    the receiving panel's co-ordinator), oldest first, with its age in working days."""
    today = today or timezone.localdate()
    clock = WorkingDays()
    pending = (
        Transition.objects.filter(
            status=TransitionStatus.PENDING, to_panel__in=panels_coordinated_by(user)
        )
        .select_related("case", "to_panel", "from_panel", "from_agency", "to_agency")
        .order_by("made_at", "pk")
    )
    return [
        Waiting(t, max(0, clock.between(timezone.localdate(t.made_at), today))) for t in pending
    ]


def home_queue(user: Any) -> dict[str, Any] | None:
    """The home page's queue: None (nothing shown) for one who co-ordinates no panel."""
    if not panels_coordinated_by(user).exists():
        return None
    return {"waiting": decision_queue_for(user)}
