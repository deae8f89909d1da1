"""Every read of crime data: figures, trend, hot spots and provenance, from the warehouse.

The figures are aggregate police data, the same for everyone allowed the page, so access is
decided by the page's permission; nothing here depends on who is asking except the card.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

import crimestats
from crimestats import (
    CALENDAR,
    YEAR_KINDS,
    Area,
    Caveat,
    FigureRow,
    FiguresReport,
    Measure,
    MeasureFigures,
    Output,
    Period,
    Source,
    Warehouse,
    add_months,
    load_geography,
    load_measures,
    mark,
    monthly_series,
    no_caveat_sentence,
    rolling_months,
    suppress,
    threshold_for,
)
from csphub.crime.choices import PeriodKind
from csphub.crime.warehouse import WarehouseBusy, fingerprint, open_warehouse
from csphub.crime.wording import _p, _short_label, sentence

if TYPE_CHECKING:  # numpy, shapely and scipy load with the hot spot page, not with every page
    from crimestats import HotspotResult

#: Period kinds that end with the last month of data rather than being named by a year.
ROLLING, MONTH = PeriodKind.ROLLING.value, PeriodKind.MONTH.value
#: Borough, BCU and London counts of police open data are shown as the police publish them
#: (crimestats.disclosure): 0, no suppression, on every page and download.
THRESHOLD = threshold_for(Source.POLICE_OPEN_DATA, Output.INTERNAL)


def small_area_threshold(output: Output) -> int:
    """The threshold for LSOA, ward and hexagon counts: the partnership's setting, applied to
    exports marked for publication and, if it chooses, to its own pages too."""
    return threshold_for(
        Source.POLICE_OPEN_DATA,
        output,
        small_area=True,
        small_area_threshold=settings.CRIME_SMALL_AREA_THRESHOLD,
        small_area_internal=settings.CRIME_SMALL_AREA_SUPPRESSED_INTERNALLY,
    )


#: Names of each crimestats source, for people.
SOURCE_LABELS = crimestats.SOURCE_LABELS
HEADLINE_MEASURES = ("all_crime", "serious_violence")
SUMMARY_MEASURES = ("all_crime", "serious_violence", "knife_crime", "personal_robbery", "vawg")
#: Measures that can be mapped: the MPS LSOA and ward files use the 2023 classification.
MAPPABLE_SOURCE = "mps_2023"


def period_for(kind: str, year: int, latest: date | None = None) -> Period:
    """The period of KIND that YEAR names: a calendar year, the FY starting in it, or the
    Serious Violence Duty year (October to September) ending in it; for a rolling year or the
    latest month, the one ending with LATEST (the last month of data), labelled as ONS does.

    >>> period_for("rolling", 0, date(2025, 10, 1)).label
    'year ending October 2025'
    >>> period_for("month", 0, date(2025, 10, 1)).to_json()
    {'from': '2025-10', 'to': '2025-10'}
    """
    if kind in (ROLLING, MONTH):
        if latest is None:
            raise ValueError(f"a {kind} period needs the last month of data")
        return rolling_months(latest, 12 if kind == ROLLING else 1)
    return YEAR_KINDS.get(kind, CALENDAR).named(year)


def previous_for(kind: str, current: Period) -> Period:
    """What CURRENT is compared with: the same month a year earlier for the latest month (as
    the MPS dashboard does), else the period of the same length just before.

    >>> previous_for("month", period_for("month", 0, date(2025, 10, 1))).label
    'October 2024'
    >>> previous_for("rolling", period_for("rolling", 0, date(2025, 10, 1))).label
    'year ending October 2024'
    """
    if kind in (ROLLING, MONTH):
        return rolling_months(add_months(current.end, -12), current.months)
    return current.previous()


def latest_year(kind: str, latest: date) -> int:
    """The latest YEAR whose whole period of KIND ends by month LATEST (a rolling year and the
    latest month end with LATEST itself, so their "year" is LATEST's)."""
    if kind in (ROLLING, MONTH):
        return latest.year
    return YEAR_KINDS.get(kind, CALENDAR).latest_whole(latest)


def latest_month(wh: Warehouse, level: str = "borough") -> date | None:
    """The last month of MPS data at LEVEL (any dataset when there is none)."""
    return crimestats.latest_month(wh, level)


def first_month(wh: Warehouse) -> date | None:
    """The first month held by any source."""
    return crimestats.first_month(wh)


def area_choices() -> list[tuple[str, str]]:
    """The 32 London boroughs, by name (the BCU and London come alongside automatically)."""
    return sorted(((b.name, b.name) for b in load_geography().boroughs), key=lambda c: c[1])


def resolve_area(name_or_code: str) -> Area:
    """A borough by name or GSS code (LookupError when unknown)."""
    return load_geography().resolve(name_or_code)


def measures() -> list[Measure]:
    """Every measure in the measures file, in file order."""
    return list(load_measures())


def measures_version() -> int:
    """The version of the measures file the figures are defined by."""
    return load_measures().version


def definition_files() -> list[Path]:
    """The files that define the figures beside the data: the measures and the caveats."""
    return [crimestats.default_measures_path(), crimestats.default_caveats_path()]


def mappable_measures() -> list[Measure]:
    """Measures that the MPS LSOA/ward files can build (2023 classification)."""
    return [m for m in measures() if m.selectors.get(MAPPABLE_SOURCE)]


@dataclass
class Cell:
    """A count as published: the number, or the mark crimestats hid it with ("<5" or "[c]")."""

    value: int | None
    mark: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.mark)

    @property
    def text(self) -> str:
        if self.mark:
            return self.mark
        return "" if self.value is None else f"{self.value:,}"


