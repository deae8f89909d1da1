"""The partnership's figures: a measure for a borough beside its BCU and London, with change,
significance (exact Poisson test), the 2019 baseline, harm weights and suppression."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date

from crimestats.caveats import Caveat, caveats_for, load_caveats
from crimestats.geography import Area, Geography, load_geography
from crimestats.harm import load_weights, weight_for
from crimestats.measures import Measure, MeasureSet, load_measures
from crimestats.periods import Period
from crimestats.stats import poisson_test
from crimestats.suppression import PRIMARY, exact_covers, hidden_derived, mark, suppress_related
from crimestats.warehouse import Warehouse

# Each source as (borough_code, category, month, count) rows at borough level.
SOURCE_SQL = {
    "mps_2023": "SELECT borough_code, category, month, count FROM mps_counts "
    "WHERE classification = 'mps_2023' AND level = 'borough'",
    "mps_pre2023": "SELECT borough_code, category, month, count FROM mps_counts "
    "WHERE classification = 'mps_pre2023' AND level = 'borough'",
    "dashboard": "SELECT borough_code, category, month, count FROM dashboard_counts "
    "WHERE level = 'borough'",
    # Monthly counts by LSOA and crime type, kept by the importer for London LSOAs.
    "police_uk": "SELECT borough_code, crime_type AS category, month, count FROM street_counts",
}

#: The same from the rows themselves, for a warehouse written before ``street_counts`` existed
#: and opened read-only (so it cannot be brought up to date).
_POLICE_UK_FROM_ROWS = (
    "SELECT g.code AS borough_code, s.crime_type AS category, s.month, "
    "count(*) AS count FROM street_crimes s JOIN geo_boroughs g "
    "ON lower(s.borough_name) = lower(g.name) GROUP BY ALL"
)


def _source_sql(wh: Warehouse, source: str) -> str:
    if source == "police_uk" and not getattr(wh, "has_street_counts", False):
        return _POLICE_UK_FROM_ROWS
    return SOURCE_SQL[source]


@dataclass
class FigureRow:
    """One area's figures for one measure."""

    level: str
    code: str
    name: str
    previous: int | None
    current: int | None
    change_pct: float | None
    p_value: float | None
    verdict: str
    suppressed: bool
    baseline_2019: int | None = None
    change_vs_2019_pct: float | None = None
    harm_previous: float | None = None
    harm_current: float | None = None
    #: Each value hidden by suppression and what is printed instead: "<5", or "[c]" for a
    #: value hidden so that a small count cannot be worked out from it.
    hidden: dict[str, str] = field(default_factory=dict)
    harm_change_pct: float | None = None

    CONTRACT = (
        "level",
        "code",
        "name",
        "previous",
        "current",
        "change_pct",
        "p_value",
        "verdict",
        "suppressed",
    )

    #: Fields added to the contract: the 2019 baseline, its change, and what is hidden.
    EXTRA = ("baseline_2019", "change_vs_2019_pct", "hidden")

    def to_json(self, *, harm: bool = False) -> dict[str, object]:
        """The row as the figures JSON contract has it (plus harm totals when asked)."""
        out = {k: getattr(self, k) for k in (*self.CONTRACT, *self.EXTRA)}
        if harm:
            out["harm_previous"], out["harm_current"] = self.harm_previous, self.harm_current
            out["harm_change_pct"] = self.harm_change_pct
        return out


@dataclass
class MeasureFigures:
    """One measure for every level, and the source it was built from."""

    id: str
    label: str
    source: str | None
    rows: list[FigureRow] = field(default_factory=list)
    #: Known breaks (crimestats.caveats) the comparison with the previous period crosses.
    caveats: list[Caveat] = field(default_factory=list)
    #: Known breaks the comparison with the 2019 baseline crosses.
    baseline_caveats: list[Caveat] = field(default_factory=list)
    #: When no source holds every month of both periods: the months of the current period
    #: compared (with the same months a period earlier), and a sentence saying so.
    months_compared: list[date] | None = None
    previous_months_compared: list[date] | None = None
    partial_note: str = ""


