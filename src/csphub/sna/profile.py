"""The profile of serious violence from police recorded crime: types, trend, places, hot spots
(the crime app's Gi*) and violence by IMD decile. Every figure comes from the crime app's
selectors; nothing here counts crimes itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from csphub.crime.selectors import (
    figures_page,
    hotspot_result,
    small_area_threshold,
    trend,
)
from csphub.crime.warehouse import WarehouseBusy, fingerprint, open_warehouse
from csphub.lib.disclosure import Output
from csphub.lib.periods import Period
from csphub.lib.stats import poisson_test
from csphub.sna import imd
from csphub.sna.definitions import Definition
from csphub.sna.tables import CountTable, suppressed_table

TOP_PLACES = 10


@dataclass
class MeasureLine:
    label: str
    counted: bool
    borough: str
    previous: str
    change: str
    verdict: str
    bcu_change: str
    london_change: str


@dataclass
class Profile:
    """What the police data says for the window, or why it says nothing."""

    area: str
    missing: str = ""
    fingerprint: str = ""
    lines: list[MeasureLine] = field(default_factory=list)
    total: str = ""
    total_sentence: str = ""
    months: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, str]] = field(default_factory=list)
    places_note: str = ""
    by_decile: CountTable | None = None
    deprivation_note: str = ""
    caveats: list[str] = field(default_factory=list)


def _line(page: Any, measure_id: str, counted: bool) -> MeasureLine | None:
    try:
        table = page.table(measure_id)
    except StopIteration:
        return None
    by_level = {line.level: line for line in table.lines}
    borough = by_level.get("borough")
    if borough is None:
        return None
    return MeasureLine(
        label=table.label,
        counted=counted,
        borough=borough.current.text,
        previous=borough.previous.text,
        change=borough.change_text,
        verdict=borough.verdict,
        bcu_change=by_level["bcu"].change_text if "bcu" in by_level else "",
        london_change=by_level["london"].change_text if "london" in by_level else "",
    )


def _sum(page: Any, measure_ids: tuple[str, ...], attr: str) -> int | None:
    values = []
    for measure_id in measure_ids:
        try:
            lines = {line.level: line for line in page.table(measure_id).lines}
        except StopIteration:
            return None
        cell = getattr(lines.get("borough"), attr, None)
        if cell is None or cell.value is None:
            return None
        values.append(cell.value)
    return sum(values)


def profile(definition: Definition, period: Period, output: Output) -> Profile:
    """The police figures for the window under DEFINITION, for OUTPUT's suppression."""
    area = settings.CRIME_AREA
    try:
        with open_warehouse() as wh:
            if wh is None:
                return Profile(area, missing="No police recorded crime has been imported.")
            return _profile(wh, area, definition, period, output)
    except WarehouseBusy as exc:
        return Profile(area, missing=f"The crime data could not be read: {exc.message}")


def _profile(wh: Any, area: str, definition: Definition, period: Period, output: Output) -> Profile:
    out = Profile(area, fingerprint=fingerprint(wh))
    page = figures_page(wh, area, period)
    for measure_id in definition.counted + definition.alongside:
        line = _line(page, measure_id, measure_id in definition.counted)
        if line is not None:
            out.lines.append(line)
    current, previous = (_sum(page, definition.counted, a) for a in ("current", "previous"))
    if current is not None and previous is not None:
        test = poisson_test(previous, current)
        out.total = f"{current:,}"
        out.total_sentence = (
            f"{current:,} serious violence offences were recorded in {area} in "
            f"{page.current.label}, against {previous:,} in {page.previous.label}: "
            f"{test.verdict} (exact Poisson test)."
        )
    out.caveats = [c.text for c in page.caveats] or ([page.no_caveat] if page.no_caveat else [])
    try:
        out.months = trend(wh, area, definition.places_measure, page)
    except StopIteration:
        out.months = []
    _places(out, wh, area, definition, period, output)
    return out


def _places(
    out: Profile, wh: Any, area: str, definition: Definition, period: Period, output: Output
) -> None:
    limit = small_area_threshold(output)
    result = hotspot_result(wh, area, definition.places_measure, period, threshold=limit)
    out.places_note = result.not_tested or result.note
    ranked = sorted(result.units, key=lambda u: (-(u.z or 0), -u.count))
    out.places = [
        {"code": u.code, "name": u.name, "count": u.shown_count or f"{u.count:,}", "label": u.label}
        for u in ranked[:TOP_PLACES]
    ]
    deciles = imd.deciles()
    if deciles is None:
        out.deprivation_note = (
            "The IMD 2025 file is not available, so there is no deprivation view."
        )
        return
    counts = [0] * 10
    lsoas = [0] * 10
    unmatched = 0
    for unit in result.units:
        decile = deciles.get(unit.code)
        if decile is None:
            unmatched += 1
            continue
        counts[decile - 1] += unit.count
        lsoas[decile - 1] += 1
    out.by_decile = suppressed_table(
        "Serious violence by IMD 2025 decile of the LSOA (1: most deprived tenth in England)",
        ["LSOAs", "Offences"],
        [(f"Decile {d + 1}", [lsoas[d], counts[d]]) for d in range(10)],
        limit,
    )
    if unmatched:
        out.deprivation_note = f"{unmatched} areas have no IMD 2025 decile (not LSOA 2021 codes)."
