"""Fetching a plan, an action or an update for a page: within what the user may see, or 404."""

from __future__ import annotations

from typing import Any

from csphub.core.access import get_visible_or_404
from csphub.vvrap.models import Plan, PlanItem, QuarterlyUpdate
from csphub.vvrap.selectors import items_visible_to, plans_visible_to, updates_visible_to


def plan_for(user: Any, plan_id: Any) -> Plan:
    return get_visible_or_404(plans_visible_to(user), pk=plan_id)


def item_for(user: Any, entry_id: Any) -> PlanItem:
    return get_visible_or_404(items_visible_to(user), pk=entry_id)


def update_for(user: Any, update_id: Any) -> QuarterlyUpdate:
    return get_visible_or_404(updates_visible_to(user), pk=update_id)
