"""The quarterly return: the VRU template's xlsx (a summary sheet, then one sheet per theme,
columns as the plan's template maps them) and a PDF for the Executive Group's papers.

Both are built from the signed-off snapshots (`ReturnedUpdate`) only, so what was returned
is what is exported, whatever changed since.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.lib.csv_safe import neutralise_cell
from csphub.vvrap.choices import RAG_ORDER, Rag
from csphub.vvrap.models import SNAPSHOT_FIELDS, Plan
from csphub.vvrap.selectors import (
    previous_quarter,
    quarter_label,
    returned_for,
    summary_of,
)

SUMMARY_SHEET = "Summary"
SUMMARY_HEADER = [
    "Theme",
    "Red",
    "Amber",
    "Green",
    "Actions returned",
    "Red last quarter",
    "Amber last quarter",
    "Green last quarter",
    "RAG changed",
    "Improved",
    "Worsened",
]
FILL = {Rag.RED: "D4351C", Rag.AMBER: "F47738", Rag.GREEN: "00703C"}


def columns_of(plan: Plan) -> list[tuple[str, str]]:
    """The template's (header, snapshot field) pairs; a field the snapshot does not hold is
    refused rather than exported empty."""
    pairs = [(str(h), str(f)) for h, f in plan.template.columns]
    unknown = [f for _, f in pairs if f not in SNAPSHOT_FIELDS]
    if unknown:
        raise ValueError(f"The template names columns the return does not hold: {unknown}")
    return pairs


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name (31 characters, none of []:*?/\\), unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31].strip() or "Theme"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def return_xlsx(plan: Plan, year: int, quarter: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    book = Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEET
    taken = {SUMMARY_SHEET.lower()}
    summary.append(
        [f"{plan.title} ({plan.version_label}): return for {quarter_label(year, quarter)}"]
    )
    summary.append([f"Compared with {quarter_label(*previous_quarter(year, quarter))}"])
    summary.append(SUMMARY_HEADER)
    for cell in summary[3]:
        cell.font = bold
    counts = summary_of(plan, year, quarter)
    for tc in counts:
        summary.append(
            [tc.theme.name]
            + [tc.counts[r] for r in RAG_ORDER]
            + [tc.total]
            + [tc.previous[r] for r in RAG_ORDER]
            + [tc.changed, tc.improved, tc.worsened]
        )
    summary.append(
        ["All themes"]
        + [sum(tc.counts[r] for tc in counts) for r in RAG_ORDER]
        + [sum(tc.total for tc in counts)]
        + [sum(tc.previous[r] for tc in counts) for r in RAG_ORDER]
        + [sum(getattr(tc, k) for tc in counts) for k in ("changed", "improved", "worsened")]
    )
    summary.column_dimensions["A"].width = 60

    columns = columns_of(plan)
    rows = returned_for(plan, year, quarter)
    rag_col = next((i for i, (_, f) in enumerate(columns) if f == "rag"), None)
    for tc in counts:
        sheet = book.create_sheet(sheet_title(tc.theme.name, taken))
        sheet.append([h for h, _ in columns])
        for cell in sheet[1]:
            cell.font = bold
        for r in (r for r in rows if r.theme_id == tc.theme.pk):
            sheet.append([neutralise_cell(r.value(f)) for _, f in columns])
            if rag_col is not None and r.rag in FILL:
                cell = sheet.cell(row=sheet.max_row, column=rag_col + 1)
                cell.fill = PatternFill("solid", fgColor=FILL[Rag(r.rag)])
                cell.font = Font(bold=True, color="FFFFFF")
        for i in range(len(columns)):
            sheet.column_dimensions[chr(ord("A") + i)].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def return_context(plan: Plan, year: int, quarter: int) -> dict[str, Any]:
    counts = summary_of(plan, year, quarter)
    rows = returned_for(plan, year, quarter)
    return {
        "plan": plan,
        "label": quarter_label(year, quarter),
        "previous_label": quarter_label(*previous_quarter(year, quarter)),
        "counts": counts,
        "themes": [(tc.theme, [r for r in rows if r.theme_id == tc.theme.pk]) for tc in counts],
        "columns": columns_of(plan),
        "generated_at": timezone.localtime(),
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
    }


def return_pdf(plan: Plan, year: int, quarter: int) -> bytes:
    from weasyprint import HTML

    html = render_to_string("vvrap/return_pdf.html", return_context(plan, year, quarter))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