@dataclass
class FigureLine:
    """One row of a measure's table (borough, BCU or London), ready for the page and CSV."""

    level: str
    code: str
    name: str
    previous: Cell
    current: Cell
    change_pct: float | None
    p_value: float | None
    verdict: str
    baseline: Cell
    change_vs_2019_pct: float | None
    hidden: dict[str, str] = field(default_factory=dict)
    harm_previous: float | None = None
    harm_current: float | None = None
    harm_change_pct: float | None = None

    @property
    def harm_previous_text(self) -> str:
        return self.hidden.get("harm_previous") or _harm(self.harm_previous)

    @property
    def harm_current_text(self) -> str:
        return self.hidden.get("harm_current") or _harm(self.harm_current)

    @property
    def harm_change_text(self) -> str:
        return self.hidden.get("harm_change_pct") or _signed(self.harm_change_pct)

    @property
    def change_text(self) -> str:
        return self.hidden.get("change_pct") or _signed(self.change_pct)

    @property
    def change_vs_2019_text(self) -> str:
        return self.hidden.get("change_vs_2019_pct") or _signed(self.change_vs_2019_pct)

    @property
    def p_text(self) -> str:
        """The p-value as people read it ("p < 0.001"), or "" when there is none."""
        return "" if self.p_value is None else _p(self.p_value)


@dataclass
class MeasureTable:
    """One measure: its definition, its source and a line per level."""

    id: str
    label: str
    notes: str
    source: str | None
    source_label: str
    categories: list[str]
    lines: list[FigureLine]
    files: list[dict[str, Any]] = field(default_factory=list)
    sentence: str = ""
    #: Known breaks (crimestats.caveats) the comparison with the previous period crosses.
    caveats: list[Caveat] = field(default_factory=list)
    #: Said when only the months both periods have could be compared, and those months.
    partial_note: str = ""
    compared_labels: tuple[str, str] | None = (
        None  #: (previous, current), e.g. "March to December 2022"
    )

    @property
    def has_harm(self) -> bool:
        """Whether the source carries harm weights (the dashboard's flagged series do not)."""
        return any(
            line.harm_current is not None or line.hidden.get("harm_current") for line in self.lines
        )


@dataclass
class FiguresPage:
    """Everything the figures page and its CSV show."""

    area: Area
    current: Period
    previous: Period
    baseline: Period
    tables: list[MeasureTable]
    #: The report the tables were made from (the CSV is built from it, as the CLI's is).
    report: FiguresReport | None = None
    sentences: list[str] = field(default_factory=list)
    #: Breaks the comparison with the previous period crosses, and those the 2019 one crosses.
    caveats: list[Caveat] = field(default_factory=list)
    baseline_caveats: list[Caveat] = field(default_factory=list)

    @property
    def no_caveat(self) -> str:
        """The sentence a report may write when no known break applies ("" when one does)."""
        return "" if self.caveats else no_caveat_sentence(self.current, self.previous)

    def table(self, measure_id: str) -> MeasureTable:
        return next(t for t in self.tables if t.id == measure_id)