@dataclass
class FiguresReport:
    """Everything the figures table shows."""

    area: Area
    current: Period
    previous: Period
    baseline: Period
    measures: list[MeasureFigures]

    @property
    def caveats(self) -> list[Caveat]:
        """Every break the comparison with the previous period crosses, for any measure shown."""
        return _union(m.caveats for m in self.measures)

    @property
    def baseline_caveats(self) -> list[Caveat]:
        """Every break the comparison with 2019 crosses, for any measure shown."""
        return _union(m.baseline_caveats for m in self.measures)

    def to_json(self, *, harm: bool = False) -> dict[str, object]:
        """The stable JSON contract."""

        def listed(caveats: list[Caveat], of: str) -> list[dict[str, object]]:
            return [
                {
                    **c.to_json(),
                    "measures": [m.id for m in self.measures if c in getattr(m, of)],
                }
                for c in caveats
            ]

        return {
            "area": {"code": self.area.code, "name": self.area.name},
            "current": self.current.to_json(),
            "previous": self.previous.to_json(),
            "baseline": self.baseline.to_json(),
            "caveats": listed(self.caveats, "caveats"),
            "baseline_caveats": listed(self.baseline_caveats, "baseline_caveats"),
            "caveats_version": load_caveats().version,
            "measures": [
                {
                    "id": m.id,
                    "label": m.label,
                    "rows": [r.to_json(harm=harm) for r in m.rows],
                    # Added: the months compared when only some of them could be.
                    "months_compared": None
                    if m.months_compared is None
                    else [f"{d:%Y-%m}" for d in m.months_compared],
                    "partial_note": m.partial_note or None,
                }
                for m in self.measures
            ],
        }

    def as_dict(self) -> dict[str, object]:
        """Everything, including the 2019 baseline and sources, for pages and reports."""
        return asdict(self)


def _union(lists: Iterable[list[Caveat]]) -> list[Caveat]:
    seen: dict[str, Caveat] = {}
    for caveats in lists:
        for c in caveats:
            seen.setdefault(c.id, c)
    return list(seen.values())


def levels_for(area: Area, geo: Geography) -> list[Area]:
    """The area, its BCU (for a borough) and London."""
    levels = [area]
    if area.level == "borough":
        levels.append(geo.bcu(area))
    if area.level != "london":
        levels.append(geo.london())
    return levels


def covered_months(wh: Warehouse, source: str, measure: Measure, area: Area) -> set[date]:
    """Months the warehouse holds for a source, for the boroughs that make up ``area``."""
    if source in ("mps_2023", "mps_pre2023"):
        rows = wh.con.execute(
            "SELECT DISTINCT month FROM slices WHERE dataset = 'mps_wide' AND classification = ? "
            "AND level = 'borough'",
            [source],
        ).fetchall()
    elif source == "dashboard":
        scopes = sorted({s.split("/")[0].strip() for s in measure.selectors["dashboard"]})
        rows = wh.con.execute(
            "SELECT month FROM slices WHERE dataset = 'mps_dashboard' AND level = 'borough' "
            "AND list_contains(?, scope) GROUP BY month HAVING count(DISTINCT scope) = ?",
            [scopes, len(scopes)],
        ).fetchall()
    elif getattr(wh, "has_street_counts", False):
        codes = [b.code for b in load_geography().boroughs_in(area)]
        rows = wh.con.execute(
            "SELECT month FROM street_counts WHERE list_contains(?, borough_code) "
            "GROUP BY month HAVING count(DISTINCT borough_code) = ?",
            [codes, len(codes)],
        ).fetchall()
    else:
        names = [b.name.lower() for b in load_geography().boroughs_in(area)]
        rows = wh.con.execute(
            "SELECT month FROM street_crimes WHERE list_contains(?, lower(borough_name)) "
            "GROUP BY month HAVING count(DISTINCT lower(borough_name)) = ?",
            [names, len(names)],
        ).fetchall()
    return {r[0] for r in rows}


class _Coverage:
    """:func:`covered_months` remembered for one call: the answer depends only on the source,
    the area and (for the dashboard) the measure's series, never on anything else."""

    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh
        self.seen: dict[tuple[str, str, tuple[str, ...]], set[date]] = {}

    def __call__(self, source: str, measure: Measure, area: Area) -> set[date]:
        series = (
            tuple(sorted(measure.selectors.get("dashboard", ()))) if source == "dashboard" else ()
        )
        key = (source, area.code, series)
        if key not in self.seen:
            self.seen[key] = covered_months(self.wh, source, measure, area)
        return self.seen[key]


