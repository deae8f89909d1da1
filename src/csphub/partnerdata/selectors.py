"""Every read of partner extracts. Counts are aggregates, but they come from partners' records
of people, so they are shown and published through the casework suppression policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from csphub.lib.disclosure import Output, Source, threshold_for
from csphub.lib.suppression import mark, suppress_value
from csphub.partnerdata.choices import MEASURES
from csphub.partnerdata.models import Count, Extract


def may_view(user: Any) -> bool:
    return bool(user.has_perm("partnerdata.view_extracts"))


def may_import(user: Any) -> bool:
    return bool(user.has_perm("partnerdata.import_extracts"))


def extracts_visible_to(user: Any) -> QuerySet[Extract]:
    """Every extract, for those who may see partner data; none for anyone else."""
    if not may_view(user):
        return Extract.objects.none()
    return Extract.objects.select_related("imported_by")


@dataclass(frozen=True)
class Total:
    """One measure's total over some months, with the extracts that supplied it."""

    measure: str
    value: int
    months_covered: int
    months_asked: int
    extracts: list[Extract]

    @property
    def complete(self) -> bool:
        return self.months_covered == self.months_asked

    @property
    def label(self) -> str:
        return MEASURES.get(self.measure, self.measure)


def total(measure: str, area_code: str, months: list[date]) -> Total | None:
    """MEASURE summed over MONTHS for AREA_CODE (None when no extract supplies any of them).

    Where two extracts give the same month, the one imported later is used: a partner's
    refreshed figures replace its earlier ones.
    """
    rows = (
        Count.objects.filter(measure=measure, area_code=area_code, month__in=months)
        .select_related("extract")
        .order_by("month", "extract__imported_at")
    )
    latest: dict[date, Count] = {}
    for row in rows:
        latest[row.month] = row
    if not latest:
        return None
    extracts = {c.extract_id: c.extract for c in latest.values()}
    return Total(
        measure=measure,
        value=sum(c.value for c in latest.values()),
        months_covered=len(latest),
        months_asked=len(months),
        extracts=sorted(extracts.values(), key=lambda e: e.imported_at),
    )


def shown(value: int, output: Output) -> str:
    """A partner count as it may be shown for OUTPUT: casework suppression ("<5")."""
    threshold = threshold_for(Source.CASEWORK, output)
    if suppress_value(value, threshold):
        return mark("primary", threshold)
    return f"{value:,}"


def extract_summary(extract: Extract) -> list[dict[str, Any]]:
    """Each measure in EXTRACT: its months, areas and total, suppressed for internal pages."""
    rows = extract.counts.values("measure").annotate(total=Sum("value")).order_by("measure")
    summary = []
    for row in rows:
        months = extract.counts.filter(measure=row["measure"]).values_list("month", flat=True)
        summary.append(
            {
                "label": MEASURES.get(row["measure"], row["measure"]),
                "first": min(months),
                "last": max(months),
                "total": shown(row["total"] or 0, Output.INTERNAL),
            }
        )
    return summary
