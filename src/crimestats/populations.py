"""Residents of each hot spot unit, for rates per 1,000, and what the figure is.

With ONS mid-year estimates by LSOA 2021 imported (``crimestats.importers.population``), an
LSOA 2021 has its own estimate and a current ward the sum of the LSOAs best-fitted to it: each
LSOA belongs to the ward that contains its centroid (or, where the centroid falls in no ward,
a point inside the LSOA), so whole LSOAs are assigned to wards as in a best-fit lookup. The estimate used is
the latest year at or before the period's end year, else the nearest later one. Without an
estimate the 2011 Census usual resident population carried by the LSOA 2011 boundary file is
used, where an area's code is unchanged since 2011, and labelled as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from crimestats.warehouse import Warehouse

CENSUS_2011 = "2011 Census"


@dataclass
class Populations:
    """Residents by unit code, a short label for the figure used, and a sentence saying so."""

    by_code: dict[str, int] = field(default_factory=dict)
    label: str = ""
    sentence: str = ""


def estimate_year(years: Sequence[int], end_year: int) -> int | None:
    """The year of estimates to use for a period ending in END_YEAR.

    >>> estimate_year([2021, 2022, 2023], 2022), estimate_year([2021, 2022], 2025)
    (2022, 2022)
    >>> estimate_year([2022, 2023], 2020), estimate_year([], 2020)
    (2022, None)
    """
    earlier = [y for y in years if y <= end_year]
    if earlier:
        return max(earlier)
    return min(years) if years else None


def _years(wh: Warehouse) -> list[int]:
    held = wh.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'populations' AND NOT temporary"
    ).fetchone()
    if not held or not held[0]:  # a warehouse written before populations were imported
        return []
    rows = wh.con.execute(
        "SELECT DISTINCT year FROM populations WHERE level = 'lsoa21' ORDER BY year"
    ).fetchall()
    return [int(r[0]) for r in rows]


def unit_populations(
    wh: Warehouse,
    boundary_level: str,
    units: Sequence[tuple[str, bytes, int | None]],
    end_year: int,
) -> Populations:
    """Residents of each unit ``(code, BNG WKB, 2011 Census population or None)``."""
    year = estimate_year(_years(wh), end_year)
    if year is not None and boundary_level in ("lsoa21", "ward"):
        lsoas = dict(
            wh.con.execute(
                "SELECT code, population FROM populations WHERE level = 'lsoa21' AND year = ?",
                [year],
            ).fetchall()
        )
        note = (
            ""
            if year <= end_year
            else f" (none is imported for {end_year} or earlier, so the nearest year is used)"
        )
        if boundary_level == "lsoa21":
            by_code = {code: lsoas[code] for code, _, _ in units if code in lsoas}
            if by_code:
                return Populations(
                    by_code,
                    f"ONS mid-{year} estimate",
                    f"Rates per 1,000 residents use the ONS mid-{year} estimate of each LSOA's "
                    f"population{note}.",
                )
        else:
            by_code = _ward_sums(wh, units, lsoas)
            if by_code:
                return Populations(
                    by_code,
                    f"ONS mid-{year} estimates by LSOA 2021, best-fitted to wards",
                    f"Rates per 1,000 residents use the ONS mid-{year} estimates for LSOAs 2021"
                    f"{note}, each LSOA "
                    "counted in the ward that contains its centre (a best fit, so a ward's "
                    "population is approximate).",
                )
    census = {code: people for code, _, people in units if people is not None}
    if census:
        return Populations(
            census,
            CENSUS_2011,
            "Rates per 1,000 residents use the 2011 Census usual resident population, where "
            "the area's code has not changed since 2011: no ONS mid-year estimate is imported "
            "for these areas.",
        )
    return Populations(
        sentence="No population is held for these areas, so no rates are shown: import the ONS "
        "mid-year population estimates by LSOA 2021."
    )


def _ward_sums(
    wh: Warehouse, wards: Sequence[tuple[str, bytes, int | None]], lsoas: dict[str, int]
) -> dict[str, int]:
    """Each ward's residents: the LSOAs 2021 whose centre it contains, summed.

    A ward is left out (no rate) when an LSOA fitted to it has no estimate, or none is fitted:
    a partial sum would understate its population and overstate its rate.
    """
    import numpy as np
    from shapely import STRtree, centroid, from_wkb, point_on_surface

    rows = wh.con.execute(
        "SELECT code, geometry_bng FROM boundaries WHERE level = 'lsoa21'"
    ).fetchall()
    if not rows or not wards:
        return {}
    shapes = from_wkb(np.array([r[1] for r in rows], dtype=object))
    tree = STRtree(from_wkb(np.array([w[1] for w in wards], dtype=object)))
    point_index, ward_index = tree.query(centroid(shapes), predicate="within")
    # A curved LSOA whose centroid falls in no ward at all: a point inside the LSOA instead.
    unplaced = np.setdiff1d(np.arange(len(rows)), point_index)
    if len(unplaced):
        more_points, more_wards = tree.query(point_on_surface(shapes[unplaced]), predicate="within")
        point_index = np.concatenate([point_index, unplaced[more_points]])
        ward_index = np.concatenate([ward_index, more_wards])
    sums: dict[str, int] = {}
    incomplete: set[str] = set()
    for p, w in zip(point_index.tolist(), ward_index.tolist(), strict=True):
        ward, lsoa = wards[w][0], rows[p][0]
        if lsoa in lsoas:
            sums[ward] = sums.get(ward, 0) + int(lsoas[lsoa])
        else:
            incomplete.add(ward)
    return {code: people for code, people in sums.items() if code not in incomplete}