def choose_source(
    wh: Warehouse,
    measure: Measure,
    area: Area,
    months: set[date],
    coverage: _Coverage | None = None,
) -> str | None:
    """The first source, in the measure's preference order, holding every month needed."""
    covered = coverage or _Coverage(wh)
    for source in measure.sources():
        if months <= covered(source, measure, area):
            return source
    return None


def best_partial_source(
    measure: Measure, area: Area, current: Period, previous: Period, coverage: _Coverage
) -> tuple[str, list[int]] | None:
    """The source holding the most months that both periods have (by position: the Nth month
    of each), and those positions; None when no source holds a single such pair."""
    best: tuple[str, list[int]] | None = None
    pairs = list(zip(previous.month_list(), current.month_list(), strict=True))
    for source in measure.sources():
        covered = coverage(source, measure, area)
        both = [i for i, (p, c) in enumerate(pairs) if p in covered and c in covered]
        if both and (best is None or len(both) > len(best[1])):
            best = (source, both)
    return best


def _partial_note(positions: list[int], current: Period, previous: Period) -> str:
    months = current.month_list()
    first, last = months[positions[0]], months[positions[-1]]
    span = f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"
    if len(positions) != positions[-1] - positions[0] + 1:
        span = f"{len(positions)} months between {first:%B %Y} and {last:%B %Y}"
    return (
        f"Compared over {span} only ({len(positions)} of {len(months)} months), against the same "
        f"months of {previous.label}: the source does not hold every month of both periods."
    )


def _span(period: Period, positions: list[int]) -> Period:
    """The months of PERIOD from its first to its last position in POSITIONS."""
    months = period.month_list()
    return Period(months[positions[0]], months[positions[-1]], period.label)


def _pick(period: Period, positions: list[int]) -> list[date]:
    months = period.month_list()
    return [months[i] for i in positions]


def _totals_of_months(
    wh: Warehouse, source: str, months: dict[str, list[date]]
) -> dict[tuple[str, str, str], int]:
    """As :func:`_totals`, over named lists of months rather than whole periods."""
    out: dict[tuple[str, str, str], int] = {}
    for name, wanted in months.items():
        rows = wh.con.execute(
            f"SELECT borough_code, category, sum(count) FROM ({_source_sql(wh, source)}) "
            "WHERE list_contains(?, month) GROUP BY ALL",
            [wanted],
        ).fetchall()
        for borough, category, total in rows:
            out[(name, borough, category)] = int(total)
    return out


def _totals(
    wh: Warehouse, source: str, periods: dict[str, Period]
) -> dict[tuple[str, str, str], int]:
    """Sum counts to (bucket, borough_code, category) for each named period."""
    # Periods may overlap (e.g. --vs 2019 with the 2019 baseline), so each is summed on its own.
    out: dict[tuple[str, str, str], int] = {}
    for name, p in periods.items():
        rows = wh.con.execute(
            f"SELECT borough_code, category, sum(count) FROM ({_source_sql(wh, source)}) "
            "WHERE month BETWEEN ? AND ? GROUP BY ALL",
            [p.start, p.end],
        ).fetchall()
        for borough, category, total in rows:
            out[(name, borough, category)] = int(total)
    return out


