"""The case list's filters and sort orders, read from the list's GET form.

They only narrow and order `cases_listed_for(user)`: which cases a user may see is still
`cases_visible_to`, and a filter value that is not one of the choices is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, IntegerField, QuerySet, Value, When

from csphub.panels.choices import OPEN_STATUSES, CaseStatus, RiskLevel
from csphub.panels.models import Case

REVIEW_CHOICES = {
    "overdue": "Overdue",
    "4weeks": "Due in the next 4 weeks",
}
SORTS = {
    "reference": "Reference",
    "referred": "Newest referral first",
    "review": "Review due soonest",
    "risk": "Highest risk first",
}


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    risk: str = ""
    agency: str = ""  # the owning agency's id
    review: str = ""
    sort: str = "reference"

    @classmethod
    def from_query(cls, query: Any) -> CaseFilters:
        def pick(name: str, allowed: Any) -> str:
            value = query.get(name, "")
            return value if value in allowed else ""

        return cls(
            status=pick("status", CaseStatus.values),
            risk=pick("risk", RiskLevel.values),
            agency=query.get("agency", "")[:40],
            review=pick("review", REVIEW_CHOICES),
            sort=pick("sort", SORTS) or "reference",
        )

    @property
    def shows_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    def apply(self, cases: QuerySet[Case], *, today: date) -> QuerySet[Case]:
        if self.status:
            cases = cases.filter(status=self.status)
        if self.risk:
            cases = cases.filter(risk_level=self.risk)
        if self.agency:
            cases = cases.filter(owning_agency__pk=self.agency) if _is_uuid(self.agency) else cases
        if self.review == "overdue":
            cases = cases.filter(status__in=OPEN_STATUSES, review_due__lt=today)
        elif self.review == "4weeks":
            cases = cases.filter(
                status__in=OPEN_STATUSES,
                review_due__gte=today,
                review_due__lte=today + timedelta(weeks=4),
            )
        if self.sort == "referred":
            return cases.order_by("-referred_at", "reference")
        if self.sort == "review":
            return cases.order_by(F("review_due").asc(nulls_last=True), "reference")
        if self.sort == "risk":
            rank = When_(
                When(risk_level=RiskLevel.HIGH, then=Value(0)),
                When(risk_level=RiskLevel.MEDIUM, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
            return cases.annotate(_rank=rank).order_by("_rank", "reference")
        return cases.order_by("reference")


def _is_uuid(value: str) -> bool:
    from uuid import UUID

    try:
        UUID(value)
    except ValueError:
        return False
    return True