def _line(row: FigureRow) -> FigureLine:
    # crimestats has already suppressed every value (counts, changes, the 2019 baseline); a
    # hidden value is None with its mark in ROW.HIDDEN.
    return FigureLine(
        level=row.level,
        code=row.code,
        name=row.name,
        previous=Cell(row.previous, row.hidden.get("previous", "")),
        current=Cell(row.current, row.hidden.get("current", "")),
        change_pct=row.change_pct,
        p_value=row.p_value,
        verdict=row.verdict,
        baseline=Cell(row.baseline_2019, row.hidden.get("baseline_2019", "")),
        change_vs_2019_pct=row.change_vs_2019_pct,
        hidden=row.hidden,
        harm_previous=row.harm_previous,
        harm_current=row.harm_current,
        harm_change_pct=row.harm_change_pct,
    )


def _table(mf: MeasureFigures, measure: Measure, wh: Warehouse) -> MeasureTable:
    categories: list[str] = []
    if mf.source:
        categories = measure.categories_in(mf.source, crimestats.categories(wh, mf.source))
    return MeasureTable(
        id=mf.id,
        label=mf.label,
        notes=measure.notes,
        source=mf.source,
        source_label=SOURCE_LABELS.get(mf.source or "", crimestats.NO_SOURCE),
        categories=categories,
        lines=[_line(r) for r in mf.rows],
        caveats=mf.caveats,
        partial_note=mf.partial_note,
        compared_labels=(
            (_months_label(mf.previous_months_compared), _months_label(mf.months_compared))
            if mf.months_compared and mf.previous_months_compared
            else None
        ),
    )


def _months_label(months: list[date]) -> str:
    """ "March to December 2022", "October 2025", "December 2022 to February 2023"."""
    first, last = months[0], months[-1]
    if first == last:
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def figures_page(
    wh: Warehouse, area: str, current: Period, previous: Period | None = None
) -> FiguresPage:
    """Every measure for AREA (its BCU and London alongside) in CURRENT against PREVIOUS (by
    default the period of the same length before); remembered until an import changes the
    data, the measures file or the caveats file, so a second visit is not worked out again."""
    measures_file, caveats_file = (
        crimestats.default_measures_path(),
        crimestats.default_caveats_path(),
    )
    key = _key(
        "figures-v1",
        fingerprint(wh),
        area,
        current.label,
        current.start.isoformat(),
        current.end.isoformat(),
        previous.label if previous else "",
        previous.start.isoformat() if previous else "",
        *(f"{p}:{p.stat().st_mtime_ns}" for p in (measures_file, caveats_file)),
    )
    page = cache.get(key)
    if page is None:
        page = _figures_page(wh, area, current, previous)
        cache.set(key, page, 60 * 60)
    return page  # type: ignore[no-any-return]


def _figures_page(
    wh: Warehouse, area: str, current: Period, previous: Period | None
) -> FiguresPage:
    report: FiguresReport = crimestats.figures_report(
        wh, area, current, previous, threshold=THRESHOLD
    )
    by_id = {m.id: m for m in load_measures()}
    page = FiguresPage(
        area=report.area,
        current=report.current,
        previous=report.previous,
        baseline=report.baseline,
        tables=[_table(mf, by_id[mf.id], wh) for mf in report.measures],
        report=report,
        caveats=report.caveats,
        baseline_caveats=report.baseline_caveats,
    )
    for t in page.tables:
        t.sentence = sentence(page, t)
    # The summary at the top: the headline measures; every measure has its own under its table.
    page.sentences = [t.sentence for t in page.tables if t.id in SUMMARY_MEASURES and t.sentence]
    files: dict[str | None, list[dict[str, Any]]] = {}
    for t in page.tables:
        if t.source not in files:
            files[t.source] = provenance_for(
                wh, t.source, [page.current, page.previous, page.baseline]
            )
        t.files = files[t.source]
    return page


def _harm(value: float | None) -> str:
    """A harm-weighted total, to the nearest whole weight ("" when there is none)."""
    return "" if value is None else f"{value:,.0f}"


def _signed(pct: float | None) -> str:
    """ "+1.9%", "-1,234.5%", or "0.0%" for a change that rounds to nothing ("" for none)."""
    return crimestats.signed_pct(pct)


