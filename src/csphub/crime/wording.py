"""What the figures page says beside its tables: the sentence an analyst writes for each measure,
the parts of personal robbery the partnership reports, and where a chart crosses a known break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crimestats import Period, add_months, chart_marks

if TYPE_CHECKING:
    from csphub.crime.selectors import FiguresPage, MeasureTable


def _p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _short_label(label: str) -> str:
    # "Serious violence (MPS definition)" -> "serious violence"; keeps "(1-24)"-style qualifiers.
    text = re.sub(r"\s*\([^)]*\s[^)]*\)$", "", label)
    return text[:1].lower() + text[1:]


def ons_change(pct: float) -> str:
    """A change as ONS writes it: "a 20.0% decrease", "an 8.5% increase", "no change".

    >>> ons_change(-20.0), ons_change(8.46), ons_change(11.0), ons_change(0.04), ons_change(1.9)
    ('a 20.0% decrease', 'an 8.5% increase', 'an 11.0% increase', 'no change', 'a 1.9% increase')
    """
    size = f"{abs(pct):,.1f}"
    if size == "0.0":
        return "no change"
    whole = size.split(".")[0].replace(",", "")
    article = "an" if size.startswith("8") or whole in ("11", "18") else "a"
    return f"{article} {size}% {'increase' if pct > 0 else 'decrease'}"


def sentence(page: FiguresPage, table: MeasureTable) -> str:
    """The sentence an analyst would write for one measure, or "" when counts are hidden."""
    lines = {line.level: line for line in table.lines}
    own = lines.get(page.area.level)
    if own is None or own.change_pct is None or own.current.value is None:
        return ""
    what = _short_label(table.label)
    before, now = table.compared_labels or (page.previous.label, page.current.label)
    text = (
        f"{page.area.name} recorded {ons_change(own.change_pct)} in {what} "
        f"({own.previous.text} in {before}, {own.current.text} in {now})"
    )
    others = [
        f"{ons_change(line.change_pct)} for "
        f"{'the ' + line.name + ' BCU' if level == 'bcu' else line.name}"
        for level, line in lines.items()
        if level != page.area.level and line.change_pct is not None
    ]
    if others:
        text += ", against " + " and ".join(others)
    if own.verdict.startswith("significant"):
        text += f". The {own.verdict.removeprefix('significant ')} is statistically significant"
        text += f" ({_p(own.p_value)})." if own.p_value is not None else "."
    else:
        text += ". Chance alone could produce a change this size, so it is no evidence of a real change."
    return text


@dataclass(frozen=True)
class Share:
    """One part of a measure as a share of it, for the area, with the counts it comes from."""

    label: str
    part: int
    whole: int

    @property
    def text(self) -> str:
        """ "12.5% (45 of 360)"."""
        return f"{100 * self.part / self.whole:.1f}% ({self.part:,} of {self.whole:,})"


#: Parts of personal robbery the partnership reports beside it: (measure, what it is).
ROBBERY_PARTS = (
    ("knife_robbery_with_injury", "with a knife causing injury"),
    ("robbery_mobile_phone", "of a mobile phone"),
)


def robbery_detail(page: FiguresPage) -> list[Share]:
    """Shares of the area's personal robbery in the current period: with a knife causing
    injury and of a mobile phone (the MPS dashboard's series over the borough file's robbery).
    A part is left out when either count is missing for the period, or covers only some of its
    months (a share of a whole period's robbery made from part of it would be too small)."""

    def own(measure_id: str) -> int | None:
        table = next((t for t in page.tables if t.id == measure_id), None)
        if table is None or table.compared_labels is not None:
            return None
        line = next((x for x in table.lines if x.level == page.area.level), None)
        return line.current.value if line is not None else None

    whole = own("personal_robbery")
    if not whole:
        return []
    shares = []
    for measure_id, what in ROBBERY_PARTS:
        part = own(measure_id)
        if part is not None and part <= whole:
            shares.append(Share(f"Personal robbery {what}", part, whole))
    return shares


def trend_marks(
    page: FiguresPage, measure_id: str, rows: list[dict[str, Any]]
) -> list[tuple[int, str]]:
    """Where the monthly chart crosses a known break: (point index, label) for each change and
    each end of a window that falls on a month the chart shows."""
    source = page.table(measure_id).source
    if source is None:
        return []
    span = Period(page.previous.start, page.current.end, "")
    out: list[tuple[int, str]] = []
    for caveat in chart_marks(span, {source}):
        assert caveat.start is not None
        # A change, or a window's start, is marked at its first month; a window's end at the
        # month after its last, labelled with the month it ended.
        months = [(caveat.start, f"{caveat.title}, {caveat.start:%b %Y}")]
        if caveat.kind == "window" and caveat.end is not None:
            months[0] = (caveat.start, f"{caveat.title} began, {caveat.start:%b %Y}")
            months.append((add_months(caveat.end, 1), f"{caveat.title} ended, {caveat.end:%b %Y}"))
        for month, label in months:
            for i, row in enumerate(rows):
                if month in (row["previous_month"], row["current_month"]):
                    out.append((i, label))
    return out