def figures(
    wh: Warehouse,
    area: str,
    current: Period,
    previous: Period | None = None,
    *,
    measures: list[str] | None = None,
    threshold: int = 5,
    measure_set: MeasureSet | None = None,
) -> FiguresReport:
    """Figures for every requested measure (default: all), for the area, its BCU and London.

    Every published number goes through :mod:`crimestats.suppression`: the three counts of a
    row (previous, current, 2019), across all the measures of one area together (a measure that
    is the sum of others is a published total), and then every value worked out from a hidden
    count (changes, p-value, harm totals) is hidden with it.  Suppression is always worked out
    over every measure in the set, so asking for a few measures at a time hides the same cells.
    """
    geo = load_geography()
    target = geo.resolve(area)
    previous = previous or current.previous()
    baseline = current.baseline_2019()
    mset = measure_set or load_measures()
    wanted = [mset[m].id for m in measures] if measures else [m.id for m in mset]
    periods = {"current": current, "previous": previous, "baseline": baseline}
    needed = set(current.month_list()) | set(previous.month_list())
    cache: dict[str, dict[tuple[str, str, str], int]] = {}
    coverage = _Coverage(wh)
    levels = levels_for(target, geo)
    out: list[MeasureFigures] = []
    # Per measure: its source and categories, and per level the raw counts and harm totals.
    raw: list[tuple[str | None, frozenset[str], list[_Raw]]] = []
    for measure in mset:
        source = choose_source(wh, measure, geo.london(), needed, coverage)
        positions: list[int] | None = None
        if source is None:  # compare over the months both periods have, and say so
            partial = best_partial_source(measure, geo.london(), current, previous, coverage)
            if partial is not None:
                source, positions = partial
        mf = MeasureFigures(measure.id, measure.label, source)
        out.append(mf)
        if source is not None:
            # Over the months actually compared, when only some of them could be.
            compared = (
                [current, previous]
                if positions is None
                else [_span(current, positions), _span(previous, positions)]
            )
            mf.caveats = caveats_for([compared[1], compared[0]], {source})
            mf.baseline_caveats = caveats_for(
                [baseline if positions is None else _span(baseline, positions), compared[0]],
                {source},
            )
        if source is None:
            raw.append((None, frozenset(), []))
            continue
        if positions is not None:
            mf.months_compared = _pick(current, positions)
            mf.previous_months_compared = _pick(previous, positions)
            mf.partial_note = _partial_note(positions, current, previous)
            picked = {
                "current": mf.months_compared,
                "previous": _pick(previous, positions),
                "baseline": _pick(baseline, positions),
            }
            totals = _totals_of_months(wh, source, picked)
            has_baseline = set(picked["baseline"]) <= coverage(source, measure, geo.london())
        else:
            if source not in cache:
                cache[source] = _totals(wh, source, periods)
            totals = cache[source]
            has_baseline = set(baseline.month_list()) <= coverage(source, measure, geo.london())
        categories = measure.categories_in(source, sorted({k[2] for k in totals}))
        weighted = source in load_weights()
        per_level = []
        for level_area in levels:
            codes = [b.code for b in geo.boroughs_in(level_area)]

            def total(bucket: str, weighted: bool = False, codes: list[str] = codes) -> float:
                return _sum_totals(totals, source, categories, codes, bucket, weighted)  # noqa: B023

            per_level.append(
                _Raw(
                    int(total("previous")),
                    int(total("current")),
                    int(total("baseline")) if has_baseline else None,
                    total("previous", True) if weighted else None,
                    total("current", True) if weighted else None,
                )
            )
        raw.append((source, frozenset(categories), per_level))
    relations = _sum_relations([(src, cats) for src, cats, _ in raw])
    for li, level_area in enumerate(levels):
        counts: list[dict[str, int | None]] = [
            {"previous": r[li].previous, "current": r[li].current, "baseline": r[li].baseline}
            if r
            else {}
            for _, _, r in raw
        ]
        hidden = suppress_related(counts, relations, threshold)
        for mf, (_, _, per_level), why in zip(out, raw, hidden, strict=True):
            if not per_level:
                mf.rows.append(_empty_row(level_area))
                continue
            mf.rows.append(
                _row(level_area, per_level[li], why, current, previous, max(threshold, 0))
            )
    by_id = {mf.id: mf for mf in out}
    return FiguresReport(target, current, previous, baseline, [by_id[m] for m in wanted])


@dataclass
class _Raw:
    previous: int
    current: int
    baseline: int | None
    harm_previous: float | None
    harm_current: float | None


def _sum_relations(
    measures: list[tuple[str | None, frozenset[str]]],
) -> list[tuple[int, list[int]]]:
    """Measures that are the sum of other measures from the same source (a reader could subtract)."""
    out: list[tuple[int, list[int]]] = []
    for source in {s for s, _ in measures if s}:
        index = [i for i, (s, _) in enumerate(measures) if s == source]
        for t, parts in exact_covers([measures[i][1] for i in index]):
            out.append((index[t], [index[p] for p in parts]))
    return out


