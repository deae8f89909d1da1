"""Server-rendered SVG: the monthly trend chart and the hot spot map.

No JavaScript and no tile server, so both work in any browser and can go into a PDF. Colours
are presentation attributes, not ``style`` (the Content Security Policy forbids inline styles).
Each SVG is ``role="img"`` with a title and description; the page also shows the figures in a
table, which is what assistive technology should read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:  # shapely loads with the first map, not with the figures page
    from shapely.geometry.base import BaseGeometry

    from csphub.crime.selectors import FiguresPage

BLUE = "#1d70b8"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"
RED = "#d4351c"
BLACK = "#0b0c0c"
WHITE = "#ffffff"
# Five steps of GOV.UK blue, light to dark, for counts (all distinguishable from white).
COUNT_SCALE = ["#d2e2f1", "#a5c6e3", "#6a9fd0", "#1d70b8", "#003078"]
GISTAR_COLOURS = {"hot spot": RED, "cold spot": BLUE, "not significant": LIGHT_GREY}
#: A number binned on the map: a count, or a rate per 1,000 residents.
Number = TypeVar("Number", int, float)


def _nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum at or above VALUE, and its tick step (4 or 5 ticks)."""
    if value <= 0:
        return 5.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step), step


@dataclass(frozen=True)
class Series:
    """One line on the chart."""

    label: str
    values: Sequence[int | None]
    colour: str
    dashed: bool = False


@dataclass(frozen=True)
class Mark:
    """A vertical line at one point of the x axis, with a short label (a break in the data)."""

    index: int
    label: str


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    description: str,
    id_prefix: str = "chart",
    width: int = 720,
    height: int = 320,
    marks: Sequence[Mark] = (),
) -> str:
    """A line chart with a y axis from zero, one x label per point, and a legend at the top.

    Missing values (None: no data or hidden because small) break the line instead of being
    drawn as zero. Each mark is a dashed vertical line labelled at the top of the plot, drawn
    just before its point (a change "from February" sits between January and February).
    """
    left, right, top, bottom = 64, 16, 48, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    y_max, step = _nice_max(max(values, default=0))
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / y_max

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="Arial, Helvetica, sans-serif">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]
    tick = 0.0
    while tick <= y_max + 1e-9:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{MID_GREY if tick else BLACK}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 8}" y="{ty + 5:.1f}" text-anchor="end" font-size="14" '
            f'fill="{BLACK}">{tick:,.0f}</text>'
        )
        tick += step
    for i, label in enumerate(labels):
        out.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 22}" text-anchor="middle" '
            f'font-size="14" fill="{BLACK}">{escape(label)}</text>'
        )
    for mark in marks:
        mx = x(mark.index) - (plot_w / n / 2 if n else 0)
        out.append(
            f'<line class="csphub-chart-mark" x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" '
            f'y2="{top + plot_h}" stroke="{BLACK}" stroke-width="2" stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{mx + 4:.1f}" y="{top + 14}" font-size="13" fill="{BLACK}">'
            f"{escape(mark.label)}</text>"
        )
    legend_x = left
    for s in series:
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        out.append(
            f'<line x1="{legend_x}" x2="{legend_x + 28}" y1="20" y2="20" stroke="{s.colour}" '
            f'stroke-width="3"{dash}/>'
        )
        out.append(
            f'<text x="{legend_x + 36}" y="25" font-size="14" fill="{BLACK}">{escape(s.label)}</text>'
        )
        legend_x += 48 + 8 * len(s.label)
        for run in _runs(s.values):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="3" '
                f'stroke-linejoin="round"{dash}/>'
            )
            for i, v in run:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{s.colour}"/>')
    out.append("</svg>")
    return "\n".join(out)


def trend_chart(
    page: FiguresPage,
    trend: list[dict[str, Any]],
    label: str,
    marks: list[tuple[int, str]],
    id_prefix: str = "trend",
) -> str:
    """The monthly chart of one measure: the current period against the previous, with a
    dashed line at each known break (the figures page and the annual report both draw it)."""
    shown = [r["current"].text for r in trend if r["current"].value is not None]
    marked = (
        " A dashed vertical line marks a known break in the data: "
        + "; ".join(text for _, text in marks)
        + "."
        if marks
        else ""
    )
    return line_chart(
        labels=[r["label"] for r in trend],
        series=[
            Series(
                page.previous.label,
                [r["previous"].value for r in trend],
                DARK_GREY,
                dashed=True,
            ),
            Series(page.current.label, [r["current"].value for r in trend], BLUE),
        ],
        title=f"{label}, {page.area.name}: crimes recorded each month",
        description=(
            f"Monthly counts for {page.current.label} (solid blue line) against "
            f"{page.previous.label} (dashed grey line). {len(shown)} of {len(trend)} months "
            "are shown; the same figures are in the table below the chart." + marked
        ),
        id_prefix=id_prefix,
        marks=[Mark(i, text) for i, text in marks],
    )


