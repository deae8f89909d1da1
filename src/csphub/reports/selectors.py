"""Every read of the reports app that depends on who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from csphub.reports.models import AnnualReport, Narrative


def annual_reports_visible_to(user: Any) -> QuerySet[AnnualReport]:
    """Built reports, to those whose role reads the annual report; none to anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("reports.view_annual"):
        return AnnualReport.objects.none()
    return AnnualReport.objects.select_related("built_by", "signed_off_by")


def narratives_of(user: Any, year: int) -> dict[str, Narrative]:
    """YEAR's narrative by section, to those who may read the report."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("reports.view_annual"):
        return {}
    return {n.section: n for n in Narrative.objects.filter(year=year).select_related("written_by")}