def _sum_totals(
    totals: dict[tuple[str, str, str], int],
    source: str,
    categories: list[str],
    codes: list[str],
    bucket: str,
    weighted: bool,
) -> float:
    return sum(
        totals.get((bucket, code, cat), 0) * (weight_for(source, cat) if weighted else 1)
        for code in codes
        for cat in categories
    )


#: The values worked out from each count: hidden whenever one of their counts is hidden.
DERIVED = {
    "change_pct": ("previous", "current"),
    "p_value": ("previous", "current"),
    "change_vs_2019_pct": ("current", "baseline"),
    "harm_previous": ("previous",),
    "harm_current": ("current",),
    "harm_change_pct": ("previous", "current"),
}
_FIELD = {"previous": "previous", "current": "current", "baseline": "baseline_2019"}


def _row(
    area: Area,
    raw: _Raw,
    why: dict[str, str],
    current: Period,
    previous: Period,
    threshold: int,
) -> FigureRow:
    test = poisson_test(raw.previous, raw.current, previous.months, current.months)
    base = raw.baseline
    values: dict[str, object] = {
        "previous": raw.previous,
        "current": raw.current,
        "baseline_2019": base,
        "change_pct": test.change_pct,
        "p_value": None if test.p_value is None else float(f"{test.p_value:.3g}"),
        "change_vs_2019_pct": round(100.0 * (raw.current - base) / base, 1) if base else None,
        "harm_previous": _round(raw.harm_previous),
        "harm_current": _round(raw.harm_current),
        "harm_change_pct": _pct(raw.harm_previous, raw.harm_current),
    }
    marks = {_FIELD[k]: mark(r, threshold) for k, r in why.items()}
    for name in hidden_derived(why, DERIVED):
        if values[name] is not None:
            marks[name] = "[c]"
    for name in marks:
        values[name] = None
    suppressed = "previous" in why or "current" in why
    verdict = test.verdict
    if suppressed:
        small = PRIMARY in (why.get("previous"), why.get("current"))
        verdict = (
            f"not shown: fewer than {threshold} crimes"
            if small
            else f"not shown: it would reveal a count below {threshold}"
        )
    return FigureRow(
        area.level,
        area.code,
        area.name,
        values["previous"],  # type: ignore[arg-type]
        values["current"],  # type: ignore[arg-type]
        values["change_pct"],  # type: ignore[arg-type]
        values["p_value"],  # type: ignore[arg-type]
        verdict,
        suppressed,
        values["baseline_2019"],  # type: ignore[arg-type]
        values["change_vs_2019_pct"],  # type: ignore[arg-type]
        values["harm_previous"],  # type: ignore[arg-type]
        values["harm_current"],  # type: ignore[arg-type]
        marks,
        values["harm_change_pct"],  # type: ignore[arg-type]
    )


def _pct(before: float | None, after: float | None) -> float | None:
    """Percentage change, or None when there is nothing to compare with."""
    if before is None or after is None or before == 0:
        return None
    return round(100.0 * (after - before) / before, 1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _empty_row(area: Area) -> FigureRow:
    return FigureRow(
        area.level,
        area.code,
        area.name,
        None,
        None,
        None,
        None,
        "no data for the whole of both periods",
        False,
    )


def monthly_series(
    wh: Warehouse, area: str, measure_id: str, period: Period
) -> list[tuple[date, int | None]]:
    """Counts per month for a chart, from the preferred source holding each month."""
    geo = load_geography()
    target = geo.resolve(area)
    measure = load_measures()[measure_id]
    codes = [b.code for b in geo.boroughs_in(target)]
    by_month: dict[date, int | None] = dict.fromkeys(period.month_list())
    remaining = set(by_month)
    coverage = _Coverage(wh)
    for source in measure.sources():
        have = coverage(source, measure, geo.london()) & remaining
        if not have:
            continue
        rows = wh.con.execute(
            f"SELECT month, category, sum(count) FROM ({_source_sql(wh, source)}) "
            "WHERE list_contains(?, borough_code) AND month BETWEEN ? AND ? GROUP BY ALL",
            [codes, period.start, period.end],
        ).fetchall()
        sums: dict[date, int] = defaultdict(int)
        for month, category, count in rows:
            if month in have and measure.categories_in(source, [category]):
                sums[month] += int(count)
        for month in have:
            by_month[month] = sums.get(month, 0)
        remaining -= have
    return sorted(by_month.items())
