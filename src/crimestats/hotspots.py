"""Hot spots: rank LSOAs or wards for a measure and period, and find Gi* clusters.

Units are the areas inside the borough with boundaries in the warehouse (areas with no crime
count as zero), with queen contiguity from the real polygons; without boundaries, an H3 hexagon
grid is built from police.uk points.  LSOA figures come from the MPS LSOA file where it covers
the whole period, else wards are used (the MPS ward file goes back to 2010).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np
from rich.console import Console
from rich.table import Table
from shapely import from_wkb

from crimestats.geography import load_geography
from crimestats.gistar import gi_star, neighbours_from_h3, queen_neighbours
from crimestats.measures import load_measures
from crimestats.numbers import rate, shown
from crimestats.periods import Period
from crimestats.populations import unit_populations
from crimestats.suppression import suppress
from crimestats.warehouse import Warehouse

H3_RESOLUTION = 8  # hexagons of about 0.74 km², close to a London LSOA's typical size

#: Below either minimum, Gi* is not run: with a handful of events nearly every neighbourhood is
#: all zeros, the permutation distribution is mostly ties, and a "hot spot" is one or two crimes
#: that happen to sit side by side. Counts are still shown (docs/crime-data.md, "Hot spots").
GI_MIN_EVENTS = 30
GI_MIN_NONZERO_SHARE = 0.2
NOT_TESTED = "not tested"


def too_sparse_for_gi(y: list[int], unit_word: str) -> str:
    """Why Gi* would mean nothing for these counts, or "" when there are enough.

    >>> too_sparse_for_gi([0] * 96 + [1, 2, 0, 1], "LSOAs")[:40]
    '4 crimes, in 3 of the 100 LSOAs (3%): to'
    >>> too_sparse_for_gi([1] * 40, "wards")
    ''
    """
    events, nonzero = sum(y), sum(1 for v in y if v)
    share = nonzero / len(y) if y else 0.0
    if events >= GI_MIN_EVENTS and share >= GI_MIN_NONZERO_SHARE:
        return ""
    return (
        f"{events:,} crime{'s' if events != 1 else ''}, in {nonzero:,} of the {len(y):,} "
        f"{unit_word} ({share:.0%}): too few for hot spot analysis, which needs at least "
        f"{GI_MIN_EVENTS} crimes and at least {GI_MIN_NONZERO_SHARE:.0%} of areas with one. "
        "Counts are shown without hot spots; choose a longer period"
        + (" or wards" if unit_word == "LSOAs" else "")
        + " for a test"
    )


@dataclass
class HotspotUnit:
    """One area's count, rate and Gi* result."""

    code: str
    name: str
    count: int
    population: int | None
    rate_per_1000: float | None
    z: float | None  #: None when Gi* was not run (too few crimes)
    p_sim: float | None
    q: float | None
    label: str
    shown_count: str = ""


@dataclass
class HotspotResult:
    """Ranked units with Gi* labels."""

    area_code: str
    area_name: str
    measure: str
    period: Period
    level: str
    source: str
    permutations: int
    units: list[HotspotUnit] = field(default_factory=list)
    note: str = ""
    #: The boundary set the units are drawn from ("lsoa21", "lsoa11", "ward", or "h3").
    boundaries: str = ""
    #: Why Gi* was not run (too few crimes for it to mean anything), or "" when it was.
    not_tested: str = ""
    #: Counts are suppressed here, so z, p and q are left out (they would give hidden counts away).
    statistics_withheld: bool = False
    #: The population the rates use ("ONS mid-2022 estimate", "2011 Census"), "" for none.
    population_source: str = ""
    #: A sentence saying which population the rates use, or why there are none.
    population_note: str = ""

    def to_json(self) -> dict[str, object]:
        """Plain data; counts are published through suppression (``shown_count``)."""
        out = asdict(self)
        out["period"] = self.period.to_json()
        for unit in out["units"]:  # type: ignore[union-attr]
            unit["count"] = unit.pop("shown_count")
        return out