def trend(wh: Warehouse, area: str, measure_id: str, page: FiguresPage) -> list[dict[str, Any]]:
    """Monthly counts for the previous and current periods, month by month, for the chart.

    The months go through crimestats' suppression as a table whose yearly totals are
    published: a small month is hidden, and so is a partner, so it cannot be subtracted out.
    """
    series = dict(
        monthly_series(wh, area, measure_id, Period(page.previous.start, page.current.end, ""))
    )
    months = [page.previous.month_list(), page.current.month_list()]
    values = [[series.get(m) for m in row] for row in months]
    table = (
        suppress(
            [[v or 0 for v in row] for row in values], THRESHOLD, row_totals=True, col_totals=False
        )
        if THRESHOLD > 0
        else None
    )

    def cell(r: int, c: int) -> Cell:
        why = table.reasons[r][c] if table is not None else None
        return Cell(None, mark(why, THRESHOLD)) if why else Cell(values[r][c])

    return [
        {
            "label": f"{cur_month:%b}",
            "previous_month": prev_month,
            "current_month": cur_month,
            "previous": cell(0, c),
            "current": cell(1, c),
        }
        for c, (prev_month, cur_month) in enumerate(zip(*months, strict=True))
    ]


def provenance_for(
    wh: Warehouse, source: str | None, periods: list[Period]
) -> list[dict[str, Any]]:
    """The imported files that supply SOURCE's months in PERIODS: each figure's data trail."""
    return crimestats.provenance(wh, source, periods)


def sources(wh: Warehouse) -> list[dict[str, Any]]:
    """Every import still supplying data, with its provenance, newest first."""
    return crimestats.imported_files(wh)


def hotspot_result(
    wh: Warehouse,
    area: str,
    measure_id: str,
    period: Period,
    *,
    level: str = "auto",
    permutations: int = 999,
    threshold: int = 0,
) -> HotspotResult:
    """Ranked LSOAs (or wards) with Gi* labels; cached until the next import changes the data.

    The permutation test is the slow part; with a fixed seed it always gives the same answer
    for the same data, so a cached result is exactly what a fresh run would say.
    """
    key = _key(
        "hotspots-v3",  # v2: results name their boundary set; v3: and their population
        fingerprint(wh),
        area,
        measure_id,
        period.start.isoformat(),
        period.end.isoformat(),
        level,
        str(permutations),
        str(threshold),
    )
    result = cache.get(key)
    if result is None:
        result = crimestats.hotspot_report(
            wh,
            area,
            measure_id,
            period,
            level=level,
            permutations=permutations,
            seed=12345,
            threshold=threshold,
        )
        cache.set(key, result, 60 * 60)
    return result  # type: ignore[no-any-return]


def boundaries_for(wh: Warehouse, boundary_level: str, codes: list[str]) -> dict[str, bytes]:
    """British National Grid WKB polygons for the units on the map, from the one boundary set
    crimestats chose for them (``HotspotResult.boundaries``: never 2011 and 2021 LSOAs mixed)."""
    return crimestats.boundary_polygons(wh, boundary_level, codes)


def place_names(wh: Warehouse, borough_code: str) -> list[tuple[str, bytes]]:
    """The borough's ward names and boundaries, to label a map so a reader can place it."""
    return crimestats.ward_names(wh, borough_code)


def _key(kind: str, *parts: str) -> str:
    # Hashed: the parts hold a file path and timestamps, which some cache backends refuse.
    return f"crime:{kind}:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def may_import_crime_data(user: Any) -> bool:
    """Whether USER may import police recorded crime files into the warehouse."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("crime.import_data"))


def dashboard_summary(user: Any) -> list[tuple[str, str]]:
    """The home card: the latest full year's all-crime and serious violence for the partnership."""
    from django.conf import settings

    try:
        with open_warehouse() as wh:
            if wh is None:
                return []
            key = _key("card", fingerprint(wh), settings.CRIME_AREA)
            summary = cache.get(key)
            if summary is None:
                summary = _card(wh, settings.CRIME_AREA)
                cache.set(key, summary, 60 * 60)
            return summary  # type: ignore[no-any-return]
    except (WarehouseBusy, LookupError):
        return []


def _card(wh: Warehouse, area: str) -> list[tuple[str, str]]:
    latest = latest_month(wh)
    if latest is None:
        return []
    current = CALENDAR.named(CALENDAR.latest_whole(latest))
    report = crimestats.figures_report(
        wh, area, current, measures=list(HEADLINE_MEASURES), threshold=THRESHOLD
    )
    out = []
    for mf in report.measures:
        row = mf.rows[0]
        if row.current is None:
            continue
        change = (
            f" ({_signed(row.change_pct)} on {report.previous.label})"
            if row.change_pct is not None
            else ""
        )
        out.append(
            (f"{_short_label(mf.label).capitalize()}, {current.label}", f"{row.current:,}{change}")
        )
    return out
