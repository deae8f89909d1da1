"""Every read of the needs assessment. Its figures are aggregates with casework suppressed, so
access is by permission: the summary, the full assessment, the right to build."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from csphub.lib.periods import Period
from csphub.sna.models import Assessment, Finding
from csphub.vvrap.models import PlanItem


def may_read_full(user: Any) -> bool:
    return bool(user.has_perm("sna.read_assessment"))


def may_read_summary(user: Any) -> bool:
    return bool(user.has_perm("sna.read_summary"))


def may_build(user: Any) -> bool:
    return bool(user.has_perm("sna.build_assessment"))


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    if not may_read_summary(user):
        return Assessment.objects.none()
    return Assessment.objects.select_related("built_by")


def assessment_for(user: Any, assessment_id: Any) -> Assessment:
    """A build USER may read (404 otherwise, never confirming it exists)."""
    found = assessments_visible_to(user).filter(pk=assessment_id).first()
    if found is None:
        raise Http404
    return found


def latest_for(user: Any, period: Period) -> Assessment | None:
    return (
        assessments_visible_to(user)
        .filter(window_start=period.start, window_end=period.end)
        .first()
    )


def findings_for(period: Period) -> QuerySet[Finding]:
    return Finding.objects.filter(window_start=period.start, window_end=period.end)


def finding_for(user: Any, finding_id: Any) -> Finding:
    found = Finding.objects.filter(pk=finding_id).first() if may_read_summary(user) else None
    if found is None:
        raise Http404
    return found


def findings_with_actions(period: Period) -> list[tuple[Finding, list[PlanItem]]]:
    """Each gap and recommendation for the window, with the current plan's VVRAP actions that
    answer it (an action names the recommendation's reference: PlanItem.sna_recommendation)."""
    findings = list(findings_for(period))
    refs = [f.number for f in findings]
    answering: dict[str, list[PlanItem]] = {r: [] for r in refs}
    for item in PlanItem.objects.filter(
        sna_recommendation__in=refs, plan__is_current=True
    ).order_by("number"):
        answering[item.sna_recommendation].append(item)
    return [(f, answering[f.number]) for f in findings]