def _mps_counts(
    wh: Warehouse, level: str, borough: str, categories_of, period: Period
) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = wh.con.execute(
        "SELECT area_code, category, sum(count) FROM mps_counts WHERE classification = 'mps_2023' "
        "AND level = ? AND borough_code = ? AND month BETWEEN ? AND ? GROUP BY ALL",
        [level, borough, period.start, period.end],
    ).fetchall()
    out: dict[str, int] = {}
    for code, category, total in rows:
        if categories_of([category]):
            out[code] = out.get(code, 0) + int(total)
    return out


def _covers(wh: Warehouse, level: str, period: Period) -> bool:
    months = wh.con.execute(
        "SELECT count(DISTINCT month) FROM slices WHERE dataset = 'mps_wide' "
        "AND classification = 'mps_2023' AND level = ? AND month BETWEEN ? AND ?",
        [level, period.start, period.end],
    ).fetchone()
    return bool(months and months[0] == period.months)


def hotspots(
    wh: Warehouse,
    area: str,
    measure_id: str,
    period: Period,
    *,
    level: str = "auto",
    permutations: int = 999,
    seed: int | None = 12345,
    threshold: int = 5,
) -> HotspotResult:
    """Rank the borough's LSOAs or wards for a measure, with Gi* hot and cold spots."""
    borough = load_geography().resolve(area)
    measure = load_measures()[measure_id]
    if level == "auto":
        level = "lsoa" if _covers(wh, "lsoa", period) else "ward"
    if level == "h3":
        return _h3_hotspots(
            wh, borough.code, borough.name, measure_id, period, permutations, seed, threshold
        )
    if not _covers(wh, level, period):
        raise LookupError(f"no MPS {level}-level data for the whole of {period.label}")
    carried = [
        r[0]
        for r in wh.con.execute(
            "SELECT DISTINCT category FROM mps_counts WHERE classification = 'mps_2023' "
            "AND level = ?",
            [level],
        ).fetchall()
    ]
    if not measure.categories_in("mps_2023", carried):
        # Not "no crimes recorded": the file leaves these crimes out (the LSOA files carry no
        # sexual offences), which is a different thing to tell a reader.
        raise LookupError(
            f"the MPS {level}-level file does not carry {measure.label[:1].lower()}"
            f"{measure.label[1:]}, so it cannot be mapped at this level"
            + ("; choose wards, whose file does" if level == "lsoa" else "")
        )
    counts = _mps_counts(
        wh, level, borough.code, lambda cats: measure.categories_in("mps_2023", cats), period
    )
    vintage = boundary_level(wh, level, borough.code, set(counts))
    units = _boundary_units(wh, vintage, borough.code, set(counts))
    if len(units) < 3:
        raise LookupError(f"no {level} boundaries for {borough.name}: import them first")
    codes = [u[0] for u in units]
    if counts and not set(counts) & set(codes):
        raise LookupError(
            f"the {vintage} boundaries held for {borough.name} ({len(codes)} areas) share no "
            f"code with the MPS {level}-level data ({len(counts):,} areas): they are a different "
            f"vintage. Import {level} boundaries matching the data's codes, or choose another level."
        )
    if not any(counts.get(c, 0) for c in codes):
        raise LookupError(f"no {measure_id} crimes recorded in {borough.name} in {period.label}")
    # Islands (no shared vertex) simply have no neighbours.
    neighbours = queen_neighbours([from_wkb(u[2]) for u in units])
    y = [counts.get(c, 0) for c in codes]
    result = HotspotResult(
        borough.code, borough.name, measure_id, period, level, "mps_2023", permutations
    )
    result.boundaries = vintage
    people = unit_populations(wh, vintage, [(u[0], u[2], u[3]) for u in units], period.end.year)
    result.population_source, result.population_note = people.label, people.sentence
    _fill(
        result,
        codes,
        [u[1] for u in units],
        y,
        [people.by_code.get(c) for c in codes],
        neighbours,
        permutations,
        seed,
        threshold,
    )
    missing = set(counts) - set(codes)
    if missing:
        result.note = f"{len(missing)} areas with crimes had no boundary and are left out"
    return result


