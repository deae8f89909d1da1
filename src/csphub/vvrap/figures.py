"""The standing item's performance figures for a board pack: knife crime, gun crime where the
figures carry it, and serious violence, for the latest 12 months against the 12 before, with
the comparison's caveats. Read from the crime engine through the crime app's selectors (the
only app that talks to crimestats); nothing here computes a figure."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from csphub.crime.selectors import ROLLING, figures_page, latest_month, period_for, previous_for
from csphub.crime.warehouse import WarehouseBusy, open_warehouse

#: (measure id, what the board calls it), in the standing item's order.
STANDING_MEASURES = [
    ("knife_crime", "Knife crime"),
    ("gun_crime", "Gun crime"),
    ("serious_violence", "Serious violence"),
]


@dataclass
class Figure:
    label: str
    previous: str
    current: str
    change: str
    sentence: str


@dataclass
class StandingFigures:
    available: bool
    period: str = ""
    previous_period: str = ""
    figures: list[Figure] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    reason: str = ""


def standing_figures(area: str | None = None) -> StandingFigures:
    """The figures for AREA (the partnership's borough by default), or why there are none."""
    area = area or settings.CRIME_AREA
    try:
        with open_warehouse() as wh:
            if wh is None:
                return StandingFigures(False, reason="No police data has been imported yet.")
            latest = latest_month(wh)
            if latest is None:
                return StandingFigures(False, reason="No police data has been imported yet.")
            current = period_for(ROLLING, 0, latest)
            page = figures_page(wh, area, current, previous_for(ROLLING, current))
    except WarehouseBusy:
        return StandingFigures(False, reason="The crime figures are being updated; try later.")
    except LookupError:
        return StandingFigures(False, reason=f"No crime figures for {area}.")
    tables = {t.id: t for t in page.tables}
    out = StandingFigures(True, page.current.label, page.previous.label)
    for measure_id, label in STANDING_MEASURES:
        table = tables.get(measure_id)
        own = (
            next((line for line in table.lines if line.level == page.area.level), None)
            if table
            else None
        )
        if table is None or own is None:
            out.not_carried.append(label)
            continue
        out.figures.append(
            Figure(label, own.previous.text, own.current.text, own.change_text, table.sentence)
        )
    out.caveats = [c.text for c in page.caveats]
    return out
