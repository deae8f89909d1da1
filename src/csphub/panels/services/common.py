"""The checks every case service shares: who may make a change, and refusing with reasons."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from csphub.core.errors import ServiceError
from csphub.lib.deadlines import Timescale
from csphub.panels.models import Case, Panel
from csphub.panels.selectors import case_edit_refusal, may_edit_case

if TYPE_CHECKING:
    from csphub.accounts.models import User


def edit_check(actor: User, case: Case, what: str) -> None:
    """Refuse, saying who may, a change that docs/permissions.md does not give ACTOR."""
    if not may_edit_case(actor, case, what):
        raise PermissionDenied(case_edit_refusal(actor, case, what))


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ServiceError(errors)


def review_due(panel: Panel, start: datetime) -> date:
    return Timescale(panel.review_interval_days).due(timezone.localdate(start))


def indicator_scores(indicators: dict[str, int] | None) -> dict[str, int]:
    return {str(k): int(v) for k, v in (indicators or {}).items()}