#: Boundary levels that can hold LSOAs, newest vintage first.
LSOA_VINTAGES = ("lsoa21", "lsoa11", "lsoa")


def boundary_level(wh: Warehouse, level: str, borough: str, with_counts: set[str]) -> str:
    """The one boundary set the units come from: for LSOAs, the vintage whose codes match the
    data's (the MPS LSOA files use 2021 codes), newest first when they tie; else ``level``.

    2011 and 2021 LSOAs share most codes, so mixing the two would add 2011 areas that no longer
    exist (counted as zero) beside the 2021 areas that replaced them.
    """
    if level != "lsoa":
        return level
    rows = wh.con.execute(
        "SELECT level, count(*) FILTER (WHERE list_contains(?, code)), count(*) FROM boundaries "
        "WHERE list_contains(?, level) AND (parent_code = ? OR list_contains(?, code)) GROUP BY level",
        [sorted(with_counts), list(LSOA_VINTAGES), borough, sorted(with_counts)],
    ).fetchall()
    held = {lvl: (matched, total) for lvl, matched, total in rows if total}
    if not held:
        return "lsoa21"
    return max(held, key=lambda lvl: (held[lvl][0], -LSOA_VINTAGES.index(lvl)))


def _boundary_units(wh: Warehouse, level: str, borough: str, with_counts: set[str]) -> list[tuple]:  # type: ignore[type-arg]
    """(code, name, BNG WKB, population) for the borough's areas at one boundary ``level``.

    Population comes from any boundary file with the same code (the LSOA 2011 file carries it),
    so a 2021 LSOA whose code is unchanged since 2011 gets a rate; the 2011 polygons themselves
    are never units over 2021-coded data.
    """
    rows = wh.con.execute(
        """
        SELECT b.code, b.name, b.geometry_bng, p.population
        FROM boundaries b
        LEFT JOIN (SELECT code, max(population) AS population FROM boundaries
                   WHERE population IS NOT NULL GROUP BY code) p USING (code)
        WHERE b.level = ? AND (b.parent_code = ? OR list_contains(?, b.code))
        ORDER BY b.code
        """,
        [level, borough, sorted(with_counts)],
    ).fetchall()
    return [tuple(r) for r in rows]


def _h3_hotspots(
    wh: Warehouse,
    code: str,
    name: str,
    measure_id: str,
    period: Period,
    permutations: int,
    seed: int | None,
    threshold: int,
) -> HotspotResult:
    import h3

    measure = load_measures()[measure_id]
    types = wh.con.execute("SELECT DISTINCT crime_type FROM street_crimes").fetchall()
    wanted = measure.categories_in("police_uk", [t[0] for t in types])
    points = wh.con.execute(
        "SELECT latitude, longitude FROM street_crimes WHERE lower(borough_name) = lower(?) "
        "AND list_contains(?, crime_type) AND month BETWEEN ? AND ? AND latitude IS NOT NULL",
        [name, wanted, period.start, period.end],
    ).fetchall()
    if not points:
        raise LookupError(f"no police.uk points for {measure_id} in {name} in {period.label}")
    counts: dict[str, int] = {}
    for lat, lon in points:
        cell = h3.latlng_to_cell(lat, lon, H3_RESOLUTION)
        counts[cell] = counts.get(cell, 0) + 1
    # Empty hexagons next to occupied ones are real zeros and belong in the study area.
    cells = sorted({nb for c in counts for nb in h3.grid_disk(c, 1)})
    result = HotspotResult(
        code, name, measure_id, period, "h3", "police_uk", permutations, boundaries="h3"
    )
    _fill(
        result,
        cells,
        cells,
        [counts.get(c, 0) for c in cells],
        [None] * len(cells),
        neighbours_from_h3(cells),
        permutations,
        seed,
        threshold,
    )
    return result


