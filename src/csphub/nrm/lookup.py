"""Fetching an NRM referral, decision or minute for a page: the one place an id becomes the
record, or a 404 (a refusal of a real one is audited)."""

from __future__ import annotations

from typing import Any

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import refusal
from csphub.core.access import get_visible_or_404
from csphub.nrm.models import Decision, Minute, Referral
from csphub.nrm.selectors import referrals_visible_to, runs


def referral_for(request: AuthedRequest, referral_id: Any) -> tuple[Referral, bool]:
    """The referral if the user sits on its NRM panel (as the case rule allows), and whether
    they run it (its co-ordinator)."""
    referral = get_visible_or_404(
        referrals_visible_to(request.user),
        refused=refusal(request, verbs.NRM_REFERRAL_VIEW_REFUSED),
        pk=referral_id,
    )
    return referral, runs(request.user, referral)


def decision_for(request: AuthedRequest, decision_id: Any) -> tuple[Decision, bool]:
    decision = get_visible_or_404(
        Decision.objects.filter(referral__in=referrals_visible_to(request.user)).select_related(
            "referral__case__panel", "meeting", "chair"
        ),
        refused=refusal(request, verbs.NRM_REFERRAL_VIEW_REFUSED),
        pk=decision_id,
    )
    return decision, runs(request.user, decision.referral)


def minute_for(request: AuthedRequest, minute_id: Any) -> tuple[Minute, bool]:
    minute = get_visible_or_404(
        Minute.objects.filter(
            decision__referral__in=referrals_visible_to(request.user)
        ).select_related("decision__referral__case__panel"),
        refused=refusal(request, verbs.NRM_REFERRAL_VIEW_REFUSED),
        pk=minute_id,
    )
    return minute, runs(request.user, minute.decision.referral)
