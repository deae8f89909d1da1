"""System checks: the small-area suppression threshold must be one the policy can apply."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def small_area_threshold_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.CRIME_SMALL_AREA_THRESHOLD >= 1:
        return []
    return [
        Error(
            f"CSPHUB_SMALL_AREA_THRESHOLD is {settings.CRIME_SMALL_AREA_THRESHOLD}: it must be "
            "at least 1.",
            hint="It is the count below which small-area police figures are hidden in exports "
            "marked for publication (5 by default; see docs/crime-data.md, Suppression).",
            id="crime.E001",
        )
    ]
