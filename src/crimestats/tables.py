"""The figures table as rows: one builder for every flat output (the CLI's CSV and table, the
web app's download), so the same report gives the same cells everywhere.

>>> HEADER[:5]
['measure_id', 'measure', 'level', 'area_code', 'area']
"""

from __future__ import annotations

from crimestats.figures import FiguresReport

HEADER = [
    "measure_id",
    "measure",
    "level",
    "area_code",
    "area",
    "previous_period",
    "previous",
    "current_period",
    "current",
    "change_pct",
    "p_value",
    "verdict",
    "baseline_period",
    "baseline",
    "change_vs_baseline_pct",
    "source",
    "caveats",
    "baseline_caveats",
    "months_compared",
]
HARM_COLUMNS = ["harm_previous_approx", "harm_current_approx", "harm_change_pct", "harm_weights"]
HARM_NOTE = "approximate Crime Severity Score weights per category (indicative, not ONS figures)"

#: Names of each crimestats source, for people.
SOURCE_LABELS = {
    "mps_2023": "MPS borough-level recorded crime, 2023 classification",
    "mps_pre2023": "MPS borough-level recorded crime, pre-2023 classification",
    "dashboard": "MPS Monthly Crime Dashboard (flagged series)",
    "police_uk": "data.police.uk street-level crime",
}
NO_SOURCE = "no source holds both periods"


def figures_table(
    report: FiguresReport, *, harm: bool = False
) -> tuple[list[str], list[list[object]]]:
    """HEADER (with HARM_COLUMNS when HARM) and a row per measure and level. A hidden value is
    its mark ("<5", "[c]"); a value there is none of is None (an empty cell)."""
    header = HEADER + (HARM_COLUMNS if harm else [])
    rows: list[list[object]] = []
    for m in report.measures:
        weighted = any(r.harm_current is not None or r.hidden.get("harm_current") for r in m.rows)
        caveats = " ".join(f"{c.title}: {c.text}" for c in m.caveats)
        baseline_caveats = " ".join(f"{c.title}: {c.text}" for c in m.baseline_caveats)
        for r in m.rows:
            hide = r.hidden
            row: list[object] = [
                m.id,
                m.label,
                r.level,
                r.code,
                r.name,
                report.previous.label,
                hide.get("previous", r.previous),
                report.current.label,
                hide.get("current", r.current),
                hide.get("change_pct", r.change_pct),
                hide.get("p_value", r.p_value),
                r.verdict,
                report.baseline.label,
                hide.get("baseline_2019", r.baseline_2019),
                hide.get("change_vs_2019_pct", r.change_vs_2019_pct),
                SOURCE_LABELS.get(m.source or "", NO_SOURCE),
                caveats,
                baseline_caveats,
                m.partial_note or "all",
            ]
            if harm:
                row += [
                    hide.get("harm_previous", r.harm_previous),
                    hide.get("harm_current", r.harm_current),
                    hide.get("harm_change_pct", r.harm_change_pct),
                    HARM_NOTE if weighted else "no harm weights for this source",
                ]
            rows.append(row)
    return header, rows
