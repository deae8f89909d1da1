"""The report's crime figures: sentences in the partnership's register, written from the crime
app's figures (never recomputed here), each figure linked to its appendix entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from csphub.crime import selectors, svg, wording
from csphub.crime.selectors import FigureLine, FiguresPage, MeasureTable
from csphub.crime.warehouse import open_warehouse
from csphub.lib.disclosure import describe
from csphub.reports.trace import Appendix, Entry, Sentence, Source

#: Measures whose change across London, the BCU and the borough the report states, in order,
#: with what the sentence calls them.
COMPARED = (
    ("serious_violence", "serious violence offences"),
    ("knife_crime", "knife crime offences"),
    ("knife_crime_with_injury", "knife crime offences causing injury"),
)
#: Counts the report gives for the borough alone.
COUNTED = (("homicide", "homicides"), ("possession_of_weapons", "possession of weapons offences"))
#: Monthly charts drawn in both the HTML and the PDF.
CHARTS = ("serious_violence", "knife_crime")

COMPUTATION = (
    "The monthly counts of the measure's categories summed over each period for the borough; "
    "the BCU and London are the sums of their boroughs. The change is (current - previous) / "
    "previous; whether it is evidence of a real change is the exact conditional Poisson test "
    "(p < 0.05). The 2019 figure is the same sum for calendar year 2019."
)


@dataclass
class CrimeSection:
    """What the crime figures section shows; ABSENT says why there are none."""

    absent: str = ""
    current_label: str = ""
    previous_label: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    caveat: str = ""
    charts: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)


def _lines(table: MeasureTable) -> dict[str, FigureLine]:
    return {line.level: line for line in table.lines}


def _entry(appendix: Appendix, page: FiguresPage, table: MeasureTable) -> Entry:
    categories = "; ".join(table.categories) or "no categories in the data"
    return appendix.add(
        f"{table.label}: {page.area.name}, its BCU and London",
        sources=[Source(f["file_name"], f["sha256"]) for f in table.files],
        period=f"{page.current.label} against {page.previous.label}; baseline "
        f"{page.baseline.label}",
        definition=f"{table.label}, from {table.source_label}: {categories}. "
        f"{table.notes} Measures file version {selectors.measures_version()}.".replace(". .", "."),
        computation=COMPUTATION,
        suppression=f"Published police figures: {describe(selectors.THRESHOLD)}",
    )


def _change(verb_up: str, verb_down: str, line: FigureLine) -> str:
    return verb_up if (line.change_pct or 0) >= 0 else verb_down


def _compared(page: FiguresPage, table: MeasureTable, what: str, entry: Entry) -> Sentence:
    """ "There was an increase of +6.8% in serious violence offences across London comparing
    2022 with 2023, and +8.6% in the South East BCU. Bexley recorded a +1.9% increase, which
    is no evidence of change." """
    lines = _lines(table)
    own, bcu, london = lines[page.area.level], lines.get("bcu"), lines.get("london")
    s = Sentence()
    if london is not None and london.change_pct is not None:
        s.say(f"There was {_change('an increase', 'a reduction', london)} of ")
        s.figure(london.change_text, entry)
        s.say(f" in {what} across London comparing {page.previous.label} with ")
        s.say(page.current.label)
        if bcu is not None and bcu.change_pct is not None:
            s.say(", and ").figure(bcu.change_text, entry).say(f" in the {bcu.name} BCU")
        s.say(". ")
    s.say(f"{page.area.name} recorded ")
    s.say(f"{_change('an increase', 'a reduction', own)} of ").figure(own.change_text, entry)
    s.say(" (").figure(own.previous.text, entry).say(f" in {page.previous.label}, ")
    s.figure(own.current.text, entry).say(f" in {page.current.label})")
    if own.verdict.startswith("significant"):
        s.say(f", a statistically significant change ({own.p_text}).")
    else:
        s.say(
            ", which is no evidence of change: chance alone could produce a difference this size."
        )
    return s


def _baseline(page: FiguresPage, table: MeasureTable, entry: Entry) -> Sentence:
    own = _lines(table)[page.area.level]
    london = _lines(table).get("london")
    s = Sentence().say(f"Overall crime in {page.area.name} ")
    s.say(f"{_change('rose', 'fell', own)} by ").figure(own.change_text, entry)
    s.say(" (").figure(own.previous.text, entry).say(" to ").figure(own.current.text, entry)
    s.say(f" offences) comparing {page.previous.label} with {page.current.label}")
    if own.change_vs_2019_pct is not None:
        s.say(", and stands at ").figure(own.change_vs_2019_text, entry)
        s.say(" against the 2019 pre-COVID level (").figure(own.baseline.text, entry).say(")")
    if london is not None and london.change_vs_2019_pct is not None:
        s.say("; across London crime stands at ").figure(london.change_vs_2019_text, entry)
        s.say(" against 2019")
    return s.say(".")


