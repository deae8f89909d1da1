"""Fetching a meeting or an action for a page: the one place an id becomes the record, or a
404."""

from __future__ import annotations

from typing import Any

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import refusal
from csphub.core.access import get_visible_or_404
from csphub.meetings.models import Action, InformationRequest, Meeting
from csphub.meetings.selectors import (
    actions_visible_to,
    information_requests_answerable_by,
    information_requests_visible_to,
    may_answer,
    may_update_action,
    meetings_run_by,
    meetings_visible_to,
)


def meeting_for(request: AuthedRequest, meeting_id: Any) -> tuple[Meeting, bool]:
    """The meeting if the user sits on its panel, and whether they run it (its co-ordinator);
    otherwise 404, and a refusal of a real meeting is audited."""
    meeting = get_visible_or_404(
        meetings_visible_to(request.user),
        refused=refusal(request, verbs.MEETING_VIEW_REFUSED),
        pk=meeting_id,
    )
    return meeting, meetings_run_by(request.user).filter(pk=meeting.pk).exists()


def action_for(request: AuthedRequest, action_id: Any) -> tuple[Action, bool]:
    """The action if the user may see it, and whether they may move it on (its owner or the
    panel's co-ordinator); otherwise 404, and a refusal of a real action is audited."""
    action = get_visible_or_404(
        actions_visible_to(request.user),
        refused=refusal(request, verbs.ACTION_VIEW_REFUSED),
        pk=action_id,
    )
    return action, may_update_action(request.user, action)


def information_request_for(
    request: AuthedRequest, request_id: Any
) -> tuple[InformationRequest, bool]:
    """The information request if the user may answer it or read it, and whether they may
    answer it; otherwise 404, and a refusal of a real request is audited."""
    visible = information_requests_visible_to(request.user) | information_requests_answerable_by(
        request.user
    )
    asked = get_visible_or_404(
        visible.distinct(),
        refused=refusal(request, verbs.MEETING_VIEW_REFUSED),
        pk=request_id,
    )
    return asked, may_answer(request.user, asked)