def _fill(
    result: HotspotResult,
    codes: list[str],
    names: list[str],
    y: list[int],
    populations: list[int | None],
    neighbours: list[list[int]],
    permutations: int,
    seed: int | None,
    threshold: int,
) -> None:
    unit_word = {"lsoa": "LSOAs", "ward": "wards", "h3": "hexagons"}.get(result.level, "areas")
    result.not_tested = too_sparse_for_gi(y, unit_word)
    gi = (
        None
        if result.not_tested
        else gi_star(np.asarray(y, dtype=float), neighbours, permutations=permutations, seed=seed)
    )
    shown = suppress([[v] for v in y], threshold, row_totals=False) if threshold > 0 else None
    labels = gi.labels() if gi is not None else [NOT_TESTED] * len(y)
    # Where counts are suppressed, what would let a reader work one out goes too: a hidden
    # count's rate and population (rate x population / 1,000 is the count), and every unit's z,
    # p and q, which depend on every count and can be searched for the hidden ones. The label
    # (hot spot, cold spot, not significant) stays.
    result.statistics_withheld = threshold > 0
    stats = gi if gi is not None and threshold <= 0 else None
    units = []
    for i, code in enumerate(codes):
        hidden = shown is not None and shown.cells[i][0] is None
        pop = None if hidden else populations[i]
        units.append(
            HotspotUnit(
                code,
                names[i],
                y[i],
                pop,
                round(1000.0 * y[i] / pop, 2) if pop else None,
                None if stats is None else round(float(stats.z[i]), 3),
                None if stats is None else round(float(stats.p_sim[i]), 4),
                None if stats is None else round(float(stats.q[i]), 4),
                labels[i],
                shown.display(i, 0) if shown is not None else str(y[i]),
            )
        )
    result.units = sorted(units, key=lambda u: (-u.count, u.code))


def print_hotspots(out: Console, result: HotspotResult, fmt: str, *, top: int = 20) -> None:
    """Print as a table, CSV or JSON (counts suppressed in every format)."""
    if fmt == "json":
        out.print_json(json.dumps(result.to_json()), highlight=False)
        return
    blank = "" if fmt == "csv" else "-"  # Gi* not run: no statistic to show

    # A person reads the table with thousands separators; a CSV carries the plain numbers.
    def count(text: str) -> str:
        return text if fmt == "csv" else shown(text)

    def per_1000(value: float | None) -> str:
        if fmt != "csv":
            return rate(value)
        return "" if value is None else str(value)

    header = [
        "rank",
        "code",
        "name",
        "count",
        "rate/1000",
        "Gi* z",
        "p (perm)",
        "q (FDR)",
        "result",
    ]
    rows = [
        [
            str(i),
            u.code,
            u.name,
            count(u.shown_count),
            per_1000(u.rate_per_1000),
            blank if u.z is None else str(u.z),
            blank if u.p_sim is None else str(u.p_sim),
            blank if u.q is None else str(u.q),
            u.label,
        ]
        for i, u in enumerate(result.units[:top] if fmt == "table" else result.units, start=1)
    ]
    if fmt == "csv":
        import csv

        writer = csv.writer(out.file)
        writer.writerow(header)
        writer.writerows(rows)
        return
    table = Table(
        title=f"{result.area_name}: {result.measure}, {result.period.label}, "
        f"{result.level} ({result.permutations:,} permutations, FDR 5%)"
    )
    for h in header:
        table.add_column(h)
    for r in rows:
        table.add_row(*r)
    out.print(table)
    if result.not_tested:
        out.print(result.not_tested + ".")
    if result.population_note:
        out.print(result.population_note)
    if result.note:
        out.print(result.note)