def _counted(page: FiguresPage, table: MeasureTable, what: str, entry: Entry) -> Sentence:
    own = _lines(table)[page.area.level]
    s = Sentence().say(f"During {page.current.label}, there were ")
    s.figure(own.current.text, entry).say(f" {what} in {page.area.name} (")
    return s.figure(own.previous.text, entry).say(f" in {page.previous.label}).")


def _robbery(page: FiguresPage, entry: Callable[[str], Entry]) -> Sentence:
    own = _lines(page.table("personal_robbery"))[page.area.level]
    whole = entry("personal_robbery")
    s = Sentence().say(f"Personal robbery {_change('increased', 'fell', own)} by ")
    s.figure(own.change_text, whole).say(" from ").figure(own.previous.text, whole)
    s.say(" to ").figure(own.current.text, whole).say(" offences")
    measure_of = {f"Personal robbery {what}": m for m, what in wording.ROBBERY_PARTS}
    for i, share in enumerate(wording.robbery_detail(page)):
        s.say(", of which " if i == 0 else " and ")
        part = entry(measure_of[share.label])
        s.figure(f"{100 * share.part / share.whole:.1f}%", part).say(" (")
        s.figure(f"{share.part:,}", part)
        s.say(f") were {share.label.removeprefix('Personal robbery ')}")
    return s.say(".")


def _table_rows(table: MeasureTable) -> dict[str, Any]:
    return {
        "label": table.label,
        "lines": [
            {
                "name": line.name,
                "previous": line.previous.text,
                "current": line.current.text,
                "change": line.change_text,
                "verdict": line.verdict,
                "baseline": line.baseline.text,
                "vs_2019": line.change_vs_2019_text,
            }
            for line in table.lines
        ],
    }


def crime_section(area: str, year: int, appendix: Appendix) -> CrimeSection:
    """The crime figures for AREA in calendar YEAR against the year before."""
    with open_warehouse() as wh:
        latest = selectors.latest_month(wh) if wh is not None else None
        if wh is None or latest is None:
            return CrimeSection(absent="No police recorded crime data has been imported.")
        current = selectors.period_for("calendar", year)
        if latest < current.end:
            return CrimeSection(
                absent=f"The police recorded crime data imported runs to {latest:%B %Y}, so "
                f"the whole of {current.label} cannot be reported yet."
            )
        page = selectors.figures_page(wh, area, current)
        ids = {t.id for t in page.tables}
        section = CrimeSection(current_label=page.current.label, previous_label=page.previous.label)
        entries: dict[str, Entry] = {}

        def entry(measure_id: str) -> Entry:
            if measure_id not in entries:
                entries[measure_id] = _entry(appendix, page, page.table(measure_id))
            return entries[measure_id]

        def has(measure_id: str) -> bool:
            return measure_id in ids and page.table(measure_id).lines[0].change_pct is not None

        if has("all_crime"):
            section.sentences.append(_baseline(page, page.table("all_crime"), entry("all_crime")))
        for measure_id, what in COMPARED:
            if has(measure_id):
                section.sentences.append(
                    _compared(page, page.table(measure_id), what, entry(measure_id))
                )
        for measure_id, what in COUNTED:
            if measure_id in ids:
                section.sentences.append(
                    _counted(page, page.table(measure_id), what, entry(measure_id))
                )
        if has("personal_robbery"):
            section.sentences.append(_robbery(page, entry))
        section.caveat = " ".join(c.text for c in page.caveats) if page.caveats else page.no_caveat
        for n, measure_id in enumerate(CHARTS):
            if measure_id in ids:
                trend = selectors.trend(wh, area, measure_id, page)
                section.charts.append(
                    svg.trend_chart(
                        page,
                        trend,
                        page.table(measure_id).label,
                        wording.trend_marks(page, measure_id, trend),
                        id_prefix=f"chart-{n + 1}",
                    )
                )
        section.tables = [
            {**_table_rows(page.table(m)), "entry": entry(m).key}
            for m in ("all_crime", *(m for m, _ in COMPARED), "personal_robbery")
            if m in ids
        ]
        return section
