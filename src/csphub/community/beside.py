"""Activity beside violence: for a quarter, the borough's LSOAs coloured by serious violence
(the crime app's hot spot result and map drawing, through its selectors and svg modules), the
places where activity happened marked on them, and a table per ward of crimes and activity
side by side — the table is the page's text alternative to the map.

community sits above crime in the import layers, so it uses crime's public reads and drawing;
crime imports nothing of community (docs/adr/0301-activity-beside-violence.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from csphub.community.choices import ActivityKind
from csphub.community.models import Activity
from csphub.crime import selectors as crime
from csphub.crime import svg
from csphub.crime.warehouse import WarehouseBusy, open_warehouse
from csphub.lib.disclosure import Output
from csphub.lib.periods import Period
from csphub.lib.suppression import suppress
from csphub.people.geography import ward_for_lsoa

MEASURE = "serious_violence"
#: The letter that marks each kind of activity on the map (the key says which is which).
MARKS = {
    ActivityKind.OUTREACH_BUS: "B",
    ActivityKind.SCHOOL_WORKSHOP: "W",
    ActivityKind.PARENT_CARER: "P",
    ActivityKind.ENGAGEMENT: "E",
    ActivityKind.TRAINING: "T",
}


@dataclass(frozen=True)
class WardRow:
    ward: str
    crimes: str  # as published: a small count hidden
    sessions: int
    people: int
    by_kind: str  # "Outreach bus deployment 2, School workshop 1"


def _marks(kinds: Counter[str]) -> str:
    return " ".join(f"{MARKS[ActivityKind(k)]}{n}" for k, n in sorted(kinds.items()))


def activity_by_area(activities: list[Activity]) -> tuple[dict[str, Counter[str]], dict[str, Any]]:
    """Sessions by kind for each LSOA, and per ward: sessions, people and sessions by kind."""
    by_lsoa: dict[str, Counter[str]] = {}
    by_ward: dict[str, dict[str, Any]] = {}
    for a in activities:
        if a.place.lsoa_code:
            by_lsoa.setdefault(a.place.lsoa_code, Counter())[a.kind] += 1
        ward = a.place.ward or "Ward not known"
        row = by_ward.setdefault(ward, {"sessions": 0, "people": 0, "kinds": Counter()})
        row["sessions"] += 1
        row["people"] += a.people_reached
        row["kinds"][a.kind] += 1
    return by_lsoa, by_ward


def ward_rows(
    crimes_by_ward: dict[str, int], by_ward: dict[str, Any], threshold: int
) -> list[WardRow]:
    """One row per ward with crimes or activity, the crime counts suppressed as published."""
    wards = sorted(set(crimes_by_ward) | set(by_ward))
    counts = [[crimes_by_ward.get(w, 0)] for w in wards]
    # A threshold of 0: the partnership does not suppress small areas on its own pages.
    table = suppress(counts, threshold, row_totals=False, col_totals=False) if threshold else None
    rows = []
    for i, ward in enumerate(wards):
        act = by_ward.get(ward, {"sessions": 0, "people": 0, "kinds": Counter()})
        kinds = ", ".join(f"{ActivityKind(k).label} {n}" for k, n in sorted(act["kinds"].items()))
        if ward not in crimes_by_ward:
            crimes = "—"
        else:
            crimes = table.display(i, 0) if table else f"{crimes_by_ward[ward]:,}"
        rows.append(WardRow(ward, crimes, act["sessions"], act["people"], kinds))
    return rows


def beside_violence(activities: list[Activity], period: Period) -> dict[str, Any]:
    """The page's context: `rows` always; `map_svg` and `legend` when crime data is held."""
    by_lsoa, by_ward = activity_by_area(activities)
    threshold = crime.small_area_threshold(Output.INTERNAL)
    context: dict[str, Any] = {"threshold": threshold}
    crimes_by_ward: dict[str, int] = {}
    try:
        with open_warehouse() as wh:
            if wh is None or crime.latest_month(wh) is None:
                context["no_crime_data"] = "No police recorded crime has been imported yet."
            else:
                area = crime.resolve_area(settings.CRIME_AREA)
                try:
                    result = crime.hotspot_result(
                        wh, area.name, MEASURE, period, level="lsoa", threshold=threshold
                    )
                except LookupError as exc:
                    context["no_crime_data"] = str(exc)
                else:
                    for unit in result.units:
                        found = ward_for_lsoa(unit.code)
                        if found is not None:
                            crimes_by_ward[found.name] = (
                                crimes_by_ward.get(found.name, 0) + unit.count
                            )
                    geoms = crime.boundaries_for(
                        wh, result.boundaries or result.level, [u.code for u in result.units]
                    )
                    context["map_svg"], context["legend"] = _map(result, geoms, by_lsoa, threshold)
    except WarehouseBusy as exc:
        context["no_crime_data"] = exc.message
    context["rows"] = ward_rows(crimes_by_ward, by_ward, threshold)
    return context


def _map(
    result: Any, geoms: dict[str, bytes], by_lsoa: dict[str, Counter[str]], threshold: int
) -> tuple[str, list[dict[str, str]]]:
    counts = [u.count for u in result.units]
    breaks = svg.breaks_hiding_small_counts(svg.count_breaks(counts), threshold)
    areas, labels = [], []
    for unit in result.units:
        if unit.code not in geoms:
            continue
        hidden = 0 < unit.count < threshold
        fill = svg.MID_GREY if hidden else svg.count_colour(unit.count, breaks)
        shown = f"fewer than {threshold}" if hidden else f"{unit.count:,}"
        activity = by_lsoa.get(unit.code)
        tip = f"{unit.name}: {shown} serious violence crimes"
        if activity:
            tip += f"; activity {_marks(activity)}"
            labels.append(svg.MapLabel(_marks(activity), geoms[unit.code]))
        areas.append(svg.MapArea(unit.code, geoms[unit.code], fill, tip))
    legend, low = [], 0
    offset = len(svg.COUNT_SCALE) - len(breaks)
    for i, upper in enumerate(breaks):
        legend.append(
            {"colour": svg.COUNT_SCALE[offset + i], "label": f"{low:,} to {upper:,} crimes"}
        )
        low = upper + 1
    title = f"Serious violence by LSOA and the partnership's activity, {result.period.label}"
    description = (
        "Darker areas had more serious violence. Letters mark where activity happened: "
        + ", ".join(f"{m} {ActivityKind(k).label.lower()}" for k, m in MARKS.items())
        + ", with the number of sessions. The table below gives crimes and activity by ward."
    )
    return (
        svg.choropleth(
            areas, title=title, description=description, id_prefix="beside", labels=labels
        ),
        legend,
    )
