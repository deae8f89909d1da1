"""The Home Office serious violence success measures, as fixed tiles: each for all ages and
for under 25s, per 100,000 residents with an exact 95% interval, against the previous window.

Police open data does not carry these measures (hospital admissions are NHS data; the police
do not publish knife-enabled serious violence or the domestic flag on homicide by borough), so
they come from partner extracts. A tile says when no extract supplies it. A change is called a
change only when the exact Poisson test finds one; otherwise the tile says there is no evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csphub.lib.disclosure import Output
from csphub.lib.periods import Period
from csphub.lib.stats import poisson_test, rate_interval
from csphub.lib.suppression import suppress_value
from csphub.partnerdata.selectors import Total, total
from csphub.sna.casework import threshold

SUCCESS_MEASURES: list[tuple[str, str]] = [
    ("sharp_object_admissions", "Hospital admissions for assault with a knife or sharp object"),
    ("knife_enabled_serious_violence", "Knife-enabled serious violence"),
    ("non_domestic_homicide", "Non-domestic homicide"),
]
AGES: list[tuple[str, str]] = [("all", "All ages"), ("under_25", "Under 25")]


@dataclass
class Tile:
    """One success measure for one age group, as it may be shown for an output."""

    title: str
    ages: str
    measure: str
    count: str = ""
    rate: str = ""
    interval: str = ""
    comparison: str = ""
    note: str = ""
    sources: list[str] = field(default_factory=list)


def _measure_id(measure: str, ages: str) -> str:
    return measure if ages == "all" else f"{measure}_under_25"


def _compare(current: Total, previous: Total | None, limit: int) -> str:
    if previous is None or not previous.complete:
        return "No previous window supplied to compare with."
    if suppress_value(previous.value, limit):
        return "The previous window's count is too small to publish, so no comparison is made."
    test = poisson_test(previous.value, current.value)
    if test.verdict == "no evidence of change":
        return (
            f"{previous.value:,} in the previous window: no evidence of change "
            "(exact Poisson test)."
        )
    return f"{previous.value:,} in the previous window: a {test.verdict} (exact Poisson test)."


def tile(
    measure: str,
    title: str,
    ages: str,
    area_code: str,
    period: Period,
    output: Output,
    populations: dict[str, int],
) -> Tile:
    label = dict(AGES)[ages]
    out = Tile(title=title, ages=label, measure=_measure_id(measure, ages))
    current = total(out.measure, area_code, period.month_list())
    if current is None:
        out.note = f"Not supplied: import a partner extract with the measure {out.measure}."
        return out
    out.sources = [f"{e.file_name} (SHA-256 {e.sha256[:12]}…)" for e in current.extracts]
    limit = threshold(output)
    if suppress_value(current.value, limit):
        # A rate or interval would give the hidden count back from the population.
        out.count = f"<{limit}"
        out.note = "Fewer than the casework threshold: no rate is shown."
        return out
    out.count = f"{current.value:,}"
    if not current.complete:
        out.note = (
            f"Supplied for {current.months_covered} of {current.months_asked} months: "
            "no rate or comparison for part of a window."
        )
        return out
    population = populations.get(ages)
    if population:
        r = rate_interval(current.value, population)
        out.rate = f"{r.rate:,.1f} per 100,000"
        out.interval = f"95% confidence interval {r.lower:,.1f} to {r.upper:,.1f} (exact Poisson)"
    else:
        out.note = "No population given for this age group: no rate."
    previous = total(out.measure, area_code, period.shifted(-period.months, "").month_list())
    out.comparison = _compare(current, previous, limit)
    return out


def tiles(
    area_code: str, period: Period, output: Output, populations: dict[str, int]
) -> list[Tile]:
    """Every success measure tile, all ages then under 25, in the Home Office's order."""
    return [
        tile(measure, title, ages, area_code, period, output, populations)
        for measure, title in SUCCESS_MEASURES
        for ages, _ in AGES
    ]


def night_time(area_code: str, period: Period, output: Output) -> str:
    """When assaults seen at A&E happened, where ISTV extracts carry the time: the share at
    night (22:00 to 05:59), or why there is none. Both counts and their difference must clear
    the casework threshold, or the sentence would give a small count away."""
    months = period.month_list()
    timed = total("ae_assault_attendances_timed", area_code, months)
    night = total("ae_assault_attendances_night", area_code, months)
    if timed is None or night is None:
        return "No ISTV extract with times covers the window, so times of day are not shown."
    limit = threshold(output)
    if timed.value == 0:
        return "The ISTV extracts for the window record no times."
    if any(suppress_value(v, limit) for v in (timed.value, night.value, timed.value - night.value)):
        return "Too few A&E attendances for assault have a recorded time to publish when they were."
    share = 100 * night.value / timed.value
    partial = "" if timed.complete else f" ({timed.months_covered} of {timed.months_asked} months)"
    return (
        f"Of {timed.value:,} A&E attendances for assault with a recorded time{partial}, "
        f"{night.value:,} ({share:.0f}%) were between 22:00 and 06:00 (ISTV)."
    )