def _runs(values: Sequence[int | None]) -> list[list[tuple[int, int]]]:
    """Consecutive non-missing points, so a gap breaks the line."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


@dataclass(frozen=True)
class MapArea:
    """One polygon on the map: British National Grid WKB, its fill and its hover text."""

    code: str
    geometry_wkb: bytes
    fill: str
    tooltip: str


@dataclass(frozen=True)
class MapLabel:
    """A place name drawn on the map, at a point inside its boundary (British National Grid WKB)."""

    text: str
    geometry_wkb: bytes


def choropleth(
    areas: Sequence[MapArea],
    *,
    title: str,
    description: str,
    id_prefix: str = "map",
    width: int = 720,
    labels: Sequence[MapLabel] = (),
) -> str:
    """A choropleth of ARAS, drawn to scale.

    Boundaries are stored in British National Grid (metres on a flat projection), so the map
    needs only a scale and a flip of the y axis; the height follows the area's shape.
    """
    from shapely import from_wkb
    from shapely.geometry import MultiPolygon, Polygon

    shapes = [(a, from_wkb(a.geometry_wkb).simplify(4.0, preserve_topology=True)) for a in areas]
    if not shapes:
        raise ValueError("nothing to map")
    min_x = min(g.bounds[0] for _, g in shapes)
    min_y = min(g.bounds[1] for _, g in shapes)
    max_x = max(g.bounds[2] for _, g in shapes)
    max_y = max(g.bounds[3] for _, g in shapes)
    pad = 8
    scale = (width - 2 * pad) / max(max_x - min_x, 1.0)
    height = round((max_y - min_y) * scale + 2 * pad)

    def path(geom: BaseGeometry) -> str:
        polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
        parts = []
        for poly in polygons:
            if not isinstance(poly, Polygon):
                continue
            for ring in (poly.exterior, *poly.interiors):
                coords = [
                    f"{(px - min_x) * scale + pad:.1f},{(max_y - py) * scale + pad:.1f}"
                    for px, py in ring.coords
                ]
                parts.append("M" + " L".join(coords) + " Z")
        return " ".join(parts)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]
    for area, geom in shapes:
        out.append(
            f'<path d="{path(geom)}" fill="{area.fill}" stroke="{DARK_GREY}" '
            f'stroke-width="0.75" fill-rule="evenodd" data-code={quoteattr(area.code)}>'
            f"<title>{escape(area.tooltip)}</title></path>"
        )
    # Names last, over every area, with a white halo so they read on any fill; no tile server.
    for label in labels:
        point = from_wkb(label.geometry_wkb).representative_point()
        lx, ly = (point.x - min_x) * scale + pad, (max_y - point.y) * scale + pad
        out.append(
            f'<text class="csphub-map-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" '
            f'font-family="Arial, Helvetica, sans-serif" font-size="11" fill="{BLACK}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(label.text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def count_breaks(counts: Sequence[Number], classes: int = len(COUNT_SCALE)) -> list[Number]:
    """Upper bounds of up to CLASSES bins of roughly equal membership (quantiles), ascending.

    Counts or rates alike:

    >>> count_breaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    [1, 3, 5, 7, 9]
    >>> count_breaks([0.5, 1.25, 2.0])
    [0.5, 1.25, 2.0]
    """
    ordered = sorted(counts)
    if not ordered:
        return []
    breaks = []
    for k in range(1, classes + 1):
        idx = min(len(ordered) - 1, math.ceil(k * len(ordered) / classes) - 1)
        breaks.append(ordered[idx])
    return sorted(set(breaks))


def breaks_hiding_small_counts(breaks: Sequence[int], threshold: int) -> list[int]:
    """Breaks that never split the counts shown as "<threshold": a legend class such as
    "1 to 2 crimes" would tell the reader more than the table's "<5" does.

    >>> breaks_hiding_small_counts([0, 1, 3, 8, 20], 5)
    [0, 4, 8, 20]
    >>> breaks_hiding_small_counts([2, 9], 0)
    [2, 9]
    """
    if threshold <= 1:
        return list(breaks)
    return sorted({threshold - 1 if 0 < b < threshold else b for b in breaks})


def count_colour(count: float, breaks: Sequence[float]) -> str:
    """The fill for a count given the upper bounds from :func:`count_breaks`."""
    offset = len(COUNT_SCALE) - len(breaks)
    for i, upper in enumerate(breaks):
        if count <= upper:
            return COUNT_SCALE[offset + i]
    return COUNT_SCALE[-1]
